"""Models from checkpoints: the payload a trained model is saved as, and the model rebuilt
from a payload, a file or a bundled entry (the file format and its safe, checked reading
are :mod:`gan_bench.store`'s)."""

from __future__ import annotations

import os
from pathlib import Path

import torch

from gan_bench.gans.base import GAN, DataSpec
from gan_bench.gans.registry import create
from gan_bench.store.checkpoints import CHECKPOINT_FORMAT, CheckpointError
from gan_bench.store.manifest import checked_payload, read_checkpoint_checked


def checkpoint_payload(
    model: GAN, *, dataset: str, seed: int, step: int, full: bool, extra: dict | None = None
) -> dict:
    """What a checkpoint file holds. ``full`` adds everything needed to resume training."""
    return {
        "format_version": CHECKPOINT_FORMAT,
        "variant": model.name,
        "config": model.config,
        "data_shape": list(model.data.shape),
        "n_classes": model.data.n_classes,
        "dataset": dataset,
        "seed": seed,
        "step": step,
        "state_dict": model.state_dict() if full else model.inference_state_dict(),
        "full": full,
        **(extra or {}),
    }


def model_from_payload(payload: dict) -> GAN:
    """Rebuild a model (on the CPU) from a checkpoint payload."""
    data = DataSpec(tuple(payload["data_shape"]), payload["n_classes"])
    with torch.random.fork_rng(devices=[]):  # modules a checkpoint leaves out start the same way
        torch.manual_seed(int(payload.get("seed", 0)))  # everywhere, and the caller's stream is untouched
        model = create(payload["variant"], payload["config"], data)
    missing, unexpected = model.load_state_dict(payload["state_dict"], strict=False)
    needed = [k for k in missing if k.split(".")[0] in model.inference_modules]
    if needed or unexpected:
        raise CheckpointError(
            f"checkpoint does not match variant '{payload['variant']}': missing {needed}, "
            f"unexpected {unexpected}"
        )
    return model.eval()


def load_model(path: str | os.PathLike) -> GAN:
    """Load a checkpoint for sampling and evaluation on the CPU. A file bundled under
    ``models/`` is first checked against its manifest entry (sha256, variant, dataset,
    seed), as on every other load path."""
    return model_from_payload(read_checkpoint_checked(path))


def load_reference(key: str, models_dir: Path | None = None) -> GAN:
    """Load a bundled checkpoint after checking its sha256 against the manifest."""
    return model_from_payload(checked_payload(key, models_dir))

"""Bundled reference checkpoints under ``models/`` and their manifest.

Each entry records the path, sha256, variant and resolved options, dataset, seed, steps,
the commit that trained it and its training-time metrics. Loading checks the sha256.
The manifest is updated under a file lock and written atomically, so parallel training
jobs cannot lose each other's entries.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gan_bench.defaults import (
    CHECKOUT_ROOT,
    MODEL_WHEEL,
    default_models_dir,
    models_root,
    packaged_model_dirs,
)
from gan_bench.store.atomic import write_text_atomic
from gan_bench.store.checkpoints import (
    CheckpointError,
    decode_checkpoint,
    read_checkpoint,
    save_checkpoint,
)
from gan_bench.store.checksums import verify_bytes
from gan_bench.store.locks import file_lock
from gan_bench.store.untrusted import file_name, inside

MANIFEST = "manifest.json"


def model_file(suite: str, dataset: str, run: str, seed: int, models_dir: Path | None = None) -> Path:
    """Where the bundled checkpoint of (suite, dataset, run, seed) is written: each name
    through :func:`~gan_bench.store.untrusted.file_name`, checked to stay inside ``models/``."""
    root = models_dir or models_root()
    relative = "/".join(file_name(part) for part in (suite, dataset, run)) + f"/seed{int(seed)}.pt"
    return inside(root, relative, f"the checkpoint of {suite}/{dataset}/{run}/seed{seed}")


def bundle_checkpoint(source: Path | bytes, target: Path) -> tuple[str, str]:
    """Write the inference checkpoint ``source`` (a file, or its bytes as a training job
    returned them) to ``target`` for bundling; returns (sha256, storage).

    Image models are stored in float16 (``storage = "float16"``): their checkpoints are
    half the size, loading casts the weights back to float32, and the suite metrics move
    by far less than 1% (``tests/test_run.py``). 2-D models stay float32, whole.
    """
    name = f"trained model for {target}" if isinstance(source, bytes) else source
    payload = decode_checkpoint(source, name) if isinstance(source, bytes) else read_checkpoint(source)
    if payload.get("full"):
        raise CheckpointError(f"{name}: a full training checkpoint; bundle the inference file (model.pt)")
    storage = "float16" if len(payload["data_shape"]) == 3 else "float32"
    if storage == "float16":
        payload["state_dict"] = {
            k: v.half() if v.is_floating_point() else v for k, v in payload["state_dict"].items()
        }
    payload["storage"] = storage
    return save_checkpoint(target, payload), storage


def read_manifest(models_dir: Path | None = None) -> dict[str, Any]:
    path = (models_dir or models_root()) / MANIFEST
    return json.loads(path.read_text()) if path.is_file() else {"models": {}}


def register(key: str, entry: dict[str, Any], models_dir: Path | None = None) -> None:
    """Add or replace one manifest entry."""
    models_dir = models_dir or models_root()
    with file_lock(models_dir / ".manifest.lock", "manifest update", wait=True):
        manifest = read_manifest(models_dir)
        manifest.setdefault("models", {})[key] = entry
        manifest["models"] = dict(sorted(manifest["models"].items()))
        write_text_atomic(models_dir / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")


def current_commit() -> str:
    """The git commit of the working tree, '-dirty' when its code has uncommitted changes
    (``models/`` itself is not code: bundling a checkpoint does not make the tree dirty)."""
    root = CHECKOUT_ROOT
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)models"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


def entry_for(key: str, models_dir: Path | None = None) -> dict[str, Any] | None:
    return read_manifest(models_dir).get("models", {}).get(key)


@dataclass(frozen=True)
class Bundle:
    """A bundled checkpoint's manifest entry and file contents, read by the driver and
    checked again where it is loaded (a worker process or a task on another machine)."""

    key: str
    entry: dict[str, Any]
    blob: bytes
    path: str  # where the driver read it, for messages

    def payload(self) -> dict:
        """The checkpoint, checked against the entry: sha256, then its variant, dataset and seed."""
        source = f"bundled checkpoint {self.path}"
        verify_bytes(self.blob, self.entry["sha256"], source)
        payload = decode_checkpoint(self.blob, source)
        for field in ("variant", "dataset", "seed"):
            if payload.get(field) != self.entry[field]:
                raise CheckpointError(
                    f"{source}: the checkpoint is for {field}={payload.get(field)!r} but the manifest "
                    f"entry '{self.key}' says {self.entry[field]!r}; the file was replaced. Restore it "
                    "(git checkout) or retrain it with the entry's command."
                )
        return payload


def read_bundle(key: str, models_dir: Path | None = None, *, entry: dict[str, Any] | None = None) -> Bundle:
    """Bundled checkpoint ``key`` with its manifest entry (checked when loaded); ``entry``:
    the entry where the caller has read the manifest already."""
    models_dir = models_dir or models_root()
    entry = entry or entry_for(key, models_dir)
    if entry is None:
        raise FileNotFoundError(
            f"no bundled checkpoint '{key}' in {models_dir / MANIFEST}; "
            "train it with 'gan-bench run --train-missing'"
        )
    path = installed_file(entry["path"], models_dir, f"{models_dir / MANIFEST}: the path of entry '{key}'")
    if path is None:
        listed = inside(models_dir, entry["path"], "a manifest path")
        raise FileNotFoundError(
            f"{listed}: bundled file is missing (manifest lists it); in an installed gan-bench the "
            f"image checkpoints ship apart: pip install {model_wheel(entry)}"
        )
    return Bundle(key, entry, path.read_bytes(), str(path))


def installed_file(relative: str, models_dir: Path, what: str) -> Path | None:
    """The file of a manifest path: under ``models_dir``, else (for the bundled models folder)
    in an installed ``gan-bench-models-<suite>`` wheel; None where neither holds it. Every
    candidate is checked to stay inside its folder."""
    candidates = [models_dir]
    if models_dir.resolve() == default_models_dir().resolve():
        candidates += packaged_model_dirs()
    for folder in candidates:
        path = inside(folder, relative, what)
        if path.is_file():
            return path
    return None


def model_wheel(entry: dict[str, Any]) -> str:
    """The ``gan-bench-models-<suite>`` wheel that ships a manifest entry's checkpoint: the
    first folder of its path, as ``packaging/build_wheels.py`` packs the folders of models/."""
    return MODEL_WHEEL.format(suite=entry["path"].split("/")[0])


def is_installed(entry: dict[str, Any], models_dir: Path | None = None) -> bool:
    """Whether the checkpoint of a manifest entry is on this machine."""
    return installed_file(entry["path"], models_dir or models_root(), "a manifest path") is not None


def checked_payload(key: str, models_dir: Path | None = None) -> dict:
    """The payload of bundled checkpoint ``key``, checked against its manifest entry:
    sha256, then the checkpoint's own variant, dataset and seed."""
    return read_bundle(key, models_dir).payload()


def read_checkpoint_checked(path: str | Path, models_dir: Path | None = None) -> dict:
    """Read any checkpoint file; a file bundled under ``models/`` is checked against its
    manifest entry (sha256, variant, dataset, seed) first, as a bundled load is."""
    models_dir = (models_dir or models_root()).resolve()
    resolved = Path(path).resolve()
    if resolved.is_relative_to(models_dir):
        relative = str(resolved.relative_to(models_dir))
        for key, entry in read_manifest(models_dir).get("models", {}).items():
            if entry["path"] == relative:
                return checked_payload(key, models_dir)
    return read_checkpoint(path)


def check_entry_matches(key: str, entry: dict[str, Any], variant: str, options: dict, steps: int) -> None:
    """Refuse to evaluate a bundled checkpoint under a suite run whose settings differ from
    the ones it was trained with: the numbers would be recorded beside the wrong options."""
    differences = [
        f"{name}: checkpoint {entry[name]!r}, suite {wanted!r}"
        for name, wanted in (("variant", variant), ("options", options), ("steps", steps))
        if entry[name] != wanted
    ]
    if differences:
        raise ValueError(
            f"bundled checkpoint '{key}' was trained with other settings than the suite's run ("
            + "; ".join(differences)
            + "). Restore the suite's settings, or retrain: delete the manifest entry and run "
            "'gan-bench run --train-missing'."
        )

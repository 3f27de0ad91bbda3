"""The training loop: seeded, resumable, with periodic atomic checkpoints.

Output folder:
  checkpoint.pt  everything needed to resume (model, optimizers, RNG state, step)
  model.pt       the small inference checkpoint (generator plus E/h/D where needed)
  losses.csv     one row per logged step
  snapshots/stepN.pt  with snapshot_every: the model.pt that a run of N steps ends with
A resumed run gives the same weights as an uninterrupted one with the same seed (on the
CPU): every random draw goes through one seeded generator whose state is saved.
"""

from __future__ import annotations

import ast
import copy
import csv
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from gan_bench.bench.models import checkpoint_payload
from gan_bench.bench.provenance import check_resumed_data, train_provenance
from gan_bench.data import load
from gan_bench.defaults import CHECKPOINT_EVERY, PRECISIONS, TRAIN_STEPS
from gan_bench.gans.base import GAN, DataSpec
from gan_bench.gans.registry import create
from gan_bench.progress import progress_bar
from gan_bench.store.atomic import write_atomic
from gan_bench.store.checkpoints import CheckpointError, read_checkpoint, save_checkpoint
from gan_bench.store.locks import file_lock
from gan_bench.validation import check_seed

FULL_CHECKPOINT = "checkpoint.pt"
MODEL_FILE = "model.pt"
LOSS_LOG = "losses.csv"
SNAPSHOTS = "snapshots"
# Arithmetic of the training steps (one of defaults.PRECISIONS). "bfloat16" runs each step
# under torch.autocast: the convolutions and matrix products in bfloat16; the weights,
# optimiser states and batch norm in float32, and the image networks hand float32 out, so
# that the losses are float32. The 28x28 DCGAN's steps run 1.56x (one thread) and 1.34x (two
# threads) the float32 ones on a CPU with AVX512-BF16 (tests/benchmarks/bench_train_step.py);
# the numbers it trains to differ, so it is opt-in and recorded in the checkpoints. Sampling
# and evaluation are float32.


class TrainingDivergedError(RuntimeError):
    """A loss became NaN or inf; the last good checkpoint is kept."""


@dataclass
class TrainResult:
    """Where the run wrote its files and how it ended."""

    out_dir: Path
    model_path: Path
    model_sha256: str
    steps: int
    seconds: float  # training time over every session of the run, resumes included
    final_losses: dict[str, float]


def parse_options(pairs: list[str] | None) -> dict[str, Any]:
    """``key=value`` strings to a dict; values are read as Python literals where possible,
    with the TOML/JSON spellings ``true``, ``false`` (and ``none``/``null``) of a flag too."""
    options: dict[str, Any] = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise ValueError(f"--set expects key=value, got '{pair}'")
        key, raw = pair.split("=", 1)
        spelled = {"true": True, "false": False, "none": None, "null": None}
        if raw.strip().lower() in spelled:
            options[key.strip()] = spelled[raw.strip().lower()]
            continue
        try:
            options[key.strip()] = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            options[key.strip()] = raw
    return options


class LossLog:
    """``losses.csv``: one row per logged step. A loss that first appears later in training
    (NEMGAN P's prior KL once its warm-up ends) adds a column: the file is rewritten once with
    the wider header, earlier rows left blank there, so every row has the header's width."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.columns: list[str] = []
        if path.is_file():
            with open(path, newline="") as handle:
                self.columns = next(csv.reader(handle), ["step"])[1:]
        self.handle = None

    def write(self, step: int, losses: dict[str, float]) -> None:
        new = [k for k in losses if k not in self.columns]
        if new or self.handle is None:
            self._reopen(new)
        csv.writer(self.handle).writerow(
            [step, *(f"{losses[c]:.6g}" if c in losses else "" for c in self.columns)]
        )
        self.handle.flush()

    def _reopen(self, new: list[str]) -> None:
        self.close()
        if new or not self.path.is_file():
            rows = []
            if self.path.is_file():
                with open(self.path, newline="") as handle:
                    rows = list(csv.reader(handle))[1:]
            self.columns += new
            width = 1 + len(self.columns)
            header = ["step", *self.columns]
            write_atomic(
                self.path,
                lambda h: csv.writer(h).writerows([header, *(r + [""] * (width - len(r)) for r in rows)]),
            )
        self.handle = open(self.path, "a", newline="")

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


def _truncate_log(path: Path, last_step: int, log_every: int) -> None:
    """Drop log rows after ``last_step`` (they are re-run after a resume) and the off-grid
    final row of the interrupted run, so the log equals an uninterrupted run's."""
    if not path.is_file():
        return
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    kept = rows[:1] + [r for r in rows[1:] if int(r[0]) <= last_step and int(r[0]) % log_every == 0]
    write_atomic(path, lambda h: csv.writer(h).writerows(kept))


def _memory_format(spec: DataSpec) -> torch.memory_format:
    """Channels-last for images: oneDNN's convolutions on a CPU run about 1.3x faster in
    that layout (tests/benchmarks/bench_train_step.py); the method is unchanged."""
    return torch.channels_last if spec.is_image else torch.preserve_format


def _build(variant: str, dataset: str, options: dict[str, Any], seed: int, data_root, device: str):
    data = load(dataset, "train", data_root=data_root)
    n_classes = data.info.get("n_classes")
    torch.manual_seed(seed)
    spec = DataSpec(tuple(data.samples.shape[1:]), n_classes)
    model = create(variant, options, spec).to(device, memory_format=_memory_format(spec))
    model.setup(
        data.samples.to(device),
        None if data.labels is None else data.labels.to(device),
        torch.Generator(device=device).manual_seed(seed + 1),
    )
    return model, data


def _check_arguments(
    steps: int, seed: int, checkpoint_every: int, snapshot_every: int, precision: str, device: str
):
    if steps < 1:
        raise ValueError(f"steps: expected a positive number, got {steps}")
    check_seed(seed)
    if checkpoint_every < 1:
        raise ValueError(f"checkpoint_every: expected a positive number of steps, got {checkpoint_every}")
    if snapshot_every < 0:
        raise ValueError(f"snapshot_every: expected 0 (none) or a positive number, got {snapshot_every}")
    if precision not in PRECISIONS:
        raise ValueError(f"precision: expected one of {', '.join(PRECISIONS)}, got {precision!r}")
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError(f"device '{device}' requested but CUDA is not available")


def train(
    dataset: str,
    variant: str,
    *,
    seed: int = 0,
    steps: int = TRAIN_STEPS,
    options: dict[str, Any] | None = None,
    out_dir: str | Path = "runs/run",
    resume: bool = False,
    checkpoint_every: int = CHECKPOINT_EVERY,
    log_every: int = 10,
    device: str = "cpu",
    data_root: str | None = None,
    progress: bool = True,
    precision: str = "float32",
    snapshot_every: int = 0,
) -> TrainResult:
    """Train ``variant`` on ``dataset`` for ``steps`` iterations with ``seed``, in the
    arithmetic ``precision`` (one of :data:`PRECISIONS`).

    ``snapshot_every`` > 0 keeps, every that many steps, ``snapshots/stepN.pt``: the weights
    that ``train(..., steps=N)`` ends with (the run's state at step N, finalised on copies of
    the model and of the random stream, so the training itself is unchanged). One long run
    then gives the checkpoints a learning curve is read from."""
    _check_arguments(steps, seed, checkpoint_every, snapshot_every, precision, device)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with file_lock(out / ".train.lock", "training run"):
        model, data = _build(variant, dataset, options or {}, seed, data_root, device)
        run = _Run(
            model, torch.Generator(device=device).manual_seed(seed), variant, dataset, seed, precision, out
        )
        if resume and run.checkpoint_path.is_file():
            payload = read_checkpoint(run.checkpoint_path)
            check_resumed_data(payload, data.info, str(run.checkpoint_path))
            run.start, run.earlier_seconds = _restore(
                model, run.rng, payload, variant, dataset, seed, precision
            )
            _truncate_log(out / LOSS_LOG, run.start, log_every)
        elif (out / LOSS_LOG).exists():
            (out / LOSS_LOG).unlink()
        run.use_data(data)
        losses = run.loop(steps, checkpoint_every, snapshot_every, log_every, progress)
        return run.finish(steps, losses)


@dataclass
class _Run:
    """One training session of a run: the model, its random stream and where it writes."""

    model: GAN
    rng: torch.Generator
    variant: str
    dataset: str
    seed: int
    precision: str
    out: Path
    provenance: dict[str, str] = field(default_factory=dict)  # bench.provenance.train_provenance
    start: int = 0  # the step the session resumes after
    earlier_seconds: float = 0.0  # training time of the sessions before this one
    t0: float = 0.0

    @property
    def checkpoint_path(self) -> Path:
        return self.out / FULL_CHECKPOINT

    @property
    def device(self) -> torch.device:
        return self.rng.device

    def use_data(self, data) -> None:
        """Minibatches drawn with replacement from the training split, through ``rng``."""
        self.samples = data.samples.to(self.device, memory_format=_memory_format(self.model.data))
        self.provenance = train_provenance(data.info)
        self.labels = None if data.labels is None else data.labels.to(self.device)

    def batches(self):
        idx = torch.randint(
            0, len(self.samples), (self.model.config["batch_size"],), generator=self.rng, device=self.device
        )
        return self.samples[idx], (None if self.labels is None else self.labels[idx])

    def elapsed(self) -> float:
        return self.earlier_seconds + time.perf_counter() - self.t0

    def save_full(self, step: int, seconds: float | None = None) -> None:
        """The resume checkpoint: model, optimisers and the random stream at ``step``."""
        extra = {
            "optimizers": {k: o.state_dict() for k, o in self.model.optimizers.items()},
            "rng_state": self.rng.get_state(),
            "train_seconds": self.elapsed() if seconds is None else seconds,
            "precision": self.precision,
            **self.provenance,
        }
        save_checkpoint(
            self.checkpoint_path,
            checkpoint_payload(
                self.model, dataset=self.dataset, seed=self.seed, step=step, full=True, extra=extra
            ),
        )

    def loop(self, steps: int, checkpoint_every: int, snapshot_every: int, log_every: int, progress: bool):
        """Steps ``start + 1 .. steps``; returns the last step's losses ({} if none ran)."""
        self.t0 = time.perf_counter()
        last_saved = self.start if self.start else None  # step of the checkpoint on disk, if any
        losses: dict[str, float] = {}
        log = LossLog(self.out / LOSS_LOG)
        bar = progress_bar(
            total=steps,
            initial=self.start,
            desc=f"{self.variant} on {self.dataset} (seed {self.seed})",
            enabled=progress,
        )
        autocast = torch.autocast(
            self.device.type, dtype=torch.bfloat16, enabled=self.precision == "bfloat16"
        )
        try:
            self.model.train()
            for step in range(self.start + 1, steps + 1):
                with autocast:
                    losses = self.model.train_step(self.batches, self.rng)
                self._check_finite(step, losses, last_saved)
                if step % log_every == 0 or step == steps:
                    log.write(step, losses)
                    bar.set_postfix({k: f"{v:.3f}" for k, v in losses.items()})
                bar.update()
                if step % checkpoint_every == 0 and step != steps:
                    self.save_full(step)
                    last_saved = step
                if snapshot_every and step % snapshot_every == 0 and step != steps:
                    self._snapshot(step, losses)
        finally:
            bar.close()
            log.close()
        return losses

    def _check_finite(self, step: int, losses: dict[str, float], last_saved: int | None) -> None:
        bad = {k: v for k, v in losses.items() if not math.isfinite(v)}
        if not bad:
            return
        kept = (
            f"the last good checkpoint (step {last_saved}) is kept at {self.checkpoint_path}"
            if last_saved is not None
            else "no checkpoint had been written yet"
        )
        raise TrainingDivergedError(
            f"{self.variant} on {self.dataset} (seed {self.seed}) diverged at step {step}: "
            + ", ".join(f"{k}={v}" for k, v in bad.items())
            + f"; {kept}. Lower the learning rates (--set lr_g=..., lr_d=...) or resume from it."
        )

    def _snapshot(self, step: int, losses: dict[str, float]) -> None:
        """``snapshots/step{step}.pt``: finalised on copies, so the run itself is unchanged."""
        snapshot_rng = torch.Generator(device=self.device)
        snapshot_rng.set_state(self.rng.get_state())
        _save_model(
            self.out / SNAPSHOTS / f"step{step}.pt",
            copy.deepcopy(self.model),
            snapshot_rng,
            dataset=self.dataset,
            seed=self.seed,
            step=step,
            extra={"final_losses": losses, "train_seconds": round(self.elapsed(), 2), **self.provenance},
            precision=self.precision,
        )

    def finish(self, steps: int, losses: dict[str, float]) -> TrainResult:
        """Write model.pt (and the final resume checkpoint) and return the run's result."""
        if not losses:  # resumed at the last step: the final losses are the log's last row
            losses = _logged_losses(self.out / LOSS_LOG, steps)
        model_path = self.out / MODEL_FILE
        seconds = self.elapsed()  # one figure for the checkpoint, model.pt and the result
        digest = _save_model(
            model_path,
            self.model,
            self.rng,
            dataset=self.dataset,
            seed=self.seed,
            step=steps,
            extra={"final_losses": losses, "train_seconds": round(seconds, 2), **self.provenance},
            precision=self.precision,
            before_saving=lambda: self.save_full(steps, seconds),
        )
        return TrainResult(self.out, model_path, digest, steps, seconds, losses)


def _save_model(
    path: Path,
    model: GAN,
    rng: torch.Generator,
    *,
    dataset: str,
    seed: int,
    step: int,
    extra: dict[str, Any],
    precision: str,
    before_saving=None,
) -> str:
    """Finalise a trained ``model`` (eval mode, then its post-training fit, which may draw
    from ``rng``) and write its inference checkpoint; returns the file's sha256.
    ``before_saving`` runs before the fit: the resume checkpoint it writes holds the state
    and random stream of the training alone, so that resuming a finished run for more steps
    equals one longer run (GM-GAN's fit draws from the stream)."""
    if before_saving is not None:
        before_saving()
    model.eval()
    model.finalize(rng)
    payload = checkpoint_payload(
        model,
        dataset=dataset,
        seed=seed,
        step=step,
        full=False,
        extra={**extra, "precision": precision},
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    return save_checkpoint(path, payload)


def _logged_losses(path: Path, step: int) -> dict[str, float]:
    """The losses the log holds for ``step`` (empty when it has no such row)."""
    if not path.is_file():
        return {}
    with open(path, newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if int(row["step"]) == step]
    return {k: float(v) for k, v in rows[-1].items() if k != "step" and v} if rows else {}


def _restore(
    model: GAN, rng: torch.Generator, payload: dict, variant: str, dataset: str, seed: int, precision: str
) -> tuple[int, float]:
    """Load the full checkpoint into ``model`` and ``rng``; returns its step and the training
    seconds spent before it (0 for checkpoints written before that was recorded)."""
    if not payload.get("full"):
        raise CheckpointError(
            "cannot resume from an inference-only checkpoint (a model.pt or a bundled model holds no "
            "optimiser or RNG state); resume from the run folder's checkpoint.pt, or train from scratch"
        )
    recorded = {"precision": "float32", **payload}  # checkpoints before it was recorded: float32
    checked = {"variant": variant, "dataset": dataset, "seed": seed, "precision": precision}
    for key, expected in checked.items():
        if recorded[key] != expected:
            raise ValueError(
                f"cannot resume: the checkpoint is for {key}={recorded[key]!r}, this run has {expected!r}"
            )
    if payload["config"] != model.config:
        raise ValueError("cannot resume: the checkpoint's options differ from this run's")
    model.load_state_dict(payload["state_dict"])
    for key, state in payload["optimizers"].items():
        model.optimizers[key].load_state_dict(state)
    rng.set_state(payload["rng_state"])
    return int(payload["step"]), float(payload.get("train_seconds", 0.0))

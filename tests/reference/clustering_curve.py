"""The learning curve a training length is chosen from, read off a long run's snapshots.

A long run (``gan-bench train ... --snapshot-every N``) keeps ``snapshots/stepK.pt``, each
the model that a run of K steps ends with. This scores every snapshot, and the finished
``model.pt``, with the suite's clustering metrics on a seeded slice of the *training*
split (never the test split: steps and checkpoints are chosen on training data) and the
generator's mode alignment, one JSON line per snapshot. ``--balanced`` takes the same number
of training images from every class (as many as the rarest class has): on an imbalanced
training split (NEMGAN's subsets) a model that sends everything to one cluster would
otherwise score the majority share. Runs that learn a prior also get its error
(``prior_error``, modes matched to classes on the slice):

    .venv/bin/python tests/reference/clustering_curve.py runs/long/fashion-mnist/gmgan-dynamic/seed0

The lines are what ``benchmarks.toml`` records as a probe curve beside the chosen steps.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import numpy as np
import torch

from gan_bench.bench.config import load_config
from gan_bench.bench.context import EvalContext
from gan_bench.bench.models import load_model
from gan_bench.bench.registry import evaluate_metrics
from gan_bench.data import Dataset, load
from gan_bench.store.checkpoints import read_checkpoint

SLICE = 5000
METRICS = ["clustering", "mode_alignment"]


def snapshots(run: Path) -> list[Path]:
    """The run's snapshots in step order, then its finished model.pt if there is one."""
    found = sorted(
        (run / "snapshots").glob("step*.pt"), key=lambda p: int(re.fullmatch(r"step(\d+)\.pt", p.name)[1])
    )
    return found + ([run / "model.pt"] if (run / "model.pt").is_file() else [])


def balanced_slice(train: Dataset, seed: int) -> Dataset:
    """The same number of images of every class, drawn with ``seed`` (as many as the rarest
    class has, at most SLICE in all)."""
    labels = train.labels.numpy()
    classes, counts = np.unique(labels, return_counts=True)
    per_class = min(int(counts.min()), SLICE // len(classes))
    rng = np.random.default_rng(seed)
    pick = np.sort(
        np.concatenate([rng.choice(np.flatnonzero(labels == c), per_class, replace=False) for c in classes])
    )
    return Dataset(train.name, train.samples[pick], train.labels[pick], train.info)


def score(path: Path, suite: str, slice_seed: int, balanced: bool = False) -> dict:
    payload = read_checkpoint(path)
    model = load_model(path)
    sizes = load_config().suites[suite].sizes
    if balanced:
        train_slice = balanced_slice(load(payload["dataset"], "train"), slice_seed)
    else:
        train_slice = load(payload["dataset"], "train", n=SLICE, seed=slice_seed)
    ctx = EvalContext(model=model, seed=int(payload["seed"]), sizes=sizes, test=train_slice)
    metrics = METRICS + (["prior"] if model.config.get("mode") == "P" else [])
    values = {v.metric: round(v.value, 4) for v in evaluate_metrics(ctx, metrics)}
    if ctx.artifacts.learned_prior is not None:
        values["prior_by_class"] = [round(float(p), 3) for p in ctx.artifacts.learned_prior]
    return {"step": int(payload["step"]), "file": path.name, "train_slice": len(train_slice), **values}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path, help="a training folder with snapshots/")
    parser.add_argument("--suite", default="fashion-mnist", help="the suite whose sample sizes to use")
    parser.add_argument("--slice-seed", type=int, default=0)
    parser.add_argument("--balanced", action="store_true", help="the same number of images of every class")
    args = parser.parse_args()
    torch.set_num_threads(1)
    for path in snapshots(args.run):
        print(json.dumps(score(path, args.suite, args.slice_seed, args.balanced)), flush=True)


if __name__ == "__main__":
    main()

"""The Stacked MNIST mode curve of a long run, read off its snapshots (issue 23).

Scores every ``snapshots/stepK.pt`` and the finished ``model.pt`` of a run with the suite's
protocol (26,000 samples, each channel classified by the bundled MNIST classifier): modes
of 1000 and KL to uniform. For a multi-modal generator it also reads each latent mode's
output: how many distinct digit triples a mode makes, and the share of its most common one
(a latent mode that is one data mode makes one triple; a collapsed cluster makes few).
One JSON line per snapshot; these are the probe curves ``benchmarks.toml`` records:

    .venv/bin/python tests/reference/stacked_curve.py runs/long/stacked-mnist/mmgan-ce0.1/seed0
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch
from clustering_curve import snapshots  # this folder is on the path of a script run

from gan_bench.bench.classifiers import load_classifier
from gan_bench.bench.context import classifier_outputs_of
from gan_bench.bench.models import load_model
from gan_bench.metrics import stacked_mnist_modes
from gan_bench.store.checkpoints import read_checkpoint

SAMPLES = 26_000


def digits_of(images: torch.Tensor, classifier) -> np.ndarray:
    logits, _ = classifier_outputs_of(classifier, images)
    return logits.reshape(len(images), -1, 10).argmax(2)


def score(path, classifier) -> dict:
    model = load_model(path)
    samples, modes = model.sample(SAMPLES, seed=0)
    digits = digits_of(samples, classifier)
    covered, kl = stacked_mnist_modes(digits)
    line = {"step": int(read_checkpoint(path)["step"]), "modes": int(covered), "kl": round(float(kl), 4)}
    if modes is not None and model.n_modes > 1:
        triples = digits @ np.array([100, 10, 1])
        distinct, top = [], []
        for k in range(model.n_modes):
            mine = triples[modes.numpy() == k]
            if len(mine):
                _, counts = np.unique(mine, return_counts=True)
                distinct.append(len(counts))
                top.append(counts.max() / len(mine))
        line["triples_per_mode"] = round(float(np.mean(distinct)), 1)
        line["top_triple_share"] = round(float(np.mean(top)), 3)
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", help="a training folder with snapshots/ (and model.pt when finished)")
    args = parser.parse_args()
    classifier = load_classifier("mnist")
    for path in snapshots(Path(args.run)):
        print(json.dumps(score(path, classifier)), flush=True)


if __name__ == "__main__":
    main()

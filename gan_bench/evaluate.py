"""One run (a trained checkpoint on its dataset) -> metric rows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from gan_bench.config import RunSpec
from gan_bench.data import Dataset
from gan_bench.gans.base import GAN
from gan_bench.metrics import ari, cluster_accuracy, emd, mode_report, nmi, purity


def sample_file(out: Path, suite: str, run: RunSpec, seed: int) -> Path:
    """Where the samples of one evaluated run are kept for the report's plots."""
    return out / "samples" / f"{suite}__{run.dataset}__{run.name}__seed{seed}.npy".replace(":", "_")


@dataclass(frozen=True)
class MetricValue:
    metric: str
    value: float
    n_samples: int


def evaluate_run(
    model: GAN,
    test: Dataset,
    metrics: list[str],
    *,
    seed: int,
    samples: int = 2500,
    emd_samples: int = 2000,
) -> tuple[list[MetricValue], np.ndarray]:
    """Evaluate a 2-D model on held-out data; returns the metric values and the samples.

    ``modes`` applies where the dataset is a Gaussian mixture, ``clustering`` where the
    variant clusters real data and the test set has labels. Sampling uses ``seed``.
    """
    n = max(samples, emd_samples)
    generated, _ = model.sample(n, seed=seed)
    x = generated.numpy().astype(np.float64)
    rows: list[MetricValue] = []
    if "modes" in metrics and "means" in test.info:
        report = mode_report(x[:samples], test.info["means"], test.info["std"])
        rows += [
            MetricValue("modes", report.n_modes, samples),
            MetricValue("hq_fraction", report.hq_fraction, samples),
            MetricValue("kl_uniform", report.kl_uniform, samples),
        ]
    if "emd" in metrics:
        reference = test.samples[
            torch.randperm(len(test), generator=torch.Generator().manual_seed(seed))[:emd_samples]
        ]
        rows.append(MetricValue("emd", emd(x[:emd_samples], reference.numpy()), emd_samples))
    if "clustering" in metrics and model.clusters and test.labels is not None:
        truth = test.labels.numpy()
        predicted = model.predict_cluster(test.samples).numpy()
        for name, fn in (("acc", cluster_accuracy), ("nmi", nmi), ("ari", ari), ("purity", purity)):
            rows.append(MetricValue(name, fn(truth, predicted), len(truth)))
    return rows, x[:samples].astype(np.float32)

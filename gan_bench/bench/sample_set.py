"""Evaluate a fixed set of generated samples (a folder of images, an array file, a tensor).

A fixed set has no seed and no latent: the protocols that need fresh draws (the latent-scale
sweep, per-mode samples and grids) say "not applicable to a fixed sample set", and every
other protocol scores the set's first samples, as many as the suite asks. A set smaller than
that is refused with both numbers, unless ``allow_fewer``: then every sample size is cut to
the set's size, and each result row carries the real N it used.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd
import torch

from gan_bench.bench.config import suite_protocol
from gan_bench.bench.context import MetricSkipped, SampleSizes, generated_count
from gan_bench.bench.evaluate import GRID_COLUMNS, GRID_ROWS, EvaluatedRun, evaluate_run
from gan_bench.bench.metric_declarations import check_metric_names
from gan_bench.bench.registry import REGISTRY
from gan_bench.bench.user_generator import GeneratorOutputError, value_frame
from gan_bench.data import load
from gan_bench.data.sample_files import samples_from_array

FIXED = "not applicable to a fixed sample set"
# the sizes that count generated samples (pairs are drawn among them, whatever their number)
DRAWN_SIZES = ("samples", "emd_samples", "sweep_samples", "kid_subset", "fid_samples")


class TooFewSamplesError(ValueError):
    """A fixed sample set smaller than the suite's protocol draws, without ``allow_fewer``."""


class FixedSamples:
    """A fixed set of samples in the shape the metric registry reads: ``sample(n)`` is the
    set's first n, for every seed."""

    name = "samples"
    n_modes = None
    clusters = False
    generates = True  # its samples are shown in the report's gallery, as a GAN's (GAN.generates)

    def __init__(self, samples: torch.Tensor) -> None:
        self.samples = samples

    def sample(
        self, n: int, *, mode: int | None = None, scale: float = 1.0, seed: int | None = None, **_: Any
    ) -> tuple[torch.Tensor, None]:
        if mode is not None or scale != 1.0:
            raise MetricSkipped(FIXED)
        if n > len(self.samples):
            raise GeneratorOutputError(
                f"the sample set holds {len(self.samples)} samples; a protocol asked for {n}"
            )
        return self.samples[:n], None

    def mode_prior(self) -> None:
        return None


def needed(sizes: SampleSizes, metrics: list[str], points: bool) -> int:
    """How many samples the protocols draw from a generator at these sizes: the run's
    generated set, and for images the report's image grid and FID's own draw."""
    counts = [generated_count(sizes, images=not points)]
    if not points:
        counts.append(GRID_ROWS * GRID_COLUMNS)
        if "fid" in metrics:
            counts.append(sizes.fid_samples)
    return max(counts)


def cut_to(sizes: SampleSizes, n: int) -> SampleSizes:
    """``sizes`` with every count of generated samples at most ``n``."""
    return dataclasses.replace(sizes, **{k: min(getattr(sizes, k), n) for k in DRAWN_SIZES})


def evaluate_sample_set_run(
    samples: np.ndarray | torch.Tensor,
    dataset: str,
    metrics: list[str] | None = None,
    sizes: SampleSizes | None = None,
    *,
    allow_fewer: bool = False,
    name: str = "samples",
    progress: bool = False,
) -> EvaluatedRun:
    """Score a fixed sample set on ``dataset``'s test split with the suite's protocol
    (``sizes`` default to the first suite holding ``dataset``); ``name`` is how the samples
    are named in errors (``--images DIR``)."""
    check_metric_names(metrics)
    test = load(dataset, "test")
    shape = tuple(test.samples.shape[1:])
    x = samples_from_array(samples, shape, name)
    metrics = metrics or list(REGISTRY)
    sizes = sizes or suite_protocol(dataset)[1]
    want = needed(sizes, metrics, points=len(shape) != 3)
    if len(x) < want:
        if not allow_fewer:
            raise TooFewSamplesError(
                f"{name}: the suite's protocol draws {want} samples, the set holds {len(x)}; give at "
                f"least {want}, or --allow-fewer to score {len(x)} (the real N is written beside "
                "every number, and numbers at another N do not compare with the leaderboard's)"
            )
        sizes = cut_to(sizes, len(x))
    return evaluate_run(FixedSamples(x), test, metrics, seed=0, sizes=sizes, progress=progress)


def evaluate_samples(
    samples: np.ndarray | torch.Tensor,
    dataset: str,
    *,
    metrics: list[str] | None = None,
    sizes: SampleSizes | None = None,
    allow_fewer: bool = False,
) -> pd.DataFrame:
    """Score a fixed set of generated samples (uint8 or [0, 1] float images, NCHW or NHWC;
    or points) on ``dataset``: one row per metric value with the samples it used."""
    return value_frame(evaluate_sample_set_run(samples, dataset, metrics, sizes, allow_fewer=allow_fewer))

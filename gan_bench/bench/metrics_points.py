"""Metrics of 2-D samples: the mode report on Gaussian mixtures and the EMD to held-out data."""

from __future__ import annotations

import numpy as np
import torch

from gan_bench.bench.applicability import (
    is_mixture,
    points,
)
from gan_bench.bench.context import (
    EvalContext,
    MetricValue,
)
from gan_bench.bench.declare import declare
from gan_bench.metrics import emd
from gan_bench.metrics.modes import nearest_modes, report_of_assignments


@declare("modes", applies=is_mixture)
def _modes(ctx: EvalContext) -> list[MetricValue]:
    n = ctx.sizes.samples
    x = ctx.generated().numpy().astype(np.float64)[:n]
    means = ctx.test.info["means"]
    nearest, high_quality = nearest_modes(x, means, ctx.test.info["std"])
    report = report_of_assignments(nearest, high_quality, len(means))
    ctx.artifacts.mode_counts = np.asarray(report.counts)
    values = [
        MetricValue("modes", report.n_modes, n),
        MetricValue("hq_fraction", report.hq_fraction, n),
        MetricValue("kl_uniform", report.kl_uniform, n),
    ]

    def again(rows: np.ndarray) -> tuple[float, float, float]:
        """The report of resampled samples, from their (nearest mode, HQ) rows."""
        r = report_of_assignments(rows[:, 0], rows[:, 1].astype(bool), len(means))
        return r.n_modes, r.hq_fraction, r.kl_uniform

    # standard: a resample repeats samples, so it covers fewer modes (and its KL is shifted)
    return ctx.with_bootstrap(values, again, np.stack([nearest, high_quality], axis=1), method="standard")


@declare("emd", applies=points)
def _emd(ctx: EvalContext) -> list[MetricValue]:
    """No within-seed interval: one exact transport at 2000 x 2000 points is most of a toy
    run's time, and 200 resamples would be 200 of them (its interval is over seeds)."""
    n = ctx.sizes.emd_samples
    x = ctx.generated().numpy().astype(np.float64)[:n]
    order = torch.randperm(len(ctx.test), generator=torch.Generator().manual_seed(ctx.seed))
    reference = ctx.test.samples[order[:n]]
    return [MetricValue("emd", emd(x, reference.numpy()), n)]

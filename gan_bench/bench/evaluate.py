"""One run (a trained checkpoint on its dataset) -> metric rows and the per-run artifacts.

The metrics come from the registry (:mod:`gan_bench.bench.registry`). Beside the numbers
the evaluator keeps what the report draws, so the report never reloads data or
recomputes a metric: the samples (2-D data) with the test points and mode centres, or a
grid of images (one row per latent mode where the variant has modes), the per-mode
counts, the class histogram and the quality-diversity sweep.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from gan_bench.bench.artifacts import RunArtifacts, RunNotes
from gan_bench.bench.context import EvalContext, MetricValue, SampleSizes
from gan_bench.bench.registry import REGISTRY, applicable_metrics, evaluate_metrics
from gan_bench.data import Dataset
from gan_bench.gans.base import GAN

GRID_COLUMNS = 8
GRID_ROWS = 10  # at most: modes shown, or rows of a plain grid
REFERENCE_POINTS = 5000


class NoApplicableMetricError(ValueError):
    """None of the requested metrics applies to the model on its dataset: nothing would be
    written, so nothing is run."""


@dataclass
class EvaluatedRun:
    values: list[MetricValue]
    artifacts: RunArtifacts = field(default_factory=RunArtifacts)
    notes: RunNotes = field(default_factory=RunNotes)


def image_grid(model: GAN, seed: int) -> tuple[np.ndarray, bool]:
    """(rows, GRID_COLUMNS, C, H, W) uint8 samples: one row per latent mode (the first
    GRID_ROWS modes) for variants with modes, else a plain grid; and whether rows are modes."""
    if model.n_modes:
        rows = [
            model.sample(GRID_COLUMNS, mode=m, seed=seed)[0] for m in range(min(model.n_modes, GRID_ROWS))
        ]
        grid, by_mode = torch.stack(rows), True
    else:
        flat, _ = model.sample(GRID_ROWS * GRID_COLUMNS, seed=seed)
        grid, by_mode = flat.view(GRID_ROWS, GRID_COLUMNS, *flat.shape[1:]), False
    return (grid * 255).round().to(torch.uint8).numpy(), by_mode


def evaluate_run(
    model: GAN, test: Dataset, metrics: list[str], *, seed: int, sizes: SampleSizes, progress: bool = False
) -> EvaluatedRun:
    """Evaluate one model on held-out data (its dataset's test split) with the suite's
    metrics and sample sizes (``progress``: a bar over the metrics)."""
    ctx = EvalContext(model=model, seed=seed, sizes=sizes, test=test)
    if not applicable_metrics(ctx, metrics):
        raise NoApplicableMetricError(
            f"metrics: none of {', '.join(metrics)} applies to {model.name} on {test.name}; the ones "
            f"that do: {', '.join(applicable_metrics(ctx, list(REGISTRY))) or 'none'}"
        )
    values = evaluate_metrics(ctx, metrics, progress=progress)
    ctx.notes.source = str(test.info.get("source", ""))
    if ctx.is_image:
        if model.generates:  # a labels-only control's G was never trained: no samples to show
            grid, by_mode = image_grid(model, seed)
            ctx.artifacts.image_grid = grid
            ctx.notes.grid_rows_are_modes = by_mode
    else:
        ctx.artifacts.samples = ctx.generated().numpy().astype(np.float32)[: sizes.samples]
        ctx.artifacts.reference = test.samples.numpy()[:REFERENCE_POINTS]
        if "means" in test.info:
            ctx.artifacts.means = np.asarray(test.info["means"])
            ctx.artifacts.std = np.asarray(test.info["std"])
    return EvaluatedRun(values, ctx.artifacts, ctx.notes)

"""Report plots (PNG): sample scatters with mode centres and 3-sigma circles, per-mode
histograms, and metric bar charts with error bars over seeds."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from gan_bench.atomic import atomic_path  # noqa: E402
from gan_bench.metrics import mode_report  # noqa: E402


def _save(fig, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)


def _grid(n: int, size: float = 2.6):
    cols = min(n, 5)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(size * cols, size * rows), squeeze=False)
    for ax in axes.flat[n:]:
        ax.axis("off")
    return fig, axes.flat


def scatter_grid(
    path: Path,
    dataset: str,
    samples: dict[str, np.ndarray],
    real: np.ndarray,
    means: np.ndarray | None,
    std: float | None,
) -> None:
    """One panel per run: its samples over the real data, mode centres and 3-sigma circles."""
    fig, axes = _grid(len(samples))
    lo, hi = real.min(0) - 0.5, real.max(0) + 0.5
    for ax, (run, x) in zip(axes, samples.items()):
        ax.scatter(real[:, 0], real[:, 1], s=1, c="0.85")
        ax.scatter(x[:, 0], x[:, 1], s=1, c="tab:blue", alpha=0.5)
        if means is not None:
            ax.scatter(means[:, 0], means[:, 1], s=8, c="tab:red", marker="x")
            for m in means:
                ax.add_patch(plt.Circle(m, 3 * std, fill=False, color="tab:red", lw=0.6))
        ax.set_xlim(lo[0], hi[0])
        ax.set_ylim(lo[1], hi[1])
        ax.set_aspect("equal")
        ax.set_title(run, fontsize=8)
        ax.tick_params(labelsize=6)
    fig.suptitle(f"{dataset}: samples (seed 0), modes and 3σ circles", fontsize=10)
    _save(fig, path)


def mode_histograms(
    path: Path, dataset: str, samples: dict[str, np.ndarray], means: np.ndarray, std: float
) -> None:
    """High-quality samples per mode, one panel per run (seed 0)."""
    fig, axes = _grid(len(samples), size=2.4)
    for ax, (run, x) in zip(axes, samples.items()):
        counts = mode_report(x, means, std).counts
        ax.bar(np.arange(len(counts)), counts, color="tab:blue")
        ax.axhline(len(x) / len(counts), color="tab:red", lw=0.8, ls="--")
        ax.set_title(run, fontsize=8)
        ax.tick_params(labelsize=6)
    fig.suptitle(f"{dataset}: HQ samples per mode (dashed: uniform over all samples)", fontsize=10)
    _save(fig, path)


def metric_bars(path: Path, dataset: str, summary: pd.DataFrame, metrics: list[str]) -> None:
    """Mean of each metric per run with +-1 std error bars over seeds."""
    fig, axes = _grid(len(metrics), size=3.4)
    for ax, metric in zip(axes, metrics):
        part = summary[summary["metric"] == metric]
        ax.bar(range(len(part)), part["mean"], yerr=part["std"], color="tab:blue", capsize=2)
        ax.set_xticks(range(len(part)))
        ax.set_xticklabels(part["run"], rotation=70, fontsize=6, ha="right")
        ax.set_title(metric, fontsize=9)
        ax.tick_params(axis="y", labelsize=6)
    fig.suptitle(f"{dataset}: metrics, mean ± std over seeds", fontsize=10)
    _save(fig, path)

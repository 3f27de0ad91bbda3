"""Report plots (PNG): sample scatters with mode centres and 3-sigma circles, per-mode
histograms, image grids, quality-diversity curves, precision/recall, class histograms,
and metric bar charts with error bars over seeds. Every plot is drawn from the per-run
files and results alone; titles name the seed each panel shows."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from gan_bench.bench.artifacts import RunArtifacts
from gan_bench.store.atomic import atomic_path  # noqa: E402

P = ParamSpec("P")


def plain_text(draw: Callable[P, None]) -> Callable[P, None]:
    """Draw with every string as plain text: run names come from users, and matplotlib would
    read ``$\\foo$`` as mathtext (and fail on it), so no plot parses math."""

    @functools.wraps(draw)
    def drawn(*args: P.args, **kwargs: P.kwargs) -> None:
        with plt.rc_context({"text.parse_math": False}):
            draw(*args, **kwargs)

    return drawn


def _save(fig, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)


def _grid(n: int, size: float = 2.6):
    cols = min(n, 5)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(
        rows, cols, figsize=(size * cols, size * rows), squeeze=False, layout="constrained"
    )
    for ax in axes.flat[n:]:
        ax.axis("off")
    return fig, axes.flat


@plain_text
def scatter_grid(
    path: Path,
    dataset: str,
    samples: dict[str, np.ndarray],
    real: np.ndarray,
    means: np.ndarray | None,
    std: float | None,
    seed: int,
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
    fig.suptitle(f"{dataset}: samples (seed {seed}), modes and 3σ circles", fontsize=10)
    _save(fig, path)


@plain_text
def mode_histograms(
    path: Path, dataset: str, counts: dict[str, np.ndarray], n_samples: int, seed: int
) -> None:
    """High-quality samples per mode, one panel per run."""
    fig, axes = _grid(len(counts), size=2.4)
    for ax, (run, c) in zip(axes, counts.items()):
        ax.bar(np.arange(len(c)), c, color="tab:blue")
        ax.axhline(n_samples / len(c), color="tab:red", lw=0.8, ls="--")
        ax.set_title(run, fontsize=8)
        ax.tick_params(labelsize=6)
    fig.suptitle(
        f"{dataset}: HQ samples per mode, seed {seed} (dashed: uniform over all {n_samples} samples)",
        fontsize=10,
    )
    _save(fig, path)


@plain_text
def metric_bars(
    path: Path,
    dataset: str,
    summary: pd.DataFrame,
    metrics: list[str],
    directions: dict[str, bool | None],
    published: dict[str, list[tuple[str, float]]],
) -> None:
    """Mean of each metric per run with its 95% interval as the error bar (over seeds, or one
    seed's bootstrap; none where there is neither), the direction in the title (↑ higher is
    better, ↓ lower), a clustering score's chance level as a black tick on its bar, and the
    papers' values computed on our protocol as red lines named in the legend."""
    fig, axes = _grid(len(metrics), size=3.6)
    for ax, metric in zip(axes, metrics):
        part = summary[summary["metric"] == metric]
        low = (part["mean"] - part["ci_low"]).clip(lower=0).fillna(0)
        high = (part["ci_high"] - part["mean"]).clip(lower=0).fillna(0)
        x = np.arange(len(part))
        ax.bar(x, part["mean"], yerr=[low, high], color="tab:blue", capsize=2, error_kw={"lw": 0.8})
        if "chance" in part and part["chance"].notna().any():  # a clustering score: its chance level
            ax.scatter(x, part["chance"], marker="_", s=300, color="black", zorder=3, label="chance")
        for i, (label, value) in enumerate(published.get(metric, [])):
            style = ("--", ":", "-.")[i % 3]
            ax.axhline(value, color="tab:red", lw=0.9, ls=style, label=f"{label} {value:g}")
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=6.5, loc="best", framealpha=0.8)
        ax.set_xticks(x)
        ax.set_xticklabels(part["run"], rotation=60, fontsize=7.5, ha="right")
        arrow = {True: " ↑", False: " ↓"}.get(directions.get(metric), "")
        ax.set_title(f"{metric}{arrow}", fontsize=10)
        ax.tick_params(axis="y", labelsize=7.5)
    fig.suptitle(
        f"{dataset}: each metric, mean with its 95% interval (↑ higher is better, ↓ lower; black: "
        "a clustering score's chance level; red: a paper's value on our protocol)",
        fontsize=10,
    )
    _save(fig, path)


@plain_text
def image_grid(path: Path, grid: np.ndarray) -> None:
    """One run's image grid (rows, cols, C, H, W) uint8 as a plain PNG mosaic, 2 px per pixel;
    the page's caption says whether rows are latent modes."""
    rows, cols, channels, h, w = grid.shape
    mosaic = grid.transpose(0, 3, 1, 4, 2).reshape(rows * h, cols * w, channels)
    mosaic = mosaic.repeat(2, axis=0).repeat(2, axis=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        plt.imsave(
            tmp, mosaic.squeeze(-1) if channels == 1 else mosaic, cmap="gray", vmin=0, vmax=255, format="png"
        )


@plain_text
def sweep_curves(path: Path, dataset: str, curves: dict[str, RunArtifacts], seed: int) -> None:
    """GM-GAN Fig. 3 style: quality against diversity as the latent scale grows, per run."""
    fig, ax = plt.subplots(figsize=(6.5, 5), layout="constrained")
    for run, c in curves.items():
        ax.plot(c.sweep_diversity, c.sweep_quality, marker="o", ms=3, lw=1, label=run)
        for scale, x, y in zip(c.sweep_scales, c.sweep_diversity, c.sweep_quality):
            if scale in (0.5, 2.0):
                ax.annotate(f"σ×{scale:g}", (x, y), fontsize=7)
    ax.set_xlabel("diversity (GM-GAN eq. 7)")
    ax.set_ylabel("quality (GM-GAN eq. 4)")
    ax.legend(fontsize=7)
    ax.set_title(f"{dataset}: quality–diversity over latent scale 0.5–2.0 (seed {seed})", fontsize=9)
    _save(fig, path)


@plain_text
def precision_recall(path: Path, dataset: str, summary: pd.DataFrame) -> None:
    """Precision against recall per run (mean over seeds, with std bars), density and coverage beside."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2), layout="constrained")
    by_metric = {m: summary[summary["metric"] == m].set_index("run") for m in ("precision", "recall")}
    markers = "osD^v<>PX*"
    for i, run in enumerate(by_metric["precision"].index.intersection(by_metric["recall"].index)):
        p, r = by_metric["precision"].loc[run], by_metric["recall"].loc[run]
        style = {"marker": markers[i % len(markers)], "color": plt.get_cmap("tab10")(i % 10)}
        left.errorbar(
            r["mean"], p["mean"], xerr=r["std"], yerr=p["std"], ms=5, capsize=2, ls="", label=run, **style
        )
    # a legend, not labels at the points: runs with close values would print over each other
    left.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1), borderaxespad=0)
    left.set_xlabel("recall")
    left.set_ylabel("precision")
    left.set_xlim(0, 1.02)
    left.set_ylim(0, 1.02)
    left.set_title("precision / recall (k = 5)", fontsize=9)
    width = 0.4
    for i, metric in enumerate(("density", "coverage")):
        part = summary[summary["metric"] == metric]
        right.bar(np.arange(len(part)) + i * width, part["mean"], width, yerr=part["std"], label=metric)
        right.set_xticks(np.arange(len(part)) + width / 2)
        right.set_xticklabels(part["run"], rotation=60, fontsize=7.5, ha="right")
    right.legend(fontsize=7)
    right.set_title("density / coverage (k = 5)", fontsize=9)
    fig.suptitle(f"{dataset}: classifier-feature precision, recall, density, coverage", fontsize=10)
    _save(fig, path)


@plain_text
def class_histograms(
    path: Path, dataset: str, hists: dict[str, np.ndarray], train: np.ndarray, n_samples: int, seed: int
) -> None:
    """Predicted class frequencies of each run's samples beside the training distribution."""
    fig, axes = _grid(len(hists), size=2.4)
    for ax, (run, h) in zip(axes, hists.items()):
        ax.bar(np.arange(len(h)), h, color="tab:blue")
        ax.step(
            np.arange(len(train) + 1) - 0.5,
            np.append(train, train[-1]),
            where="post",
            color="tab:red",
            lw=0.8,
        )
        ax.set_title(run, fontsize=9)
        ax.set_xticks(np.arange(len(h)))  # one integer tick per class
        ax.set_xlabel("class", fontsize=8)
        ax.set_ylabel("share of samples", fontsize=8)
        ax.tick_params(labelsize=7)
    fig.suptitle(
        f"{dataset}: class histogram of {n_samples} samples, seed {seed} (red: training)", fontsize=10
    )
    _save(fig, path)


@plain_text
def stacked_mode_counts(
    path: Path, dataset: str, counts: dict[str, np.ndarray], reference: dict | None, seed: int
) -> None:
    """Stacked MNIST: each run's samples per digit triple, sorted from the most to the least
    generated (PacGAN Fig. style); dashed: the uniform count."""
    fig, ax = plt.subplots(figsize=(7, 4.2), layout="constrained")
    n = None
    for run, c in counts.items():
        n = int(c.sum())
        ax.plot(np.arange(1, len(c) + 1), np.sort(c)[::-1], lw=1, label=f"{run} ({int((c > 0).sum())} modes)")
    if n:
        ax.axhline(n / 1000, color="0.3", lw=0.8, ls="--", label="uniform")
    ax.set_yscale("symlog", linthresh=1)
    # plain numbers: the log axis's default labels are mathtext, which plain_text turns off
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.set_ylim(bottom=0)
    ax.set_xlabel("mode rank (1000 digit triples)")
    ax.set_ylabel("samples")
    ax.legend(fontsize=7)
    real = f"; real data: {reference['modes']} modes, KL {reference['kl']:.3g}" if reference else ""
    ax.set_title(f"{dataset}: sorted mode counts of {n} samples, seed {seed}{real}", fontsize=8)
    _save(fig, path)

"""The report in ``reports/``: leaderboards (CSV, Markdown), the paper comparison,
plots (PNG) and ``index.html`` that shows them all, readable offline.

It reads only ``results.csv`` and the per-run files (``runs/*.npz``) the evaluator
wrote: it never loads a dataset or computes a metric.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from gan_bench.bench.config import Suite
from gan_bench.bench.results import RunId, load_artifacts
from gan_bench.report import html, plots
from gan_bench.report.claims import claim_rows
from gan_bench.report.paper_data import load_papers
from gan_bench.report.papers import headline_rows
from gan_bench.report.tables import (
    METRIC_ORDER,
    leaderboard_frames,
    markdown_table,
    metric_glossary,
    nemgan_table,
    summarise,
    summary_cell,
)
from gan_bench.store.atomic import atomic_path, write_text_atomic
from gan_bench.store.untrusted import file_name

__all__ = ["write_report"]

SUMMARY_COLUMNS = [
    "suite",
    "dataset",
    "run",
    "variant",
    "metric",
    "mean",
    "std",
    "ci_low",
    "ci_high",
    "n_seeds",
    "n_samples",
]

HEADLINES_INTRO = (
    "Each headline number of PROTOCOLS.md that the bundled suites cover: the paper's value, ours "
    "(mean ± std over n seeds), the difference where both were computed the same way, the paper's "
    "value against our 95% interval, and our Hungarian ACC beside a clustering number on another "
    "definition."
)
# the metrics the reference row also scores on real data (against as many training images)
REAL_VS_REAL = ("fcd", "precision", "recall", "density", "coverage", "vendi")
CLAIMS_INTRO = "What the report must show, measured; a claim we fall short of is marked NO."
TABLE2_INTRO = (
    "ACC/NMI/ARI on the balanced test split; FCD against the training split where the test split was "
    "rebalanced. The paper's FCD uses its own classifier: compare FCD within our rows only."
)


@dataclass
class DatasetArtifacts:
    """The per-run files of one (suite, dataset) at the suite's first seed, which the plots show."""

    seed: int
    arrays: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)  # run -> arrays
    notes: dict[str, dict] = field(default_factory=dict)  # run -> notes


def _artifacts(out: Path, suite: Suite, dataset: str) -> DatasetArtifacts:
    found = DatasetArtifacts(seed=suite.seeds[0])
    for run in suite.runs:
        path = RunId(suite.name, dataset, run.name, found.seed).artifact_path(out)
        if run.dataset == dataset and path.is_file():
            found.arrays[run.name], found.notes[run.name] = load_artifacts(path)
    return found


def _why_missing(artifacts: dict[str, DatasetArtifacts]) -> dict[tuple[str, str], str]:
    """(dataset, metric) -> why it was not computed, from the runs' notes."""
    why = {}
    for dataset, found in artifacts.items():
        for notes in found.notes.values():
            for metric, reason in notes.get("skipped", {}).items():
                why[(dataset, metric)] = reason
    return why


def _plots(
    out: Path, suite_name: str, dataset: str, found: DatasetArtifacts, summary: pd.DataFrame
) -> tuple[list[html.Figure], list[html.Figure]]:
    """Draw the dataset's plots from its per-run files; returns (figures, image gallery),
    the gallery holding one image grid per run."""
    figures: list[html.Figure] = []
    arrays, seed = found.arrays, found.seed

    def draw(kind: str, caption: str, plot, *args) -> None:
        name = f"plots/{file_name(suite_name)}_{file_name(dataset)}_{kind}.png"
        plot(out / name, dataset, *args)
        figures.append(html.Figure(name, f"{dataset}: {caption}", caption))

    points = {run: a for run, a in arrays.items() if "samples" in a}
    if points:
        first = next(iter(points.values()))
        means = first.get("means")
        std = float(first["std"]) if "std" in first else None
        samples = {run: a["samples"] for run, a in points.items()}
        draw(
            "samples",
            f"samples of each run over the real data, mode centres and 3σ circles (seed {seed})",
            plots.scatter_grid,
            samples,
            first["reference"],
            means,
            std,
            seed,
        )
    counts = {run: a["mode_counts"] for run, a in arrays.items() if "mode_counts" in a}
    if counts:
        n = int(summary[summary["metric"] == "modes"]["n_samples"].max())
        draw("modes", f"high-quality samples per mode (seed {seed})", plots.mode_histograms, counts, n, seed)
    curves = {run: a for run, a in arrays.items() if "sweep_quality" in a}
    if curves:
        draw(
            "sweep",
            f"quality–diversity as the latent scale σ varies (GM-GAN Fig. 3 style, seed {seed})",
            plots.sweep_curves,
            curves,
            seed,
        )
    stacked = {run: a["stacked_counts"] for run, a in arrays.items() if "stacked_counts" in a}
    if stacked:
        draw(
            "stacked_modes",
            f"samples per Stacked MNIST mode, sorted (seed {seed})",
            plots.stacked_mode_counts,
            stacked,
            _reference(found),
            seed,
        )
    hists = {run: a["class_hist"] for run, a in arrays.items() if "class_hist" in a}
    if hists:
        train = next(a["train_class_hist"] for a in arrays.values() if "train_class_hist" in a)
        n = int(summary[summary["metric"] == "class_kl"]["n_samples"].max())
        draw(
            "classes",
            f"predicted class histogram of generated images against the training split (seed {seed})",
            plots.class_histograms,
            hists,
            train,
            n,
            seed,
        )
    if {"precision", "recall"} <= set(summary["metric"]):
        draw("prdc", "precision against recall, mean over seeds", plots.precision_recall, summary)
    metrics = [m for m in METRIC_ORDER if m in set(summary["metric"])]
    if metrics:
        draw("metrics", "every metric, mean ± std over seeds", plots.metric_bars, summary, metrics)
    gallery = []
    for run, a in arrays.items():
        if "image_grid" not in a:
            continue
        by_mode = bool(found.notes[run].get("grid_rows_are_modes"))
        name = f"plots/{file_name(suite_name)}_{file_name(dataset)}_images_{file_name(run)}.png"
        plots.image_grid(out / name, a["image_grid"])
        caption = f"{run}, seed {seed}" + (": one row per latent mode" if by_mode else "")
        gallery.append(html.Figure(name, f"{dataset} samples of {run}", caption))
    return figures, gallery


def _reference(found: DatasetArtifacts) -> dict | None:
    """The real-data reference values a run's notes carry (Stacked MNIST), if any."""
    return next((n["stacked_reference"] for n in found.notes.values() if "stacked_reference" in n), None)


def _dataset_notes(found: DatasetArtifacts) -> list[str]:
    """One line each: the data source, and how the image metrics were taken."""
    lines = []
    sources = sorted({n.get("source", "") for n in found.notes.values()} - {""})
    if sources:
        lines.append(f"Data: {'; '.join(sources)}.")
    reference = _reference(found)
    if reference:
        lines.append(
            f"Reference row: {reference['n']} real test images ({reference['source']}) score "
            f"{reference['modes']} modes, KL {reference['kl']:.4f}; the bundled MNIST classifier's "
            f"per-channel accuracy on them is {reference['channel_accuracy']:.4f}."
            + (
                f" Against {reference['n']} real training images, the same images score FCD "
                f"{reference['fcd']:.4g} and recall {reference['recall']:.3f}: a generator's "
                "recall near 0 is the generator's, not the metric's."
                if "recall" in reference
                else ""
            )
        )
    for key, label in (("diversity", "Diversity"), ("sweep", "Sweep"), ("fcd", "FCD")):
        text = next((n[key] for n in found.notes.values() if key in n), None)
        if text:
            lines.append(f"{label}: {text}.")
    skipped = {m: r for n in found.notes.values() for m, r in n.get("skipped", {}).items()}
    lines += [f"{metric.upper()}: {reason}." for metric, reason in skipped.items()]
    return lines


def _prior_table(artifacts: dict[tuple[str, str], DatasetArtifacts], summary: pd.DataFrame) -> pd.DataFrame:
    """The learned mode prior of each run beside the training class ratio (NEMGAN §3.3)."""
    rows = []
    for (_, dataset), found in artifacts.items():
        ratio = next((a["train_ratio"] for a in found.arrays.values() if "train_ratio" in a), None)
        for run, arrays in found.arrays.items():
            if "learned_prior" not in arrays:
                continue
            hit = summary[
                (summary["dataset"] == dataset)
                & (summary["run"] == run)
                & (summary["metric"] == "prior_error")
            ]
            error = summary_cell(hit, "prior_error")
            if not hit.empty:
                error += f" (n={int(hit['n_seeds'].iloc[0])})"
            rows.append(
                {
                    "dataset": dataset,
                    "run": run,
                    "training ratio": ", ".join(f"{v:.3f}" for v in ratio),
                    f"softmax(α), seed {found.seed}": ", ".join(f"{v:.3f}" for v in arrays["learned_prior"]),
                    "max |error|": error,
                }
            )
    return pd.DataFrame(rows)


def write_report(
    out: Path,
    results: pd.DataFrame,
    suites: list[Suite],
    missing: list[str] | None = None,
    skipped: dict[str, str] | None = None,
) -> None:
    """Write every report file from the results table and the per-run files."""
    out.mkdir(parents=True, exist_ok=True)
    artifacts = {(s.name, d): _artifacts(out, s, d) for s in suites for d in s.datasets}
    by_dataset = {d: found for (_, d), found in artifacts.items()}
    if results.empty:
        summary = pd.DataFrame(columns=[*SUMMARY_COLUMNS, "values"])
    else:
        summary = summarise(results)
    with atomic_path(out / "leaderboard.csv") as tmp:
        summary[SUMMARY_COLUMNS].to_csv(tmp, index=False)

    references = {
        dataset: {"stacked_modes": ref["modes"], "stacked_kl": ref["kl"]}
        | {m: ref[m] for m in REAL_VS_REAL if m in ref}  # results written before these lack them
        for dataset, found in by_dataset.items()
        if (ref := _reference(found))
    }
    frames = leaderboard_frames(summary, references) if len(summary) else {}
    md = [
        "# Leaderboard",
        "",
        "Each cell: the mean over seeds and its 95% Student-t interval [low, high] (the mean alone "
        "for one seed; seeds column: n). A value is in bold only where it is the best: Welch's "
        "t-test over seeds, Holm-corrected across the runs compared, tells it apart from every "
        'other run at 5%; otherwise the best mean reads "tied:" with the runs it cannot be told '
        'apart from, "untested vs 1 seed:" with the one-seed runs it cannot be tested against, or '
        '"1 seed: untested". HQ: samples within 3σ of a mode; '
        "acc: Hungarian one-to-one accuracy; purity: majority map.",
        "",
    ]
    for dataset, frame in frames.items():
        part = summary[summary["dataset"] == dataset]
        per_metric = part.groupby("metric", sort=False)["n_samples"].max()
        sizes = ", ".join(f"{metric} {n}" for metric, n in per_metric.items())
        notes = _dataset_notes(by_dataset[dataset]) if dataset in by_dataset else []
        md += [
            f"## {dataset}",
            "",
            *notes,
            "",
            f"Samples per metric: {sizes}.",
            "",
            markdown_table(frame),
            "",
        ]
    if missing:
        md += ["## Missing checkpoints", "", *[f"- {k}" for k in missing], ""]
    if skipped:
        md += [
            "## Skipped: data not on this machine",
            "",
            *[f"- {d}: {why}" for d, why in skipped.items()],
            "",
        ]
    write_text_atomic(out / "leaderboard.md", "\n".join(md))

    headlines = headline_rows(summary, _why_missing(by_dataset))
    claims = claim_rows(summary, {d: _reference(f) for d, f in by_dataset.items() if _reference(f)})
    papers = load_papers()
    table2 = nemgan_table(summary, papers.table2_datasets, papers.table2)
    priors = _prior_table(artifacts, summary)
    not_covered = pd.DataFrame(
        list(papers.not_covered), columns=["paper", "data", "metric", "paper value", "why not compared"]
    )
    # (anchor, title, introduction, table): the overview, written to paper_comparison.md and
    # to the head of index.html
    parts = [
        ("paper-comparison", "Paper comparison", HEADLINES_INTRO, headlines),
        ("claims", "What the report must show", CLAIMS_INTRO, claims),
    ]
    if len(table2):
        parts.append(("nemgan-table-2", "NEMGAN Table 2: imbalanced subsets", TABLE2_INTRO, table2))
    if len(priors):
        parts.append(("learned-prior", "Learned mode prior", "", priors))
    comparison = []
    for i, (_, title, intro, frame) in enumerate(parts):
        comparison += [f"{'#' if i == 0 else '##'} {title}", ""]
        comparison += [intro, ""] if intro else []
        comparison += [markdown_table(frame), ""]
    comparison += [
        "## Not comparable here",
        "",
        markdown_table(not_covered) if len(not_covered) else "Every headline of PROTOCOLS.md has a suite.",
        "",
    ]
    write_text_atomic(out / "paper_comparison.md", "\n".join(comparison))

    overview = [
        html.Section(anchor, title, [intro] if intro else [], [html.table(frame)])
        for anchor, title, intro, frame in parts
    ]
    suite_sections = []
    for suite in suites:
        datasets = []
        for dataset in suite.datasets:
            if dataset not in frames:
                continue
            found = artifacts[(suite.name, dataset)]
            ds_summary = summary[summary["dataset"] == dataset]
            figures, gallery = _plots(out, suite.name, dataset, found, ds_summary)
            datasets.append(
                html.Section(
                    html.anchor(suite.name, dataset),
                    dataset,
                    _dataset_notes(found),
                    [html.table(frames[dataset])],
                    figures,
                    gallery,
                )
            )
        if datasets:
            suite_sections.append(
                html.SuiteSection(html.anchor("suite", suite.name), suite.name, suite.description, datasets)
            )
    appendix = []
    if len(not_covered):
        appendix.append(html.Section("not-comparable", "Not comparable here", [], [html.table(not_covered)]))
    if missing:
        appendix.append(
            html.Section("missing", "Missing checkpoints", ["Train them with --train-missing:", *missing])
        )
    if skipped:
        appendix.append(
            html.Section(
                "skipped", "Skipped: data not on this machine", [f"{d}: {w}" for d, w in skipped.items()]
            )
        )
    n_runs = results.groupby(["suite", "dataset", "run", "seed"]).ngroups if len(results) else 0
    page = html.render_page(
        "gan-bench report",
        f"{n_runs} evaluated runs, {len(results)} result rows; each cell is the mean over seeds with "
        "its 95% Student-t interval [low, high]. A value is bold only where Welch's test over seeds "
        "(Holm-corrected across the runs compared, 5%) tells it apart from every other run; "
        'otherwise the best mean reads "tied:" with the runs it cannot be told apart from.',
        overview,
        suite_sections,
        metric_glossary(set(summary["metric"])),
        appendix,
    )
    write_text_atomic(out / "index.html", page)

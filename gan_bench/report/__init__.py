"""The report in ``reports/``: leaderboards (CSV, Markdown), the paper comparison,
plots (PNG) and ``index.html`` that shows them all, readable offline.

It reads only ``results.csv`` and the per-run files (``runs/*.npz``) the evaluator
wrote: it never loads a dataset or computes a metric.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from gan_bench.bench.artifacts import RunArtifacts, RunNotes
from gan_bench.bench.config import Suite
from gan_bench.bench.registry import ROWS
from gan_bench.bench.results import RunId, load_artifacts
from gan_bench.report import html, plots
from gan_bench.report.claims import claim_rows
from gan_bench.report.paper_data import load_papers
from gan_bench.report.papers import headline_rows
from gan_bench.report.plot_cache import draw_unless_unchanged
from gan_bench.report.tables import (
    METRIC_ORDER,
    comparable_headlines,
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
    "ci_method",
    "chance",
    "chance_high",
    "n_seeds",
    "n_samples",
]

HEADLINES_INTRO = (
    "Each headline number of the papers (papers.toml, listed in docs/protocols.md) that the bundled "
    "suites cover: the paper's value, ours "
    "(mean ± std over n seeds), the difference where both were computed the same way, the paper's "
    "value against our 95% interval, and our Hungarian ACC beside a clustering number on another "
    "definition."
)
# the metrics the reference row also scores on real data (against as many training images)
REAL_VS_REAL = ("fcd", "precision", "recall", "density", "coverage", "vendi")
CLAIMS_INTRO = (
    "Each claim of the papers that the bundled suites test, aimed at the method the paper claims it "
    "for, measured; a claim we fall short of is marked NO with the number that misses, the steps "
    "our runs trained and the paper's training budget."
)
TABLE2_INTRO = (
    "ACC/NMI/ARI on the balanced test split; FCD against the training split where the test split was "
    "rebalanced. The paper's FCD uses its own classifier: compare FCD within our rows only."
)


@dataclass
class DatasetArtifacts:
    """The per-run files of one (suite, dataset) at the suite's first seed, which the plots show."""

    seed: int
    arrays: dict[str, RunArtifacts] = field(default_factory=dict)  # run -> its arrays
    notes: dict[str, RunNotes] = field(default_factory=dict)  # run -> its notes


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
            for metric, reason in notes.skipped.items():
                why[(dataset, metric)] = reason
    return why


PlotSpec = tuple[
    str, str, Callable, tuple
]  # (kind, caption, plot function, its arguments after (path, dataset))


def _samples_plot(found: DatasetArtifacts, summary: pd.DataFrame) -> PlotSpec | None:
    points = {run: a for run, a in found.arrays.items() if a.samples is not None}
    if not points:
        return None
    first = next(iter(points.values()))
    std = float(first.std) if first.std is not None else None
    samples = {run: a.samples for run, a in points.items()}
    caption = f"samples of each run over the real data, mode centres and 3σ circles (seed {found.seed})"
    return (
        "samples",
        caption,
        plots.scatter_grid,
        (samples, first.reference, first.means, std, found.seed),
    )


def _modes_plot(found: DatasetArtifacts, summary: pd.DataFrame) -> PlotSpec | None:
    counts = {run: a.mode_counts for run, a in found.arrays.items() if a.mode_counts is not None}
    if not counts:
        return None
    n = int(summary[summary["metric"] == "modes"]["n_samples"].max())
    caption = f"high-quality samples per mode (seed {found.seed})"
    return "modes", caption, plots.mode_histograms, (counts, n, found.seed)


def _sweep_plot(found: DatasetArtifacts, summary: pd.DataFrame) -> PlotSpec | None:
    curves = {run: a for run, a in found.arrays.items() if a.sweep_quality is not None}
    if not curves:
        return None
    caption = f"quality–diversity as the latent scale σ varies (GM-GAN Fig. 3 style, seed {found.seed})"
    return "sweep", caption, plots.sweep_curves, (curves, found.seed)


def _stacked_plot(found: DatasetArtifacts, summary: pd.DataFrame) -> PlotSpec | None:
    stacked = {run: a.stacked_counts for run, a in found.arrays.items() if a.stacked_counts is not None}
    if not stacked:
        return None
    caption = f"samples per Stacked MNIST mode, sorted (seed {found.seed})"
    return "stacked_modes", caption, plots.stacked_mode_counts, (stacked, _reference(found), found.seed)


def _classes_plot(found: DatasetArtifacts, summary: pd.DataFrame) -> PlotSpec | None:
    hists = {run: a.class_hist for run, a in found.arrays.items() if a.class_hist is not None}
    if not hists:
        return None
    train = next(a.train_class_hist for a in found.arrays.values() if a.train_class_hist is not None)
    n = int(summary[summary["metric"] == "class_kl"]["n_samples"].max())
    caption = f"predicted class histogram of generated images against the training split (seed {found.seed})"
    return "classes", caption, plots.class_histograms, (hists, train, n, found.seed)


def _prdc_plot(found: DatasetArtifacts, summary: pd.DataFrame) -> PlotSpec | None:
    if not {"precision", "recall"} <= set(summary["metric"]):
        return None
    return "prdc", "precision against recall, mean over seeds", plots.precision_recall, (summary,)


def _metrics_plot(found: DatasetArtifacts, summary: pd.DataFrame) -> PlotSpec | None:
    metrics = [m for m in METRIC_ORDER if m in set(summary["metric"])]
    if not metrics:
        return None
    directions = {m: ROWS[m].higher_is_better for m in metrics if m in ROWS}
    dataset = str(summary["dataset"].iloc[0])
    published: dict[str, list[tuple[str, float]]] = {}
    for h in comparable_headlines(dataset, metrics):
        published.setdefault(h.metric, []).append((f"{h.paper} ({h.run})", h.paper_value / h.scale))
    caption = (
        "every metric, mean with its 95% interval, its direction in the title; black: a clustering "
        "score's chance level; red: a paper's value on our protocol"
    )
    return "metrics", caption, plots.metric_bars, (summary, metrics, directions, published)


# a dataset's figures, in the order shown: each builder returns None where its data is absent
PLOTS = (_samples_plot, _modes_plot, _sweep_plot, _stacked_plot, _classes_plot, _prdc_plot, _metrics_plot)


def _plots(
    out: Path, suite_name: str, dataset: str, found: DatasetArtifacts, summary: pd.DataFrame
) -> tuple[list[html.Figure], list[html.Figure]]:
    """Draw the dataset's plots from its per-run files; returns (figures, image gallery),
    the gallery holding one image grid per run."""
    prefix = f"plots/{file_name(suite_name)}_{file_name(dataset)}"
    figures = []
    for build in PLOTS:
        spec = build(found, summary)
        if spec is None:
            continue
        kind, caption, plot, args = spec
        name = f"{prefix}_{kind}.png"
        draw_unless_unchanged(out / name, plot, dataset, *args)
        figures.append(html.Figure(name, f"{dataset}: {caption}", caption))
    gallery = []
    for run, a in found.arrays.items():
        if a.image_grid is None:
            continue
        by_mode = found.notes[run].grid_rows_are_modes
        name = f"{prefix}_images_{file_name(run)}.png"
        draw_unless_unchanged(out / name, plots.image_grid, a.image_grid)
        caption = f"{run}, seed {found.seed}" + (": one row per latent mode" if by_mode else "")
        gallery.append(html.Figure(name, f"{dataset} samples of {run}", caption))
    return figures, gallery


def _reference(found: DatasetArtifacts) -> dict | None:
    """The real-data reference values a run's notes carry (Stacked MNIST), if any."""
    return next((n.stacked_reference for n in found.notes.values() if n.stacked_reference), None)


def _dataset_notes(found: DatasetArtifacts) -> list[str]:
    """One line each: the data source, and how the image metrics were taken."""
    lines = []
    sources = sorted({n.source for n in found.notes.values()} - {""})
    if sources:
        lines.append(f"Data: {'; '.join(sources)}.")
    trained: dict[str, list[str]] = {}
    for run, notes in found.notes.items():
        if notes.trained_on:
            trained.setdefault(notes.trained_on, []).append(run)
    if trained:
        lines.append(
            "Trained on: "
            + "; ".join(f"{w} ({', '.join(runs)})" for w, runs in sorted(trained.items()))
            + "."
        )
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
    for label, texts in (
        ("Diversity", [n.diversity for n in found.notes.values()]),
        ("Sweep", [n.sweep for n in found.notes.values()]),
        ("FCD", [n.fcd for n in found.notes.values()]),
    ):
        text = next((t for t in texts if t is not None), None)
        if text:
            lines.append(f"{label}: {text}.")
    skipped = {m: r for n in found.notes.values() for m, r in n.skipped.items()}
    lines += [f"{metric.upper()}: {reason}." for metric, reason in skipped.items()]
    return lines


def _prior_table(artifacts: dict[tuple[str, str], DatasetArtifacts], summary: pd.DataFrame) -> pd.DataFrame:
    """The learned mode prior of each run beside the training class ratio (NEMGAN §3.3)."""
    rows = []
    for (_, dataset), found in artifacts.items():
        ratio = next((a.train_ratio for a in found.arrays.values() if a.train_ratio is not None), None)
        for run, arrays in found.arrays.items():
            if arrays.learned_prior is None:
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
                    f"softmax(α), seed {found.seed}": ", ".join(f"{v:.3f}" for v in arrays.learned_prior),
                    "max |error|": error,
                }
            )
    return pd.DataFrame(rows)


LEADERBOARD_INTRO = (
    "Each cell: the mean over seeds and its 95% Student-t interval [low, high] (seeds column: n). "
    "A run with one seed shows its within-seed 95% percentile-bootstrap interval, marked b "
    "([low, high]b: the evaluated samples resampled 200 times), where its metric has one; that "
    "interval is the chance of the evaluation sample only, not of training. A value is in bold "
    "only where it is the best: Welch's t-test over seeds (or, for a one-seed run, the z-test of "
    "the two intervals), Holm-corrected across the runs compared, tells it apart from every "
    'other run at 5%; otherwise the best mean reads "tied:" with the runs it cannot be told '
    'apart from, "untested vs 1 seed:" with the runs it cannot be tested against, or '
    '"1 seed: untested". HQ: samples within 3σ of a mode; '
    "acc: Hungarian one-to-one accuracy; purity: majority map."
)
PAGE_INTRO = (
    "each cell is the mean over seeds with its 95% Student-t interval [low, high]; a one-seed run "
    "shows its within-seed bootstrap interval, [low, high]b (the evaluation sample's chance only). "
    "A value is bold only where Welch's test over seeds (for one seed, the z-test of the two "
    "intervals), Holm-corrected across the runs compared at 5%, tells it apart from every other "
    'run; otherwise the best mean reads "tied:" with the runs it cannot be told apart from.'
)
NOT_COVERED_COLUMNS = ["paper", "data", "metric", "paper value", "why not compared"]


@dataclass
class Part:
    """One titled block of the report, rendered the same into Markdown and html: an
    introduction, lines, and a table."""

    anchor: str
    title: str
    intro: str = ""
    frame: pd.DataFrame | None = None
    lines: list[str] = field(default_factory=list)

    def markdown(self, level: str = "##") -> list[str]:
        text = [f"{level} {self.title}", ""] + ([self.intro, ""] if self.intro else [])
        text += [f"- {line}" for line in self.lines] + ([""] if self.lines else [])
        return text + ([markdown_table(self.frame), ""] if self.frame is not None else [])

    def section(self) -> html.Section:
        paragraphs = ([self.intro] if self.intro else []) + self.lines
        return html.Section(
            self.anchor, self.title, paragraphs, [html.table(self.frame)] if self.frame is not None else []
        )


def write_report(
    out: Path,
    results: pd.DataFrame,
    suites: list[Suite],
    missing: list[str] | None = None,
    skipped: dict[str, str] | None = None,
    users_first: bool = False,
    not_installed: dict[str, list[str]] | None = None,
) -> None:
    """Write every report file from the results table and the per-run files:
    ``leaderboard.csv``, ``leaderboard.md``, ``paper_comparison.md`` and ``index.html``.
    ``users_first``: the results hold a user's own runs (``gan-bench eval``), whose tables
    come first on the page. ``not_installed``: wheel -> the bundled checkpoints it ships that
    this install lacks."""
    out.mkdir(parents=True, exist_ok=True)
    artifacts = {(s.name, d): _artifacts(out, s, d) for s in suites for d in s.datasets}
    by_dataset = {d: found for (_, d), found in artifacts.items()}
    summary = summarise(results) if len(results) else pd.DataFrame(columns=[*SUMMARY_COLUMNS, "values"])
    with atomic_path(out / "leaderboard.csv") as tmp:
        summary[SUMMARY_COLUMNS].to_csv(tmp, index=False)
    frames = leaderboard_frames(summary, _references(by_dataset)) if len(summary) else {}
    appendix = _appendix(missing, skipped, not_installed)
    write_text_atomic(out / "leaderboard.md", _leaderboard_markdown(summary, frames, by_dataset, appendix))
    budgets = {(run.dataset, run.name): run.steps for s in suites for run in s.runs if run.steps > 0}
    overview = _overview(summary, artifacts, by_dataset, budgets)
    not_covered = _not_covered()
    comparison = [line for i, part in enumerate(overview) for line in part.markdown("#" if i == 0 else "##")]
    comparison += (
        not_covered.markdown()
        if not_covered.frame is not None
        else [f"## {not_covered.title}", "", "Every headline of the papers has a suite.", ""]
    )
    write_text_atomic(out / "paper_comparison.md", "\n".join(comparison))
    n_runs = results.groupby(["suite", "dataset", "run", "seed"]).ngroups if len(results) else 0
    page = html.render_page(
        "gan-bench report",
        f"{n_runs} evaluated runs, {len(results)} result rows; {PAGE_INTRO}",
        [part.section() for part in overview],
        _suite_sections(out, suites, artifacts, summary, frames),
        metric_glossary(set(summary["metric"])),
        [part.section() for part in ([not_covered] if not_covered.frame is not None else []) + appendix],
        suites_first=users_first,
    )
    write_text_atomic(out / "index.html", page)


def _references(by_dataset: dict[str, DatasetArtifacts]) -> dict[str, dict[str, float]]:
    """dataset -> the real-data reference row's values (Stacked MNIST)."""
    return {
        dataset: {"stacked_modes": ref["modes"], "stacked_kl": ref["kl"]}
        | {m: ref[m] for m in REAL_VS_REAL if m in ref}  # results written before these lack them
        for dataset, found in by_dataset.items()
        if (ref := _reference(found))
    }


def _appendix(
    missing: list[str] | None,
    skipped: dict[str, str] | None,
    not_installed: dict[str, list[str]] | None = None,
) -> list[Part]:
    """The missing checkpoints, those this install lacks, and the datasets this machine lacks,
    for both renderers."""
    parts = []
    if missing:
        parts.append(
            Part("missing", "Missing checkpoints", "Train them with --train-missing:", lines=list(missing))
        )
    if not_installed:
        lines = [
            f"pip install {wheel}: {len(keys)} checkpoints ({keys[0]}, ...)"
            for wheel, keys in not_installed.items()
        ]
        parts.append(
            Part("not-installed", "Checkpoints not installed", "They ship in their own wheels:", lines=lines)
        )
    if skipped:
        lines = [f"{d}: {why}" for d, why in skipped.items()]
        parts.append(Part("skipped", "Skipped: data not on this machine", lines=lines))
    return parts


def _leaderboard_markdown(
    summary: pd.DataFrame,
    frames: dict[str, pd.DataFrame],
    by_dataset: dict[str, DatasetArtifacts],
    appendix: list[Part],
) -> str:
    md = ["# Leaderboard", "", LEADERBOARD_INTRO, ""]
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
    for part in appendix:
        md += part.markdown()
    return "\n".join(md)


def _overview(
    summary: pd.DataFrame,
    artifacts: dict[tuple[str, str], DatasetArtifacts],
    by_dataset: dict[str, DatasetArtifacts],
    budgets: dict[tuple[str, str], int],
) -> list[Part]:
    """The paper comparison, the claims, NEMGAN's Table 2 and the learned priors: the head of
    index.html and the whole of paper_comparison.md."""
    references = {d: ref for d, f in by_dataset.items() if (ref := _reference(f))}
    papers = load_papers()
    evaluated = set(summary["dataset"])
    elsewhere = sorted({h.dataset for h in papers.headlines} - evaluated)
    parts = [
        Part(
            "paper-comparison",
            "Paper comparison",
            HEADLINES_INTRO,
            headline_rows(summary, _why_missing(by_dataset), papers, evaluated),
            lines=[
                f"Headlines on datasets this report did not evaluate ({', '.join(elsewhere)}) are left "
                "out; `gan-bench run` scores the bundled models on them."
            ]
            * bool(elsewhere),
        ),
        Part("claims", "Claims checked", CLAIMS_INTRO, claim_rows(summary, references, papers, budgets)),
    ]
    table2 = nemgan_table(summary, papers.table2_datasets, papers.table2)
    if len(table2):
        parts.append(Part("nemgan-table-2", "NEMGAN Table 2: imbalanced subsets", TABLE2_INTRO, table2))
    priors = _prior_table(artifacts, summary)
    if len(priors):
        parts.append(Part("learned-prior", "Learned mode prior", frame=priors))
    return parts


def _not_covered() -> Part:
    """The headlines no suite covers (a frame of None when there are none)."""
    rows = load_papers().not_covered
    frame = pd.DataFrame(list(rows), columns=NOT_COVERED_COLUMNS) if rows else None
    return Part("not-comparable", "Not comparable here", frame=frame)


def _suite_sections(
    out: Path,
    suites: list[Suite],
    artifacts: dict[tuple[str, str], DatasetArtifacts],
    summary: pd.DataFrame,
    frames: dict[str, pd.DataFrame],
) -> list[html.SuiteSection]:
    """A section per suite, a subsection per dataset with its table, plots and image grids."""
    sections = []
    for suite in suites:
        datasets = []
        for dataset in suite.datasets:
            if dataset not in frames:
                continue
            found = artifacts[(suite.name, dataset)]
            figures, gallery = _plots(out, suite.name, dataset, found, summary[summary["dataset"] == dataset])
            section = html.Section(
                html.anchor(suite.name, dataset),
                dataset,
                _dataset_notes(found),
                [html.table(frames[dataset])],
                figures,
                gallery,
            )
            datasets.append(section)
        if datasets:
            sections.append(
                html.SuiteSection(html.anchor("suite", suite.name), suite.name, suite.description, datasets)
            )
    return sections

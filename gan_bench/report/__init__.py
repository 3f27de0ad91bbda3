"""The report in ``reports/``: leaderboards (CSV, Markdown), the paper comparison,
plots (PNG) and ``index.html`` that shows them all, readable offline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from gan_bench.atomic import atomic_path, write_text_atomic
from gan_bench.config import Suite
from gan_bench.data import load
from gan_bench.evaluate import sample_file
from gan_bench.report import html, plots
from gan_bench.report.papers import NOT_COVERED, claim_rows, headline_rows
from gan_bench.report.tables import METRIC_ORDER, leaderboard_frames, markdown_table, summarise

__all__ = ["write_report"]


def _samples_by_run(out: Path, suite: Suite, dataset: str) -> dict[str, np.ndarray]:
    found = {}
    for run in suite.runs:
        path = sample_file(out, suite.name, run, suite.seeds[0])
        if run.dataset == dataset and path.is_file():
            found[run.name] = np.load(path)
    return found


def write_report(
    out: Path, results: pd.DataFrame, suites: list[Suite], missing: list[str] | None = None
) -> None:
    """Write every report file from the results table."""
    out.mkdir(parents=True, exist_ok=True)
    if results.empty:
        summary = pd.DataFrame(
            columns=["suite", "dataset", "run", "variant", "metric", "mean", "std", "n_seeds", "n_samples"]
        )
    else:
        summary = summarise(results)
    with atomic_path(out / "leaderboard.csv") as tmp:
        summary.to_csv(tmp, index=False)

    frames = leaderboard_frames(summary) if len(summary) else {}
    md = [
        "# Leaderboard",
        "",
        "Mean ± std over seeds; best per dataset in bold. HQ: samples within 3σ of a mode; "
        "acc: Hungarian one-to-one accuracy; purity: majority map.",
        "",
    ]
    for dataset, frame in frames.items():
        n = summary[summary["dataset"] == dataset]["n_samples"]
        md += [
            f"## {dataset}",
            "",
            f"Samples per metric: {', '.join(sorted(set(map(str, n))))}.",
            "",
            markdown_table(frame),
            "",
        ]
    if missing:
        md += ["## Missing checkpoints", "", *[f"- {k}" for k in missing], ""]
    write_text_atomic(out / "leaderboard.md", "\n".join(md))

    headlines, claims = headline_rows(summary), claim_rows(summary)
    not_covered = pd.DataFrame(
        NOT_COVERED, columns=["paper", "data", "metric", "paper value", "why not compared"]
    )
    comparison = [
        "# Paper comparison",
        "",
        "Each headline number of PROTOCOLS.md that the bundled suites cover: the paper's value, ours "
        "(mean ± std over n seeds) and the difference.",
        "",
        markdown_table(headlines),
        "",
        "## What the report must show",
        "",
        markdown_table(claims),
        "",
        "## Not comparable here",
        "",
        markdown_table(not_covered),
        "",
    ]
    write_text_atomic(out / "paper_comparison.md", "\n".join(comparison))

    sections = [("Paper comparison", html.table(headlines)), ("Claims checked", html.table(claims))]
    for suite in suites:
        for dataset in suite.datasets:
            if dataset not in frames:
                continue
            body = [html.table(frames[dataset])]
            ds_summary = summary[summary["dataset"] == dataset]
            samples = _samples_by_run(out, suite, dataset)
            test = load(dataset, "test")
            means = test.info.get("means")
            std = test.info.get("std")
            if samples:
                name = f"plots/{suite.name}_{dataset}_samples.png"
                plots.scatter_grid(out / name, dataset, samples, test.samples.numpy()[:5000], means, std)
                body.append(html.image(name, f"{dataset} samples"))
                if means is not None:
                    name = f"plots/{suite.name}_{dataset}_modes.png"
                    plots.mode_histograms(out / name, dataset, samples, means, std)
                    body.append(html.image(name, f"{dataset} per-mode histograms"))
            metrics = [m for m in METRIC_ORDER if m in set(ds_summary["metric"])]
            if metrics:
                name = f"plots/{suite.name}_{dataset}_metrics.png"
                plots.metric_bars(out / name, dataset, ds_summary, metrics)
                body.append(html.image(name, f"{dataset} metrics"))
            sections.append((f"{suite.name}: {dataset}", "\n".join(body)))
    sections.append(("Not comparable here", html.table(not_covered)))
    if missing:
        sections.append(("Missing checkpoints", "<ul>" + "".join(f"<li>{k}</li>" for k in missing) + "</ul>"))
    write_text_atomic(out / "index.html", html.page("gan-bench report", sections))

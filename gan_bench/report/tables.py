"""Leaderboards: per dataset, runs as rows, metrics as the mean over seeds with its 95%
Student-t interval; a run is marked best only when Welch's test, Holm-corrected across the
runs it is compared with, tells it apart from every other run (else the cell says "tied")."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from gan_bench.bench.registry import REGISTRY, ROW_ORDER, ROWS
from gan_bench.metrics.statistics import ALPHA, Interval, holm, interval_p_value, t_interval, welch_p_value
from gan_bench.report.paper_data import load_papers

METRIC_ORDER = ROW_ORDER


def summarise(results: pd.DataFrame) -> pd.DataFrame:
    """One row per (suite, dataset, run, metric): mean, std (ddof 1, 0 for one seed), a 95%
    interval (``ci_low``/``ci_high``) and how it was taken (``ci_method``), seeds, samples,
    and the per-seed values the tests of "best" read (``values``).

    Over two seeds or more the interval is Student-t over the seeds ("t over seeds"). A run
    with one seed keeps its within-seed bootstrap interval where its metric has one
    (results.csv's ci_low/ci_high, e.g. "bootstrap B=200"), else it has none (NaN)."""
    grouped = results.groupby(["suite", "dataset", "run", "variant", "metric"], sort=False)
    table = (
        grouped["value"]
        .agg(mean="mean", std=lambda v: v.std(ddof=1) if len(v) > 1 else 0.0, n_seeds="count")
        .reset_index()
    )
    table["n_samples"] = grouped["n_samples"].max().values
    values = [tuple(v.dropna()) for _, v in grouped["value"]]
    within = _within_seed(results, grouped)
    intervals = [
        (t_interval(v), "t over seeds") if len(v) > 1 else (one, method) if v else (None, "")
        for v, (one, method) in zip(values, within, strict=True)
    ]
    table["ci_low"] = [i.low if i else float("nan") for i, _ in intervals]
    table["ci_high"] = [i.high if i else float("nan") for i, _ in intervals]
    table["ci_method"] = [method if i is not None and np.isfinite(i.low) else "" for i, method in intervals]
    table["values"] = values
    return table


def _within_seed(results: pd.DataFrame, grouped) -> list[tuple[Interval, str]]:
    """Each group's first row as an :class:`Interval` with its within-seed method (NaN bounds
    and "" where results.csv has none, or is from before the intervals)."""
    if "ci_low" not in results.columns:
        first = grouped["value"].first()
        return [(Interval(float(v), float("nan"), float("nan"), 1, 0.95), "") for v in first]
    first = grouped[["value", "ci_low", "ci_high", "ci_method"]].first()
    return [
        (Interval(float(row.value), float(row.ci_low), float(row.ci_high), 1, 0.95), str(row.ci_method))
        for row in first.itertuples()
    ]


def metric_glossary(result_metrics: set[str]) -> list[tuple[str, str]]:
    """(name, explanation) for each registry metric with a row in the results, in registry
    order: the explanation names its rows, and its paper and equation where it has one."""
    entries = []
    for spec in REGISTRY.values():
        rows = [row for row in spec.rows if row.name in result_metrics]
        if not rows:
            continue
        labels = ", ".join(f"{row.name} ({row.label})" for row in rows)
        entries.append((spec.name, f"{spec.description[0].upper()}{spec.description[1:]}. Rows: {labels}."))
    return entries


def rank_runs(summary: pd.DataFrame) -> dict[tuple[str, str, str], str]:
    """For the run with the best mean of each dataset and metric (the registry says which
    direction is better; rows without one are never ranked), its verdict: "best" when it
    beats every other run, else the runs it cannot be told apart from.

    Each other run is compared with the leader (:func:`comparison_p_value`): Welch's t-test
    over seeds where both have two seeds or more, else the z-test of their 95% intervals
    where both have one (a one-seed run: its within-seed bootstrap); the p-values are
    Holm-corrected across the comparisons. A run with neither cannot be tested, so the
    leader is not called best over it (nor over anything when the leader is such a run).
    Keys are (dataset, run, metric); values "best", or "tied: runs" (tested, not told apart)
    and/or "untested vs 1 seed: runs", or "1 seed: untested".
    """
    verdicts: dict[tuple[str, str, str], str] = {}
    for (dataset, metric), group in summary.groupby(["dataset", "metric"], sort=False):
        higher = ROWS[metric].higher_is_better if metric in ROWS else None
        group = group[group["mean"].notna()]
        if higher is None or len(group) < 2:
            continue
        leader = group.loc[group["mean"].idxmax() if higher else group["mean"].idxmin()]
        others = group[group["run"] != leader["run"]]
        key = (dataset, leader["run"], metric)
        if len(leader["values"]) < 2 and not _has_interval(leader):
            verdicts[key] = "1 seed: untested"
            continue
        tested = [
            (row["run"], p)
            for _, row in others.iterrows()
            if (p := comparison_p_value(leader, row)) is not None
        ]
        adjusted = holm([p for _, p in tested]) if tested else []
        beaten = {run for (run, _), q in zip(tested, adjusted, strict=True) if q <= ALPHA}
        tied = [run for run, _ in tested if run not in beaten]
        untested = [run for run in others["run"] if run not in {r for r, _ in tested}]
        parts = [f"tied: {', '.join(tied)}"] * bool(tied) + [
            f"untested vs 1 seed: {', '.join(untested)}"
        ] * bool(untested)
        verdicts[key] = "best" if not parts else "; ".join(parts)
    return verdicts


def _has_interval(row: pd.Series) -> bool:
    return bool(np.isfinite(row.get("ci_low", np.nan)) and np.isfinite(row.get("ci_high", np.nan)))


def comparison_p_value(a: pd.Series, b: pd.Series) -> float | None:
    """The two-sided p-value that two summary rows differ: Welch over seeds where both have two
    seeds or more; else the z-test of their 95% intervals where both have one; None where the
    two cannot be compared."""
    x, y = (tuple(r.get("values", ())) for r in (a, b))
    if len(x) >= 2 and len(y) >= 2:
        return welch_p_value(x, y)
    if _has_interval(a) and _has_interval(b):
        return interval_p_value(
            *(
                Interval(float(r["mean"]), float(r["ci_low"]), float(r["ci_high"]), int(r["n_seeds"]), 0.95)
                for r in (a, b)
            )
        )
    return None


def format_value(mean: float, std: float | None, metric: str) -> str:
    """mean ± std in the registry's display format for the metric row; the mean alone when
    ``std`` is None (one seed, or a published number)."""
    fmt = ROWS[metric].fmt if metric in ROWS else "float"
    scale, unit, spec = (100, "%", ".1f") if fmt == "percent" else (1, "", ".1f" if fmt == "count" else ".3f")
    if fmt == "float" and mean != 0 and abs(mean) < 0.01:
        spec = ".2e"
    text = f"{scale * mean:{spec}}{unit}"
    return text if std is None else f"{text} ± {scale * std:{spec}}"


def summary_cell(hit: pd.DataFrame, metric: str) -> str:
    """One summary row's mean with its 95% interval, ``mean [low, high]`` over seeds, or
    ``mean [low, high]b`` for one seed's within-seed bootstrap (the mean alone where there is
    no interval), or "–" if there is none."""
    if hit.empty:
        return "–"
    row = hit.iloc[0]
    text = format_value(row["mean"], None, metric)
    if pd.isna(row["ci_low"]) or pd.isna(row["ci_high"]):
        return text
    low, high = (format_value(row[bound], None, metric) for bound in ("ci_low", "ci_high"))
    marker = "b" if int(row["n_seeds"]) < 2 else ""
    return f"{text} [{low}, {high}]{marker}"


def published_rows(dataset: str, metrics: list[str]) -> list[dict[str, str]]:
    """The papers' headline numbers for ``dataset`` as leaderboard rows (never marked best):
    only those computed on our protocol. A value from another protocol (FCD on the paper's
    classifier, FID at another N) never sits in our column; paper_comparison.md shows it
    beside ours with the reason."""
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for h in load_papers().headlines:
        if h.dataset != dataset or h.metric not in metrics or h.not_comparable:
            continue
        row = rows.setdefault(
            (h.paper, h.run),
            {
                "run": f"{h.run} (published, {h.paper})",
                "variant": "paper",
                "seeds": "–",
                **{m: "–" for m in metrics},
            },
        )
        row[h.metric] = format_value(h.paper_value / h.scale, None, h.metric)
    return list(rows.values())


def reference_row(values: dict[str, float], metrics: list[str]) -> dict[str, str]:
    """Real data scored by the same protocol (never marked best)."""
    row = {"run": "real test data (reference)", "variant": "data", "seeds": "–"}
    return row | {m: format_value(values[m], None, m) if m in values else "–" for m in metrics}


def leaderboard_frames(
    summary: pd.DataFrame, references: dict[str, dict[str, float]] | None = None
) -> dict[str, pd.DataFrame]:
    """Per dataset, a display table (strings), a best value marked with '**' where the test
    says it is best and "(tied: ...)" where it cannot say, followed by the real-data
    reference row where there is one and the papers' published numbers."""
    verdicts = rank_runs(summary)
    frames = {}
    for dataset, group in summary.groupby("dataset", sort=False):
        metrics = [m for m in METRIC_ORDER if m in set(group["metric"])]
        rows = []
        for run, rg in group.groupby("run", sort=False):
            row = {"run": run, "variant": rg["variant"].iloc[0], "seeds": int(rg["n_seeds"].max())}
            for metric in metrics:
                text = summary_cell(rg[rg["metric"] == metric], metric)
                verdict = verdicts.get((dataset, run, metric))
                if verdict is not None:
                    text = f"**{text}**" if verdict == "best" else f"{text} ({verdict})"
                row[metric] = text
            rows.append(row)
        if dataset in (references or {}):
            rows.append(reference_row(references[dataset], metrics))
        frames[dataset] = pd.DataFrame(rows + published_rows(dataset, metrics))
    return frames


def markdown_cell(value: object) -> str:
    """A value as one Markdown table cell: a ``|`` or a line break in a user's name would end the
    cell or the row, and ``<``/``&`` would be read as HTML, so they are escaped."""
    text = html.escape(str(value), quote=False).replace("|", "\\|")
    return " ".join(text.splitlines()) if text else text


def markdown_table(frame: pd.DataFrame) -> str:
    header = "| " + " | ".join(markdown_cell(c) for c in frame.columns) + " |"
    rule = "| " + " | ".join("---" for _ in frame.columns) + " |"
    body = ["| " + " | ".join(markdown_cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *body])


NEMGAN_RUNS = ("nemgan-V", "nemgan-S", "nemgan-P", "vanilla")
NEMGAN_METRICS = ("acc", "nmi", "ari", "fcd")


def nemgan_table(summary: pd.DataFrame, datasets: tuple[str, ...], paper: dict[str, tuple]) -> pd.DataFrame:
    """NEMGAN Table 2 layout: a row per dataset, columns V/S/P/vanilla x ACC/NMI/ARI/FCD
    (mean ± std over seeds), and the paper's NEMGAN_P row under each dataset it reports."""
    columns = [f"{run.removeprefix('nemgan-')} {m.upper()}" for run in NEMGAN_RUNS for m in NEMGAN_METRICS]
    rows = []
    for dataset in datasets:
        part = summary[summary["dataset"] == dataset]
        if part.empty:
            continue
        ours = {"dataset": dataset, "source": f"ours (seeds: {int(part['n_seeds'].max())})"}
        for run in NEMGAN_RUNS:
            for metric in NEMGAN_METRICS:
                hit = part[(part["run"] == run) & (part["metric"] == metric)]
                ours[f"{run.removeprefix('nemgan-')} {metric.upper()}"] = summary_cell(hit, metric)
        rows.append(ours)
        if dataset in paper:
            published = {"dataset": dataset, "source": "paper (NEMGAN Table 2)"} | {c: "–" for c in columns}
            for metric, value in zip(NEMGAN_METRICS, paper[dataset]):
                published[f"P {metric.upper()}"] = f"{value:g}"
            rows.append(published)
    return pd.DataFrame(rows, columns=["dataset", "source", *columns])

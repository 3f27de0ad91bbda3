"""Leaderboards: per dataset, runs as rows, metrics as the mean over seeds with its 95%
Student-t interval; a run is marked best only when Welch's test, Holm-corrected across the
runs it is compared with, tells it apart from every other run (else the cell says "tied")."""

from __future__ import annotations

import html
from collections.abc import Callable

import numpy as np
import pandas as pd

from gan_bench.bench.registry import REGISTRY, ROW_ORDER, ROWS
from gan_bench.metrics.statistics import (
    ALPHA,
    CONFIDENCE,
    Interval,
    holm,
    interval_p_value,
    t_interval,
    welch_p_value,
)
from gan_bench.report.paper_data import Headline, load_papers

METRIC_ORDER = ROW_ORDER


def summarise(results: pd.DataFrame) -> pd.DataFrame:
    """One row per (suite, dataset, run, metric): mean, std (ddof 1, 0 for one seed), a 95%
    interval (``ci_low``/``ci_high``) and how it was taken (``ci_method``), seeds, samples,
    a clustering score's chance level and null quantile (``chance``/``chance_high``: their
    means over seeds, NaN for other metrics), and the per-seed values the tests of "best"
    read (``values``).

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
    for column in ("chance", "chance_high"):
        table[column] = grouped[column].mean().values if column in results.columns else float("nan")
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
        return [(Interval(float(v), float("nan"), float("nan"), 1, CONFIDENCE), "") for v in first]
    first = grouped[["value", "ci_low", "ci_high", "ci_method"]].first()
    return [
        (Interval(float(row.value), float(row.ci_low), float(row.ci_high), 1, CONFIDENCE), str(row.ci_method))
        for row in first.itertuples()
    ]


DIRECTION = {True: "↑ higher is better", False: "↓ lower is better", None: "no better direction"}


def metric_glossary(result_metrics: set[str]) -> list[tuple[str, str]]:
    """(name, explanation) for each registry metric with a row in the results, in registry
    order: the explanation names its rows, each with its direction, and its paper and
    equation where it has one."""
    entries = []
    for spec in REGISTRY.values():
        rows = [row for row in spec.rows if row.name in result_metrics]
        if not rows:
            continue
        labels = ", ".join(f"{row.name} ({row.label}; {DIRECTION[row.higher_is_better]})" for row in rows)
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
        if within_chance(leader):  # its cell says so; a score a random assignment gets is not best
            continue
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
                Interval(
                    float(r["mean"]), float(r["ci_low"]), float(r["ci_high"]), int(r["n_seeds"]), CONFIDENCE
                )
                for r in (a, b)
            )
        )
    return None


def _fmt(metric: str) -> str:
    """The registry's display format of a result row ("count", "percent" or "float")."""
    return ROWS[metric].fmt if metric in ROWS else "float"


def _scale(metric: str) -> int:
    """A percent row is shown x 100."""
    return 100 if _fmt(metric) == "percent" else 1


def column_spec(values: list[float], metric: str) -> str:
    """The one number format of a table column of ``metric``: a percent or count row has one
    decimal; a float row three, or as many more (up to 6) as its smallest non-zero magnitude
    needs for two significant digits (0.0086 beside 0.140, never 8.62e-03 beside 0.140)."""
    if _fmt(metric) != "float":
        return ".1f"
    small = [abs(v) for v in values if np.isfinite(v) and v != 0]
    if not small or min(small) >= 0.01:
        return ".3f"
    return f".{min(6, int(np.ceil(-np.log10(min(small)))) + 1)}f"


def format_value(mean: float, std: float | None, metric: str, spec: str | None = None) -> str:
    """mean ± std in the registry's display format for the metric row (``spec``: the column's,
    :func:`column_spec`; by default the value's own); the mean alone when ``std`` is None (one
    seed, or a published number). An undefined value reads "undefined", never "nan ± 0"."""
    if not np.isfinite(mean):
        return "undefined"
    scale, unit = (100, "%") if _fmt(metric) == "percent" else (1, "")
    spec = spec or column_spec([scale * mean], metric)
    text = _unsigned_zero(f"{scale * mean:{spec}}") + unit
    return text if std is None else f"{text} ± {scale * std:{spec}}"


def _unsigned_zero(text: str) -> str:
    """ "-0.000" (a tiny negative, rounded) reads "0.000"."""
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


# why a metric's value can be undefined on a run (results.csv writes it "nan")
UNDEFINED = {"kl_uniform": "no high-quality sample in any mode"}

# a score this close above its null's 95% quantile is at it (the quantile of a degenerate null,
# one cluster of everything, and the score itself differ by float rounding only)
CHANCE_TOLERANCE = 1e-9


def within_chance(row: pd.Series) -> bool:
    """Whether a summary row's mean is at or below its chance level's null quantile (the mean
    over seeds of each seed's 95% permutation quantile); False where it has no chance level."""
    high = row.get("chance_high", float("nan"))
    return bool(np.isfinite(high) and row["mean"] <= high + CHANCE_TOLERANCE)


def summary_cell(hit: pd.DataFrame, metric: str, spec: str | None = None) -> str:
    """One summary row's mean with its 95% interval, ``mean [low, high]`` over seeds, or
    ``mean [low, high]b`` for one seed's within-seed bootstrap (the mean alone where there is
    no interval), or "–" if there is none. A clustering score adds its chance level:
    ``(chance c)``, or ``≈ chance (c)`` where the score is within it (:func:`within_chance`)."""
    if hit.empty:
        return "–"
    row = hit.iloc[0]
    if not np.isfinite(row["mean"]):
        return f"undefined (n={int(row['n_seeds'])}; {UNDEFINED.get(metric, 'not defined on these samples')})"
    text = format_value(row["mean"], None, metric, spec)
    if not (pd.isna(row["ci_low"]) or pd.isna(row["ci_high"])):
        low, high = (format_value(row[bound], None, metric, spec) for bound in ("ci_low", "ci_high"))
        text += f" [{low}, {high}]" + ("b" if int(row["n_seeds"]) < 2 else "")
    return text + chance_suffix(row, lambda c: format_value(c, None, metric, spec))


def chance_suffix(row: pd.Series, shown: Callable[[float], str]) -> str:
    """What follows a clustering score: `` (chance c)``, or `` ≈ chance (c)`` where it is within
    chance (:func:`within_chance`); ``shown`` formats the level. Empty for other metrics."""
    chance = row.get("chance", float("nan"))
    if not np.isfinite(chance):
        return ""
    return f" ≈ chance ({shown(chance)})" if within_chance(row) else f" (chance {shown(chance)})"


def comparable_headlines(dataset: str, metrics: list[str]) -> list[Headline]:
    """The papers' headlines on ``dataset`` for ``metrics`` computed on our protocol: the only
    ones that may sit beside our numbers as values of the same kind."""
    return [
        h
        for h in load_papers().headlines
        if h.dataset == dataset and h.metric in metrics and not h.not_comparable
    ]


def published_rows(dataset: str, metrics: list[str]) -> list[dict[str, str]]:
    """The papers' headline numbers for ``dataset`` as leaderboard rows (never marked best):
    only those computed on our protocol. A value from another protocol (FCD on the paper's
    classifier, FID at another N) never sits in our column; paper_comparison.md shows it
    beside ours with the reason."""
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for h in comparable_headlines(dataset, metrics):
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
        specs = {m: _spec_of(group[group["metric"] == m], m) for m in metrics}
        rows = []
        for run, rg in group.groupby("run", sort=False):
            row = {"run": run, "variant": rg["variant"].iloc[0], "seeds": int(rg["n_seeds"].max())}
            for metric in metrics:
                text = summary_cell(rg[rg["metric"] == metric], metric, specs[metric])
                verdict = verdicts.get((dataset, run, metric))
                if verdict is not None:
                    text = f"**{text}**" if verdict == "best" else f"{text} ({verdict})"
                row[metric] = text
            rows.append(row)
        if dataset in (references or {}):
            rows.append(reference_row(references[dataset], metrics))
        frames[dataset] = pd.DataFrame(rows + published_rows(dataset, metrics))
    return frames


def _spec_of(rows: pd.DataFrame, metric: str) -> str:
    return column_spec([_scale(metric) * float(v) for v in rows["mean"]], metric)


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

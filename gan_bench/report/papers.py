"""The paper comparison: each headline number of the papers (``papers.toml``) beside our
mean over seeds, its difference where the protocol is the same, and the paper's value read
against our 95% interval."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gan_bench.report.paper_data import Headline, Papers, load_papers
from gan_bench.report.tables import chance_suffix, within_chance


def row_of(summary: pd.DataFrame, dataset: str, run: str | None, metric: str) -> pd.Series | None:
    """The summary row of one (dataset, run, metric), None where there is none."""
    hit = summary[(summary["dataset"] == dataset) & (summary["run"] == run) & (summary["metric"] == metric)]
    return None if hit.empty else hit.iloc[0]


def mean_of(summary: pd.DataFrame, dataset: str, run: str, metric: str) -> tuple[float, float, int] | None:
    row = row_of(summary, dataset, run, metric)
    return None if row is None else (float(row["mean"]), float(row["std"]), int(row["n_seeds"]))


def headline_rows(
    summary: pd.DataFrame,
    why_missing: dict[tuple[str, str], str] | None = None,
    papers: Papers | None = None,
    datasets: set[str] | None = None,
) -> pd.DataFrame:
    """Paper value, ours (mean ± std, n seeds), the difference, and the verdict of the
    paper's value against our 95% interval over seeds, for each covered headline (only those
    on ``datasets``, where given: the datasets a report evaluated).

    ``why_missing`` maps (dataset, metric) to why a metric was not computed (e.g. FID
    without the Inception weights); such a row says so and shows no number. A headline
    that is not comparable shows both numbers, no difference, and why.
    """
    papers = papers or load_papers()
    rows = []
    for h in papers.headlines:
        if datasets is not None and h.dataset not in datasets:
            continue
        ours = mean_of(summary, h.dataset, h.run, h.metric)
        if ours is None:
            rows.append(
                {
                    "paper": h.paper,
                    "data": h.dataset,
                    "metric": h.label,
                    "paper value": f"{h.paper_value:g}",
                    "ours (mean ± std, seeds)": (why_missing or {}).get((h.dataset, h.metric), "not run"),
                    "ours − paper": "–",
                    "verdict": "–",
                    "ours, Hungarian ACC": "–",
                    "note": h.note,
                }
            )
            continue
        mean, std, n = (ours[0] * h.scale, ours[1] * h.scale, ours[2])
        row = row_of(summary, h.dataset, h.run, h.metric)
        comparable = not h.not_comparable
        at_chance = comparable and within_chance(row)
        rows.append(
            {
                "paper": h.paper,
                "data": h.dataset,
                "metric": h.label,
                "paper value": f"{h.paper_value:g}",
                "ours (mean ± std, seeds)": with_spread((mean, std, n))
                + chance_suffix(row, lambda c, k=h.scale: f"{c * k:.4g}"),
                "ours − paper": f"{mean - h.paper_value:+.4g}" if comparable and not at_chance else "–",
                "verdict": (
                    f"not comparable: {h.not_comparable}"
                    if not comparable
                    else AT_CHANCE
                    if at_chance
                    else _verdict(row, h)
                ),
                "ours, Hungarian ACC": _hungarian_beside(summary, h, papers.clustering_definitions),
                "note": h.note,
            }
        )
    return pd.DataFrame(rows)


AT_CHANCE = (
    "ours at chance: no better than clusters of the same sizes drawn at random, "
    "so not read against the paper's value"
)


def _verdict(row: pd.Series, h: Headline) -> str:
    """The paper's value against our 95% Student-t interval over seeds: "consistent" inside
    it, else "above"/"below" with the interval it lies outside; one seed has no interval.
    (A score at chance is never read against the paper's: :data:`AT_CHANCE`.)"""
    low, high = float(row["ci_low"]) * h.scale, float(row["ci_high"]) * h.scale
    if not (np.isfinite(low) and np.isfinite(high)):
        return "one seed: no interval"
    # one seed: the within-seed bootstrap interval, which leaves out the chance of training
    which = "our 95% interval" if int(row["n_seeds"]) > 1 else "our one seed's 95% bootstrap interval"
    if low <= h.paper_value <= high:
        return f"consistent (paper value inside {which})"
    side, where = ("below", "above") if h.paper_value > high else ("above", "below")
    return f"ours {side} the paper's: {h.paper_value:g} lies {where} {which} [{low:.4g}, {high:.4g}]"


def _hungarian_beside(summary: pd.DataFrame, h: Headline, definitions: tuple[str, ...]) -> str:
    """Our Hungarian ACC beside a clustering headline compared on another definition."""
    if h.metric not in definitions or h.metric == "acc":
        return "–"
    acc = mean_of(summary, h.dataset, h.run, "acc")
    if acc is None:
        return "not run"
    return with_spread(acc) + chance_suffix(row_of(summary, h.dataset, h.run, "acc"), lambda c: f"{c:.4g}")


def with_spread(value: tuple[float, float, int]) -> str:
    """A mean with its spread over n seeds; one seed has no spread to show ("x (n=1)")."""
    mean, std, n = value
    return f"{mean:.4g} ± {std:.2g} (n={n})" if n > 1 else f"{mean:.4g} (n=1)"

"""The report's claims (``papers.toml``'s ``[[claims]]``), each measured on the summary and
judged: met, "NO" with why, "–" where it has no target, or "not run".

A claimed difference (one run below or above another) is met only where the means differ
that way and Welch's test over seeds finds the difference at :data:`ALPHA`.
"""

from __future__ import annotations

import pandas as pd

from gan_bench.metrics.statistics import ALPHA
from gan_bench.report.paper_data import Claim, ClaimValue, Papers, load_papers
from gan_bench.report.papers import mean_of, row_of, with_spread
from gan_bench.report.tables import comparison_p_value

Mean = tuple[float, float, int]  # mean, std and n over seeds
SHORT = "NO — falls short"


def claim_rows(
    summary: pd.DataFrame, references: dict[str, dict] | None = None, papers: Papers | None = None
) -> pd.DataFrame:
    """One row per claim: its text, what was measured and whether it is met.

    ``references`` maps a dataset to its real-data reference values (Stacked MNIST).
    """
    papers = papers or load_papers()
    rows = [
        _claim_row(summary, claim, papers, (references or {}).get(claim.dataset)) for claim in papers.claims
    ]
    return pd.DataFrame([row for row in rows if row is not None], columns=["claim", "measured", "met"])


def _claim_row(summary: pd.DataFrame, claim: Claim, papers: Papers, reference: dict | None) -> dict | None:
    if claim.every_variant is not None:
        return _every_variant_row(summary, claim, papers)
    shown = _shown(claim)
    means = [mean_of(summary, claim.dataset, v.run, v.metric) for v in shown]
    if any(m is None for m in means):
        return None if claim.optional else {"claim": claim.text, "measured": "not run", "met": "–"}
    measured = "; ".join(
        f"{v.label} {with_spread(m)}" if v.label else with_spread(m)
        for v, m in zip(shown, means, strict=True)
    )
    measured += _extras(summary, claim, means, reference)
    met = _met(claim, [m[0] for m in means[: len(claim.values)]], means)
    if claim.compare is not None and met == "yes":
        welch, met = _welch(summary, claim)
        measured += welch
    return {"claim": claim.text, "measured": measured, "met": met}


def _shown(claim: Claim) -> list[ClaimValue]:
    """The claim's values, then its comparison's runs not already among them."""
    shown = list(claim.values)
    if claim.compare is not None:
        c = claim.compare
        shown += [
            ClaimValue(run, c.metric)
            for run in (c.run, c.other)
            if (run, c.metric) not in {(v.run, v.metric) for v in shown}
        ]
    return shown


def _met(claim: Claim, bounded: list[float], means: list[Mean]) -> str:
    if not claim.judged:
        return "–"
    checks = [v.meets(mean) for v, mean in zip(claim.values, bounded, strict=True) if v.bound is not None]
    ok = (any(checks) if claim.combine == "any" else all(checks)) if checks else True
    if claim.compare is not None:
        c = claim.compare
        by_run = {(v.run, v.metric): m[0] for v, m in zip(_shown(claim), means, strict=True)}
        ours, other = by_run[(c.run, c.metric)], by_run[(c.other, c.metric)]
        ok = ok and (ours < other if c.below else ours > other)
    return "yes" if ok else SHORT


def _welch(summary: pd.DataFrame, claim: Claim) -> tuple[str, str]:
    """(text for the measured column, verdict) of the test of the claimed difference: Welch's
    over seeds, or for a one-seed run the z-test of the two 95% intervals (its bootstrap)."""
    c = claim.compare
    a, b = (row_of(summary, claim.dataset, run, c.metric) for run in (c.run, c.other))
    p = comparison_p_value(a, b)
    if p is None:
        return "", "yes on the means; one seed: untested"
    seeds = min(len(r.get("values", ())) for r in (a, b))
    test = "Welch p" if seeds >= 2 else "interval z-test p"
    verdict = "yes" if p <= ALPHA else f"NO — the difference is within chance ({test} = {p:.2g})"
    return f"; {test} = {p:.2g}", verdict


def _extras(summary: pd.DataFrame, claim: Claim, means: list[Mean], reference: dict | None) -> str:
    """What the claim shows beside its values: the runs short of their bounds, the generators'
    own mode alignment, the real-data reference, the difference from the paper."""
    text = ""
    if claim.shortfall:
        short = [
            v for v, m in zip(claim.values, means, strict=True) if v.bound is not None and not v.meets(m[0])
        ]
        if short:
            text += f"; below {short[0].bound:g}: {', '.join(v.run for v in short)}"
    if claim.show_mode_acc:
        aligned = [(v.run, mean_of(summary, claim.dataset, v.run, "mode_acc")) for v in claim.values]
        text += _alignment_text(aligned)
    if claim.reference and reference:
        text += f"; real test images: {reference['modes']} modes, KL {reference['kl']:.3g}"
    if claim.difference is not None:
        text += f"; paper {claim.difference:g}, ours − paper {means[0][0] - claim.difference:+.3g}"
    return text


def _alignment_text(aligned: list[tuple[str, Mean | None]]) -> str:
    """The generators' own mode-class ACC beside a clustering claim: where it is above the
    encoder's ACC on real data, the encoder, not the generator, lost the classes."""
    shown = [f"{run} {value[0]:.3g}" for run, value in aligned if value is not None]
    if not shown:
        return ""
    return "; the generators' own modes vs classes (mode_acc, generated images): " + ", ".join(shown)


def _every_variant_row(summary: pd.DataFrame, claim: Claim, papers: Papers) -> dict:
    """Each multi-modal run of the dataset (a variant not among the baselines) against one run."""
    every = claim.every_variant
    part = summary[summary["dataset"] == claim.dataset]
    kinds = part.get("variant", part["run"])  # a summary without variants: the run names
    runs = sorted({str(r) for r, v in zip(part["run"], kinds, strict=True) if v not in papers.baselines})
    text = claim.text.replace("{variants}", ", ".join(runs) or "none run")
    means = [mean_of(summary, claim.dataset, run, every.metric) for run in runs]
    baseline = mean_of(summary, claim.dataset, every.at_least, every.metric)
    if not runs or baseline is None or any(m is None for m in means):
        return {"claim": text, "measured": "not run", "met": "–"}
    below = [run for run, m in zip(runs, means, strict=True) if m[0] < baseline[0]]
    measured = "; ".join(with_spread(m) for m in [*means, baseline])
    measured += f"; below {every.at_least}: {', '.join(below)}" if below else ""
    return {"claim": text, "measured": measured, "met": SHORT if below else "yes"}

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
from gan_bench.report.tables import chance_suffix, comparison_p_value

Mean = tuple[float, float, int]  # mean, std and n over seeds
SHORT = "NO — falls short"


Budgets = dict[tuple[str, str], int]  # (dataset, run) -> the generator steps it trained


def claim_rows(
    summary: pd.DataFrame,
    references: dict[str, dict] | None = None,
    papers: Papers | None = None,
    budgets: Budgets | None = None,
) -> pd.DataFrame:
    """One row per claim: its text, what was measured (each number named by its run and
    metric) and whether it is met; a claim that is not met says why in one line, with the
    steps our runs trained (``budgets``) against the paper's budget.

    ``references`` maps a dataset to its real-data reference values (Stacked MNIST).
    """
    papers = papers or load_papers()
    rows = [
        _claim_row(summary, claim, papers, (references or {}).get(claim.dataset), budgets or {})
        for claim in papers.claims
    ]
    return pd.DataFrame([row for row in rows if row is not None], columns=["claim", "measured", "met"])


def _claim_row(
    summary: pd.DataFrame, claim: Claim, papers: Papers, reference: dict | None, budgets: Budgets
) -> dict | None:
    if claim.every_variant is not None:
        row = _every_variant_row(summary, claim, papers)
        return row | {"met": _with_budget(row["met"], claim, row["runs"], budgets)}
    shown = _shown(claim)
    means = [mean_of(summary, claim.dataset, v.run, v.metric) for v in shown]
    if any(m is None for m in means):
        return None if claim.optional else {"claim": claim.text, "measured": "not run", "met": "–"}
    measured = "; ".join(
        f"{v.label or f'{v.run} {v.metric}'} {with_spread(m)}{_chance(summary, claim.dataset, v)}"
        for v, m in zip(shown, means, strict=True)
    )
    measured += _extras(summary, claim, means, reference)
    met = _met(claim, means[: len(claim.values)], means)
    if claim.compare is not None and met == "yes":
        welch, met = _welch(summary, claim)
        measured += welch
    runs = list(dict.fromkeys(v.run for v in shown))
    return {"claim": claim.text, "measured": measured, "met": _with_budget(met, claim, runs, budgets)}


def _chance(summary: pd.DataFrame, dataset: str, value: ClaimValue) -> str:
    return chance_suffix(row_of(summary, dataset, value.run, value.metric), lambda c: f"{c:.4g}")


def _with_budget(met: str, claim: Claim, runs: list[str], budgets: Budgets) -> str:
    """A failed verdict with the training budget: the steps each run trained, and the paper's."""
    if not met.startswith("NO"):
        return met
    steps = [f"{run} {budgets[(claim.dataset, run)]}" for run in runs if (claim.dataset, run) in budgets]
    ours = f"; trained (generator steps): {', '.join(steps)}" if steps else ""
    return met + ours + (f"; the paper: {claim.paper_budget}" if claim.paper_budget else "")


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


def _met(claim: Claim, bounded: list[Mean], means: list[Mean]) -> str:
    """ "yes", "–" for a claim without a target, or "NO — falls short: " with the first
    number that misses its bound (of a claim any one run meets, the closest miss: the best
    run) or the comparison that goes the other way."""
    if not claim.judged:
        return "–"
    short = _short_of_bounds(claim, bounded)
    # combine = "any": met unless every bound is missed
    missed = bool(short) and len(short) == sum(v.bound is not None for v in claim.values)
    ok = not (missed if claim.combine == "any" else short)
    if claim.combine == "any":  # every run missed: name the closest first, the best of them
        short = sorted(short, key=lambda vm: abs(vm[1][0] - vm[0].bound))
    why = [  # the bounds' misses, where they fail the claim
        f"{v.run} {v.metric} {m[0]:.4g} {'<' if v.at_least is not None else '>'} {v.bound:g}"
        for v, m in short
        if not ok
    ]
    if claim.compare is not None:
        c = claim.compare
        by_run = {(v.run, v.metric): m[0] for v, m in zip(_shown(claim), means, strict=True)}
        ours, other = by_run[(c.run, c.metric)], by_run[(c.other, c.metric)]
        if not (ours < other if c.below else ours > other):
            ok = False
            why.append(f"{c.run} {c.metric} {ours:.4g} {'≥' if c.below else '≤'} {c.other} {other:.4g}")
    return "yes" if ok else f"{SHORT}: {why[0]}"


def _short_of_bounds(claim: Claim, bounded: list[Mean]) -> list[tuple[ClaimValue, Mean]]:
    """The claim's values with a bound that their mean misses (the one bound test)."""
    return [
        (v, m)
        for v, m in zip(claim.values, bounded, strict=True)
        if v.bound is not None and not v.meets(m[0])
    ]


# A difference the claims' test does not establish. Not "within chance": that is the
# clustering scores' permutation level (tables.within_chance), another question.
NOT_TOLD_APART = f"the test does not tell the two apart at the {ALPHA:.0%} level"


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
    verdict = "yes" if p <= ALPHA else f"NO — {NOT_TOLD_APART} ({test} = {p:.2g})"
    return f"; {test} = {p:.2g}", verdict


def _extras(summary: pd.DataFrame, claim: Claim, means: list[Mean], reference: dict | None) -> str:
    """What the claim shows beside its values: the runs short of their bounds, the generators'
    own mode alignment, the real-data reference, the difference from the paper."""
    text = ""
    if claim.shortfall:
        short = [v for v, _ in _short_of_bounds(claim, means[: len(claim.values)])]
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
    """Each multi-modal run of the dataset (a variant not among the baselines) against one run:
    a run falls short where its mean is lower and the test of the two (Welch over seeds, the
    interval z-test for one seed; untestable counts as short) tells it apart at ALPHA."""
    every = claim.every_variant
    part = summary[summary["dataset"] == claim.dataset]
    kinds = part.get("variant", part["run"])  # a summary without variants: the run names
    runs = sorted({str(r) for r, v in zip(part["run"], kinds, strict=True) if v not in papers.baselines})
    text = claim.text.replace("{variants}", ", ".join(runs) or "none run")
    means = [mean_of(summary, claim.dataset, run, every.metric) for run in runs]
    baseline = mean_of(summary, claim.dataset, every.at_least, every.metric)
    if not runs or baseline is None or any(m is None for m in means):
        return {"claim": text, "measured": "not run", "met": "–", "runs": []}
    lower = [run for run, m in zip(runs, means, strict=True) if m[0] < baseline[0]]
    # below only where the test tells it from the baseline; a lower mean it does not is named
    reference = row_of(summary, claim.dataset, every.at_least, every.metric)
    p_values = {
        run: comparison_p_value(row_of(summary, claim.dataset, run, every.metric), reference) for run in lower
    }
    below = [run for run in lower if p_values[run] is None or p_values[run] <= ALPHA]
    within = [f"{run} (p = {p_values[run]:.2g})" for run in lower if run not in below]
    pairs = zip([*runs, every.at_least], [*means, baseline], strict=True)
    measured = "; ".join(f"{run} {with_spread(m)}" for run, m in pairs)
    measured += f"; lower on the mean, {NOT_TOLD_APART}: {', '.join(within)}" if within else ""
    met = f"{SHORT}: below {every.at_least}'s {baseline[0]:.4g}: {', '.join(below)}" if below else "yes"
    return {"claim": text, "measured": measured, "met": met, "runs": [*below, every.at_least]}

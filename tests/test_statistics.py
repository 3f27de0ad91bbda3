"""Intervals and tests of "best" (issue 25), each against scipy or a hand-worked case."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.stats

from gan_bench.metrics.statistics import holm, t_interval, welch_p_value
from gan_bench.report.tables import rank_runs, summarise


def test_t_interval_matches_scipy_and_one_value_has_none():
    x = np.array([0.81, 0.79, 0.84, 0.80])
    got = t_interval(x, 0.95)
    low, high = scipy.stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=scipy.stats.sem(x))
    assert (got.low, got.high, got.n) == (pytest.approx(low), pytest.approx(high), 4)
    single = t_interval([0.5])
    assert single.mean == 0.5 and np.isnan(single.low) and np.isnan(single.high)
    with pytest.raises(ValueError, match=r"confidence: expected a level in \(0, 1\), got 1.5"):
        t_interval(x, 1.5)


def test_welch_matches_scipy_unequal_variances():
    rng = np.random.default_rng(0)
    a, b = rng.normal(0, 1, 5), rng.normal(0.8, 3, 7)
    assert welch_p_value(a, b) == pytest.approx(
        scipy.stats.ttest_ind(a, b, equal_var=False).pvalue, rel=1e-10
    )
    assert welch_p_value([1.0, 1.0], [2.0, 2.0]) == 0.0 and welch_p_value([1.0, 1.0], [1.0, 1.0]) == 1.0
    with pytest.raises(ValueError, match="b: expected at least 2 samples, got 1"):
        welch_p_value(a, [1.0])


def test_holm_against_a_hand_worked_case():
    # p = (0.01, 0.04, 0.03, 0.005), m = 4; sorted 0.005, 0.01, 0.03, 0.04 -> x4, x3, x2, x1:
    # 0.02, 0.03, 0.06, 0.04 -> running maximum 0.02, 0.03, 0.06, 0.06
    np.testing.assert_allclose(holm([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02])
    np.testing.assert_allclose(holm([0.5, 0.9]), [1.0, 1.0])  # capped at 1
    with pytest.raises(ValueError, match=r"expected probabilities in \[0, 1\], got \[1.5\]"):
        holm([0.1, 1.5])


def _results(runs: dict[str, list[float]], metric: str = "acc") -> pd.DataFrame:
    rows = [
        {
            "suite": "s",
            "dataset": "d",
            "run": run,
            "variant": "v",
            "options": "{}",
            "seed": seed,
            "metric": metric,
            "value": value,
            "n_samples": 100,
        }
        for run, values in runs.items()
        for seed, value in enumerate(values)
    ]
    return pd.DataFrame(rows)


def test_best_only_when_the_test_says_so():
    clear = summarise(_results({"a": [0.90, 0.91, 0.92], "b": [0.50, 0.51, 0.52], "c": [0.60, 0.62, 0.61]}))
    assert rank_runs(clear) == {("d", "a", "acc"): "best"}
    close = summarise(_results({"a": [0.80, 0.90, 0.85], "b": [0.79, 0.89, 0.84], "c": [0.1, 0.11, 0.12]}))
    assert rank_runs(close) == {("d", "a", "acc"): "tied: b"}  # c is beaten, b is not
    one_seed = summarise(_results({"a": [0.9], "b": [0.1]}))
    assert rank_runs(one_seed) == {("d", "a", "acc"): "1 seed: untested"}
    lower = summarise(_results({"a": [1.0, 1.1, 1.2], "b": [5.0, 5.1, 5.2]}, metric="fcd"))
    assert rank_runs(lower) == {("d", "a", "fcd"): "best"}  # lower is better for FCD


def test_two_draws_of_one_generator_are_tied_and_a_generator_missing_modes_is_told_apart():
    """Significance by simulation: the grid25 mode count of a generator covering all 25 modes
    against one that drops 5, and two seed sets of the same generator, 100 repeats each."""
    rng = np.random.default_rng(7)

    def seeds(modes: int) -> list[float]:  # modes covered by 2500 samples over `modes` modes, 3 seeds
        return [float(len(np.unique(rng.integers(0, modes, 60)))) for _ in range(3)]

    same = [rank_runs(summarise(_results({"a": seeds(25), "b": seeds(25)}, "modes"))) for _ in range(100)]
    tied = sum(v != "best" for verdicts in same for v in verdicts.values())
    assert tied >= 90
    apart = [
        rank_runs(summarise(_results({"full": seeds(25), "drop5": seeds(20)}, "modes"))) for _ in range(100)
    ]
    assert sum(verdicts.get(("d", "full", "modes")) == "best" for verdicts in apart) >= 80


def test_leaderboard_cells_carry_the_interval_and_the_verdict():
    from gan_bench.report.tables import leaderboard_frames

    summary = summarise(_results({"a": [0.90, 0.91, 0.92], "b": [0.50, 0.51, 0.52], "c": [0.7]}))
    board = leaderboard_frames(summary)["d"].set_index("run")["acc"]
    low, high = scipy.stats.t.interval(0.95, 2, loc=0.91, scale=scipy.stats.sem([0.90, 0.91, 0.92]))
    assert board["a"] == f"{0.91:.3f} [{low:.3f}, {high:.3f}] (untested vs 1 seed: c)"
    assert board["c"] == "0.700"  # one seed: the value alone
    summary = summarise(_results({"a": [0.90, 0.91, 0.92], "b": [0.50, 0.51, 0.52]}))
    assert leaderboard_frames(summary)["d"].set_index("run")["acc"]["a"].startswith("**0.910 [")


def test_bootstrap_intervals_cover_the_truth_about_95_percent_of_the_time():
    """Coverage by simulation: the mean of a Gaussian feature, and the Fréchet distance between
    two Gaussians of known distance, 200 repeats each."""
    from gan_bench.metrics import frechet_distance_from_features
    from gan_bench.metrics.statistics import bootstrap_interval

    rng = np.random.default_rng(21)
    hits = 0
    for repeat in range(200):
        x = rng.normal(1.5, 2.0, 80)
        interval = bootstrap_interval(np.mean, x, seed=repeat)
        hits += interval.low <= 1.5 <= interval.high
    assert 180 <= hits <= 198  # 90-99%
    # FD of N(0, I_2) against N(mu, I_2) with |mu|^2 = 1 is 1; a large N keeps the plug-in bias small
    hits = 0
    for repeat in range(200):
        real, fake = rng.normal(size=(2000, 2)), rng.normal(size=(2000, 2)) + np.array([0.6, 0.8])
        interval = bootstrap_interval(frechet_distance_from_features, real, fake, n_boot=100, seed=repeat)
        hits += interval.low <= 1.0 <= interval.high
    assert 180 <= hits <= 198


def test_bootstrap_interval_refuses_what_it_cannot_resample():
    from gan_bench.metrics.statistics import bootstrap_interval

    with pytest.raises(ValueError, match="expected one or more sample sets of 2 rows at least"):
        bootstrap_interval(np.mean, np.array([1.0]))
    with pytest.raises(ValueError, match="n_boot: expected an integer >= 2, got 1"):
        bootstrap_interval(np.mean, np.arange(5.0), n_boot=1)

"""The chance level beside every clustering number (issue 26): the permutation null of each
score, checked against closed forms, scikit-learn's expected mutual information and a
brute-force enumeration of every permutation; results files and the report carry it."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_mutual_info_score, mutual_info_score

from gan_bench.metrics.clustering import clustering_chance, contingency, table_scores
from gan_bench.metrics.statistics import permutation_chance
from gan_bench.report.tables import leaderboard_frames, rank_runs, summarise, within_chance


def _entropy(labels: np.ndarray) -> float:
    p = np.bincount(labels) / len(labels)
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


def test_ari_chance_is_zero_and_nmi_chance_is_the_expected_mutual_information():
    """ARI is adjusted so that its mean under the permutation model is 0 (Hubert & Arabie
    1985); NMI's mean is E[MI] / mean(H), with E[MI] the expected mutual information that
    scikit-learn's AMI subtracts (Vinh et al. 2010), read back from its public AMI. Skewed
    cluster sizes on 60 samples make E[MI] large (NMI chance ~0.05), where drawing the clusters
    uniformly, or resampling pairs instead of permuting, would give another mean."""
    rng = np.random.default_rng(0)
    truth = rng.choice(3, 60, p=[0.5, 0.3, 0.2])
    predicted = rng.choice(4, 60, p=[0.55, 0.25, 0.15, 0.05])
    chance = clustering_chance(truth, predicted, n_perm=4000, seed=1)
    mi, ami = mutual_info_score(truth, predicted), adjusted_mutual_info_score(truth, predicted)
    mean_h = (_entropy(truth) + _entropy(predicted)) / 2
    expected_mi = (mi - ami * mean_h) / (1 - ami)
    assert chance["nmi"].level == pytest.approx(expected_mi / mean_h, rel=0.03)
    assert chance["nmi"].level > 0.03  # a case where a chance level of 0 would be wrong
    assert abs(chance["ari"].level) < 0.004
    assert chance["acc"].high >= chance["acc"].level and chance["acc"].n == 4000


def test_acc_chance_matches_every_permutation_of_a_small_case():
    """Brute force: the mean and the 95% quantile of Hungarian ACC over all 7! = 5040
    orderings of 7 cluster labels against 7 class labels."""
    truth = np.array([0, 0, 0, 1, 1, 2, 2])
    predicted = np.array([0, 0, 1, 1, 1, 1, 2])
    exact = np.array(
        [
            table_scores(contingency(truth, predicted[list(order)]))[0]
            for order in itertools.permutations(range(7))
        ]
    )
    chance = clustering_chance(truth, predicted, n_perm=20000, seed=2)["acc"]
    assert chance.level == pytest.approx(exact.mean(), abs=0.005)
    assert chance.high == pytest.approx(np.quantile(exact, 0.95), abs=1e-9)


def test_one_cluster_of_everything_is_at_chance_whatever_the_class_balance():
    truth = np.array([0] * 180 + [1] * 20)
    everything = np.zeros(200, dtype=int)
    chance = clustering_chance(truth, everything, n_perm=50)
    acc, *_ = table_scores(contingency(truth, everything))
    assert acc == pytest.approx(0.9) and chance["acc"].level == pytest.approx(0.9)
    assert acc <= chance["acc"].high + 1e-9  # within chance, at the majority share
    assert chance["ari"].level == 0.0 and chance["nmi"].level == 0.0
    # a perfect clustering of the same classes is far above its null
    perfect = clustering_chance(truth, truth, n_perm=200)["acc"]
    assert perfect.high < 0.95


def test_permutation_chance_refuses_what_it_cannot_permute():
    with pytest.raises(ValueError, match=r"expected two 1-d labellings of one length .*got \(3,\), \(4,\)"):
        permutation_chance(lambda a, b: 0.0, np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="n_perm"):
        permutation_chance(lambda a, b: 0.0, np.zeros(3), np.zeros(3), n_perm=1)


def _rows(runs: dict[str, tuple[float, float, float]]) -> pd.DataFrame:
    """One-seed acc rows: (value, chance, chance_high) per run."""
    return pd.DataFrame(
        [
            {
                "suite": "s",
                "dataset": "mnist2-90:10",
                "run": run,
                "variant": "v",
                "options": "{}",
                "seed": 0,
                "metric": "acc",
                "value": value,
                "n_samples": 200,
                "ci_low": value - 0.03,
                "ci_high": value + 0.03,
                "ci_method": "bootstrap B=200",
                "chance": level,
                "chance_high": high,
            }
            for run, (value, level, high) in runs.items()
        ]
    )


def test_the_report_shows_the_chance_level_and_never_calls_a_chance_score_best():
    """The mnist2 case of the issue: two encoders at about 0.5 ACC on 2 balanced classes,
    chance 0.5; neither is marked best, and each cell says it is within chance."""
    at_chance = summarise(_rows({"nemgan-P": (0.53, 0.50, 0.545), "nemgan-V": (0.51, 0.50, 0.545)}))
    assert all(within_chance(row) for _, row in at_chance.iterrows())
    assert rank_runs(at_chance) == {}
    board = leaderboard_frames(at_chance)["mnist2-90:10"].set_index("run")["acc"]
    assert board["nemgan-P"] == "0.530 [0.500, 0.560]b ≈ chance (0.500)"
    above = summarise(_rows({"good": (0.95, 0.50, 0.545), "near": (0.52, 0.50, 0.545)}))
    assert rank_runs(above) == {("mnist2-90:10", "good", "acc"): "best"}
    cells = leaderboard_frames(above)["mnist2-90:10"].set_index("run")["acc"]
    assert cells["good"] == "**0.950 [0.920, 0.980]b (chance 0.500)**"


def test_results_files_keep_the_chance_level_and_files_without_it_still_read(tmp_path):
    from gan_bench.bench.results import BASE_COLUMNS, INTERVAL_COLUMNS, read_results, write_results

    table = _rows({"a": (0.9, 0.5, 0.55)})
    write_results(tmp_path / "results.csv", table)
    back = read_results(tmp_path / "results.csv")
    assert (back["chance"].iloc[0], back["chance_high"].iloc[0]) == (0.5, 0.55)
    table[BASE_COLUMNS + INTERVAL_COLUMNS].to_csv(tmp_path / "before.csv", index=False)
    before = read_results(tmp_path / "before.csv")
    assert before["chance"].isna().all() and before["ci_low"].iloc[0] == pytest.approx(0.87)
    assert "chance" not in summarise(before).pipe(leaderboard_frames)["mnist2-90:10"]["acc"].iloc[0]


def test_a_line_cut_in_its_optional_cells_is_damage_not_an_empty_interval(tmp_path):
    """The interval and chance cells may be "nan", so a line cut among them would read as a
    row without them; the reader counts each row's cells instead."""
    from gan_bench.bench.results import ResultsFileError, read_results, write_results

    write_results(tmp_path / "results.csv", _rows({"a": (0.9, 0.5, 0.55), "b": (0.8, 0.5, 0.55)}))
    text = (tmp_path / "results.csv").read_text()
    (tmp_path / "results.csv").write_text(text[: text.rindex(",")])  # the last cell cut away
    with pytest.raises(ResultsFileError, match="line 3 has 13 cells, the header 14"):
        read_results(tmp_path / "results.csv")

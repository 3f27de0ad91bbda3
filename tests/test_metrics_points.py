import itertools

import numpy as np
import ot
import pytest
from scipy.optimize import linear_sum_assignment
from scipy.stats import wasserstein_distance
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from gan_bench.metrics import (
    ari,
    class_majority,
    cluster_accuracy,
    emd,
    mode_report,
    nmi,
    purity,
    stacked_mnist_modes,
)

GRID = np.array([(x, y) for x in (-4, -2, 0, 2, 4) for y in (-4, -2, 0, 2, 4)], dtype=float)


def brute_force_accuracy(y_true, y_pred):
    clusters, classes = np.unique(y_pred), np.unique(y_true)
    best = 0
    # every injective assignment of classes to clusters (clusters may stay unmapped)
    k = min(len(clusters), len(classes))
    for chosen in itertools.permutations(clusters, k):
        for targets in itertools.permutations(classes, k):
            mapping = dict(zip(chosen, targets))
            hits = sum(mapping.get(p) == t for p, t in zip(y_pred, y_true))
            best = max(best, hits)
    return best / len(y_true)


@pytest.mark.parametrize("n_classes,n_clusters", [(3, 3), (4, 6), (5, 3), (3, 5)])
def test_cluster_accuracy_brute_force(n_classes, n_clusters):
    r = np.random.default_rng(n_classes * 10 + n_clusters)
    y_true = r.integers(0, n_classes, 60)
    y_pred = np.where(r.random(60) < 0.6, y_true % n_clusters, r.integers(0, n_clusters, 60))
    assert cluster_accuracy(y_true, y_pred) == pytest.approx(brute_force_accuracy(y_true, y_pred))


def test_cluster_accuracy_is_permutation_invariant():
    y = np.array([0, 0, 1, 1, 2, 2, 2])
    assert cluster_accuracy(y, (y + 1) % 3) == 1.0
    # one cluster containing everything: ACC is the largest class share, purity too
    assert cluster_accuracy(y, np.zeros(7, dtype=int)) == pytest.approx(3 / 7)


def test_class_majority_is_the_mean_share_of_each_class_in_its_most_common_cluster():
    y_true = np.array([0, 0, 0, 0, 1, 1, 1, 2, 2])
    y_pred = np.array([0, 0, 0, 1, 1, 1, 0, 2, 2])
    # contingency (clusters x classes): [[3, 1, 0], [1, 2, 0], [0, 0, 2]]
    # class 0: 3 of 4 in cluster 0; class 1: 2 of 3 in cluster 1; class 2: 2 of 2
    assert class_majority(y_true, y_pred) == pytest.approx((3 / 4 + 2 / 3 + 2 / 2) / 3)
    # not purity (the majority class of each cluster: (3 + 2 + 2) / 9) nor Hungarian ACC
    assert purity(y_true, y_pred) == pytest.approx(7 / 9)
    # one cluster for everything: every class is wholly in its most common cluster
    assert class_majority(y_true, np.zeros(9, dtype=int)) == 1.0
    assert cluster_accuracy(y_true, np.zeros(9, dtype=int)) == pytest.approx(4 / 9)
    # classes weigh equally, whatever their size: a small class split in two halves the score
    assert class_majority([0] * 8 + [1, 1], [0] * 8 + [1, 2]) == pytest.approx((1 + 0.5) / 2)


def test_purity_is_majority_map():
    y_true = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2])
    y_pred = np.array([0, 0, 1, 1, 1, 1, 2, 2, 2])
    # cluster 0 -> class 0 (2), cluster 1 -> class 1 (2 of 3... majority 1), cluster 2 -> class 2 (3)
    expected = (2 + 2 + 3) / 9
    assert purity(y_true, y_pred) == pytest.approx(expected)
    # many-to-one: two clusters of the same class both count
    assert purity([0, 0, 1, 1], [0, 1, 2, 2]) == 1.0
    assert cluster_accuracy([0, 0, 1, 1], [0, 1, 2, 2]) == 0.75


def test_nmi_ari_equal_sklearn(rng):
    y_true = rng.integers(0, 4, 200)
    y_pred = np.where(rng.random(200) < 0.7, y_true, rng.integers(0, 5, 200))
    assert nmi(y_true, y_pred) == pytest.approx(normalized_mutual_info_score(y_true, y_pred))
    assert ari(y_true, y_pred) == pytest.approx(adjusted_rand_score(y_true, y_pred))


def test_label_checks():
    with pytest.raises(ValueError, match="same length"):
        cluster_accuracy([0, 1, 2], [0, 1])
    with pytest.raises(ValueError, match="1-D"):
        nmi(np.zeros((3, 2)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="integer"):
        ari([0.5, 1.0], [0, 1])


def samples_at(means, per_mode, std, rng):
    return np.concatenate([m + std * rng.normal(size=(per_mode, 2)) * 0.5 for m in means])


def test_mode_report_covers_exactly_22_of_25(rng):
    std = 0.05
    covered = GRID[:22]
    samples = samples_at(covered, 100, std, rng)
    report = mode_report(samples, GRID, std)
    assert report.n_modes == 22
    assert report.hq_fraction > 0.99
    assert (report.counts[22:] == 0).all()
    assert report.kl_uniform == pytest.approx(np.log(25 / 22), abs=0.01)


def test_mode_report_hq_threshold_sides():
    std = 0.05
    mean = GRID[12]
    inside = mean + np.array([[2.9 * std, 0.0]])
    outside = mean + np.array([[3.1 * std, 0.0]])
    assert mode_report(inside, GRID, std).hq_fraction == 1.0
    assert mode_report(outside, GRID, std).hq_fraction == 0.0
    assert mode_report(outside, GRID, std).n_modes == 0


def test_mode_report_min_samples(rng):
    std = 0.05
    samples = np.concatenate([samples_at(GRID[:5], 10, std, rng), samples_at(GRID[5:8], 2, std, rng)])
    assert mode_report(samples, GRID, std).n_modes == 8
    assert mode_report(samples, GRID, std, min_samples=5).n_modes == 5
    with pytest.raises(ValueError, match="same feature size"):
        mode_report(np.zeros((3, 3)), GRID, std)
    with pytest.raises(ValueError, match=r"std: expected a finite number > 0, got 0"):
        mode_report(samples, GRID, 0.0)


def test_stacked_mnist_closed_forms():
    uniform = np.array(list(itertools.product(range(10), repeat=3)))
    modes, kl = stacked_mnist_modes(uniform)
    assert modes == 1000 and kl == pytest.approx(0.0, abs=1e-12)
    single = np.tile([3, 1, 4], (500, 1))
    modes, kl = stacked_mnist_modes(single)
    assert modes == 1 and kl == pytest.approx(np.log(1000))
    half = np.concatenate([np.tile([0, 0, 0], (10, 1)), np.tile([9, 9, 9], (10, 1))])
    assert stacked_mnist_modes(half) == (2, pytest.approx(np.log(500)))
    with pytest.raises(ValueError, match=r"\(N, 3\)"):
        stacked_mnist_modes(np.zeros((5, 2), dtype=int))
    with pytest.raises(ValueError, match="expected digit classes in 0-9, got values up to"):
        stacked_mnist_modes(np.full((5, 3), 10))


def test_emd_equals_exact_assignment(rng):
    x = rng.normal(size=(60, 2))
    y = rng.normal(loc=1.0, size=(60, 2))
    cost = np.linalg.norm(x[:, None] - y[None], axis=-1)
    r, c = linear_sum_assignment(cost)
    assert emd(x, y) == pytest.approx(cost[r, c].mean(), rel=1e-9)
    # a squared-Euclidean ground cost would give a different number
    squared = ot.emd2(np.full(60, 1 / 60), np.full(60, 1 / 60), cost**2)
    assert abs(emd(x, y) - squared) > 0.1


def test_emd_matches_scipy_in_1d(rng):
    x = rng.normal(size=(50, 1))
    y = rng.exponential(size=(80, 1))
    assert emd(x, y) == pytest.approx(wasserstein_distance(x[:, 0], y[:, 0]), rel=1e-9)


def test_emd_bad_input():
    with pytest.raises(ValueError, match="finite"):
        emd(np.array([[np.inf, 0.0]]), np.zeros((1, 2)))
    with pytest.raises(ValueError, match="same feature size"):
        emd(np.zeros((3, 2)), np.zeros((3, 3)))


@pytest.mark.parametrize("seed", range(6))
def test_clustering_scores_from_a_contingency_table_match_the_label_functions(seed):
    """What the within-seed bootstrap recomputes on each resampled table (issue 25) equals the
    label-based scores: ACC and purity ours, NMI and ARI scikit-learn's (the independent
    reference), on random, aligned and single-group labellings."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from gan_bench.metrics import class_majority, cluster_accuracy, purity
    from gan_bench.metrics.clustering import contingency, table_scores

    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 1 + seed % 4 * 3, 700)
    cases = [rng.integers(0, 7, 700), (truth + (rng.random(700) < 0.2)) % 10, np.zeros(700, int), truth]
    for predicted in cases:
        got = table_scores(contingency(truth, predicted))
        want = (
            cluster_accuracy(truth, predicted),
            normalized_mutual_info_score(truth, predicted),
            adjusted_rand_score(truth, predicted),
            purity(truth, predicted),
            class_majority(truth, predicted),
        )
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)

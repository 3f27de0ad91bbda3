"""Clustering scores: ACC with Hungarian matching, purity, NMI and ARI.

ACC is the accuracy under the best one-to-one map from clusters to classes
(Kuhn-Munkres via ``scipy.optimize.linear_sum_assignment``; rectangular allowed, so
with more clusters than classes the extra clusters map to no class and count as
errors). Purity maps each cluster to its majority class (what MMGAN reports as ACC);
the class-majority share maps each class to its most common cluster (the official NEMGAN
code's ACC).
NMI (arithmetic normalisation) and ARI are scikit-learn's.

:func:`clustering_chance` is the chance level of each score: its permutation null, the
clusters shuffled against the classes (both keep their sizes). ARI's null mean is 0 by its
definition; NMI's is the expected mutual information over the entropies (AMI's
correction); ACC's is at least the largest class share, which one cluster of everything
scores.
"""

from __future__ import annotations

import numpy as np

from gan_bench.metrics.statistics import Chance, permutation_chance
from gan_bench.validation import ArrayLike, check_label_pair

TABLE_SCORES = ("acc", "nmi", "ari", "purity", "class_majority")  # what table_scores returns, in order


def contingency(y_true: np.ndarray, y_pred: np.ndarray, shape: tuple[int, int] | None = None) -> np.ndarray:
    """Counts of (cluster, class) pairs: rows are clusters, columns classes.

    Without ``shape`` the labels present are renumbered 0..k-1; with ``shape`` (clusters,
    classes) they are used as indices, so clusters and classes that never occur keep
    their (empty) row or column.
    """
    if shape is None:
        _, cls = np.unique(y_true, return_inverse=True)
        _, clu = np.unique(y_pred, return_inverse=True)
        shape = (clu.max() + 1, cls.max() + 1)
    else:
        cls, clu = y_true, y_pred
    table = np.zeros(shape, dtype=np.int64)
    np.add.at(table, (clu, cls), 1)
    return table


def cluster_accuracy(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Best one-to-one cluster-to-class accuracy (Hungarian matching)."""
    t, p = check_label_pair(y_true, y_pred)
    table = contingency(t, p)
    from scipy.optimize import linear_sum_assignment  # imported on use: keeps the metrics import light

    rows, cols = linear_sum_assignment(table, maximize=True)
    return float(table[rows, cols].sum() / len(t))


def purity(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Fraction of samples in their cluster's majority class (many-to-one map)."""
    t, p = check_label_pair(y_true, y_pred)
    return float(contingency(t, p).max(axis=1).sum() / len(t))


def class_majority(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """The official NEMGAN code's clustering accuracy: for each class, the share of its
    samples that fall in the cluster holding most of them, averaged over the classes.

    Not a one-to-one score: classes may share a cluster, so one cluster holding everything
    scores 1.0 (Hungarian ACC then gives the largest class share). NEMGAN's tables use it;
    the report shows it beside Hungarian ACC, never instead.
    """
    t, p = check_label_pair(y_true, y_pred)
    table = contingency(t, p)  # rows clusters, columns the classes present
    return float((table.max(axis=0) / table.sum(axis=0)).mean())


def nmi(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Normalised mutual information, arithmetic mean normalisation (scikit-learn)."""
    t, p = check_label_pair(y_true, y_pred)
    from sklearn.metrics import normalized_mutual_info_score

    return float(normalized_mutual_info_score(t, p))


def ari(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Adjusted Rand index (Hubert & Arabie 1985; scikit-learn)."""
    t, p = check_label_pair(y_true, y_pred)
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(t, p))


def table_scores(table: ArrayLike) -> tuple[float, float, float, float, float]:
    """(ACC, NMI, ARI, purity, class-majority share) from a contingency table (rows
    clusters, columns classes), as the functions above compute them from labels: what a
    bootstrap recomputes on each resampled table without relabelling. NMI (arithmetic
    normalisation) and ARI follow scikit-learn's definitions and special cases: NMI is 1 when
    both labellings have one group, ARI is 1 when the two agree on every pair."""
    t = np.asarray(table, dtype=np.float64)
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]  # the clusters and classes present
    n = t.sum()
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(t, maximize=True)
    acc, purity_ = t[rows, cols].sum() / n, t.max(axis=1).sum() / n
    majority = float((t.max(axis=0) / t.sum(axis=0)).mean())
    return float(acc), _table_nmi(t, n), _table_ari(t, n), float(purity_), majority


def _entropy(counts: np.ndarray, n: float) -> float:
    p = counts[counts > 0] / n
    return float(-(p * np.log(p)).sum())


def _table_nmi(t: np.ndarray, n: float) -> float:
    if t.shape[0] == t.shape[1] == 1:
        return 1.0
    a, b = t.sum(axis=1), t.sum(axis=0)
    i, j = np.nonzero(t)
    cells = t[i, j]
    mi = float((cells / n * (np.log(cells * n) - np.log(a[i] * b[j]))).sum())
    if mi <= 0:
        return 0.0
    return mi / ((_entropy(a, n) + _entropy(b, n)) / 2)


def _table_ari(t: np.ndarray, n: float) -> float:
    squares = (t**2).sum()
    fp = (t.sum(axis=0) ** 2).sum() - squares
    fn = (t.sum(axis=1) ** 2).sum() - squares
    tp, tn = squares - n, n**2 - fp - fn - squares
    if fn == 0 and fp == 0:
        return 1.0
    return float(2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn)))


def clustering_chance(
    y_true: ArrayLike, y_pred: ArrayLike, n_perm: int = 200, seed: int = 0
) -> dict[str, Chance]:
    """The chance level of each score of :func:`table_scores` (keys :data:`TABLE_SCORES`): the
    permutation null of ``y_pred`` shuffled against ``y_true`` ``n_perm`` times with ``seed``,
    its mean and its 95% quantile (:func:`gan_bench.metrics.statistics.permutation_chance`)."""
    t, p = check_label_pair(y_true, y_pred)
    _, classes = np.unique(t, return_inverse=True)
    _, clusters = np.unique(p, return_inverse=True)
    shape = (int(clusters.max()) + 1, int(classes.max()) + 1)
    chances = permutation_chance(
        lambda a, b: table_scores(contingency(a, b, shape=shape)), classes, clusters, n_perm=n_perm, seed=seed
    )
    return dict(zip(TABLE_SCORES, chances, strict=True))

"""GM-GAN's quality and diversity scores (Ben-Yosef & Weinshall, §3, eqs. 4-7).

Quality (eq. 4): q(x) = a / (exp(delta(x)) + a), delta the Euclidean distance from x's
classifier features to the nearest training sample's. Written as
sigmoid(log a - delta) so large distances never overflow. The paper gives no a; by
default a = median exp(delta) of held-out real images (so real data scores 0.5), taken
exactly, also for an even held-out count (:func:`log_median_exp`).

Diversity (eqs. 5-7): d_intra = 1 - mean pairwise MS-SSIM, d_inter = entropy of the
mean one-hot class prediction / log N, d = sqrt(d_intra * d_inter).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gan_bench.metrics.class_histogram import class_histogram
from gan_bench.metrics.msssim import mean_pairwise_ms_ssim
from gan_bench.metrics.neighbours import nearest_distances
from gan_bench.validation import ArrayLike, as_float_array, as_labels, check_positive, check_same_width


def log_median_exp(delta: np.ndarray) -> float:
    """log(median(exp(delta))) without overflow: for an even count the median of exp(delta)
    is the mean of the two middle exp values, log((e^a + e^b) / 2), not e^((a + b) / 2)."""
    d = np.sort(np.asarray(delta, dtype=np.float64))
    mid = len(d) // 2
    if len(d) % 2:
        return float(d[mid])
    return float(np.logaddexp(d[mid - 1], d[mid]) - np.log(2.0))


def _calibrated_log_a(heldout_features: ArrayLike, train: np.ndarray) -> float:
    heldout = as_float_array(heldout_features, "heldout_features", ndim=2, min_samples=1)
    check_same_width(heldout, train, "heldout_features", "train_features")
    return log_median_exp(nearest_distances(heldout, train))


def calibrated_a(heldout_features: ArrayLike, train_features: ArrayLike) -> float:
    """GM-GAN's a = median exp(delta) of held-out real features (taken exactly), so that
    held-out real data scores 0.5. Compute it once and pass ``a=`` when scoring many sets."""
    train = as_float_array(train_features, "train_features", ndim=2, min_samples=1)
    return float(np.exp(_calibrated_log_a(heldout_features, train)))


def quality_score(
    features: ArrayLike,
    train_features: ArrayLike,
    *,
    heldout_features: ArrayLike | None = None,
    a: float | None = None,
) -> float:
    """Mean GM-GAN quality score (eq. 4) of generated samples' classifier features.

    Pass either ``a`` (fixed, or :func:`calibrated_a` computed once) or
    ``heldout_features`` (real images not in the training set) to calibrate
    a = median exp(delta_heldout) here. A copy of a training image has
    delta 0 and scores the maximum a / (1 + a).
    """
    return float(np.mean(quality_scores(features, train_features, heldout_features=heldout_features, a=a)))


def quality_scores(
    features: ArrayLike,
    train_features: ArrayLike,
    *,
    heldout_features: ArrayLike | None = None,
    a: float | None = None,
) -> np.ndarray:
    """Each generated sample's GM-GAN quality (eq. 4), 1 / (1 + exp(delta) / a): the terms
    :func:`quality_score` averages (a bootstrap of the mean resamples these)."""
    feats = as_float_array(features, "features", ndim=2, min_samples=1)
    train = as_float_array(train_features, "train_features", ndim=2, min_samples=1)
    check_same_width(feats, train, "features", "train_features")
    if (a is None) == (heldout_features is None):
        raise ValueError("quality_score: pass exactly one of a (fixed) or heldout_features (calibrated)")
    if a is not None:
        check_positive(a, "a")
        log_a = float(np.log(a))
    else:  # stays in log space: large distances never overflow
        log_a = _calibrated_log_a(heldout_features, train)
    delta = nearest_distances(feats, train)
    return 1.0 / (1.0 + np.exp(delta - log_a))


@dataclass(frozen=True)
class DiversityScore:
    """GM-GAN eqs. 5-7: intra-class, inter-class and combined diversity."""

    intra: float
    inter: float
    combined: float


def inter_class_diversity(predicted_labels: ArrayLike, n_classes: int) -> float:
    """Entropy of the histogram of predicted classes divided by log(n_classes) (eq. 6)."""
    if n_classes < 2:
        raise ValueError(f"n_classes: expected >= 2, got {n_classes}")
    p = class_histogram(predicted_labels, n_classes)
    nonzero = p[p > 0]
    # 0.0 + ...: one class gives an entropy of -0.0, reported as 0
    return 0.0 + float(-(nonzero * np.log(nonzero)).sum() / np.log(n_classes))


def diversity_score(
    images: ArrayLike,
    predicted_labels: ArrayLike,
    n_classes: int,
    *,
    include_self: bool = False,
    max_pairs: int | None = 20000,
    seed: int = 0,
    convention: str = "torchmetrics",
) -> DiversityScore:
    """GM-GAN diversity (eqs. 5-7) of a set of generated images.

    ``predicted_labels`` are a classifier's argmax predictions for ``images``. Pairs for
    the MS-SSIM mean are the distinct pairs (``include_self`` for the paper's literal
    X x X), subsampled to ``max_pairs`` with ``seed``. ``convention`` is the MS-SSIM
    averaging convention (:mod:`gan_bench.metrics.msssim`); ``"valid"`` is the one of the
    AC-GAN code GM-GAN compares against.
    """
    labels = as_labels(predicted_labels, "predicted_labels")
    if len(labels) != len(images):
        raise ValueError(
            f"images and predicted_labels: expected the same length, got {len(images)} and {len(labels)}"
        )
    pairs = None if include_self else max_pairs
    intra = 1.0 - mean_pairwise_ms_ssim(
        images, include_self=include_self, max_pairs=pairs, seed=seed, convention=convention
    )
    inter = inter_class_diversity(labels, n_classes)
    return DiversityScore(intra=intra, inter=inter, combined=float(np.sqrt(max(intra, 0.0) * inter)))

"""GM-GAN's quality and diversity scores (Ben-Yosef & Weinshall, §3, eqs. 4-7).

Quality (eq. 4): q(x) = a / (exp(delta(x)) + a), delta the Euclidean distance from x's
classifier features to the nearest training sample's. Written as
sigmoid(log a - delta) so large distances never overflow. The paper gives no a; by
default a = median exp(delta) of held-out real images (so real data scores 0.5), i.e.
log a = median delta of the held-out set.

Diversity (eqs. 5-7): d_intra = 1 - mean pairwise MS-SSIM, d_inter = entropy of the
mean one-hot class prediction / log N, d = sqrt(d_intra * d_inter).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from gan_bench.metrics.msssim import mean_pairwise_ms_ssim
from gan_bench.validation import ArrayLike, as_float_array, as_labels, check_same_width


def nearest_distances(queries: np.ndarray, references: np.ndarray, chunk: int = 2048) -> np.ndarray:
    """Euclidean distance from each query row to its nearest reference row."""
    ref = torch.from_numpy(references)
    out = np.empty(len(queries))
    for start in range(0, len(queries), chunk):
        q = torch.from_numpy(queries[start : start + chunk])
        out[start : start + len(q)] = torch.cdist(q, ref).min(dim=1).values.numpy()
    return out


def quality_score(
    features: ArrayLike,
    train_features: ArrayLike,
    *,
    heldout_features: ArrayLike | None = None,
    a: float | None = None,
) -> float:
    """Mean GM-GAN quality score (eq. 4) of generated samples' classifier features.

    Pass either ``a`` (fixed) or ``heldout_features`` (real images not in the training
    set) to calibrate a = median exp(delta_heldout). A copy of a training image has
    delta 0 and scores the maximum a / (1 + a).
    """
    feats = as_float_array(features, "features", ndim=2, min_samples=1)
    train = as_float_array(train_features, "train_features", ndim=2, min_samples=1)
    check_same_width(feats, train, "features", "train_features")
    if (a is None) == (heldout_features is None):
        raise ValueError("quality_score: pass exactly one of a (fixed) or heldout_features (calibrated)")
    if a is not None:
        if not a > 0:
            raise ValueError(f"a: expected a positive number, got {a}")
        log_a = float(np.log(a))
    else:
        heldout = as_float_array(heldout_features, "heldout_features", ndim=2, min_samples=1)
        check_same_width(heldout, train, "heldout_features", "train_features")
        log_a = float(np.median(nearest_distances(heldout, train)))
    delta = nearest_distances(feats, train)
    return float(np.mean(1.0 / (1.0 + np.exp(delta - log_a))))


@dataclass(frozen=True)
class DiversityScore:
    """GM-GAN eqs. 5-7: intra-class, inter-class and combined diversity."""

    intra: float
    inter: float
    combined: float


def inter_class_diversity(predicted_labels: ArrayLike, n_classes: int) -> float:
    """Entropy of the histogram of predicted classes divided by log(n_classes) (eq. 6)."""
    labels = as_labels(predicted_labels, "predicted_labels")
    if n_classes < 2:
        raise ValueError(f"n_classes: expected >= 2, got {n_classes}")
    if labels.min() < 0 or labels.max() >= n_classes:
        raise ValueError(f"predicted_labels: expected values in [0, {n_classes - 1}]")
    p = np.bincount(labels, minlength=n_classes) / len(labels)
    nonzero = p[p > 0]
    return float(-(nonzero * np.log(nonzero)).sum() / np.log(n_classes))


def diversity_score(
    images: ArrayLike,
    predicted_labels: ArrayLike,
    n_classes: int,
    *,
    include_self: bool = False,
    max_pairs: int | None = 20000,
    seed: int = 0,
) -> DiversityScore:
    """GM-GAN diversity (eqs. 5-7) of a set of generated images.

    ``predicted_labels`` are a classifier's argmax predictions for ``images``. Pairs for
    the MS-SSIM mean are the distinct pairs (``include_self`` for the paper's literal
    X x X), subsampled to ``max_pairs`` with ``seed``.
    """
    labels = as_labels(predicted_labels, "predicted_labels")
    if len(labels) != len(images):
        raise ValueError(
            f"images and predicted_labels: expected the same length, got {len(images)} and {len(labels)}"
        )
    pairs = None if include_self else max_pairs
    intra = 1.0 - mean_pairwise_ms_ssim(images, include_self=include_self, max_pairs=pairs, seed=seed)
    inter = inter_class_diversity(labels, n_classes)
    return DiversityScore(intra=intra, inter=inter, combined=float(np.sqrt(max(intra, 0.0) * inter)))

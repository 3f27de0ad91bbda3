"""Mode coverage: Gaussian-mixture mode reports and Stacked-MNIST mode counts.

The mixture protocol follows PacGAN/VEEGAN (and MD-GAN Table 1): each sample goes to the
nearest mode by sigma-normalised distance; it is high quality (HQ) when that distance is
below ``threshold`` (3 sigma); a mode is covered with at least ``min_samples`` HQ
samples. Stacked MNIST (VEEGAN §5; NEMGAN Table 3): modes are distinct digit triples,
and KL(p_gen || uniform over 1000) uses the natural log, empty modes contributing 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial.distance import cdist

from gan_bench.validation import (
    ArrayLike,
    as_float_array,
    as_labels,
    check_count,
    check_min_samples,
    check_positive,
    check_same_width,
)


def kl_to_uniform(counts: np.ndarray, n_bins: int | None = None) -> float:
    """KL(p || uniform) in nats for the histogram ``counts``; empty bins contribute 0."""
    total = counts.sum()
    if total == 0:
        return float("nan")
    bins = n_bins if n_bins is not None else len(counts)
    p = counts[counts > 0] / total
    return float((p * np.log(p * bins)).sum())


def js_to_uniform(counts: np.ndarray) -> float:
    """Jensen-Shannon divergence (nats) between the histogram and the uniform one."""
    total = counts.sum()
    if total == 0:
        return float("nan")
    p = counts / total
    u = np.full_like(p, 1.0 / len(p))
    m = (p + u) / 2
    nz = p > 0
    return float(0.5 * (p[nz] * np.log(p[nz] / m[nz])).sum() + 0.5 * (u * np.log(u / m)).sum())


@dataclass(frozen=True)
class ModeReport:
    """Mode coverage of samples from a Gaussian mixture."""

    n_modes: int
    hq_fraction: float
    counts: np.ndarray
    kl_uniform: float
    js_uniform: float
    n_samples: int


def mode_report(
    samples: ArrayLike,
    means: ArrayLike,
    std: float,
    *,
    threshold: float = 3.0,
    min_samples: int = 1,
) -> ModeReport:
    """Modes covered, HQ fraction and per-mode HQ counts of ``samples`` (N, D).

    ``means`` is (K, D) and ``std`` the (isotropic) standard deviation of each mode.
    KL/JSD compare the HQ histogram with uniform over the K modes (NaN with no HQ sample).
    """
    nearest, high_quality = nearest_modes(samples, means, std, threshold=threshold)
    return report_of_assignments(nearest, high_quality, len(np.asarray(means)), min_samples=min_samples)


def nearest_modes(
    samples: ArrayLike, means: ArrayLike, std: float, *, threshold: float = 3.0
) -> tuple[np.ndarray, np.ndarray]:
    """Each sample's nearest mode and whether it is high quality (within ``threshold`` std of
    it): the per-sample part of :func:`mode_report`, which a bootstrap resamples."""
    x = as_float_array(samples, "samples", ndim=2, min_samples=1)
    mu = as_float_array(means, "means", ndim=2, min_samples=1)
    check_same_width(x, mu, "samples", "means")
    check_positive(std, "std")
    check_positive(threshold, "threshold")
    centres, first = np.unique(mu, axis=0, return_index=True)
    if len(centres) < len(mu):
        repeated = sorted(set(range(len(mu))) - set(first.tolist()))
        raise ValueError(
            f"means: expected {len(mu)} distinct mode centres, got {len(centres)}: "
            f"rows {repeated} repeat earlier rows (a repeated centre can never be covered)"
        )
    dist = cdist(x, mu) / std
    nearest = dist.argmin(axis=1)
    return nearest, dist[np.arange(len(x)), nearest] < threshold


def report_of_assignments(
    nearest: np.ndarray, high_quality: np.ndarray, n_modes: int, *, min_samples: int = 1
) -> ModeReport:
    """The mode report of samples given their nearest modes and HQ flags (:func:`nearest_modes`)."""
    check_count(min_samples, "min_samples")
    counts = np.bincount(nearest[high_quality], minlength=n_modes)
    return ModeReport(
        n_modes=int((counts >= min_samples).sum()),
        hq_fraction=float(high_quality.mean()),
        counts=counts,
        kl_uniform=kl_to_uniform(counts),
        js_uniform=js_to_uniform(counts),
        n_samples=len(nearest),
    )


STACKED_MODES = 1000


def stacked_mnist_counts(digits: ArrayLike) -> np.ndarray:
    """Samples per digit triple (1000 bins, triple abc at index 100a + 10b + c).

    ``digits`` is (N, 3): the classified digit of each channel.
    """
    d = np.asarray(digits)
    if d.ndim != 2 or d.shape[1] != 3:
        raise ValueError(f"digits: expected shape (N, 3), got {tuple(d.shape)}")
    check_min_samples(len(d), 1, "digits")
    flat = as_labels(d.reshape(-1), "digits").reshape(-1, 3)
    if flat.max() > 9:
        raise ValueError(f"digits: expected digit classes in 0-9, got values up to {flat.max()}")
    codes = flat[:, 0] * 100 + flat[:, 1] * 10 + flat[:, 2]
    return np.bincount(codes, minlength=STACKED_MODES)


def stacked_mnist_modes(digits: ArrayLike) -> tuple[int, float]:
    """Number of distinct digit triples and KL(p_gen || uniform over 1000), in nats.

    ``digits`` is (N, 3): the classified digit of each channel.
    """
    counts = stacked_mnist_counts(digits)
    return int((counts > 0).sum()), kl_to_uniform(counts, STACKED_MODES)

"""Precision and recall (Kynkäänniemi et al. 2019) and density and coverage (Naeem et al.
2020) of generated features against real ones, with k-nearest-neighbour balls.

With r_k(x) the distance from x to its k-th nearest neighbour in its own set (itself
excluded), real set X (N rows) and fake set Y (M rows):

- precision = (1/M) sum_j 1[exists i: ||y_j - x_i|| <= r_k(x_i)]
- recall    = (1/N) sum_i 1[exists j: ||x_i - y_j|| <= r_k(y_j)]
- density   = (1/(k M)) sum_j sum_i 1[||y_j - x_i|| <= r_k(x_i)]
- coverage  = (1/N) sum_i 1[min_j ||x_i - y_j|| <= r_k(x_i)]

These are the definitions of the ``prdc`` package (Naeem et al.'s code), computed here
exactly with chunked distances (:mod:`gan_bench.metrics.neighbours`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gan_bench.metrics.neighbours import count_within_radii, kth_nearest_distances, nearest_distances
from gan_bench.validation import ArrayLike, as_float_array, check_count, check_min_samples, check_same_width


@dataclass(frozen=True)
class PRDC:
    """Precision, recall, density and coverage at ``k`` neighbours."""

    precision: float
    recall: float
    density: float
    coverage: float
    k: int


def _own_radii(x: np.ndarray, k: int) -> np.ndarray:
    """Distance to the k-th nearest neighbour within the same set, the point itself excluded."""
    return kth_nearest_distances(x, x, k + 1)


def precision_recall_density_coverage(real: ArrayLike, fake: ArrayLike, *, k: int = 5) -> PRDC:
    """PRDC of ``fake`` features (M, D) against ``real`` features (N, D) with k-NN balls."""
    x = as_float_array(real, "real", ndim=2)
    y = as_float_array(fake, "fake", ndim=2)
    check_same_width(x, y, "real", "fake")
    check_count(k, "k")
    check_min_samples(len(x), k + 1, "real")
    check_min_samples(len(y), k + 1, "fake")
    real_radii = _own_radii(x, k)
    fake_radii = _own_radii(y, k)
    fake_in_real = count_within_radii(y, x, real_radii)
    real_in_fake = count_within_radii(x, y, fake_radii)
    return PRDC(
        precision=float((fake_in_real > 0).mean()),
        recall=float((real_in_fake > 0).mean()),
        density=float(fake_in_real.sum() / (k * len(y))),
        coverage=float((nearest_distances(x, y) <= real_radii).mean()),
        k=k,
    )

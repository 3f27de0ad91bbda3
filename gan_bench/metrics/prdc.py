"""Precision and recall (Kynkäänniemi et al. 2019) and density and coverage (Naeem et al.
2020) of generated features against real ones, with k-nearest-neighbour balls.

With r_k(x) the distance from x to its k-th nearest neighbour in its own set (itself
excluded), real set X (N rows) and fake set Y (M rows):

- precision = (1/M) sum_j 1[exists i: ||y_j - x_i|| <= r_k(x_i)]
- recall    = (1/N) sum_i 1[exists j: ||x_i - y_j|| <= r_k(y_j)]
- density   = (1/(k M)) sum_j sum_i 1[||y_j - x_i|| <= r_k(x_i)]
- coverage  = (1/N) sum_i 1[min_j ||x_i - y_j|| <= r_k(x_i)]

These are the definitions of the ``prdc`` package (Naeem et al.'s code), computed here
exactly with chunked distances (:mod:`gan_bench.metrics.neighbours`), the three fake-real
readings in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gan_bench.metrics.neighbours import ball_memberships, kth_nearest_distances
from gan_bench.validation import ArrayLike, as_float_array, check_count, check_min_samples, check_same_width


@dataclass(frozen=True)
class PRDC:
    """Precision, recall, density and coverage at ``k`` neighbours."""

    precision: float
    recall: float
    density: float
    coverage: float
    k: int


def knn_radii(features: ArrayLike, k: int = 5) -> np.ndarray:
    """r_k of every row of (N, D) ``features``: the distance to its k-th nearest neighbour in
    the same set, the row itself excluded. The real set's radii depend on the real features
    alone, so a caller scoring many generators against one real set computes them once and
    passes them to :func:`precision_recall_density_coverage`."""
    x = as_float_array(features, "features", ndim=2)
    check_count(k, "k")
    check_min_samples(len(x), k + 1, "features")
    return kth_nearest_distances(x, x, k + 1)


def precision_recall_density_coverage(
    real: ArrayLike, fake: ArrayLike, *, k: int = 5, real_radii: ArrayLike | None = None
) -> PRDC:
    """PRDC of ``fake`` features (M, D) against ``real`` features (N, D) with k-NN balls.
    ``real_radii``: :func:`knn_radii` of ``real`` at this ``k``, where already computed."""
    x = as_float_array(real, "real", ndim=2)
    y = as_float_array(fake, "fake", ndim=2)
    check_same_width(x, y, "real", "fake")
    check_count(k, "k")
    check_min_samples(len(x), k + 1, "real")
    check_min_samples(len(y), k + 1, "fake")
    if real_radii is None:
        real_radii = knn_radii(x, k)
    else:
        real_radii = as_float_array(real_radii, "real_radii", ndim=1)
        if len(real_radii) != len(x) or bool((real_radii < 0).any()):
            raise ValueError(
                f"real_radii: expected {len(x)} non-negative distances (knn_radii of the {len(x)} real "
                f"rows), got {len(real_radii)} with minimum {real_radii.min(initial=np.inf):.4g}"
            )
    fake_radii = knn_radii(y, k)
    # one pass over the fake-real distances: balls of each real holding each fake, fakes'
    # balls holding each real, and each real's nearest fake
    fake_in_real, real_in_fake, nearest_fake = ball_memberships(y, x, fake_radii, real_radii)
    return PRDC(
        precision=float((fake_in_real > 0).mean()),
        recall=float(real_in_fake.mean()),
        density=float(fake_in_real.sum() / (k * len(y))),
        coverage=float((nearest_fake <= real_radii).mean()),
        k=k,
    )

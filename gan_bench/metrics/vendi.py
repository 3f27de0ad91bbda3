"""The Vendi score (Friedman & Dieng, "The Vendi Score: A Diversity Evaluation Metric for
Machine Learning", TMLR 2023, Definition 3.1): the exponential of the Shannon entropy of the
eigenvalues of K / n, for a positive semi-definite similarity kernel K with K(x, x) = 1.

It needs no reference set and reads as an effective number of distinct samples: n identical
samples score 1, samples in k mutually orthogonal groups of equal size score k.
"""

from __future__ import annotations

import numpy as np

from gan_bench.validation import ArrayLike, as_float_array


def vendi_score(features: ArrayLike) -> float:
    """Vendi score of (N, D) ``features`` under the cosine kernel K_ij = <x_i, x_j> / (|x_i| |x_j|).

    K / n = X^ X^T / n has the nonzero eigenvalues of X^T X^ / n (D x D), computed instead
    when D < N (§3.2's dual form). A zero row has no direction: refused.
    """
    x = as_float_array(features, "features", ndim=2, min_samples=1).astype(np.float64)
    norms = np.linalg.norm(x, axis=1)
    if (zero := norms == 0).any():
        raise ValueError(
            f"features: the cosine kernel needs nonzero rows, got {int(zero.sum())} all-zero rows of {len(x)}"
        )
    unit = x / norms[:, None]
    n, d = unit.shape
    gram = unit.T @ unit if d < n else unit @ unit.T
    eigenvalues = np.clip(np.linalg.eigvalsh(gram / n), 0.0, None)
    positive = eigenvalues[eigenvalues > 0]
    positive = positive / positive.sum()  # the trace of K / n is 1; this removes rounding
    return float(np.exp(-(positive * np.log(positive)).sum()))

"""Earth mover's distance (exact 1-Wasserstein) between two point sets.

Goerttler & Kloft (§4, ring-8) report EMD between generated and real samples. Ground
cost is the Euclidean distance (not squared: POT's ``ot.dist`` defaults to squared
Euclidean, so the metric is named explicitly), uniform weights, solved exactly with
POT's network simplex ``ot.emd2``.
"""

from __future__ import annotations

import numpy as np

from gan_bench.validation import ArrayLike, as_float_array, check_same_width


def emd(x: ArrayLike, y: ArrayLike, *, max_iter: int = 1_000_000) -> float:
    """Exact EMD with Euclidean ground cost between (N, D) and (M, D) samples."""
    a = as_float_array(x, "x", ndim=2, min_samples=1)
    b = as_float_array(y, "y", ndim=2, min_samples=1)
    check_same_width(a, b, "x", "y")
    import ot  # POT, imported on use: keeps the metrics import light

    cost = ot.dist(a, b, metric="euclidean")
    wa = np.full(len(a), 1.0 / len(a))
    wb = np.full(len(b), 1.0 / len(b))
    return float(ot.emd2(wa, wb, cost, numItermax=max_iter))

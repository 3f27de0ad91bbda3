"""Earth mover's distance (exact 1-Wasserstein) between two point sets.

Goerttler & Kloft (§4, ring-8) report EMD between generated and real samples. Ground
cost is the Euclidean distance (not squared: POT's ``ot.dist`` defaults to squared
Euclidean, so the metric is named explicitly), uniform weights, solved exactly with
POT's network simplex ``ot.emd2``.
"""

from __future__ import annotations

import warnings

import numpy as np

from gan_bench.validation import ArrayLike, as_float_array, check_count, check_same_width


def emd(x: ArrayLike, y: ArrayLike, *, max_iter: int = 1_000_000) -> float:
    """Exact EMD with Euclidean ground cost between (N, D) and (M, D) samples. A network
    simplex that stops at ``max_iter`` before the optimum is an error: its value is only an
    upper bound of the EMD."""
    a = as_float_array(x, "x", ndim=2, min_samples=1)
    b = as_float_array(y, "y", ndim=2, min_samples=1)
    check_same_width(a, b, "x", "y")
    check_count(max_iter, "max_iter")
    import ot  # POT, imported on use: keeps the metrics import light

    cost = ot.dist(a, b, metric="euclidean")
    wa = np.full(len(a), 1.0 / len(a))
    wb = np.full(len(b), 1.0 / len(b))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # POT's warning; the log says the same
        value, log = ot.emd2(wa, wb, cost, numItermax=max_iter, log=True)
    if log.get("warning"):
        raise RuntimeError(
            f"emd: the exact transport did not reach the optimum in max_iter={max_iter} iterations "
            f"(POT: {log['warning']}); its {float(value):.6g} is only an upper bound. Raise max_iter."
        )
    return float(value)

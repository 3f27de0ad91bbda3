"""Uncertainty of benchmark numbers: intervals over seeds, Welch's test between two runs,
and Holm's correction when one run is compared with several.

- Student-t interval of a mean over n seeds: ``mean ± t_{1-a/2, n-1} s / sqrt(n)``.
- Welch's t-test (Welch 1947): ``t = (m1 - m2) / sqrt(s1²/n1 + s2²/n2)`` with the
  Welch–Satterthwaite degrees of freedom
  ``(s1²/n1 + s2²/n2)² / ((s1²/n1)²/(n1-1) + (s2²/n2)²/(n2-1))``; two-sided p-value.
- Percentile bootstrap (Efron & Tibshirani 1993, §13.3) of a statistic of one evaluated
  sample set: resample the rows with replacement B times (a fixed seed), recompute the
  statistic, and take the a/2 and 1 - a/2 quantiles of the B values. It is the interval of
  one seed, for metrics whose value is a function of the evaluated samples.
- Two one-seed estimates are compared through their bootstrap intervals read as normal
  (:func:`interval_p_value`: se = width / (2 z), a two-sided z-test of the difference).
- Permutation null (chance level) of a score of two labellings (Good 2005, §3): shuffle
  one labelling against the other B times (a fixed seed), which keeps both marginals (the
  class sizes and the cluster sizes), and recompute the score. Its mean is the score a
  random assignment with the same cluster sizes gets; a value at or below the null's
  1 - a quantile is within chance (a one-sided permutation test at level a).
- Holm's step-down correction (Holm 1979): sort the m p-values, the k-th smallest
  (k = 1..m) is adjusted to ``max_{j<=k} min(1, (m - j + 1) p_(j))``; a hypothesis is
  rejected at level a when its adjusted p-value is <= a. It controls the family-wise error.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from gan_bench.validation import ArrayLike, as_float_array, check_count, check_positive, check_seed

ALPHA = 0.05  # the level of the report's tests: "best" (family-wise, Holm) and the claims
CONFIDENCE = 1 - ALPHA  # the level of every interval the results and the report show


@dataclass(frozen=True)
class Interval:
    """A mean over ``n`` values with its two-sided interval (``low``/``high`` NaN for n = 1)."""

    mean: float
    low: float
    high: float
    n: int
    confidence: float


def _confidence(confidence: float) -> float:
    check_positive(confidence, "confidence")
    if not confidence < 1:
        raise ValueError(f"confidence: expected a level in (0, 1), got {confidence!r}")
    return float(confidence)


def t_interval(values: ArrayLike, confidence: float = 0.95) -> Interval:
    """The mean of ``values`` (one per seed) with its Student-t interval; one value gives
    the value and no interval (NaN bounds): a single seed says nothing about the spread."""
    x = as_float_array(values, "values", ndim=1, min_samples=1)
    level = _confidence(confidence)
    mean, n = float(x.mean()), len(x)
    if n == 1:
        return Interval(mean, float("nan"), float("nan"), 1, level)
    half = float(_t_quantile(0.5 + level / 2, n - 1) * x.std(ddof=1) / np.sqrt(n))
    return Interval(mean, mean - half, mean + half, n, level)


@functools.lru_cache(maxsize=256)
def _t_quantile(q: float, dof: int) -> float:
    """Student's t quantile; cached, as a report asks for the same few (1.8 ms a call)."""
    from scipy.stats import t

    return float(t.ppf(q, dof))


def bootstrap_intervals(
    statistic: Callable[..., ArrayLike],
    *samples: ArrayLike,
    n_boot: int = 200,
    confidence: float = 0.95,
    seed: int = 0,
    method: str = "percentile",
) -> list[Interval]:
    """Bootstrap intervals of each entry of a vector-valued ``statistic(*samples)``: each
    sample set (rows) is resampled with replacement, independently, ``n_boot`` times with
    ``seed``, and every entry is read off the same resamples. ``mean`` is the statistic on the
    samples as given; ``n`` the number of rows of the first set. An entry that is undefined
    (NaN) on some resample has a NaN interval.

    ``method="percentile"``: the a/2 and 1 - a/2 quantiles q of the resampled values.
    ``method="standard"`` (Efron & Tibshirani 1993, §13.2): t ± z_{1-a/2} se, se the standard
    deviation of the resampled values, centred on the estimate t. It is for a statistic whose
    resamples are shifted by the resampling itself while t is not: a count of distinct modes
    at n samples (a resample repeats samples, so it covers fewer modes than a fresh draw of n,
    and its percentile interval lies wholly below t), or a plug-in KL."""
    if method not in ("percentile", "standard"):
        raise ValueError(f"method: expected 'percentile' or 'standard', got {method!r}")
    check_count(n_boot, "n_boot", minimum=2)
    check_seed(seed)
    level = _confidence(confidence)
    arrays = [np.asarray(s) for s in samples]
    if not arrays or any(a.ndim == 0 or len(a) < 2 for a in arrays):
        raise ValueError(
            f"samples: expected one or more sample sets of 2 rows at least, got {[a.shape for a in arrays]}"
        )
    rng = np.random.default_rng(seed)
    values = np.array(
        [
            np.atleast_1d(statistic(*(a[rng.integers(0, len(a), len(a))] for a in arrays)))
            for _ in range(n_boot)
        ],
        dtype=np.float64,
    )
    point = np.atleast_1d(np.asarray(statistic(*arrays), dtype=np.float64))
    low, high = np.quantile(values, [0.5 - level / 2, 0.5 + level / 2], axis=0)
    if method == "standard":
        from scipy.stats import norm

        half = norm.ppf(0.5 + level / 2) * values.std(axis=0, ddof=1)
        low, high = point - half, point + half
    return [
        Interval(float(m), float(lo), float(hi), len(arrays[0]), level)
        for m, lo, hi in zip(point, low, high, strict=True)
    ]


def bootstrap_interval(
    statistic: Callable[..., float],
    *samples: ArrayLike,
    n_boot: int = 200,
    confidence: float = 0.95,
    seed: int = 0,
) -> Interval:
    """The percentile-bootstrap interval of a scalar ``statistic(*samples)``
    (:func:`bootstrap_intervals` with one entry)."""
    (interval,) = bootstrap_intervals(statistic, *samples, n_boot=n_boot, confidence=confidence, seed=seed)
    return interval


@dataclass(frozen=True)
class Chance:
    """The permutation null of a score: its mean (the chance level) and its ``1 - alpha``
    quantile (a value at or below it is within chance), from ``n`` permutations."""

    level: float
    high: float
    n: int


def permutation_chance(
    statistic: Callable[[np.ndarray, np.ndarray], ArrayLike],
    fixed: ArrayLike,
    shuffled: ArrayLike,
    n_perm: int = 200,
    alpha: float = ALPHA,
    seed: int = 0,
) -> list[Chance]:
    """The chance level of each entry of a vector-valued ``statistic(fixed, shuffled)``:
    ``shuffled`` is permuted against ``fixed`` ``n_perm`` times with ``seed`` (both keep
    their own counts), and every entry is read off the same permutations."""
    check_count(n_perm, "n_perm", minimum=2)
    check_seed(seed)
    a, b = np.asarray(fixed), np.asarray(shuffled)
    if a.ndim != 1 or a.shape != b.shape or len(a) < 2:
        raise ValueError(
            "fixed, shuffled: expected two 1-d labellings of one length (2 at least), "
            f"got {a.shape}, {b.shape}"
        )
    rng = np.random.default_rng(seed)
    null = np.array(
        [np.atleast_1d(statistic(a, rng.permutation(b))) for _ in range(n_perm)], dtype=np.float64
    )
    high = np.quantile(null, _confidence(1 - alpha), axis=0)
    return [Chance(float(m), float(h), n_perm) for m, h in zip(null.mean(axis=0), high, strict=True)]


def interval_p_value(a: Interval, b: Interval) -> float:
    """Two-sided p-value that two estimates with 95%-type intervals (one seed each: their
    bootstrap intervals) have the same value, reading each interval as normal: the standard
    error is the interval's width over 2 z_{(1+c)/2}, and z = (a - b) / sqrt(se_a² + se_b²).
    Two intervals of width 0 give p = 0 when the values differ and 1 when they are equal."""
    from scipy.stats import norm

    for x, name in ((a, "a"), (b, "b")):
        if not (np.isfinite(x.low) and np.isfinite(x.high)):
            raise ValueError(f"{name}: expected a finite interval, got [{x.low}, {x.high}]")
    se = [(x.high - x.low) / (2 * norm.ppf(0.5 + x.confidence / 2)) for x in (a, b)]
    diff, spread = a.mean - b.mean, float(np.hypot(*se))
    if spread == 0:
        return 0.0 if diff != 0 else 1.0
    return float(min(1.0, 2 * norm.sf(abs(diff) / spread)))


def welch_p_value(a: ArrayLike, b: ArrayLike) -> float:
    """Two-sided p-value of Welch's t-test that ``a`` and ``b`` (values over seeds) have the
    same mean. Each needs two values at least. Two samples without spread give p = 0 when
    their means differ and 1 when they are equal."""
    x = as_float_array(a, "a", ndim=1, min_samples=2)
    y = as_float_array(b, "b", ndim=1, min_samples=2)
    vx, vy = x.var(ddof=1) / len(x), y.var(ddof=1) / len(y)
    diff = float(x.mean() - y.mean())
    if vx + vy == 0:
        return 0.0 if diff != 0 else 1.0
    t_stat = diff / np.sqrt(vx + vy)
    df = (vx + vy) ** 2 / (vx**2 / (len(x) - 1) + vy**2 / (len(y) - 1))
    from scipy.stats import t

    return float(min(1.0, 2 * t.sf(abs(t_stat), df)))


def holm(p_values: ArrayLike) -> np.ndarray:
    """Holm's adjusted p-values, in the order given."""
    p = as_float_array(p_values, "p_values", ndim=1)
    if ((p < 0) | (p > 1)).any():
        raise ValueError(
            f"p_values: expected probabilities in [0, 1], got {p[(p < 0) | (p > 1)][:3].tolist()}"
        )
    m = len(p)
    order = np.argsort(p, kind="stable")
    scaled = np.minimum(1.0, (m - np.arange(m)) * p[order])
    adjusted = np.empty(m)
    adjusted[order] = np.maximum.accumulate(scaled)
    return adjusted

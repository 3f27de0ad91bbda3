"""Inception Score (Salimans et al. 2016, §4): exp(E_x KL(p(y|x) || p(y))).

Works on class probabilities from any classifier: Inception's for natural images, a
dataset classifier's for MNIST-like data (the "classifier score").
"""

from __future__ import annotations

import numpy as np

from gan_bench.validation import ArrayLike, as_float_array, check_count, check_min_samples


def inception_score(
    probs: ArrayLike, *, splits: int = 10, seed: int | None = 0, from_logits: bool = False
) -> tuple[float, float]:
    """Mean and std of the Inception Score over ``splits`` disjoint splits.

    ``probs`` is (N, K) class probabilities (rows sum to 1), or logits with
    ``from_logits=True``. Samples are shuffled with ``seed`` before splitting (None keeps
    the given order). N equally used, fully confident classes give N; identical
    predictions give 1.
    """
    p = as_float_array(probs, "probs", ndim=2)
    if from_logits:
        p = np.exp(p - p.max(axis=1, keepdims=True))  # softmax, shifted so exp cannot overflow
        p /= p.sum(axis=1, keepdims=True)
    elif (p < 0).any():
        raise ValueError(
            f"probs: expected non-negative probabilities, got a minimum of {p.min():.4g} "
            "(pass from_logits=True for logits)"
        )
    elif not np.allclose(sums := p.sum(axis=1), 1.0, atol=1e-4):
        raise ValueError(
            f"probs: expected rows summing to 1, got sums in [{sums.min():.4g}, {sums.max():.4g}] "
            "(pass from_logits=True for logits)"
        )
    check_count(splits, "splits")
    check_min_samples(len(p), max(2, splits), "probs")
    if seed is not None:
        p = p[np.random.default_rng(seed).permutation(len(p))]
    scores = []
    for part in np.array_split(p, splits):
        marginal = part.mean(axis=0, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            kl = np.where(part > 0, part * (np.log(part) - np.log(marginal)), 0.0).sum(axis=1)
        scores.append(np.exp(kl.mean()))
    return float(np.mean(scores)), float(np.std(scores))

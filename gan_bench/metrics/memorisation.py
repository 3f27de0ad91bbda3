"""Memorisation: how many generated samples copy a training sample (the authenticity of
Alaa, van Breugel, Saveliev and van der Schaar, "How Faithful is your Synthetic Data?",
ICML 2022, §3.3).

A generated sample g is unauthentic when it lies closer to its nearest training sample x*
than x* lies to its own nearest other training sample: it sits inside the gap around x*
that the training data leave empty, where a copy (or a near copy) of x* falls. The
memorisation rate is the share of such samples (authenticity is one minus it).
"""

from __future__ import annotations

import numpy as np

from gan_bench.metrics.neighbours import kth_nearest_distances, nearest_neighbours
from gan_bench.validation import ArrayLike, as_float_array, check_same_width


def memorisation_rate(train: ArrayLike, generated: ArrayLike) -> float:
    """Share of the (M, D) ``generated`` features closer to their nearest (N, D) ``train``
    feature x* than x* is to its nearest other training feature (Alaa et al. 2022, §3.3).
    A training set with exact duplicates gives their members a radius of 0, so nothing is
    counted as their copy."""
    x = as_float_array(train, "train", ndim=2, min_samples=2)
    y = as_float_array(generated, "generated", ndim=2, min_samples=1)
    check_same_width(x, y, "train", "generated")
    distance, nearest = nearest_neighbours(y, x)
    used = np.unique(nearest)
    radius = np.zeros(len(x))
    radius[used] = kth_nearest_distances(x[used], x, 2)  # the first nearest is x* itself
    return float((distance < radius[nearest]).mean())

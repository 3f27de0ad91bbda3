"""Memorisation (Alaa et al. 2022's authenticity) against a brute-force oracle, and through
the protocol against a "generator" that returns training images (issue 27)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.distance import cdist

from gan_bench.bench.context import SampleSizes
from gan_bench.bench.user_generator import evaluate_generator
from gan_bench.data import load
from gan_bench.metrics import memorisation_rate
from gan_bench.metrics.neighbours import nearest_neighbours


def _oracle(train: np.ndarray, generated: np.ndarray) -> float:
    """Every distance written out: g is memorised iff d(g, x*) < min over x != x* of d(x*, x)."""
    to_train = cdist(generated, train)
    within = cdist(train, train)
    np.fill_diagonal(within, np.inf)
    nearest = to_train.argmin(1)
    return float(np.mean(to_train[np.arange(len(generated)), nearest] < within[nearest].min(1)))


def test_memorisation_matches_a_brute_force_oracle_on_near_copies_and_fresh_points():
    rng = np.random.default_rng(0)
    train = rng.standard_normal((400, 6)) * 3 + 10
    copies = train[rng.choice(400, 60, replace=False)] + rng.standard_normal((60, 6)) * 0.05
    fresh = rng.standard_normal((140, 6)) * 3 + 10
    generated = np.concatenate([copies, fresh])
    ours = memorisation_rate(train, generated)
    assert ours == pytest.approx(_oracle(train, generated), abs=0)
    assert 60 / 200 < ours < 1  # every near copy counts, and some fresh points fall in gaps too


def test_nearest_neighbours_agrees_with_cdist():
    rng = np.random.default_rng(1)
    queries, references = rng.standard_normal((50, 4)), rng.standard_normal((70, 4))
    distances, indices = nearest_neighbours(queries, references, chunk=7)
    full = cdist(queries, references)
    np.testing.assert_array_equal(indices, full.argmin(1))
    np.testing.assert_allclose(distances, full.min(1), rtol=1e-10)


def test_a_generator_that_returns_training_images_is_fully_memorised_and_held_out_images_are_not():
    train = load("mnist5k", "train").samples
    held_out = load("mnist5k", "test").samples
    pick = np.random.default_rng(0).choice(len(train), 300, replace=False)
    sizes = SampleSizes(samples=300)

    def score(images):
        rows = evaluate_generator(
            lambda n, seed: images[:n], "mnist5k", metrics=["memorisation"], sizes=sizes
        )
        assert rows["n_samples"].tolist() == [300]
        return rows["value"].item()

    assert score(train[pick]) == 1.0
    assert score(held_out[:300]) < 0.6  # real unseen digits: 0.443 measured, the level of no copying


def test_memorisation_refuses_features_of_another_width():
    with pytest.raises(ValueError, match="train"):
        memorisation_rate(np.zeros((5, 3)), np.zeros((2, 4)))

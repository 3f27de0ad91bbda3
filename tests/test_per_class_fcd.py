"""Intra-class FCD against the Fréchet distance of hand-split sets, and through the protocol
(issue 27)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gan_bench.bench.context import SampleSizes
from gan_bench.bench.user_generator import evaluate_generator
from gan_bench.data import load
from gan_bench.metrics import frechet_distance_from_features, per_class_frechet


def test_per_class_frechet_is_the_frechet_distance_of_each_hand_split_class():
    rng = np.random.default_rng(0)
    real = rng.standard_normal((300, 4))
    real_labels = rng.integers(0, 3, 300)
    fake = rng.standard_normal((200, 4)) * 1.5 + 0.3
    fake_labels = rng.integers(0, 3, 200)
    fake_labels[fake_labels == 2] = 1  # class 2 never generated
    fake_labels[0] = 2  # ... but once: one sample has no covariance
    result = per_class_frechet(real, real_labels, fake, fake_labels, 4)  # class 3: in neither
    for c in (0, 1):
        expected = frechet_distance_from_features(real[real_labels == c], fake[fake_labels == c])
        assert result.distances[c] == pytest.approx(expected, rel=1e-12)
    assert math.isnan(result.distances[2]) and math.isnan(result.distances[3])
    assert result.n_fake == (int((fake_labels == 0).sum()), int((fake_labels == 1).sum()), 1, 0)
    assert result.n_real[3] == 0
    assert result.mean == pytest.approx(np.mean(result.distances[:2]))


def test_per_class_frechet_refuses_labels_of_another_length():
    with pytest.raises(ValueError, match="fake_labels: expected one per fake row \\(3\\), got 2"):
        per_class_frechet(np.zeros((4, 2)), np.zeros(4, int), np.zeros((3, 2)), np.zeros(2, int), 2)


def test_a_generator_of_one_class_is_scored_on_that_class_alone():
    """Through the protocol: real test digits score a small intra-class FCD on all 10 classes;
    copies of the ones score one class (the count says so)."""
    test, train = load("mnist5k", "test"), load("mnist5k", "train")
    mixed = train.samples[np.random.default_rng(0).permutation(len(train))[:400]]
    ones = train.samples[train.labels == 1][:400]
    sizes = SampleSizes(samples=400)
    metrics = ["fcd_per_class"]
    every = evaluate_generator(lambda n, seed: mixed[:n], "mnist5k", metrics=metrics, sizes=sizes)
    one = evaluate_generator(lambda n, seed: ones[:n], "mnist5k", metrics=metrics, sizes=sizes)
    every, one = every.set_index("metric")["value"], one.set_index("metric")["value"]
    assert every["classes_generated"] == 10 and one["classes_generated"] == 1
    assert len(test) == 1000 and every["fcd_per_class"] > 0

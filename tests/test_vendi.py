"""The Vendi score against the vendi-score package (Friedman & Dieng's own code) and its
closed forms (issue 27)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from vendi_score import vendi

from gan_bench.bench.context import SampleSizes
from gan_bench.bench.user_generator import evaluate_generator
from gan_bench.data import load
from gan_bench.metrics import vendi_score


@pytest.mark.parametrize("n, d", [(300, 20), (40, 100)])  # the dual (D < N) and the primal form
def test_vendi_matches_the_authors_package(n, d):
    x = np.random.default_rng(n).standard_normal((n, d)) + 0.5
    assert vendi_score(x) == pytest.approx(vendi.score_X(x), rel=1e-9)
    assert vendi_score(x) == pytest.approx(vendi.score_dual(x), rel=1e-9)


def test_vendi_closed_forms_identical_orthogonal_and_unequal_groups():
    one = np.tile([[1.0, 2.0, 3.0]], (50, 1))
    assert vendi_score(one) == pytest.approx(1.0, abs=1e-12)
    k = 7
    groups = np.repeat(np.eye(k) * 3.0, 20, axis=0)  # k orthogonal directions, 20 samples each
    assert vendi_score(groups) == pytest.approx(k, rel=1e-12)
    p = 0.2  # two orthogonal groups holding 20% and 80%: exp(H(0.2, 0.8))
    two = np.repeat(np.eye(2), [20, 80], axis=0)
    assert vendi_score(two) == pytest.approx(
        math.exp(-(p * math.log(p) + (1 - p) * math.log(1 - p))), rel=1e-12
    )
    # the cosine kernel ignores a sample's length
    assert vendi_score(groups * np.arange(1, len(groups) + 1)[:, None]) == pytest.approx(k, rel=1e-12)


def test_vendi_refuses_a_zero_feature_row():
    with pytest.raises(ValueError, match="needs nonzero rows, got 1 all-zero rows of 3"):
        vendi_score(np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]]))


def test_vendi_in_the_registry_counts_more_distinct_digits_than_copies_of_one():
    """Through the protocol: 200 real digits of every class score several times more than
    200 copies of one digit (1) and than 200 ones (1.64 measured; all classes 5.29)."""
    digits = load("mnist5k", "train", n=200, seed=0).samples
    train = load("mnist5k", "train")
    ones = train.samples[train.labels == 1][:200]
    sizes = SampleSizes(samples=200)
    varied = evaluate_generator(lambda n, seed: digits[:n], "mnist5k", metrics=["vendi"], sizes=sizes)
    same = evaluate_generator(
        lambda n, seed: digits[:1].repeat(n, 1, 1, 1), "mnist5k", metrics=["vendi"], sizes=sizes
    )
    assert varied["n_samples"].tolist() == [200]
    assert same["value"].item() == pytest.approx(1.0, abs=1e-6)
    one_class = evaluate_generator(lambda n, seed: ones[:n], "mnist5k", metrics=["vendi"], sizes=sizes)
    assert varied["value"].item() > 2 * one_class["value"].item() > 2 * 1.2


def test_a_generator_whose_features_are_all_zero_is_skipped_with_the_count_not_a_crash(monkeypatch):
    from gan_bench.bench import context

    digits = load("mnist5k", "train", n=100, seed=0).samples  # the report grid draws 80
    real = context.classifier_outputs_of

    def dead_features(model, images, batch=1000):
        logits, features = real(model, images, batch)
        return logits, np.zeros_like(features)

    monkeypatch.setattr(context, "classifier_outputs_of", dead_features)
    from gan_bench.bench.user_generator import evaluate_generator_run

    run = evaluate_generator_run(
        lambda n, seed: digits[:n], "mnist5k", ["vendi"], sizes=SampleSizes(samples=50)
    )
    assert (
        run.values == []
        and run.notes.skipped["vendi"] == "50 of 50 generated images have all-zero classifier features"
    )

"""What users hand the metrics and the generator protocol: odd arrays, failing functions,
numbers at the edge of float64 (issue 29). Each case failed obscurely or scored silently."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from gan_bench.bench.user_generator import GeneratorOutputError, UserFunctionError, evaluate_generator
from gan_bench.metrics import (
    estimate_pairwise_ms_ssim,
    frechet_distance_from_features,
    precision_recall_density_coverage,
)
from gan_bench.metrics.neighbours import kth_nearest_distances


def grid_points(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, 2)) * 0.05 + rng.integers(-2, 3, size=(n, 2)) * 2.0


def test_a_failing_generator_is_named_with_its_own_line():
    def boom(n, seed):
        raise ValueError("boom")

    with pytest.raises(
        UserFunctionError,
        match=r"your generator .*boom raised ValueError: boom \(at .*test_faults_inputs.py:\d+ in boom\)",
    ):
        evaluate_generator(boom, "grid25", metrics=["modes"])

    with pytest.raises(UserFunctionError, match="raised ZeroDivisionError"):
        evaluate_generator(lambda n, seed: 1 / 0, "grid25", metrics=["modes"])


def test_a_generator_with_the_wrong_signature_is_told_the_expected_one():
    def one_arg(n):
        return grid_points(n, 0)

    with pytest.raises(
        TypeError, match=r"generator: expected a function sample_fn\(n, seed\) -> samples, got .*one_arg\(n\)"
    ):
        evaluate_generator(one_arg, "grid25", metrics=["modes"])
    with pytest.raises(TypeError, match=r"predict_cluster: expected a function predict_cluster\(x\)"):
        evaluate_generator(grid_points, "grid25", metrics=["clustering"], predict_cluster=lambda: 0)


def test_reversed_and_big_endian_samples_score_like_plain_ones_and_meta_tensors_are_named():
    plain = evaluate_generator(grid_points, "grid25", metrics=["modes"])
    for odd in (lambda n, s: grid_points(n, s)[::-1][::-1], lambda n, s: grid_points(n, s).astype(">f8")):
        assert evaluate_generator(odd, "grid25", metrics=["modes"]).equals(plain)
    flipped = evaluate_generator(lambda n, s: np.flipud(grid_points(n, s)), "grid25", metrics=["modes"])
    assert flipped["value"].tolist() == plain["value"].tolist()  # the same points, in reverse order
    images = np.random.default_rng(0).random((12, 1, 28, 28))
    assert estimate_pairwise_ms_ssim(images[::-1], 20) == estimate_pairwise_ms_ssim(images[::-1].copy(), 20)
    assert estimate_pairwise_ms_ssim(images.astype(">f8"), 20) == estimate_pairwise_ms_ssim(images, 20)
    with pytest.raises(GeneratorOutputError, match="expected a tensor with values .* got a 'meta' tensor"):
        evaluate_generator(lambda n, s: torch.empty(n, 2, device="meta"), "grid25", metrics=["modes"])
    with pytest.raises(
        ValueError, match="real: expected a tensor with values .* 'meta' tensor of shape \\(10, 2\\)"
    ):
        frechet_distance_from_features(torch.empty(10, 2, device="meta"), np.ones((10, 2)))


def test_a_coordinate_beyond_float32_is_named_not_reported_as_inf():
    def huge(n, seed):
        x = grid_points(n, seed)
        x[0, 0] = 1e39
        return x

    with pytest.raises(
        GeneratorOutputError, match=r"within float32's range .* got 1 beyond it \(largest \|x\| 1e\+39\)"
    ):
        evaluate_generator(huge, "grid25", metrics=["modes"])


def test_ragged_lists_fractional_pair_counts_and_overflowing_covariances_are_named():
    rows = np.random.default_rng(1).normal(size=(20, 2))
    with pytest.raises(
        ValueError, match="real: expected a rectangular array .* ragged nested list of 2 rows"
    ):
        frechet_distance_from_features([[1.0, 2.0], [3.0]], rows)
    images = np.random.default_rng(0).random((6, 1, 28, 28))
    with pytest.raises(ValueError, match="n_pairs: expected an integer >= 2, got 2.5"):
        estimate_pairwise_ms_ssim(images, 2.5)
    with pytest.raises(
        ValueError, match=r"real: the features are finite but their covariance overflows float64"
    ):
        frechet_distance_from_features(rows * 1e160, rows * 1e160)


def test_prdc_and_neighbour_distances_hold_far_from_the_origin_and_near_float64s_limit():
    rng = np.random.default_rng(3)
    real, fake = rng.normal(size=(200, 8)), rng.normal(size=(200, 8)) + 0.3
    base = precision_recall_density_coverage(real, fake, k=5)
    assert base.coverage > 0.5 and 0.5 < base.density < 1.5
    # before: coverage 0.0 at x1e160 (squares overflow), density 20.8 at +1e8 (1e16 - 1e16 cancels)
    assert precision_recall_density_coverage(real * 1e160, fake * 1e160, k=5) == base
    assert precision_recall_density_coverage(real + 1e8, fake + 1e8, k=5) == base
    direct = np.sort(np.linalg.norm(fake[:, None] - real[None], axis=2), axis=1)[:, 2]  # brute force
    np.testing.assert_allclose(kth_nearest_distances(fake, real, 3), direct, rtol=1e-12)
    np.testing.assert_allclose(kth_nearest_distances(fake + 1e8, real + 1e8, 3), direct, rtol=1e-7)
    np.testing.assert_allclose(
        kth_nearest_distances(fake * 1e160, real * 1e160, 3), direct * 1e160, rtol=1e-12
    )

"""Every public metric refuses NaN input with a message naming the argument."""

import numpy as np
import pytest
import torch

from gan_bench import metrics

NAN_POINTS = np.array([[0.0, 1.0], [np.nan, 2.0], [1.0, 1.0]])
GOOD_POINTS = np.random.default_rng(0).normal(size=(3, 2))
NAN_IMAGES = torch.rand(2, 1, 28, 28)
NAN_IMAGES[1, 0, 3, 3] = float("nan")

CASES = {
    "frechet_distance": lambda: metrics.frechet_distance(
        np.zeros(2), np.full((2, 2), np.nan), np.zeros(2), np.eye(2)
    ),
    "feature_statistics": lambda: metrics.feature_statistics(NAN_POINTS),
    "covariance_factor": lambda: metrics.covariance_factor(np.full((2, 2), np.nan)),
    "frechet_distance_from_features": lambda: metrics.frechet_distance_from_features(NAN_POINTS, GOOD_POINTS),
    "frechet_distance_infinity": lambda: metrics.frechet_distance_infinity(GOOD_POINTS, NAN_POINTS),
    "kid": lambda: metrics.kid(GOOD_POINTS, NAN_POINTS),
    "fcd": lambda: metrics.fcd(NAN_IMAGES, torch.rand(2, 1, 28, 28), torch.nn.Flatten()),
    "inception_score": lambda: metrics.inception_score(np.full((20, 3), np.nan)),
    "ms_ssim": lambda: metrics.ms_ssim(NAN_IMAGES, torch.rand(2, 1, 28, 28)),
    "mean_pairwise_ms_ssim": lambda: metrics.mean_pairwise_ms_ssim(NAN_IMAGES),
    "estimate_pairwise_ms_ssim": lambda: metrics.estimate_pairwise_ms_ssim(NAN_IMAGES, 10),
    "quality_score": lambda: metrics.quality_score(NAN_POINTS, GOOD_POINTS, a=1.0),
    "quality_scores": lambda: metrics.quality_scores(NAN_POINTS, GOOD_POINTS, a=1.0),
    "diversity_score": lambda: metrics.diversity_score(NAN_IMAGES, np.array([0, 1]), 2),
    "cluster_accuracy": lambda: metrics.cluster_accuracy(np.array([0.0, np.nan]), np.array([0, 1])),
    "purity": lambda: metrics.purity(np.array([0, 1]), np.array([np.nan, 1.0])),
    "class_majority": lambda: metrics.class_majority(np.array([0, 1]), np.array([np.nan, 1.0])),
    "nmi": lambda: metrics.nmi(np.array([0.0, np.nan]), np.array([0, 1])),
    "ari": lambda: metrics.ari(np.array([0.0, np.inf]), np.array([0, 1])),
    "mode_report": lambda: metrics.mode_report(NAN_POINTS, GOOD_POINTS, 0.1),
    "stacked_mnist_modes": lambda: metrics.stacked_mnist_modes(np.array([[0.0, 1.0, np.nan]])),
    "stacked_mnist_counts": lambda: metrics.stacked_mnist_counts(np.array([[0.0, 1.0, np.nan]])),
    "emd": lambda: metrics.emd(NAN_POINTS, GOOD_POINTS),
    "class_histogram": lambda: metrics.class_histogram(np.array([0.0, np.nan]), 2),
    "class_histogram_kl": lambda: metrics.class_histogram_kl(np.array([0, 1]), np.array([0.5, np.nan])),
    "precision_recall_density_coverage": lambda: metrics.precision_recall_density_coverage(
        NAN_POINTS, GOOD_POINTS, k=1
    ),
    "knn_radii": lambda: metrics.knn_radii(NAN_POINTS, k=1),
    "vendi_score": lambda: metrics.vendi_score(NAN_POINTS),
    "memorisation_rate": lambda: metrics.memorisation_rate(GOOD_POINTS, NAN_POINTS),
    "per_class_frechet": lambda: metrics.per_class_frechet(
        NAN_POINTS, np.zeros(len(NAN_POINTS), int), GOOD_POINTS, np.zeros(len(GOOD_POINTS), int), 1
    ),
}


def test_every_public_metric_has_a_nan_case():
    public = {name for name in metrics.__all__ if name[0].islower()}
    # fid and inception_features need the Inception network: their bad-input cases are in
    # test_metrics_fid, run with a randomly initialised network
    assert public - set(CASES) == {"fid", "inception_features", "load_inception"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_nan_input_is_a_clear_error(name):
    with pytest.raises(ValueError, match=r"(finite|NaN)"):
        CASES[name]()

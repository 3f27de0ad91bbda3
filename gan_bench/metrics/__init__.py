"""The metrics core: plain functions of numpy arrays or torch tensors.

Each function validates its input and cites the paper or standard it implements.
"""

from gan_bench.metrics.class_histogram import class_histogram, class_histogram_kl
from gan_bench.metrics.clustering import ari, class_majority, cluster_accuracy, nmi, purity
from gan_bench.metrics.frechet import (
    FrechetInfinity,
    PerClassFrechet,
    covariance_factor,
    fcd,
    feature_statistics,
    frechet_distance,
    frechet_distance_from_features,
    frechet_distance_infinity,
    kid,
    per_class_frechet,
)
from gan_bench.metrics.inception import fid, inception_features, load_inception
from gan_bench.metrics.inception_score import inception_score
from gan_bench.metrics.memorisation import memorisation_rate
from gan_bench.metrics.modes import ModeReport, mode_report, stacked_mnist_counts, stacked_mnist_modes
from gan_bench.metrics.msssim import estimate_pairwise_ms_ssim, mean_pairwise_ms_ssim, ms_ssim
from gan_bench.metrics.prdc import PRDC, knn_radii, precision_recall_density_coverage
from gan_bench.metrics.quality_diversity import DiversityScore, diversity_score, quality_score, quality_scores
from gan_bench.metrics.transport import emd
from gan_bench.metrics.vendi import vendi_score

__all__ = [
    "DiversityScore",
    "FrechetInfinity",
    "ModeReport",
    "PRDC",
    "PerClassFrechet",
    "ari",
    "class_histogram",
    "class_histogram_kl",
    "class_majority",
    "covariance_factor",
    "cluster_accuracy",
    "diversity_score",
    "emd",
    "estimate_pairwise_ms_ssim",
    "fcd",
    "feature_statistics",
    "fid",
    "frechet_distance",
    "frechet_distance_from_features",
    "frechet_distance_infinity",
    "inception_features",
    "inception_score",
    "kid",
    "knn_radii",
    "load_inception",
    "mean_pairwise_ms_ssim",
    "memorisation_rate",
    "mode_report",
    "ms_ssim",
    "nmi",
    "per_class_frechet",
    "precision_recall_density_coverage",
    "purity",
    "quality_score",
    "quality_scores",
    "stacked_mnist_counts",
    "stacked_mnist_modes",
    "vendi_score",
]

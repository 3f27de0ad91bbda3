"""The bad-input battery of the reliability issue, through the Python API: each case asserts
the error type and that the message names what was expected and what arrived."""

import numpy as np
import pytest
import torch

from gan_bench import metrics

rng = np.random.default_rng(0)
IMG = torch.rand(4, 1, 28, 28)
FEAT = rng.normal(size=(20, 3))
FEAT2 = rng.normal(size=(20, 3))
LABELS = np.array([0, 1, 1, 0])
FLAT = torch.nn.Flatten()


def _with(value, where=(1, 0, 3, 3)):
    x = IMG.clone()
    x[where] = value
    return x


CASES = {
    # --- images ---------------------------------------------------------------------
    "image NaN": (
        lambda: metrics.ms_ssim(_with(float("nan")), IMG),
        ValueError,
        r"expected finite.*1 NaN/inf",
    ),
    "image inf": (lambda: metrics.mean_pairwise_ms_ssim(_with(float("inf"))), ValueError, r"expected finite"),
    "image floats in [0, 255]": (
        lambda: metrics.ms_ssim(IMG * 255, IMG),
        ValueError,
        r"expected float images in \[0, 1\].*got values in \[.*, 25\d",
    ),
    "image negative": (
        lambda: metrics.ms_ssim(_with(-0.5), IMG),
        ValueError,
        r"in \[0, 1\].*got values in \[-0.5",
    ),
    "image float16": (
        lambda: metrics.ms_ssim(IMG.half(), IMG),
        TypeError,
        r"expected uint8, float32 or float64 images, got dtype torch.float16",
    ),
    "image int64": (
        lambda: metrics.ms_ssim((IMG * 255).long(), IMG),
        TypeError,
        r"expected uint8, float32 or float64 images, got dtype torch.int64",
    ),
    "image channels for the classifier": (
        lambda: metrics.fcd(torch.rand(4, 3, 28, 28), torch.rand(4, 3, 28, 28), _OneChannel()),
        ValueError,
        r"classifier expects 1 channel\(s\) per image, got 3",
    ),
    "image 2-D array": (
        lambda: metrics.ms_ssim(torch.rand(28, 28), IMG),
        ValueError,
        r"\(N, C, H, W\).*got \(28, 28\)",
    ),
    "image empty": (
        lambda: metrics.mean_pairwise_ms_ssim(torch.rand(0, 1, 28, 28)),
        ValueError,
        r"at least 2.*got 0",
    ),
    "one sample for a covariance": (
        lambda: metrics.fcd(IMG[:1], IMG, FLAT),
        ValueError,
        r"expected at least 2 samples, got 1",
    ),
    "real and fake shapes differ": (
        lambda: metrics.fcd(IMG, torch.rand(4, 1, 32, 32), FLAT),
        ValueError,
        r"expected the same image shape, got \(1, 28, 28\) and \(1, 32, 32\)",
    ),
    "images too small for MS-SSIM": (
        lambda: metrics.ms_ssim(torch.rand(2, 1, 8, 8), torch.rand(2, 1, 8, 8)),
        ValueError,
        r"expected a side of at least 25 px for 3 scales with a 7x7 window, got 8",
    ),
    # --- labels ---------------------------------------------------------------------
    "label lengths differ": (lambda: metrics.nmi([0, 1, 1], [0, 1]), ValueError, r"same length, got 3 and 2"),
    "negative labels": (
        lambda: metrics.cluster_accuracy([0, -1], [0, 1]),
        ValueError,
        r"expected non-negative labels.*got -1",
    ),
    "non-integer float labels": (
        lambda: metrics.ari([0.5, 1.0], [0, 1]),
        ValueError,
        r"expected integer labels, got 1 non-integer floats \(first: 0.5\)",
    ),
    "string labels": (
        lambda: metrics.purity(np.array(["a", "b"]), [0, 1]),
        TypeError,
        r"integer labels.*dtype <U1",
    ),
    "Stacked MNIST digit outside 0-9": (
        lambda: metrics.stacked_mnist_modes(np.array([[0, 1, 10]])),
        ValueError,
        r"expected digit classes in 0-9, got values up to 10",
    ),
    "class histogram label beyond n_classes": (
        lambda: metrics.class_histogram([0, 12], 10),
        ValueError,
        r"expected values in \[0, 9\], got \[0, 12\]",
    ),
    # --- probabilities ----------------------------------------------------------------
    "IS rows not summing to 1": (
        lambda: metrics.inception_score(np.full((20, 4), 0.5)),
        ValueError,
        r"expected rows summing to 1, got sums in \[2, 2\]",
    ),
    "IS negative entries": (
        lambda: metrics.inception_score(np.tile([1.5, -0.5], (20, 1))),
        ValueError,
        r"expected non-negative probabilities, got a minimum of -0.5",
    ),
    # --- metric parameters ------------------------------------------------------------
    "MS-SSIM kernel_size 0": (
        lambda: metrics.ms_ssim(IMG, IMG, kernel_size=0),
        ValueError,
        r"kernel_size: expected an odd integer >= 3, got 0",
    ),
    "MS-SSIM kernel_size even": (
        lambda: metrics.ms_ssim(IMG, IMG, kernel_size=4),
        ValueError,
        r"odd integer >= 3, got 4",
    ),
    "MS-SSIM sigma 0": (
        lambda: metrics.ms_ssim(IMG, IMG, sigma=0.0),
        ValueError,
        r"sigma: expected a finite number > 0, got 0.0",
    ),
    "MS-SSIM negative betas": (
        lambda: metrics.ms_ssim(IMG, IMG, betas=(0.5, -0.5)),
        ValueError,
        r"betas: expected one finite non-negative weight per scale, got \(0.5, -0.5\)",
    ),
    "MS-SSIM unknown convention": (
        lambda: metrics.ms_ssim(IMG, IMG, convention="tf"),
        ValueError,
        r"convention: expected one of \('torchmetrics', 'valid'\), got 'tf'",
    ),
    "max_pairs 0": (
        lambda: metrics.mean_pairwise_ms_ssim(IMG, max_pairs=0),
        ValueError,
        r"max_pairs: expected a positive pair count or None, got 0",
    ),
    "n_pairs 0": (
        lambda: metrics.estimate_pairwise_ms_ssim(IMG, 0),
        ValueError,
        r"n_pairs: expected an integer >= 2, got 0",
    ),
    "mode_report std inf": (
        lambda: metrics.mode_report(FEAT[:, :2], FEAT2[:, :2], float("inf")),
        ValueError,
        r"std: expected a finite number > 0, got inf",
    ),
    "mode_report negative threshold": (
        lambda: metrics.mode_report(FEAT[:, :2], FEAT2[:, :2], 0.1, threshold=-1.0),
        ValueError,
        r"threshold: expected a finite number > 0, got -1.0",
    ),
    "quality a inf": (
        lambda: metrics.quality_score(FEAT, FEAT2, a=float("inf")),
        ValueError,
        r"a: expected a finite number > 0, got inf",
    ),
    "quality a 0": (
        lambda: metrics.quality_score(FEAT, FEAT2, a=0.0),
        ValueError,
        r"a: expected a finite number > 0, got 0.0",
    ),
    "prdc k 0": (
        lambda: metrics.precision_recall_density_coverage(FEAT, FEAT2, k=0),
        ValueError,
        r"k: expected an integer >= 1, got 0",
    ),
    "prdc k too large": (
        lambda: metrics.precision_recall_density_coverage(FEAT, FEAT2, k=20),
        ValueError,
        r"real: expected at least 21 samples, got 20",
    ),
    "kid degree 0": (
        lambda: metrics.kid(FEAT, FEAT2, degree=0),
        ValueError,
        r"degree: expected an integer >= 1, got 0",
    ),
    "kid subset_size 1": (
        lambda: metrics.kid(FEAT, FEAT2, subset_size=1),
        ValueError,
        r"subset_size: expected an integer >= 2, got 1",
    ),
    "IS splits 0": (
        lambda: metrics.inception_score(np.full((20, 4), 0.25), splits=0),
        ValueError,
        r"splits: expected an integer >= 1, got 0",
    ),
    # --- covariances, feature widths, dtypes -------------------------------------------
    "covariance not symmetric": (
        lambda: metrics.frechet_distance(
            np.zeros(2), np.array([[1.0, 0.5], [0.0, 1.0]]), np.zeros(2), np.eye(2)
        ),
        ValueError,
        r"sigma1: expected a symmetric covariance matrix, got \|S - S\^T\| up to 0.5",
    ),
    "covariance not PSD": (
        lambda: metrics.frechet_distance(np.zeros(2), np.diag([1.0, -1.0]), np.zeros(2), np.eye(2)),
        ValueError,
        r"sigma1: expected a positive semi-definite covariance, got a smallest eigenvalue -1",
    ),
    "zero-width features": (
        lambda: metrics.frechet_distance_from_features(np.zeros((5, 0)), np.zeros((5, 0))),
        ValueError,
        r"real: expected at least 1 feature column, got shape \(5, 0\)",
    ),
    "complex features": (
        lambda: metrics.kid(FEAT.astype(complex), FEAT2),
        TypeError,
        r"real: expected real numbers, got dtype complex128",
    ),
    "feature widths differ": (
        lambda: metrics.precision_recall_density_coverage(FEAT, FEAT2[:, :2], k=2),
        ValueError,
        r"same feature size.*\(3,\).*\(2,\)",
    ),
}


class _OneChannel(torch.nn.Module):
    """A classifier for 1-channel 28x28 images (declares it, as the bundled SmallCNN does)."""

    in_channels = 1

    def forward(self, x):
        return x.flatten(1)[:, :10]


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_a_clear_error(case):
    call, error, message = CASES[case]
    with pytest.raises(error, match=message):
        call()

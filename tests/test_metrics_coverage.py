"""Precision/recall/density/coverage, the class histogram, k-NN distances, the exact
median calibration of the quality score, and the "valid" MS-SSIM convention, each
against an independent reference."""

import numpy as np
import piq
import pytest
import torch
from prdc import compute_prdc
from scipy.stats import entropy

from gan_bench.metrics import (
    class_histogram,
    class_histogram_kl,
    knn_radii,
    ms_ssim,
    precision_recall_density_coverage,
    quality_score,
)
from gan_bench.metrics.msssim import MSSSIMSettings
from gan_bench.metrics.neighbours import ball_memberships, kth_nearest_distances
from gan_bench.metrics.quality_diversity import calibrated_a, log_median_exp


def brute_force_prdc(real: np.ndarray, fake: np.ndarray, k: int) -> tuple[float, float, float, float]:
    """The four definitions read literally, with loops over all pairs."""

    def dist(a, b):
        return np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1))

    rr, ff, rf = dist(real, real), dist(fake, fake), dist(real, fake)
    r_real = np.array([sorted(row)[k] for row in rr])  # row[0] is the point itself
    r_fake = np.array([sorted(row)[k] for row in ff])
    precision = np.mean([any(rf[i, j] <= r_real[i] for i in range(len(real))) for j in range(len(fake))])
    recall = np.mean([any(rf[i, j] <= r_fake[j] for j in range(len(fake))) for i in range(len(real))])
    density = sum(rf[i, j] <= r_real[i] for i in range(len(real)) for j in range(len(fake))) / (k * len(fake))
    coverage = np.mean([rf[i].min() <= r_real[i] for i in range(len(real))])
    return precision, recall, density, coverage


@pytest.mark.parametrize("k", [1, 5])
def test_prdc_matches_brute_force_and_the_prdc_package(rng, k):
    real = rng.normal(size=(120, 6))
    fake = rng.normal(size=(90, 6)) + 0.8  # partly overlapping: every value strictly inside (0, 1)
    ours = precision_recall_density_coverage(real, fake, k=k)
    oracle = brute_force_prdc(real, fake, k)
    package = compute_prdc(real_features=real, fake_features=fake, nearest_k=k)
    got = (ours.precision, ours.recall, ours.density, ours.coverage)
    assert got == pytest.approx(oracle, abs=1e-12)
    assert got == pytest.approx(
        (package["precision"], package["recall"], package["density"], package["coverage"]), abs=1e-12
    )
    assert 0 < ours.precision < 1 and 0 < ours.recall < 1 and 0 < ours.coverage < 1


def test_prdc_with_precomputed_real_radii_equals_prdc_and_checks_them(rng):
    real = rng.normal(size=(120, 6))
    fake = rng.normal(size=(90, 6)) + 0.8
    radii = knn_radii(real, k=5)
    oracle_radii = np.sort(np.linalg.norm(real[:, None] - real[None], axis=-1), axis=1)[:, 5]
    assert radii == pytest.approx(oracle_radii, abs=1e-12)
    assert precision_recall_density_coverage(real, fake, k=5, real_radii=radii) == (
        precision_recall_density_coverage(real, fake, k=5)
    )
    # radii of another set (here: the fake one) change the answer: they are really used
    other = precision_recall_density_coverage(real, fake, k=5, real_radii=radii * 2)
    assert other.precision > precision_recall_density_coverage(real, fake, k=5).precision
    with pytest.raises(ValueError, match="real_radii: expected 120 non-negative distances .* got 90"):
        precision_recall_density_coverage(real, fake, k=5, real_radii=knn_radii(fake, k=5))


def test_prdc_closed_cases(rng):
    x = rng.normal(size=(80, 4))
    same = precision_recall_density_coverage(x, x.copy(), k=5)
    assert (same.precision, same.recall, same.coverage) == (1.0, 1.0, 1.0)
    # each ball of x_i holds x_i and its k neighbours: k + 1 copies per ball, over k * N
    assert same.density == pytest.approx(6 / 5)
    far = precision_recall_density_coverage(x, x + 1000.0, k=5)
    assert (far.precision, far.recall, far.density, far.coverage) == (0.0, 0.0, 0.0, 0.0)
    with pytest.raises(ValueError, match="at least 6"):
        precision_recall_density_coverage(x[:5], x, k=5)


def test_neighbour_search_is_exact_across_chunks(rng):
    q, ref = rng.normal(size=(37, 5)), rng.normal(size=(53, 5))
    full = np.sort(np.linalg.norm(q[:, None] - ref[None], axis=-1), axis=1)
    for k in (1, 3, 53):
        assert kth_nearest_distances(q, ref, k, chunk=8) == pytest.approx(full[:, k - 1], abs=1e-10)
    radii, q_radii = rng.uniform(0.5, 2.5, size=len(ref)), rng.uniform(0.5, 2.5, size=len(q))
    d = np.linalg.norm(q[:, None] - ref[None], axis=-1)
    counts, covered, nearest = ball_memberships(q, ref, q_radii, radii, chunk=5)
    assert (counts == (d <= radii[None]).sum(1)).all() and 0 < counts.sum() < d.size
    assert (covered == (d <= q_radii[:, None]).any(0)).all() and 0 < covered.sum() < len(ref)
    assert nearest == pytest.approx(d.min(0), abs=1e-10)
    with pytest.raises(ValueError, match="k: expected 1..53"):
        kth_nearest_distances(q, ref, 54)


def test_class_histogram_kl_matches_scipy_entropy(rng):
    labels = rng.choice(5, size=700, p=[0.4, 0.3, 0.2, 0.1, 0.0])
    reference = np.array([0.1, 0.2, 0.3, 0.25, 0.15])
    p = class_histogram(labels, 5)
    assert p == pytest.approx(np.bincount(labels, minlength=5) / 700)
    assert class_histogram_kl(labels, reference) == pytest.approx(entropy(p, reference))
    assert class_histogram_kl(labels, reference * 7) == pytest.approx(entropy(p, reference))  # normalised
    balanced = np.repeat(np.arange(5), 20)
    assert class_histogram_kl(balanced, np.ones(5)) == pytest.approx(0.0, abs=1e-15)
    assert class_histogram_kl(labels, [0.5, 0.5, 0.0, 0.0, 0.0]) == np.inf
    with pytest.raises(ValueError, match=r"expected values in \[0, 4\]"):
        class_histogram(np.array([0, 5]), 5)


@pytest.mark.parametrize("n", [7, 8])
def test_quality_calibration_is_the_exact_median_of_exp_delta(rng, n):
    delta = rng.uniform(0.0, 3.0, size=n)
    assert np.exp(log_median_exp(delta)) == pytest.approx(np.median(np.exp(delta)), rel=1e-12)
    train = rng.normal(size=(40, 3))
    heldout = rng.normal(size=(n, 3))
    fake = rng.normal(size=(15, 3))
    d_held = np.array([np.linalg.norm(train - h, axis=1).min() for h in heldout])
    a = np.median(np.exp(d_held))  # PROTOCOLS.md: a = median exp(delta) of held-out reals
    d_fake = np.array([np.linalg.norm(train - f, axis=1).min() for f in fake])
    expected = np.mean(a / (np.exp(d_fake) + a))
    assert quality_score(fake, train, heldout_features=heldout) == pytest.approx(expected, rel=1e-12)
    assert calibrated_a(heldout, train) == pytest.approx(a, rel=1e-12)  # computed once, passed as a=
    assert quality_score(fake, train, a=calibrated_a(heldout, train)) == pytest.approx(expected, rel=1e-12)
    assert log_median_exp(np.array([1000.0, 1002.0])) == pytest.approx(1001.0 + np.log(np.cosh(1.0)))


def _smooth_pairs(n, size, seed=0):
    g = torch.Generator().manual_seed(seed)
    base = torch.nn.functional.avg_pool2d(
        torch.rand(n, 1, size, size, generator=g, dtype=torch.float64), 3, 1, 1
    )
    return base, (base + 0.15 * torch.randn(base.shape, generator=g, dtype=torch.float64)).clamp(0, 1)


@pytest.mark.parametrize("size", [28, 64])
def test_valid_convention_matches_piq(size):
    """piq averages every SSIM map over the valid region (Wang's convention); at the
    project's small-image settings (3 scales, 7x7 window) it must match ours."""
    x, y = _smooth_pairs(5, size)
    settings = MSSSIMSettings.for_size(size)
    ours = ms_ssim(x, y, convention="valid")
    ref = piq.multi_scale_ssim(
        x,
        y,
        data_range=1.0,
        kernel_size=settings.kernel_size,
        kernel_sigma=settings.sigma,
        scale_weights=torch.tensor(settings.betas, dtype=torch.float64),
        reduction="none",
    ).numpy()
    assert ours == pytest.approx(ref, abs=1e-6)
    padded = ms_ssim(x, y)  # the torchmetrics convention differs on these pairs
    assert np.abs(padded - ours).max() > 1e-3
    with pytest.raises(ValueError, match="convention: expected one of"):
        ms_ssim(x, y, convention="tf")


def test_sampled_ms_ssim_pairs_are_triu_indices_without_listing_them():
    from gan_bench.metrics.msssim import triu_pair

    for n in (2, 3, 5, 64, 1001):
        rows, cols = np.triu_indices(n, k=1)
        got = triu_pair(np.arange(len(rows)), n)
        assert (got[0] == rows).all() and (got[1] == cols).all(), n
    # at 50,000 images (1.25e9 pairs, whose list alone would be 20 GB): the inverse of the row offset
    n = 50_000
    total = n * (n - 1) // 2
    k = np.concatenate(
        [np.random.default_rng(0).choice(total, 5000, replace=False), [0, n - 2, n - 1, total - 1]]
    )
    i, j = triu_pair(k, n)
    assert ((0 <= i) & (i < j) & (j < n)).all()
    assert (i * n - i * (i + 1) // 2 + (j - i - 1) == k).all()


def test_the_kth_distance_read_off_the_squares_is_the_kth_distance_bit_for_bit(rng):
    """kth_nearest_distances takes the k-th smallest square and then its root (one root per
    query); reading the k-th smallest off every distance gives the same bits."""
    from gan_bench.metrics.neighbours import _distance_blocks

    q = rng.normal(3.0, 1.0, size=(300, 128)).astype(np.float32)
    ref = rng.normal(3.0, 1.0, size=(700, 128)).astype(np.float32)
    blocks = list(_distance_blocks(q, ref, 64))
    for k in (1, 2, 10, 700):
        every = np.concatenate([np.partition(d, k - 1, axis=1)[:, k - 1] for _, d in blocks])
        assert np.array_equal(kth_nearest_distances(q, ref, k, chunk=64), every), k

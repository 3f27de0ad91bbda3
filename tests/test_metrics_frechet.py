import warnings

import numpy as np
import pytest
import scipy.linalg
import torch

from gan_bench.metrics import fcd, feature_statistics, frechet_distance, frechet_distance_from_features, kid


def sqrtm_oracle(mu1, s1, mu2, s2) -> float:
    """The classic formula with scipy's matrix square root (pytorch-fid's path)."""
    covmean = scipy.linalg.sqrtm(s1 @ s2)
    covmean = np.real(covmean)
    diff = mu1 - mu2
    return float(diff @ diff + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def random_stats(rng, dim, n):
    a = rng.normal(size=(n, dim)) @ rng.normal(size=(dim, dim)) / np.sqrt(dim)
    b = rng.normal(loc=0.3, size=(n, dim)) @ rng.normal(size=(dim, dim)) / np.sqrt(dim)
    return (*feature_statistics(a), *feature_statistics(b))


@pytest.mark.parametrize("dim", [64, 2048])
def test_frechet_matches_sqrtm_oracle(rng, dim):
    mu1, s1, mu2, s2 = random_stats(rng, dim, n=dim + 500)
    ours = frechet_distance(mu1, s1, mu2, s2)
    ref = sqrtm_oracle(mu1, s1, mu2, s2)
    assert ours == pytest.approx(ref, rel=1e-6)
    assert ours > 1.0  # the two sets really differ


def test_frechet_closed_form_diagonal():
    # For commuting (diagonal) covariances, Tr sqrt(S1 S2) = sum sqrt(a_i b_i).
    a = np.array([1.0, 4.0, 9.0])
    b = np.array([4.0, 1.0, 0.25])
    mu1, mu2 = np.zeros(3), np.array([1.0, 2.0, 0.0])
    expected = 5.0 + a.sum() + b.sum() - 2 * np.sqrt(a * b).sum()
    assert frechet_distance(mu1, np.diag(a), mu2, np.diag(b)) == pytest.approx(expected, rel=1e-12)


def test_identical_inputs_give_zero_never_negative(rng):
    feats = rng.normal(size=(300, 50))
    mu, sigma = feature_statistics(feats)
    value = frechet_distance(mu, sigma, mu, sigma)
    assert value >= 0.0
    assert value == pytest.approx(0.0, abs=1e-8)


def test_rank_deficient_warns_but_is_finite(rng):
    feats_a = rng.normal(size=(20, 64))
    feats_b = rng.normal(size=(20, 64)) + 1.0
    with pytest.warns(RuntimeWarning, match="rank-deficient"):
        mu1, s1 = feature_statistics(feats_a)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mu2, s2 = feature_statistics(feats_b)
    value = frechet_distance(mu1, s1, mu2, s2)
    assert np.isfinite(value) and value > 0


def test_frechet_bad_input():
    mu = np.zeros(3)
    with pytest.raises(ValueError, match="finite"):
        frechet_distance(np.array([np.nan, 0, 0]), np.eye(3), mu, np.eye(3))
    with pytest.raises(ValueError, match=r"shape \(3, 3\)"):
        frechet_distance(mu, np.eye(4), mu, np.eye(3))
    with pytest.raises(ValueError, match="same feature size"):
        frechet_distance(mu, np.eye(3), np.zeros(4), np.eye(3))
    with pytest.raises(ValueError, match="1-D"):
        frechet_distance(np.eye(3), np.eye(3), mu, np.eye(3))
    with pytest.raises(ValueError, match="at least 2 samples"):
        feature_statistics(np.zeros((1, 3)))
    with pytest.raises(TypeError, match="numpy array or torch tensor"):
        frechet_distance("abc", np.eye(3), mu, np.eye(3))


def unbiased_mmd_oracle(x, y, degree=3, coef0=1.0):
    """O(n^2) double loop over the unbiased MMD^2 estimator."""
    d = x.shape[1]

    def k(a, b):
        return (a @ b / d + coef0) ** degree

    m, n = len(x), len(y)
    kxx = sum(k(x[i], x[j]) for i in range(m) for j in range(m) if i != j) / (m * (m - 1))
    kyy = sum(k(y[i], y[j]) for i in range(n) for j in range(n) if i != j) / (n * (n - 1))
    kxy = sum(k(x[i], y[j]) for i in range(m) for j in range(n)) / (m * n)
    return kxx + kyy - 2 * kxy


def test_kid_matches_unbiased_oracle(rng):
    x = rng.normal(size=(40, 8))
    y = rng.normal(loc=0.5, size=(40, 8))
    mean, std = kid(x, y, n_subsets=1, subset_size=40)
    assert mean == pytest.approx(unbiased_mmd_oracle(x, y), rel=1e-10)
    assert std == 0.0


def test_kid_is_unbiased_near_zero_for_same_distribution(rng):
    x = rng.normal(size=(400, 16))
    y = rng.normal(size=(400, 16))
    mean, _ = kid(x, y, n_subsets=20, subset_size=200)
    biased = kid(x, y + 1.0, n_subsets=5, subset_size=200)[0]
    assert abs(mean) < 0.01 < biased


def test_kid_seeded_and_checks(rng):
    x, y = rng.normal(size=(100, 4)), rng.normal(size=(100, 4))
    assert kid(x, y, n_subsets=3, subset_size=50, seed=5) == kid(x, y, n_subsets=3, subset_size=50, seed=5)
    with pytest.raises(ValueError, match="same feature size"):
        kid(x, rng.normal(size=(100, 5)))
    with pytest.raises(ValueError, match="at least 2 samples"):
        kid(x[:1], y)


def test_fcd_is_frechet_on_logits(rng):
    torch.manual_seed(0)
    classifier = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(64, 5))
    real = torch.rand(300, 1, 8, 8)
    fake = torch.rand(300, 1, 8, 8) ** 2
    with torch.no_grad():
        lr = classifier(real).double().numpy()
        lf = classifier(fake).double().numpy()
    expected = sqrtm_oracle(*feature_statistics(lr), *feature_statistics(lf))
    assert fcd(real, fake, classifier, batch_size=64) == pytest.approx(expected, rel=1e-6)
    assert fcd(real, real, classifier) == pytest.approx(0.0, abs=1e-9)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        fcd(real * 255, fake, classifier)


def test_frechet_singular_covariance_uses_fallback_closed_form():
    # S1 is singular (Cholesky fails), so the eigh square-root path is taken.
    a = np.array([1.0, 4.0, 0.0])
    b = np.array([4.0, 1.0, 0.25])
    expected = a.sum() + b.sum() - 2 * np.sqrt(a * b).sum()
    assert frechet_distance(np.zeros(3), np.diag(a), np.zeros(3), np.diag(b)) == pytest.approx(
        expected, rel=1e-12
    )


def test_reused_real_factor_gives_the_same_distance(rng):
    from gan_bench.metrics import covariance_factor

    real = rng.normal(size=(400, 12))
    mu1, s1 = feature_statistics(real)
    factor = covariance_factor(s1)
    assert factor @ factor.T == pytest.approx(s1, abs=1e-12)
    for shift in (0.0, 0.3, 1.0):
        mu2, s2 = feature_statistics(1.2 * rng.normal(size=(300, 12)) + shift)
        assert frechet_distance(mu1, s1, mu2, s2, factor1=factor) == pytest.approx(
            frechet_distance(mu1, s1, mu2, s2), rel=1e-12
        )
    with pytest.raises(ValueError, match=r"factor1: expected shape \(12, 12\)"):
        frechet_distance(mu1, s1, mu2, s2, factor1=factor[:5, :5])


def test_fd_infinity_is_closer_to_the_closed_form_than_the_plain_fd_at_small_n():
    """Chong & Forsyth: the FD of N samples is biased upward by about c/N. On Gaussians with a
    known Fréchet distance the extrapolation to 1/N = 0 must land nearer the truth."""
    from gan_bench.metrics import frechet_distance_infinity

    d = 32  # many dimensions for few samples: the bias, not the noise, dominates the error
    rng = np.random.default_rng(11)
    mu = np.full(d, 0.1)
    scales = np.linspace(0.8, 1.2, d)  # fake: N(mu, diag(scales^2)); real: N(0, I)
    truth = float(mu @ mu + np.sum((scales - 1.0) ** 2))  # closed form for diagonal covariances
    real = rng.normal(size=(100_000, d))
    plain_errors, inf_errors = [], []
    for repeat in range(10):
        fake = mu + scales * rng.normal(size=(300, d))
        result = frechet_distance_infinity(real, fake, seed=repeat)
        assert result.ns == (60, 120, 180, 240, 300) and len(result.values) == 5
        assert result.values[-1] == pytest.approx(frechet_distance_from_features(real, fake), rel=1e-9)
        plain_errors.append(abs(result.values[-1] - truth))
        inf_errors.append(abs(result.value - truth))
    assert np.mean(inf_errors) < 0.5 * np.mean(plain_errors)

"""Fréchet distance (FID/FCD core) and the kernel inception distance (KID).

Fréchet distance between N(mu1, S1) and N(mu2, S2) (Dowson & Landau 1982; Heusel et
al. 2017, eq. 6)::

    ||mu1 - mu2||^2 + Tr(S1) + Tr(S2) - 2 Tr((S1 S2)^{1/2})

The trace term is computed from eigenvalues in float64, never with
``scipy.linalg.sqrtm``: for any factor ``S1 = F F^T`` the matrix ``F^T S2 F`` is
symmetric PSD and similar to ``S1 S2``, so
``Tr((S1 S2)^{1/2}) = sum(sqrt(eigvalsh(F^T S2 F)))``. F is the Cholesky factor when S1
is positive definite, else the symmetric square root from ``eigh`` (rank-deficient
covariances). Tiny negative eigenvalues from round-off are clamped to 0.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from gan_bench.validation import (
    ArrayLike,
    as_float_array,
    as_images,
    as_labels,
    check_count,
    check_min_samples,
    check_number,
    check_psd,
    check_same_width,
    check_seed,
    check_symmetric,
)


def feature_statistics(features: ArrayLike, name: str = "features") -> tuple[np.ndarray, np.ndarray]:
    """Mean and (unbiased) covariance of an (N, D) feature matrix, in float64.

    Warns when N < D: the covariance is then rank-deficient and the Fréchet distance
    is biased (Chong & Forsyth 2020), though still finite.
    """
    feats = as_float_array(features, name, ndim=2, min_samples=2)
    n, dim = feats.shape
    if dim < 1:
        raise ValueError(f"{name}: expected at least 1 feature column, got shape {feats.shape}")
    if n < dim:
        warnings.warn(
            f"{name}: {n} samples for {dim} feature dimensions; the covariance is rank-deficient "
            "and the Fréchet distance is biased. Use at least as many samples as dimensions.",
            RuntimeWarning,
            stacklevel=2,
        )
    with np.errstate(over="ignore", invalid="ignore"):
        mu, sigma = feats.mean(axis=0), np.cov(feats, rowvar=False).reshape(dim, dim)
    if not (np.isfinite(mu).all() and np.isfinite(sigma).all()):
        raise ValueError(
            f"{name}: the features are finite but their covariance overflows float64 (largest |feature| "
            f"{float(np.abs(feats).max()):.4g}; squares beyond 1.8e308); rescale the features"
        )
    return mu, sigma


def covariance_factor(sigma: ArrayLike) -> np.ndarray:
    """F with F F^T = sigma: Cholesky when positive definite, else the PSD square root.

    Pass it as ``factor1`` to :func:`frechet_distance` when one real set is compared with
    many generated ones (a sigma-sweep, several checkpoints): the real side is factored once.
    """
    return _factor(as_float_array(sigma, "sigma", ndim=2), "sigma")


def _factor(matrix: np.ndarray, name: str) -> np.ndarray:
    """:func:`covariance_factor` of a validated matrix: symmetric, and positive semi-definite
    (checked on the eigenvalues when Cholesky fails; Cholesky succeeding proves it)."""
    check_symmetric(matrix, name)
    matrix = (matrix + matrix.T) / 2.0
    try:
        return np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        eigvals, eigvecs = np.linalg.eigh(matrix)
        check_psd(eigvals, name)
        return (eigvecs * np.sqrt(np.clip(eigvals, 0.0, None))) @ eigvecs.T


def _symmetric_eigenvalues(matrix: np.ndarray) -> np.ndarray:
    """Eigenvalues of a symmetric matrix by LAPACK's divide and conquer (syevd via scipy;
    about 2x numpy's eigvalsh at 2048-d here, same values). scipy is imported on use."""
    from scipy.linalg import eigh

    return eigh(matrix, eigvals_only=True, driver="evd", check_finite=False)


def frechet_distance(
    mu1: ArrayLike,
    sigma1: ArrayLike,
    mu2: ArrayLike,
    sigma2: ArrayLike,
    *,
    factor1: ArrayLike | None = None,
) -> float:
    """Fréchet distance between two Gaussians given by mean vectors and covariances.

    Heusel et al. (2017), eq. 6. Returns a float >= 0; identical inputs give 0.
    ``factor1`` is :func:`covariance_factor` of ``sigma1``, computed once by the caller.
    """
    m1 = as_float_array(mu1, "mu1", ndim=1)
    m2 = as_float_array(mu2, "mu2", ndim=1)
    s1 = as_float_array(sigma1, "sigma1", ndim=2)
    s2 = as_float_array(sigma2, "sigma2", ndim=2)
    dim = m1.shape[0]
    for name, mat in (("sigma1", s1), ("sigma2", s2)):
        if mat.shape != (dim, dim):
            raise ValueError(f"{name}: expected shape ({dim}, {dim}) to match mu1, got {mat.shape}")
    if m2.shape != m1.shape:
        raise ValueError(f"mu1 and mu2: expected the same feature size, got {m1.shape} and {m2.shape}")
    check_symmetric(s2, "sigma2")
    if factor1 is None:
        factor = _factor(s1, "sigma1")
    else:
        check_symmetric(s1, "sigma1")
        factor = as_float_array(factor1, "factor1", ndim=2)
        if factor.shape != (dim, dim):
            raise ValueError(f"factor1: expected shape ({dim}, {dim}) to match mu1, got {factor.shape}")
    s1, s2 = (s1 + s1.T) / 2.0, (s2 + s2.T) / 2.0
    inner = factor.T @ s2 @ factor
    # F^T S2 F is congruent to S2 when F is full rank, so a negative eigenvalue here means
    # sigma2 is not positive semi-definite
    eigenvalues = _symmetric_eigenvalues((inner + inner.T) / 2.0)
    check_psd(eigenvalues, "sigma2")
    trace_sqrt = np.sqrt(np.clip(eigenvalues, 0.0, None)).sum()
    diff = m1 - m2
    value = float(diff @ diff + np.trace(s1) + np.trace(s2) - 2.0 * trace_sqrt)
    return max(value, 0.0)


def frechet_distance_from_features(real: ArrayLike, fake: ArrayLike) -> float:
    """Fréchet distance between the Gaussians fitted to two (N, D) feature sets."""
    r = as_float_array(real, "real", ndim=2, min_samples=2)
    f = as_float_array(fake, "fake", ndim=2, min_samples=2)
    check_same_width(r, f, "real", "fake")
    return frechet_distance(*feature_statistics(r, "real"), *feature_statistics(f, "fake"))


@dataclass(frozen=True)
class PerClassFrechet:
    """Per class c (the index into each tuple): the Fréchet distance of the real features of
    class c to the generated features assigned to c (NaN where either side has fewer than 2),
    and both counts."""

    distances: tuple[float, ...]
    n_real: tuple[int, ...]
    n_fake: tuple[int, ...]

    @property
    def mean(self) -> float:
        """The mean over the classes that have a distance (NaN if none has)."""
        defined = [d for d in self.distances if not math.isnan(d)]
        return float(np.mean(defined)) if defined else math.nan


def per_class_frechet(
    real: ArrayLike, real_labels: ArrayLike, fake: ArrayLike, fake_labels: ArrayLike, n_classes: int
) -> PerClassFrechet:
    """Intra-class Fréchet distance (StudioGAN's intra-class FID; Miyato & Koyama 2018, §5.2):
    for each class c < ``n_classes``, the FD between the real features labelled c and the
    generated features labelled c (for an unconditional generator, by a classifier)."""
    r = as_float_array(real, "real", ndim=2, min_samples=1)
    f = as_float_array(fake, "fake", ndim=2, min_samples=1)
    check_same_width(r, f, "real", "fake")
    ry, fy = as_labels(real_labels, "real_labels"), as_labels(fake_labels, "fake_labels")
    for labels, x, name in ((ry, r, "real"), (fy, f, "fake")):
        if len(labels) != len(x):
            raise ValueError(f"{name}_labels: expected one per {name} row ({len(x)}), got {len(labels)}")
    distances, n_real, n_fake = [], [], []
    for c in range(n_classes):
        rc, fc = r[ry == c], f[fy == c]
        n_real.append(len(rc))
        n_fake.append(len(fc))
        distances.append(frechet_distance_from_features(rc, fc) if min(len(rc), len(fc)) >= 2 else math.nan)
    return PerClassFrechet(tuple(distances), tuple(n_real), tuple(n_fake))


@dataclass(frozen=True)
class FrechetInfinity:
    """FD extrapolated to infinitely many generated samples (Chong & Forsyth 2020), with the
    sample sizes and the plain FDs the line was fitted to."""

    value: float
    ns: tuple[int, ...]
    values: tuple[float, ...]


def frechet_distance_infinity(
    real: ArrayLike, fake: ArrayLike, *, n_points: int = 5, seed: int = 0
) -> FrechetInfinity:
    """Bias-corrected Fréchet distance FD∞ (Chong & Forsyth 2020, "Effectively Unbiased FID",
    §3): the FD of the real features against ``n_points`` nested random subsets of the
    ``fake`` features, N evenly from N_max/5 to N_max = ``len(fake)``, fitted as linear in
    1/N by least squares; FD∞ is the intercept at 1/N = 0. The FD's bias grows like 1/N
    and depends on the generator, so two runs scored at different N compare only after this.
    """
    r = as_float_array(real, "real", ndim=2, min_samples=2)
    f = as_float_array(fake, "fake", ndim=2, min_samples=10)
    check_same_width(r, f, "real", "fake")
    check_count(n_points, "n_points", minimum=2)
    check_seed(seed)
    ns = tuple(sorted({int(round(n)) for n in np.linspace(len(f) / 5, len(f), n_points)}))
    if len(ns) < 2 or ns[0] < 2:
        raise ValueError(
            f"fake: expected enough samples for {n_points} distinct sizes from N/5 to N, got {len(f)}"
        )
    order = np.random.default_rng(seed).permutation(len(f))
    mu_r, sigma_r = feature_statistics(r, "real")
    factor = covariance_factor(sigma_r)
    values = tuple(
        frechet_distance(mu_r, sigma_r, *feature_statistics(f[order[:n]], "fake"), factor1=factor) for n in ns
    )
    _, intercept = np.polyfit(1.0 / np.asarray(ns, dtype=np.float64), np.asarray(values), 1)
    return FrechetInfinity(float(intercept), ns, values)


def _unbiased_mmd(x: np.ndarray, y: np.ndarray, dim: int, coef0: float, degree: int) -> float:
    """Bińkowski et al. eq. 2: the unbiased MMD^2 of two equal-size samples, polynomial kernel."""
    m = len(x)
    k_xx = (x @ x.T / dim + coef0) ** degree
    k_yy = (y @ y.T / dim + coef0) ** degree
    k_xy = (x @ y.T / dim + coef0) ** degree
    off_diag = m * (m - 1)
    return (
        (k_xx.sum() - np.trace(k_xx)) / off_diag
        + (k_yy.sum() - np.trace(k_yy)) / off_diag
        - 2.0 * k_xy.mean()
    )


def kid(
    real: ArrayLike,
    fake: ArrayLike,
    *,
    n_subsets: int = 100,
    subset_size: int = 1000,
    degree: int = 3,
    coef0: float = 1.0,
    seed: int = 0,
) -> tuple[float, float]:
    """Kernel inception distance: unbiased MMD^2 with a polynomial kernel.

    Bińkowski et al. (2018), "Demystifying MMD GANs", eq. 2 and §4, with
    k(x, y) = (x.y / D + coef0)^degree. Averaged over ``n_subsets`` random subsets of
    ``subset_size`` (clipped to the smaller set); returns (mean, std). Subsets are drawn
    with a seeded generator, so the result is reproducible.
    """
    r = as_float_array(real, "real", ndim=2, min_samples=2)
    f = as_float_array(fake, "fake", ndim=2, min_samples=2)
    check_same_width(r, f, "real", "fake")
    check_count(n_subsets, "n_subsets")
    check_count(degree, "degree")
    check_count(subset_size, "subset_size", 2)
    check_number(coef0, "coef0")
    m = min(subset_size, len(r), len(f))
    check_min_samples(m, 2, "subset_size")
    dim = r.shape[1]
    rng = np.random.default_rng(seed)
    values = np.empty(n_subsets)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported below
        for i in range(n_subsets):
            x = r[rng.choice(len(r), m, replace=False)]
            y = f[rng.choice(len(f), m, replace=False)]
            values[i] = _unbiased_mmd(x, y, dim, coef0, degree)
        mean, std = float(values.mean()), float(values.std())
    if not (np.isfinite(mean) and np.isfinite(std)):
        scale = float(max(np.abs(r).max(), np.abs(f).max()))
        raise ValueError(
            f"kid: the polynomial kernel (x.y / {dim} + {coef0})^{degree} overflows float64 for these "
            f"features (largest |entry| {scale:.3g}); expected features of moderate scale, as a "
            "network's activations are"
        )
    return mean, std


@torch.no_grad()
def classifier_logits(
    images: ArrayLike,
    classifier: Callable[[torch.Tensor], torch.Tensor],
    *,
    batch_size: int = 500,
    name: str = "images",
) -> np.ndarray:
    """Logits of ``classifier`` on images in [0, 1] (or uint8), batched, as float64."""
    x = as_images(images, name, min_samples=1)
    channels = getattr(classifier, "in_channels", None)  # the bundled SmallCNN declares 1
    if channels is not None and x.shape[1] != channels:
        raise ValueError(
            f"{name}: the classifier expects {channels} channel(s) per image, got {x.shape[1]} "
            f"(shape {tuple(x.shape)}); score Stacked MNIST channel by channel"
        )
    if isinstance(classifier, torch.nn.Module):
        classifier.eval()
    out = [classifier(x[i : i + batch_size]).double().cpu() for i in range(0, len(x), batch_size)]
    return torch.cat(out).numpy()


def fcd(
    real_images: ArrayLike,
    fake_images: ArrayLike,
    classifier: Callable[[torch.Tensor], torch.Tensor],
    *,
    batch_size: int = 500,
) -> float:
    """Fréchet classifier distance: the Fréchet distance on a classifier's logits.

    TF-GAN's MNIST Fréchet distance convention (used by NEMGAN, Table 2): images in
    [0, 1] go through a dataset classifier, and the distance is taken between Gaussians
    fitted to the logits.
    """
    real_x, fake_x = as_images(real_images, "real_images"), as_images(fake_images, "fake_images")
    if real_x.shape[1:] != fake_x.shape[1:]:
        raise ValueError(
            "real_images and fake_images: expected the same image shape, got "
            f"{tuple(real_x.shape[1:])} and {tuple(fake_x.shape[1:])}"
        )
    real = classifier_logits(real_x, classifier, batch_size=batch_size, name="real_images")
    fake = classifier_logits(fake_x, classifier, batch_size=batch_size, name="fake_images")
    return frechet_distance_from_features(real, fake)

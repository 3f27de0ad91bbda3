"""Multi-scale structural similarity (Wang, Simoncelli & Bovik 2003).

Conventions (the project's protocols): images >= 161 px use the standard 5 scales, an 11x11
Gaussian window (sigma 1.5) and betas (0.0448, 0.2856, 0.3001, 0.2363, 0.1333). Small
images (28, 32 px) use 3 scales, a 7x7 Gaussian window (sigma scaled with the window,
1.5 * 7 / 11) and the first three betas renormalised to sum 1. Negative
contrast-structure and similarity terms are clamped at 0 before the power
(torchmetrics' ``normalize="relu"``).

Two conventions for averaging the SSIM maps (``convention=``):

- ``"torchmetrics"`` (default): like torchmetrics, each scale reflect-pads the image by
  half a window; the contrast-structure term is averaged over the unpadded ("valid")
  region and the full SSIM term, used at the coarsest scale only, over the padded image.
- ``"valid"``: every map, the coarsest SSIM included, is averaged over the valid region
  only (no padding). This is Wang's reference code, TF, piq, pytorch-msssim and the
  AC-GAN code that GM-GAN compares against. On 28 px MNIST pairs the two differ by up
  to 14% per pair; the report names the one it used.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from gan_bench.validation import ArrayLike, as_images, check_count, check_positive, check_seed

STANDARD_BETAS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)
SMALL_IMAGE_LIMIT = 161
CONVENTIONS = ("torchmetrics", "valid")
K1, K2 = 0.01, 0.03


@dataclass(frozen=True)
class MSSSIMSettings:
    """Window and scale settings for MS-SSIM."""

    kernel_size: int
    sigma: float
    betas: tuple[float, ...]
    convention: str = "torchmetrics"

    def __post_init__(self) -> None:
        if self.convention not in CONVENTIONS:
            raise ValueError(f"convention: expected one of {CONVENTIONS}, got {self.convention!r}")
        size = self.kernel_size
        if not isinstance(size, (int, np.integer)) or isinstance(size, bool) or size < 3 or size % 2 == 0:
            raise ValueError(f"kernel_size: expected an odd integer >= 3, got {size!r}")
        check_positive(self.sigma, "sigma")
        betas = np.asarray(self.betas, dtype=float)
        if betas.ndim != 1 or betas.size == 0 or not np.isfinite(betas).all() or (betas < 0).any():
            raise ValueError(f"betas: expected one finite non-negative weight per scale, got {self.betas!r}")
        if betas.sum() <= 0:
            raise ValueError(f"betas: expected at least one positive weight, got {self.betas!r}")

    @classmethod
    def for_size(cls, size: int, convention: str = "torchmetrics") -> MSSSIMSettings:
        """The project convention for an image of side ``size`` px."""
        if size >= SMALL_IMAGE_LIMIT:
            return cls(11, 1.5, STANDARD_BETAS, convention)
        first_three = np.array(STANDARD_BETAS[:3])
        betas = tuple(float(b) for b in first_three / first_three.sum())
        return cls(7, 1.5 * 7 / 11, betas, convention)

    def min_size(self) -> int:
        """Smallest side at which the coarsest scale still holds a full window."""
        return (self.kernel_size - 1) * 2 ** (len(self.betas) - 1) + 1


def _gaussian_1d(size: int, sigma: float) -> torch.Tensor:
    coords = torch.arange(size, dtype=torch.float64) - (size - 1) / 2
    g = torch.exp(-(coords**2) / (2 * sigma**2))
    return g / g.sum()


def _blur(x: torch.Tensor, g: torch.Tensor) -> torch.Tensor:
    """Valid convolution with the Gaussian window outer(g, g), as two 1-D passes."""
    channels, k = x.shape[1], len(g)
    x = F.conv2d(x, g.view(1, 1, 1, k).expand(channels, 1, 1, k), groups=channels)
    return F.conv2d(x, g.view(1, 1, k, 1).expand(channels, 1, k, 1), groups=channels)


@dataclass(frozen=True)
class _Scale:
    """One scale of a set of images: the (padded) images and their local mean and variance.

    Computed once per image, so a pair only needs its cross term E[xy] (all-pairs use)."""

    images: torch.Tensor
    mu: torch.Tensor
    var: torch.Tensor
    pad: int


def _scales(x: torch.Tensor, settings: MSSSIMSettings, g: torch.Tensor) -> list[_Scale]:
    padded = settings.convention == "torchmetrics"
    pad = settings.kernel_size // 2 if padded else 0
    out = []
    for _ in settings.betas:
        xp = F.pad(x, (pad,) * 4, mode="reflect") if padded else x
        mu = _blur(xp, g)
        out.append(_Scale(xp, mu, (_blur(xp * xp, g) - mu**2).clamp_min(0.0), pad))
        x = F.avg_pool2d(x, 2)
    return out


Pick = torch.Tensor | slice  # which images of a set form the pairs: indices, or all in order


def _pair_terms(a: _Scale, b: _Scale, i: Pick, j: Pick, g: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-pair mean SSIM and mean contrast-structure (valid region) of a.images[i] vs
    b.images[j]. With padding, the SSIM map is averaged over the padded image (torchmetrics)."""
    mu_x, mu_y = a.mu[i], b.mu[j]
    cov = _blur(a.images[i] * b.images[j], g) - mu_x * mu_y
    c1, c2 = K1**2, K2**2
    cs_map = (2 * cov + c2) / (a.var[i] + b.var[j] + c2)
    ssim_map = (2 * mu_x * mu_y + c1) / (mu_x**2 + mu_y**2 + c1) * cs_map
    pad = a.pad
    cs_valid = cs_map[..., pad:-pad, pad:-pad] if pad else cs_map
    return ssim_map.flatten(1).mean(1), cs_valid.flatten(1).mean(1)


def _weighted_product(terms: list[torch.Tensor], settings: MSSSIMSettings) -> torch.Tensor:
    """prod_s relu(term_s)^beta_s over the scales (torchmetrics' normalize="relu"): the
    terms are contrast-structure at every scale but the coarsest, SSIM there."""
    stacked = torch.stack(terms).clamp_min(0.0)
    betas = torch.tensor(settings.betas, dtype=stacked.dtype).view(-1, *[1] * (stacked.ndim - 1))
    return torch.prod(stacked**betas, dim=0)


def _combine(
    a: list[_Scale], b: list[_Scale], i: Pick, j: Pick, settings: MSSSIMSettings, g: torch.Tensor
) -> torch.Tensor:
    """MS-SSIM of the pairs (a[i], b[j])."""
    terms = []
    for scale, (sa, sb) in enumerate(zip(a, b)):
        ssim, cs = _pair_terms(sa, sb, i, j, g)
        terms.append(ssim if scale == len(settings.betas) - 1 else cs)
    return _weighted_product(terms, settings)


def _check_size(side: int, settings: MSSSIMSettings) -> None:
    if side < settings.min_size():
        raise ValueError(
            f"images: expected a side of at least {settings.min_size()} px for {len(settings.betas)} "
            f"scales with a {settings.kernel_size}x{settings.kernel_size} window, got {side}"
        )


def _validated_pair(x: ArrayLike, y: ArrayLike) -> tuple[torch.Tensor, torch.Tensor]:
    a = as_images(x, "x")
    b = as_images(y, "y")
    if a.shape != b.shape:
        raise ValueError(f"x and y: expected the same shape, got {tuple(a.shape)} and {tuple(b.shape)}")
    return a, b


def ms_ssim_tensors(x: torch.Tensor, y: torch.Tensor, settings: MSSSIMSettings) -> torch.Tensor:
    """MS-SSIM of already validated float images in [0, 1]; one value per pair."""
    _check_size(min(x.shape[-2:]), settings)
    g = _gaussian_1d(settings.kernel_size, settings.sigma)
    scales_x, scales_y = _scales(x.double(), settings, g), _scales(y.double(), settings, g)
    every = slice(None)
    return _combine(scales_x, scales_y, every, every, settings, g)


def ms_ssim(
    x: ArrayLike,
    y: ArrayLike,
    *,
    kernel_size: int | None = None,
    sigma: float | None = None,
    betas: tuple[float, ...] | None = None,
    convention: str = "torchmetrics",
) -> np.ndarray:
    """Batched MS-SSIM between image pairs ``x[i]``, ``y[i]``, data range 1.

    Images are float in [0, 1] or uint8, shape (N, C, H, W). Unset settings follow the
    convention for the image size (:meth:`MSSSIMSettings.for_size`); ``convention`` picks
    how the coarsest SSIM map is averaged (module docstring). Returns (N,).
    """
    a, b = _validated_pair(x, y)
    default = MSSSIMSettings.for_size(min(a.shape[-2:]), convention)
    settings = MSSSIMSettings(
        kernel_size if kernel_size is not None else default.kernel_size,
        sigma if sigma is not None else default.sigma,
        tuple(betas) if betas is not None else default.betas,
        convention,
    )
    return ms_ssim_tensors(a, b, settings).numpy()


PAIR_BLOCK_BYTES = 256 * 2**20  # float64 maps of one block of all-pairs (a few temporaries live at once)


@dataclass(frozen=True)
class _GramScale:
    """One scale prepared for all pairs: per channel and window position p, the rows of
    ``left`` and ``right`` are [sqrt(w) * patch, mu] and [sqrt(w) * patch, -mu], so that
    left_i . right_j = E_w[x_i y_j] - mu_i mu_j = sigma_ij at p: a batched matrix product."""

    left: torch.Tensor  # (C, P, N, k*k + 1)
    right: torch.Tensor
    half_den: torch.Tensor  # (C, P, N): var + c2 / 2, so that den_ij = half_den_i + half_den_j
    mu: torch.Tensor  # (C, P, N)
    cs_weights: torch.Tensor  # (C * P,): mean over channels and the valid positions


def _gram_scale(scale: _Scale, settings: MSSSIMSettings, g: torch.Tensor) -> _GramScale:
    n, channels = scale.images.shape[:2]
    k = settings.kernel_size
    patches = F.unfold(scale.images, k)  # (N, C * k * k, P)
    positions = patches.shape[-1]
    root_w = torch.outer(g, g).flatten().sqrt()
    a = (patches.view(n, channels, k * k, positions) * root_w.view(1, 1, -1, 1)).permute(1, 3, 0, 2)
    mu = scale.mu.flatten(2).permute(1, 2, 0)
    h, w = scale.mu.shape[-2:]
    valid = torch.zeros(h, w, dtype=torch.float64)
    valid[scale.pad : h - scale.pad, scale.pad : w - scale.pad] = 1.0
    return _GramScale(
        left=torch.cat([a, mu[..., None]], -1).contiguous(),
        right=torch.cat([a, -mu[..., None]], -1).contiguous(),
        half_den=(scale.var.flatten(2).permute(1, 2, 0) + K2**2 / 2).contiguous(),
        mu=mu.contiguous(),
        cs_weights=(valid.flatten() / valid.sum()).repeat(channels) / channels,
    )


def _sum_over_all_pairs(scales: list[_Scale], settings: MSSSIMSettings, g: torch.Tensor) -> float:
    """Exact sum of MS-SSIM over all pairs i < j.

    Each image's local means and variances are computed once per scale; the cross term
    sigma_ij for all pairs at a window position is a Gram matrix of window-weighted,
    mean-removed patches (:class:`_GramScale`). Rows come in blocks against the columns
    from the block on, bounded to ``PAIR_BLOCK_BYTES`` of (C, P, rows, cols) maps.
    """
    prepared = [_gram_scale(scale, settings, g) for scale in scales]
    n = prepared[0].left.shape[2]
    maps_per_pair = prepared[0].left.shape[0] * prepared[0].left.shape[1]
    c1, c2 = K1**2, K2**2
    total, start = 0.0, 0
    while start < n:
        cols = n - start
        rows = max(1, min(cols, PAIR_BLOCK_BYTES // (3 * 8 * maps_per_pair * cols)))
        r, c = slice(start, start + rows), slice(start, n)
        terms = []
        for index, sc in enumerate(prepared):
            cs_map = sc.left[:, :, r] @ sc.right[:, :, c].transpose(-1, -2)  # sigma_ij, (C, P, rows, cols)
            cs_map.mul_(2).add_(c2).div_(sc.half_den[:, :, r, None] + sc.half_den[:, :, None, c])
            if index < len(prepared) - 1:
                terms.append(torch.tensordot(sc.cs_weights, cs_map.flatten(0, 1), dims=1))
                continue
            mu_i, mu_j = sc.mu[:, :, r, None], sc.mu[:, :, None, c]
            cs_map.mul_((2 * mu_i * mu_j + c1) / (mu_i**2 + mu_j**2 + c1))  # SSIM at the coarsest scale
            terms.append(cs_map.mean(dim=(0, 1)))
        block = _weighted_product(terms, settings)
        total += float(block.triu(1).sum())  # j > i within the block
        start += rows
    return total


def _pair_values(
    scales: list[_Scale], rows: np.ndarray, cols: np.ndarray, settings: MSSSIMSettings, g: torch.Tensor
) -> torch.Tensor:
    """MS-SSIM of the listed pairs (rows[k], cols[k]), in batches."""
    out = []
    for start in range(0, len(rows), 2048):
        i = torch.from_numpy(rows[start : start + 2048])
        j = torch.from_numpy(cols[start : start + 2048])
        out.append(_combine(scales, scales, i, j, settings, g))
    return torch.cat(out)


def _prepared(
    images: ArrayLike, convention: str
) -> tuple[torch.Tensor, list[_Scale], MSSSIMSettings, torch.Tensor]:
    x = as_images(images, "images", min_samples=2)
    settings = MSSSIMSettings.for_size(min(x.shape[-2:]), convention)
    _check_size(min(x.shape[-2:]), settings)
    g = _gaussian_1d(settings.kernel_size, settings.sigma)
    return x, _scales(x.double(), settings, g), settings, g


def triu_pair(k: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The pairs ``np.triu_indices(n, k=1)`` lists at positions ``k``, without listing all
    n(n-1)/2 of them (at n = 50,000 that list alone is 20 GB). Row i starts at offset
    i n - i (i + 1) / 2; i is solved from the quadratic in floating point, then corrected
    exactly in integers."""
    k = np.asarray(k, dtype=np.int64)
    b = 2 * n - 1
    i = np.floor((b - np.sqrt(np.maximum(float(b) ** 2 - 8.0 * k, 0.0))) / 2).astype(np.int64)

    def start(row: np.ndarray) -> np.ndarray:
        return row * n - row * (row + 1) // 2

    i = np.clip(i, 0, n - 2)
    for _ in range(3):  # the float root is off by at most one either way
        i = np.where(start(i) > k, i - 1, i)
        i = np.where(start(i + 1) <= k, i + 1, i)
    return i, k - start(i) + i + 1


def mean_pairwise_ms_ssim(
    images: ArrayLike,
    *,
    include_self: bool = False,
    max_pairs: int | None = None,
    seed: int = 0,
    convention: str = "torchmetrics",
) -> float:
    """Mean MS-SSIM over pairs of a set of images (GM-GAN eq. 5).

    Default: every distinct unordered pair i < j, exactly (each image's local statistics
    are computed once per scale; pairs come in blocks of rows, bounded to
    ``PAIR_BLOCK_BYTES`` of maps). ``include_self=True`` averages
    over the paper's literal X x X, self-pairs (MS-SSIM 1) included. With ``max_pairs`` a
    seeded random subset of the distinct pairs is used (see also
    :func:`estimate_pairwise_ms_ssim`). ``convention`` as in :func:`ms_ssim`.
    """
    x, scales, settings, g = _prepared(images, convention)
    n = len(x)
    n_pairs = n * (n - 1) // 2
    if include_self and max_pairs is not None:
        raise ValueError("include_self: the literal X x X average needs all pairs (max_pairs=None)")
    if max_pairs is not None and max_pairs < 1:
        raise ValueError(f"max_pairs: expected a positive pair count or None, got {max_pairs}")
    if max_pairs is not None and max_pairs < n_pairs:
        pick = np.random.default_rng(seed).choice(n_pairs, max_pairs, replace=False)
        rows, cols = triu_pair(pick, n)
        return float(_pair_values(scales, rows, cols, settings, g).mean())
    total = _sum_over_all_pairs(scales, settings, g)
    if not include_self:
        return total / n_pairs
    # Ordered pairs: each distinct pair twice (MS-SSIM is symmetric) plus n self-pairs of 1.
    return (2.0 * total + n) / (n * n)


def estimate_pairwise_ms_ssim(
    images: ArrayLike, n_pairs: int, *, seed: int = 0, convention: str = "torchmetrics"
) -> tuple[float, float]:
    """Unbiased estimate of the mean MS-SSIM over distinct pairs from ``n_pairs`` pairs drawn
    uniformly with replacement, and its standard error (sample std / sqrt(n_pairs)). For
    sets too large for the exact all-pairs mean."""
    check_count(n_pairs, "n_pairs", minimum=2)  # two pairs at least, for a standard error
    check_seed(seed)
    x, scales, settings, g = _prepared(images, convention)
    rng = np.random.default_rng(seed)
    n = len(x)
    i = rng.integers(0, n, size=n_pairs)
    j = (i + rng.integers(1, n, size=n_pairs)) % n  # uniform over j != i
    values = _pair_values(scales, i, j, settings, g)
    return float(values.mean()), float(values.std(unbiased=True) / np.sqrt(n_pairs))

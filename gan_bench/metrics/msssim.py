"""Multi-scale structural similarity (Wang, Simoncelli & Bovik 2003).

Conventions (PROTOCOLS.md): images >= 161 px use the standard 5 scales, an 11x11
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

from gan_bench.validation import ArrayLike, as_images

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


def _pair_terms(
    a: _Scale, b: _Scale, i: torch.Tensor | slice, j: torch.Tensor | slice, g: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
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


def _combine(
    a: list[_Scale], b: list[_Scale], i, j, settings: MSSSIMSettings, g: torch.Tensor
) -> torch.Tensor:
    """MS-SSIM of the pairs (i, j): contrast-structure at every scale but the coarsest, SSIM
    there, clamped at 0 before the power (torchmetrics' normalize="relu")."""
    terms = []
    for scale, (sa, sb) in enumerate(zip(a, b)):
        ssim, cs = _pair_terms(sa, sb, i, j, g)
        terms.append(ssim if scale == len(settings.betas) - 1 else cs)
    stacked = torch.stack(terms).clamp_min(0.0)
    betas = torch.tensor(settings.betas, dtype=stacked.dtype).view(-1, 1)
    return torch.prod(stacked**betas, dim=0)


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
    every = slice(None)
    return _combine(
        _scales(x.double(), settings, g), _scales(y.double(), settings, g), every, every, settings, g
    )


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
        kernel_size or default.kernel_size,
        sigma if sigma is not None else default.sigma,
        tuple(betas) if betas is not None else default.betas,
        convention,
    )
    return ms_ssim_tensors(a, b, settings).numpy()


def mean_pairwise_ms_ssim(
    images: ArrayLike,
    *,
    include_self: bool = False,
    max_pairs: int | None = None,
    seed: int = 0,
    batch_size: int = 512,
    convention: str = "torchmetrics",
) -> float:
    """Mean MS-SSIM over pairs of a set of images (GM-GAN eq. 5).

    Default: distinct unordered pairs i < j. ``include_self=True`` averages over the
    paper's literal X x X, self-pairs (MS-SSIM 1) included. With ``max_pairs`` a seeded
    random subset of the distinct pairs is used. ``convention`` as in :func:`ms_ssim`.
    """
    x = as_images(images, "images", min_samples=2)
    n = len(x)
    settings = MSSSIMSettings.for_size(min(x.shape[-2:]), convention)
    rows, cols = np.triu_indices(n, k=1)
    if max_pairs is not None and max_pairs < len(rows):
        pick = np.random.default_rng(seed).choice(len(rows), max_pairs, replace=False)
        rows, cols = rows[pick], cols[pick]
    _check_size(min(x.shape[-2:]), settings)
    g = _gaussian_1d(settings.kernel_size, settings.sigma)
    scales = _scales(x.double(), settings, g)  # each image's local statistics, once
    total = 0.0
    for start in range(0, len(rows), batch_size):
        i = torch.from_numpy(rows[start : start + batch_size])
        j = torch.from_numpy(cols[start : start + batch_size])
        total += float(_combine(scales, scales, i, j, settings, g).sum())
    if not include_self:
        return total / len(rows)
    if max_pairs is not None:
        raise ValueError("include_self: the literal X x X average needs all pairs (max_pairs=None)")
    # Ordered pairs: each distinct pair twice (MS-SSIM is symmetric) plus n self-pairs of 1.
    return (2.0 * total + n) / (n * n)

"""GAN losses shared by the variants.

Non-saturating GAN (Goodfellow et al. 2014, §3), WGAN-GP (Gulrajani et al. 2017, Alg. 1)
and the relativistic losses of Jolicoeur-Martineau (2019) used by MMGAN.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def d_loss_standard(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """-log D(x) - log(1 - D(G(z))) with D = sigmoid(logits)."""
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()


def g_loss_nonsaturating(fake_logits: torch.Tensor) -> torch.Tensor:
    """-log D(G(z)) (the non-saturating heuristic)."""
    return F.softplus(-fake_logits).mean()


def wgan_critic_loss(real_scores: torch.Tensor, fake_scores: torch.Tensor) -> torch.Tensor:
    return fake_scores.mean() - real_scores.mean()


def gradient_penalty(
    critic: torch.nn.Module, real: torch.Tensor, fake: torch.Tensor, rng: torch.Generator
) -> torch.Tensor:
    """(||grad C(x_hat)||_2 - 1)^2 at random interpolates (WGAN-GP eq. 3)."""
    shape = (len(real),) + (1,) * (real.ndim - 1)
    eps = torch.rand(shape, generator=rng, device=rng.device).to(real.device)
    mixed = (eps * real + (1 - eps) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(mixed).sum(), mixed, create_graph=True)
    return ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()


def relativistic_losses(
    real_scores: torch.Tensor, fake_scores: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """RSGAN: D minimises -log sigmoid(C(x) - C(x~)); G the same with roles swapped."""
    d = F.softplus(-(real_scores - fake_scores)).mean()
    g = F.softplus(-(fake_scores - real_scores)).mean()
    return d, g


def group_means(values: torch.Tensor, groups: torch.Tensor, n_groups: int) -> torch.Tensor:
    """For each sample, the mean of ``values`` over the samples sharing its group."""
    sums = torch.zeros(n_groups, dtype=values.dtype, device=values.device).index_add(0, groups, values)
    counts = torch.bincount(groups, minlength=n_groups).clamp_min(1).to(values.dtype)
    return (sums / counts)[groups]


def relativistic_average_losses(
    real_scores: torch.Tensor,
    fake_scores: torch.Tensor,
    groups: torch.Tensor | None = None,
    n_groups: int = 1,
) -> tuple[torch.Tensor, torch.Tensor]:
    """RaSGAN; with ``groups`` the averages are taken within each cluster (MMGAN's cRaSGAN).

    Real and fake samples are paired (same cluster index per position, MMGAN batch B1).
    """
    if groups is None:
        real_avg, fake_avg = (
            real_scores.mean().expand_as(real_scores),
            fake_scores.mean().expand_as(fake_scores),
        )
    else:
        real_avg, fake_avg = (
            group_means(real_scores, groups, n_groups),
            group_means(fake_scores, groups, n_groups),
        )
    d = F.softplus(-(real_scores - fake_avg)).mean() + F.softplus(fake_scores - real_avg).mean()
    g = F.softplus(-(fake_scores - real_avg)).mean() + F.softplus(real_scores - fake_avg).mean()
    return d, g

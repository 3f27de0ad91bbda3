"""Latent priors: Gaussian/uniform, MMGAN's learnable mixture, GM-GAN's mixture and
NEMGAN's reparameterised multinoulli-plus-uniform prior."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


def gaussian(n: int, dim: int, rng: torch.Generator, scale: float = 1.0) -> torch.Tensor:
    """N(0, scale * I)."""
    return torch.randn(n, dim, generator=rng, device=rng.device) * math.sqrt(scale)


def uniform(n: int, dim: int, rng: torch.Generator, low: float = -1.0, high: float = 1.0) -> torch.Tensor:
    return low + (high - low) * torch.rand(n, dim, generator=rng, device=rng.device)


def choose_modes(n: int, n_modes: int, rng: torch.Generator, mode: int | None) -> torch.Tensor:
    """Uniform mode indices, or all equal to ``mode``."""
    if mode is not None:
        return torch.full((n,), mode, dtype=torch.long, device=rng.device)
    return torch.randint(0, n_modes, (n,), generator=rng, device=rng.device)


def hypercube_vertices(k: int, dim: int, rng: torch.Generator) -> torch.Tensor:
    """k distinct random vertices of {-1, 1}^dim."""
    if k > 2**dim:
        raise ValueError(f"{k} distinct hypercube vertices need dim >= {math.ceil(math.log2(k))}, got {dim}")
    chosen: list[tuple[float, ...]] = []
    seen = set()
    while len(chosen) < k:
        v = tuple((torch.randint(0, 2, (dim,), generator=rng, device=rng.device) * 2 - 1).float().tolist())
        if v not in seen:
            seen.add(v)
            chosen.append(v)
    return torch.tensor(chosen)


class MMGANLatent(nn.Module):
    """MMGAN's mixture latent (Pandeva & Schubert, §3): z = mu_k + sigma_k * eps.

    mu_k and sigma_k are dense layers on the one-hot cluster; sigma is a scalar per
    cluster clamped at ``sigma_min``; the means start at distinct random hypercube
    vertices and sigma at ``sigma_init`` (<= 1).
    """

    def __init__(
        self, n_clusters: int, dim: int, sigma_min: float, sigma_init: float, rng: torch.Generator
    ) -> None:
        super().__init__()
        if not 0 < sigma_init <= 1:
            raise ValueError(f"sigma_init: expected a value in (0, 1], got {sigma_init}")
        self.n_clusters = n_clusters
        self.sigma_min = sigma_min
        self.mu = nn.Linear(n_clusters, dim, bias=False)
        self.sigma = nn.Linear(n_clusters, 1, bias=False)
        with torch.no_grad():
            self.mu.weight.copy_(hypercube_vertices(n_clusters, dim, rng).T)
            self.sigma.weight.fill_(sigma_init)

    def params(self, clusters: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        onehot = F.one_hot(clusters, self.n_clusters).float()
        return self.mu(onehot), self.sigma(onehot).clamp_min(self.sigma_min)

    def forward(self, clusters: torch.Tensor, rng: torch.Generator, scale: float = 1.0) -> torch.Tensor:
        mu, sigma = self.params(clusters)
        return mu + sigma * math.sqrt(scale) * torch.randn(mu.shape, generator=rng, device=rng.device)


class GMGANLatent(nn.Module):
    """GM-GAN's mixture prior (Ben-Yosef & Weinshall, §2 and App. B).

    Static: mu_k ~ U[-c, c]^d fixed, Sigma_k = sigma I. Dynamic: mu_k and A_k learned,
    z = A_k eps + mu_k, A_k diagonal or full, initialised to sqrt(sigma) I.
    """

    def __init__(
        self, k: int, dim: int, c: float, sigma: float, dynamic: bool, diagonal: bool, rng: torch.Generator
    ) -> None:
        super().__init__()
        self.k, self.dim, self.dynamic, self.diagonal = k, dim, dynamic, diagonal
        means = (torch.rand(k, dim, generator=rng, device=rng.device) * 2 - 1) * c
        if dynamic:
            self.mu = nn.Parameter(means)
            init = (
                torch.full((k, dim), math.sqrt(sigma))
                if diagonal
                else math.sqrt(sigma) * torch.eye(dim).repeat(k, 1, 1)
            )
            self.A = nn.Parameter(init)
        else:
            self.register_buffer("mu", means)
            self.register_buffer("A", torch.full((k, dim), math.sqrt(sigma)))

    def forward(self, modes: torch.Tensor, rng: torch.Generator, scale: float = 1.0) -> torch.Tensor:
        eps = torch.randn(len(modes), self.dim, generator=rng, device=rng.device) * math.sqrt(scale)
        a = self.A[modes]
        noise = a * eps if a.ndim == 2 else torch.bmm(a, eps.unsqueeze(-1)).squeeze(-1)
        return self.mu[modes] + noise


def hard_sigmoid(x: torch.Tensor, slope: float) -> torch.Tensor:
    """clamp(slope * x + 1/2, 0, 1): NEMGAN's differentiable stand-in for the unit step."""
    return (slope * x + 0.5).clamp(0.0, 1.0)


class NEMGANLatent(nn.Module):
    """NEMGAN's prior (Mishra et al., §3.1, eqs. 3-4): z = y + nu2.

    The mode y is a multinoulli with P(y = i) = softmax(alpha)_i, realised by
    reparameterising nu1 ~ U(0, 1): a_i = cumsum(softmax(alpha))_i and
    f_i = step(a_i - nu1) - step(a_{i-1} - nu1). The unit step is replaced by a hard
    sigmoid for gradients; the forward value is made exactly one-hot with a
    straight-through estimator, so the sampled mode frequencies are exactly
    softmax(alpha) while alpha still receives the hard-sigmoid gradient.
    y is the one-hot scaled by ``offset`` in the first M latent dimensions;
    nu2 ~ U(-noise, noise)^d.
    """

    def __init__(
        self, n_modes: int, dim: int, offset: float, noise: float, slope: float, learn_prior: bool
    ) -> None:
        super().__init__()
        if dim < n_modes:
            raise ValueError(f"NEMGAN needs z_dim >= number of modes ({n_modes}), got {dim}")
        self.n_modes, self.dim, self.offset, self.noise, self.slope = n_modes, dim, offset, noise, slope
        self.alpha = nn.Parameter(torch.zeros(n_modes), requires_grad=learn_prior)

    def prior(self) -> torch.Tensor:
        return torch.softmax(self.alpha, 0)

    def reparameterised_modes(self, nu1: torch.Tensor) -> torch.Tensor:
        """f(alpha, nu1): (n, M) rows, one-hot in value, hard-sigmoid in gradient."""
        a = torch.cumsum(self.prior(), 0)
        upper = hard_sigmoid(a.unsqueeze(0) - nu1.unsqueeze(1), self.slope)
        lower = torch.cat([torch.zeros_like(upper[:, :1]), upper[:, :-1]], dim=1)
        soft = upper - lower
        # the exact step: mode i iff a_{i-1} <= nu1 < a_i
        index = (
            torch.searchsorted(a.detach(), nu1.unsqueeze(1), right=True)
            .squeeze(1)
            .clamp_max(self.n_modes - 1)
        )
        hard = F.one_hot(index, self.n_modes).to(soft.dtype)
        return hard + soft - soft.detach()

    def forward(
        self, n: int, rng: torch.Generator, mode: int | None = None, scale: float = 1.0
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(z, mode index, y one-hot with gradient to alpha)."""
        if mode is None:
            y = self.reparameterised_modes(torch.rand(n, generator=rng, device=rng.device))
        else:
            y = F.one_hot(torch.full((n,), mode, device=rng.device), self.n_modes).float()
        nu2 = (
            (torch.rand(n, self.dim, generator=rng, device=rng.device) * 2 - 1)
            * self.noise
            * math.sqrt(scale)
        )
        offset = F.pad(y * self.offset, (0, self.dim - self.n_modes))
        return offset + nu2, y.argmax(1), y

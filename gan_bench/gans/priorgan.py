"""Masked and weighted prior GANs (Goerttler & Kloft, §3).

Each step pre-samples n latents, scores them with s = D(G(z)), and resamples the m
latents used for both the D and G steps (Definitions 3-4):
- ``masked``: keep the top r fraction by score (those above the (1 - r) percentile;
  exactly ceil(r n) of them) and resample m with replacement, uniformly;
- ``weighted``: resample m with replacement with probability w(s) / sum w(s), with
  w(s) = s (eq. 7: weights proportional to scores).
On the standard loss, s = sigmoid(D logit) lies in (0, 1). On WGAN (WGAN-GP here, n_critic
5, as the paper's WGAN with 5 D steps) the critic is unbounded; it is mapped
monotonically into (0, 1] by rank: s = rank / n, the highest critic value scoring 1.
Generation also goes through the masked/weighted prior (the method needs D to sample),
unless ``sample_with_prior`` is False.
"""

from __future__ import annotations

import math
from typing import Any

import torch

from gan_bench.gans import latent
from gan_bench.gans.base import BatchSampler, DataSpec
from gan_bench.gans.baselines import UnimodalGAN, standard_gan_step, wgan_gp_step


def masked_indices(scores: torch.Tensor, rate: float, m: int, rng: torch.Generator) -> torch.Tensor:
    """Resample m indices uniformly, with replacement, from the top ceil(rate n) scores."""
    keep = max(1, math.ceil(rate * len(scores)))
    top = torch.topk(scores, keep).indices
    return top[torch.randint(0, keep, (m,), generator=rng, device=rng.device)]


def weighted_indices(scores: torch.Tensor, m: int, rng: torch.Generator) -> torch.Tensor:
    """Resample m indices with replacement, with probability proportional to the score."""
    if (scores <= 0).any():
        raise ValueError("weighted prior: scores must be positive")
    return torch.multinomial(scores / scores.sum(), m, replacement=True, generator=rng)


def rank_scores(critic_values: torch.Tensor) -> torch.Tensor:
    """Monotone map of unbounded critic values into (0, 1]: rank / n."""
    ranks = torch.empty_like(critic_values)
    ranks[critic_values.argsort()] = torch.arange(1, len(critic_values) + 1, dtype=critic_values.dtype)
    return ranks / len(critic_values)


class PriorGAN(UnimodalGAN):
    name = "priorgan"
    summary = "masked or weighted latent prior scored by D (Goerttler & Kloft)"
    options = {
        "prior": "masked",
        "rate": 0.5,
        "presample": 1000,
        "base_loss": "standard",
        "n_critic": 5,
        "gp_weight": 10.0,
        "sample_with_prior": True,
    }
    choices = {
        "prior": ("masked", "weighted"),
        "base_loss": ("standard", "wgan"),
        "sample_with_prior": (True, False),
    }
    inference_modules = ("G", "D")

    def __init__(self, config: dict[str, Any], data: DataSpec) -> None:
        super().__init__(config, data)
        if not 0 < self.config["rate"] <= 1:
            raise ValueError(f"priorgan: rate must be in (0, 1], got {self.config['rate']}")

    def generator_betas(self) -> tuple[float, float]:
        return (
            (self.config["beta1"], 0.9) if self.config["base_loss"] == "wgan" else super().generator_betas()
        )

    @torch.no_grad()
    def scores(self, z: torch.Tensor) -> torch.Tensor:
        """s(z) = D(G(z)) in (0, 1]."""
        values = self.critic(self.G(z))
        return torch.sigmoid(values) if self.config["base_loss"] == "standard" else rank_scores(values)

    def prior_latents(self, m: int, rng: torch.Generator, scale: float = 1.0) -> torch.Tensor:
        """m latents from the masked or weighted prior (pre-sample n, score, resample)."""
        z = latent.gaussian(self.config["presample"], self.config["z_dim"], rng, scale)
        was_training = self.training
        self.eval()  # score with batch-norm statistics, not the pre-sample's
        s = self.scores(z)
        self.train(was_training)
        if self.config["prior"] == "masked":
            idx = masked_indices(s, self.config["rate"], m, rng)
        else:
            idx = weighted_indices(s, m, rng)
        return z[idx]

    def sample_latent(self, n, rng, *, mode=None, scale=1.0):
        if not self.config["sample_with_prior"]:
            return super().sample_latent(n, rng, mode=mode, scale=scale)
        return self.prior_latents(n, rng, scale), None

    def train_step(self, batches: BatchSampler, rng: torch.Generator) -> dict[str, float]:
        if self.config["base_loss"] == "wgan":
            return wgan_gp_step(self, batches, rng, lambda n: self.prior_latents(n, rng))
        return standard_gan_step(self, batches, lambda n: self.prior_latents(n, rng))

"""Masked and weighted prior GANs (Goerttler & Kloft, §3).

Each step pre-samples n latents, scores them with s = D(G(z)), and resamples the m
latents used for both the D and G steps (Definitions 3-4):
- ``masked``: keep the top r fraction by score (those above the (1 - r) percentile;
  exactly ceil(r n) of them) and resample m with replacement, uniformly;
- ``weighted``: resample m with replacement with probability w(s) / sum w(s), with
  w(s) = s (eq. 7: weights proportional to scores).
On the standard loss, s = sigmoid(D logit) lies in (0, 1). With ``base_loss = "wgan"``
(WGAN-GP, n_critic 5) the critic is unbounded; it is mapped monotonically into (0, 1] by
rank: s = rank / n, the highest critic value scoring 1.

The paper's ring-8 setting (§4.1, Table 1) is available as options: ``base_loss =
"wgan-clip"`` (the WGAN it cites, Arjovsky et al.: weight clipping, RMSProp, 5 critic
steps), ``latent = "uniform"`` (U(-1, 1)^d, d = ``z_dim``) and ``nets = "table1"`` (G:
128-128 ReLU, tanh output; D: 128-128-128 tanh, sigmoid output, whose value in (0, 1) is
both the WGAN critic and the score s). As written it cannot train on ring-8 (issue 23):
weights clipped to 0.01 keep every tanh of D in its linear range, so the critic is affine
and its gradient moves all of G's samples by one vector, never spreading them; and Table
1's nets under the DCGAN init N(0, 0.02) start G as a point of spread 2e-4. Two options
give the closest setting that trains: ``table1_init = "glorot"`` (the Keras/TensorFlow
default) and, with ``base_loss = "wgan"`` (a gradient penalty in place of the clip),
``critic_output = "linear"`` (the critic is D's value before the sigmoid; unbounded, it
scores latents by rank, as above).
Generation also goes through the masked/weighted prior (the method needs D to sample),
unless ``sample_with_prior`` is False; it draws distinct latents
(:meth:`PriorGAN.distinct_prior_latents`).
"""

from __future__ import annotations

import math

import torch

from gan_bench.gans import latent, nets
from gan_bench.gans.base import BatchSampler, DataSpec
from gan_bench.gans.baselines import UnimodalGAN, standard_gan_step, wgan_clip_step, wgan_gp_step


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
    inference_modules = ("G", "D")

    def networks(self, data: DataSpec) -> tuple[torch.nn.Module, torch.nn.Module]:
        """The default pair, or Table 1's networks (``nets = "table1"``, points only)."""
        if self.config["nets"] == "default":
            return super().networks(data)
        if data.is_image:
            raise ValueError("priorgan: nets='table1' is the paper's network for 2-D points, not images")
        init = self.config["table1_init"]
        return nets.table1_generator(self.config["z_dim"], data.shape[0], init), nets.table1_discriminator(
            data.shape[0], init
        )

    def make_optimizers(self) -> dict[str, torch.optim.Optimizer]:
        """Adam, or RMSProp for the weight-clipped WGAN (Arjovsky et al., Algorithm 1)."""
        if self.config["base_loss"] != "wgan-clip":
            return super().make_optimizers()
        return {
            "G": torch.optim.RMSprop(self.G.parameters(), lr=self.config["lr_g"]),
            "D": torch.optim.RMSprop(self.D.parameters(), lr=self.config["lr_d"]),
        }

    def sigmoid_critic(self) -> bool:
        """Whether a WGAN critic is Table 1's sigmoid output (``critic_output = "sigmoid"``)."""
        return (
            self.config["nets"] == "table1"
            and self.config["base_loss"] != "standard"
            and self.config["critic_output"] == "sigmoid"
        )

    def critic(self, x: torch.Tensor) -> torch.Tensor:
        """D's value in the losses: logits for the standard loss (the sigmoid is inside the
        loss); Table 1's sigmoid output as the critic on WGAN, unless ``critic_output =
        "linear"``."""
        values = self.D(x).squeeze(-1)
        return torch.sigmoid(values) if self.sigmoid_critic() else values

    def base_latent(self, n: int, rng: torch.Generator, scale: float = 1.0) -> torch.Tensor:
        """The fixed prior before masking/weighting: N(0, scale I) or sqrt(scale) U(-1, 1)^d."""
        if self.config["latent"] == "uniform":
            return latent.uniform(n, self.config["z_dim"], rng) * math.sqrt(scale)
        return latent.gaussian(n, self.config["z_dim"], rng, scale)

    def generator_betas(self) -> tuple[float, float]:
        return (
            (self.config["beta1"], 0.9) if self.config["base_loss"] == "wgan" else super().generator_betas()
        )

    def scores_from_critic(self, values: torch.Tensor) -> torch.Tensor:
        """s(z) = D(G(z)) in (0, 1] from D's raw output (before any sigmoid): the sigmoid
        for the standard loss and for Table 1's sigmoid critic, else rank / n."""
        if self.config["base_loss"] == "standard" or self.sigmoid_critic():
            return torch.sigmoid(values)
        return rank_scores(values)

    @torch.no_grad()
    def scores(self, z: torch.Tensor) -> torch.Tensor:
        return self.scores_from_critic(self.D(self.G(z)).squeeze(-1))

    def scored_pool(self, n: int, rng: torch.Generator, scale: float) -> tuple[torch.Tensor, torch.Tensor]:
        """n latents from the base prior and D's raw output for each (before any sigmoid,
        so that ranking them has no float32 ties), taken with batch-norm running statistics
        (not the pool's own)."""
        z = self.base_latent(n, rng, scale)
        with torch.no_grad(), self.evaluating():
            return z, self.D(self.G(z)).squeeze(-1)

    def prior_latents(self, m: int, rng: torch.Generator, scale: float = 1.0) -> torch.Tensor:
        """m latents from the masked or weighted prior (pre-sample n, score, resample)."""
        z, values = self.scored_pool(self.config["presample"], rng, scale)
        if self.config["prior"] == "masked":
            # s is monotone in the critic value, so the top r by value are the top r by s;
            # ranking the raw values avoids float32 ties where sigmoid rounds (|logit| < 3e-8
            # gives exactly 0.5, as at initialisation; logit > 17 gives exactly 1)
            idx = masked_indices(values, self.config["rate"], m, rng)
        else:
            idx = weighted_indices(self.scores_from_critic(values), m, rng)
        return z[idx]

    def sample_latent(self, n, rng, *, mode=None, scale=1.0):
        if not self.config["sample_with_prior"]:
            return self.base_latent(n, rng, scale), None
        return self.distinct_prior_latents(n, rng, scale), None

    def distinct_prior_latents(self, n: int, rng: torch.Generator, scale: float = 1.0) -> torch.Tensor:
        """n distinct latents from the same prior, for generation and evaluation.

        Training resamples m of a pre-sample with replacement (Definitions 3-4); drawn so
        for evaluation, sample(2000) from a pre-sample of 1000 repeats latents and
        duplicates points, which inflates sample-based metrics such as EMD. Here:
        ``masked`` keeps the top r of a pool of ceil(n / r), i.e. exactly its n best;
        ``weighted`` draws n without replacement, by weight, from a pool of 20 n.
        """
        masked = self.config["prior"] == "masked"
        z, values = self.scored_pool(math.ceil(n / self.config["rate"]) if masked else 20 * n, rng, scale)
        if masked:
            return z[torch.topk(values, n).indices]
        weights = self.scores_from_critic(values)
        return z[torch.multinomial(weights / weights.sum(), n, replacement=False, generator=rng)]

    def train_step(self, batches: BatchSampler, rng: torch.Generator) -> dict[str, float]:
        if self.config["base_loss"] == "wgan-clip":
            return wgan_clip_step(self, batches, lambda n: self.prior_latents(n, rng), self.config["clip"])
        if self.config["base_loss"] == "wgan":
            return wgan_gp_step(self, batches, rng, lambda n: self.prior_latents(n, rng))
        return standard_gan_step(self, batches, lambda n: self.prior_latents(n, rng))

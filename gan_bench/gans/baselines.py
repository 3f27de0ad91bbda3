"""The baselines: the non-saturating GAN and WGAN-GP."""

from __future__ import annotations

from typing import Any

import torch

from gan_bench.gans import latent, losses, nets
from gan_bench.gans.base import GAN, BatchSampler, DataSpec, frozen


class UnimodalGAN(GAN):
    """A GAN with a N(0, I) latent: the generator, a one-output critic and their optimizers."""

    inference_modules = ("G",)

    def __init__(self, config: dict[str, Any], data: DataSpec) -> None:
        super().__init__(config, data)
        self.G, self.D = self.networks(data)
        self.optimizers = self.make_optimizers()

    def networks(self, data: DataSpec) -> tuple[torch.nn.Module, torch.nn.Module]:
        """(G, D): the MLP or DCGAN pair of the data's shape."""
        return nets.generator(self.config["z_dim"], data.shape), nets.discriminator(data.shape, 1)

    def make_optimizers(self) -> dict[str, torch.optim.Optimizer]:
        return {
            "G": self.adam(self.G.parameters(), self.config["lr_g"], self.generator_betas()),
            "D": self.adam(self.D.parameters(), self.config["lr_d"], self.generator_betas()),
        }

    def generator_betas(self) -> tuple[float, float]:
        return self.config["beta1"], self.config["beta2"]

    def sample_latent(self, n, rng, *, mode=None, scale=1.0):
        return latent.gaussian(n, self.config["z_dim"], rng, scale), None

    def critic(self, x: torch.Tensor) -> torch.Tensor:
        return self.D(x).squeeze(-1)


class VanillaGAN(UnimodalGAN):
    """Goodfellow et al. (2014) with the non-saturating generator loss (§3)."""

    name = "vanilla"

    def train_step(self, batches: BatchSampler, rng: torch.Generator) -> dict[str, float]:
        return standard_gan_step(self, batches, lambda n: self.sample_latent(n, rng)[0])


def standard_gan_step(model: UnimodalGAN, batches: BatchSampler, latents) -> dict[str, float]:
    """One D and one G update of the non-saturating GAN on the latents ``latents(n)``."""
    real = model.to_model_space(batches()[0])
    fake = model.G(latents(len(real)))
    d_loss = losses.d_loss_standard(model.critic(real), model.critic(fake.detach()))
    model.optimizers["D"].zero_grad()
    d_loss.backward()
    model.optimizers["D"].step()
    with frozen(model.D):
        g_loss = losses.g_loss_nonsaturating(model.critic(fake))
    model.optimizers["G"].zero_grad()
    g_loss.backward()
    model.optimizers["G"].step()
    return {"d_loss": d_loss.item(), "g_loss": g_loss.item()}


def wgan_gp_critic_steps(
    model: GAN, batches: BatchSampler, rng: torch.Generator, latents
) -> dict[str, float]:
    """n_critic critic updates of C(G(z)) - C(x) + lambda * GP on fresh real batches and
    latents ``latents(n)`` (Gulrajani et al., Alg. 1, lines 2-9); returns the last losses."""
    cfg = model.config
    for _ in range(cfg["n_critic"]):
        real = model.to_model_space(batches()[0])
        with torch.no_grad():
            fake = model.G(latents(len(real)))
        gp = losses.gradient_penalty(model.critic, real, fake, rng)
        d_loss = losses.wgan_critic_loss(model.critic(real), model.critic(fake)) + cfg["gp_weight"] * gp
        model.optimizers["D"].zero_grad()
        d_loss.backward()
        model.optimizers["D"].step()
    return {"d_loss": d_loss.item(), "gp": gp.item()}


def wasserstein_generator_step(model: UnimodalGAN, latents) -> float:
    """One generator update of -C(G(z)) on a batch of ``latents(n)`` (WGAN and WGAN-GP alike);
    returns the loss."""
    fake = model.G(latents(model.config["batch_size"]))
    with frozen(model.D):
        g_loss = -model.critic(fake).mean()
    model.optimizers["G"].zero_grad()
    g_loss.backward()
    model.optimizers["G"].step()
    return g_loss.item()


def wgan_clip_step(model: UnimodalGAN, batches: BatchSampler, latents, clip: float) -> dict[str, float]:
    """WGAN (Arjovsky et al. 2017, Algorithm 1): n_critic critic updates of
    C(G(z)) - C(x), each followed by clipping the critic's weights to [-clip, clip], then
    one generator update of -C(G(z))."""
    for _ in range(model.config["n_critic"]):
        real = model.to_model_space(batches()[0])
        with torch.no_grad():
            fake = model.G(latents(len(real)))
        d_loss = losses.wgan_critic_loss(model.critic(real), model.critic(fake))
        model.optimizers["D"].zero_grad()
        d_loss.backward()
        model.optimizers["D"].step()
        with torch.no_grad():
            for p in model.D.parameters():
                p.clamp_(-clip, clip)
    return {"d_loss": d_loss.item(), "g_loss": wasserstein_generator_step(model, latents)}


def wgan_gp_step(
    model: UnimodalGAN,
    batches: BatchSampler,
    rng: torch.Generator,
    latents,
) -> dict[str, float]:
    """n_critic critic updates with gradient penalty, then one generator update.

    ``latents(n)`` returns the latent batch to use (priorgan passes its masked or
    weighted prior here).
    """
    out = wgan_gp_critic_steps(model, batches, rng, latents)
    return {**out, "g_loss": wasserstein_generator_step(model, latents)}


class WGANGP(UnimodalGAN):
    """WGAN-GP (Gulrajani et al. 2017, Algorithm 1): lambda_GP = 10, n_critic = 5, Adam (0.5, 0.9)."""

    name = "wgan-gp"

    def generator_betas(self) -> tuple[float, float]:
        return self.config["beta1"], 0.9

    def train_step(self, batches: BatchSampler, rng: torch.Generator) -> dict[str, float]:
        return wgan_gp_step(self, batches, rng, lambda n: self.sample_latent(n, rng)[0])

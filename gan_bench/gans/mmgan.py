"""MMGAN (Pandeva & Schubert): a GAN with a learnable Gaussian-mixture latent and an
encoder that clusters real data.

Per iteration (§3, Algorithm 1):
- batch B1 pairs each real x with a fake from cluster k = argmax E(x) (``pairing=False``:
  from a cluster of the uniform prior, the "no pairings" ablation of §5, Table 2); D compares the
  pairs with the chosen loss: ``sgan`` (standard), ``rsgan`` (relativistic:
  -log sigmoid(C(x) - C(x~))) or ``crasgan`` (relativistic average, averages taken
  within the same cluster);
- batch B2 draws clusters from the uniform prior and adds
  lambda * cross-entropy(E(G(z_k)), k), which trains G, the latent and E.
Clustering: argmax E on the test set.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from gan_bench.gans import latent, losses, nets
from gan_bench.gans.base import GAN, BatchSampler, DataSpec, frozen

CLUSTERGAN_HIDDEN = 1024  # the FC layer of ClusterGAN's generator, discriminator and encoder


class MMGAN(GAN):
    name = "mmgan"
    inference_modules = ("G", "prior", "E")

    def __init__(self, config: dict[str, Any], data: DataSpec) -> None:
        super().__init__(config, data)
        cfg = self.config
        self.count_from_data("n_clusters")
        init_rng = self.init_generator()
        self.prior = latent.MMGANLatent(
            cfg["n_clusters"], cfg["z_dim"], cfg["sigma_min"], cfg["sigma_init"], init_rng
        )
        hidden = CLUSTERGAN_HIDDEN if cfg["architecture"] == "clustergan" else None
        if hidden is not None and not data.is_image:
            raise ValueError(
                "mmgan: architecture='clustergan' is ClusterGAN's image networks; "
                f"expected image data, got samples of shape {tuple(data.shape)}"
            )
        self.G = nets.generator(cfg["z_dim"], data.shape, hidden=hidden)
        self.D = nets.discriminator(data.shape, 1, hidden=hidden)
        self.E = nets.discriminator(data.shape, cfg["n_clusters"], hidden=hidden)
        self.optimizers = {
            "G": self.generator_and_prior_adam(self.G, self.prior),
            "D": self.adam(self.D.parameters(), cfg["lr_d"]),
            "E": self.adam(self.E.parameters(), cfg["lr_e"] or cfg["lr_g"]),
        }

    @property
    def n_modes(self) -> int:
        return self.config["n_clusters"]

    def sample_latent(self, n, rng, *, mode=None, scale=1.0):
        clusters = latent.choose_modes(n, self.n_modes, rng, mode)
        return self.prior(clusters, rng, scale), clusters

    @torch.no_grad()
    def encoder_clusters(self, real_model_space: torch.Tensor) -> torch.Tensor:
        """k = argmax E(x) for batch B1."""
        return self.E(real_model_space).argmax(1)

    def pair_losses(self, real_scores, fake_scores, clusters) -> tuple[torch.Tensor, torch.Tensor]:
        kind = self.config["loss"]
        if kind == "sgan":
            return losses.d_loss_standard(real_scores, fake_scores), losses.g_loss_nonsaturating(fake_scores)
        if kind == "rsgan":
            return losses.relativistic_losses(real_scores, fake_scores)
        return losses.relativistic_average_losses(real_scores, fake_scores, clusters, self.n_modes)

    def train_step(self, batches: BatchSampler, rng: torch.Generator) -> dict[str, float]:
        real = self.to_model_space(batches()[0])
        # B1: fakes from the cluster the encoder assigns to each paired real sample (or, in
        # the "no pairings" ablation of Table 2, from clusters of the uniform prior)
        if self.config["pairing"]:
            clusters = self.encoder_clusters(real)
        else:
            clusters = latent.choose_modes(len(real), self.n_modes, rng, None)
        fake = self.G(self.prior(clusters, rng))
        real_scores = self.D(real).squeeze(-1)
        d_loss, _ = self.pair_losses(real_scores, self.D(fake.detach()).squeeze(-1), clusters)
        self.optimizers["D"].zero_grad()
        d_loss.backward()
        self.optimizers["D"].step()

        with frozen(self.D):
            _, g_adv = self.pair_losses(self.D(real).squeeze(-1), self.D(fake).squeeze(-1), clusters)
        # B2: clusters from the prior; the cross-entropy trains G, the latent and E
        b2_clusters = latent.choose_modes(len(real), self.n_modes, rng, None)
        b2_fake = self.G(self.prior(b2_clusters, rng))
        ce = F.cross_entropy(self.E(b2_fake), b2_clusters)
        g_loss = g_adv + self.config["lambda_ce"] * ce
        for key in ("G", "E"):
            self.optimizers[key].zero_grad()
        g_loss.backward()
        self.optimizers["G"].step()
        self.optimizers["E"].step()
        return {"d_loss": d_loss.item(), "g_loss": g_adv.item(), "ce": ce.item()}

    def predict_cluster(self, x: torch.Tensor) -> torch.Tensor:
        return self.clusters_of(self.E, x)

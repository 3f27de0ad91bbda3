"""GM-GAN (Ben-Yosef & Weinshall): a Gaussian-mixture latent prior.

- static: mu_k ~ U[-c, c]^d fixed, Sigma_k = sigma I (defaults d = 100, c = 0.1,
  sigma = 0.15); dynamic: mu_k and A_k learned, z = A_k eps + mu_k (App. B);
- unsupervised: the standard GAN loss (eqs. 2-3); supervised: D outputs N sigmoids
  and the losses of §2 (Algorithm 1, lines 10-12 and 22-23), Gaussian k mapped to class
  f(k) = k mod N;
- sampling scale: the latent covariance is multiplied by ``scale`` after training (§3);
- clustering: Algorithm 2 (§5): M samples per Gaussian, a K-way classifier trained on
  them, argmax on real data. The classifier is fitted after training and saved.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from gan_bench.gans import latent, losses, nets
from gan_bench.gans.base import GAN, BatchSampler, DataSpec, frozen


class GMGAN(GAN):
    name = "gmgan"
    inference_modules = ("G", "prior", "cluster_head", "cluster_head_fitted")

    def __init__(self, config: dict[str, Any], data: DataSpec) -> None:
        super().__init__(config, data)
        cfg = self.config
        self.count_from_data("n_gaussians")
        if cfg["supervised"] and data.n_classes is None:
            raise ValueError("gmgan: supervised=True needs a labelled dataset")
        init_rng = self.init_generator()
        self.prior = latent.GMGANLatent(
            cfg["n_gaussians"],
            cfg["z_dim"],
            cfg["c"],
            cfg["sigma"],
            cfg["mixture"] == "dynamic",
            cfg["covariance"] == "diagonal",
            init_rng,
        )
        self.n_outputs = data.n_classes if cfg["supervised"] else 1
        self.G = nets.generator(cfg["z_dim"], data.shape)
        self.D = nets.discriminator(data.shape, self.n_outputs)
        self.cluster_head = nets.discriminator(data.shape, cfg["n_gaussians"])
        self.register_buffer("cluster_head_fitted", torch.tensor(False))
        self.optimizers = {
            "G": self.generator_and_prior_adam(self.G, self.prior),
            "D": self.adam(self.D.parameters(), cfg["lr_d"]),
        }

    @property
    def n_modes(self) -> int:
        return self.config["n_gaussians"]

    def sample_latent(self, n, rng, *, mode=None, scale=1.0):
        modes = latent.choose_modes(n, self.n_modes, rng, mode)
        return self.prior(modes, rng, scale), modes

    def target_class(self, modes: torch.Tensor) -> torch.Tensor:
        """f(k): Gaussian index to class index (bijective when K = N)."""
        return modes % self.data.n_classes

    @staticmethod
    def supervised_real_loss(logits: torch.Tensor, classes: torch.Tensor) -> torch.Tensor:
        """-log D(x)_y - sum_{m != y} log(1 - D(x)_m)."""
        target = F.one_hot(classes, logits.shape[1]).float()
        return F.binary_cross_entropy_with_logits(logits, target, reduction="sum") / len(logits)

    @staticmethod
    def supervised_fake_loss(logits: torch.Tensor) -> torch.Tensor:
        """-sum_m log(1 - D(G(z))_m)."""
        return F.softplus(logits).sum(1).mean()

    def train_step(self, batches: BatchSampler, rng: torch.Generator) -> dict[str, float]:
        real_data, labels = batches()
        real = self.to_model_space(real_data)
        z, modes = self.sample_latent(len(real), rng)
        fake = self.G(z)
        if self.config["supervised"]:
            d_loss = self.supervised_real_loss(self.D(real), labels) + self.supervised_fake_loss(
                self.D(fake.detach())
            )
        else:
            d_loss = losses.d_loss_standard(self.D(real).squeeze(-1), self.D(fake.detach()).squeeze(-1))
        self.optimizers["D"].zero_grad()
        d_loss.backward()
        self.optimizers["D"].step()
        if self.config["g_batch_size"]:  # the paper's separate generator batch, with a fresh z
            z, modes = self.sample_latent(self.config["g_batch_size"], rng)
            fake = self.G(z)
        with frozen(self.D):
            if self.config["supervised"]:
                g_loss = self.supervised_real_loss(self.D(fake), self.target_class(modes))
            else:
                g_loss = losses.g_loss_nonsaturating(self.D(fake).squeeze(-1))
        self.optimizers["G"].zero_grad()
        g_loss.backward()
        self.optimizers["G"].step()
        return {"d_loss": d_loss.item(), "g_loss": g_loss.item()}

    def finalize(self, rng: torch.Generator) -> None:
        self.fit_cluster_head(rng)

    def fit_cluster_head(self, rng: torch.Generator, batch_size: int = 256) -> None:
        """Algorithm 2, lines 2-7: label M generated samples per Gaussian by their Gaussian
        and train a K-way classifier on them."""
        m, k = self.config["cluster_samples"], self.n_modes
        with torch.enable_grad():
            self._train_cluster_head(m, k, rng, batch_size)
        self.cluster_head_fitted.fill_(True)

    def _train_cluster_head(self, m: int, k: int, rng: torch.Generator, batch_size: int) -> None:
        with torch.no_grad():
            self.G.eval()
            modes = torch.arange(k).repeat_interleave(m)
            x = self.G(self.prior(modes, rng))
            self.G.train()
        optimizer = torch.optim.Adam(self.cluster_head.parameters(), lr=1e-3)
        for _ in range(self.config["cluster_steps"]):
            idx = torch.randint(0, len(x), (batch_size,), generator=rng, device=rng.device)
            loss = F.cross_entropy(self.cluster_head(x[idx]), modes[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

    @torch.no_grad()
    def predict_cluster(self, x: torch.Tensor) -> torch.Tensor:
        """Algorithm 2, line 8: argmax of the K-way classifier on real data."""
        if not bool(self.cluster_head_fitted):
            self.fit_cluster_head(torch.Generator().manual_seed(0))
        return self.clusters_of(self.cluster_head, x)

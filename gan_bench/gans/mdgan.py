"""Mixture Density GAN (Eghbal-zadeh et al.).

D outputs a d-dimensional embedding. C = d + 1 spherical Gaussians sit at the vertices
of a regular simplex with edge 1 (the Simplex Gaussian Mixture, §3.1). The likelihood
lk(e) is the density of the most likely component (``likelihood="max"``, the paper's
eq. 3) or the equal-weight sum of all components (``"sum"``, the official demo);
each component is weighted 1/C. lambda is the maximum of lk (§5.2.1), so lambda - lk >= 0.
Objective (eq. 4): D maximises log lk_real(D(x)) + log(lambda - lk_fake(D(G(z)))), G
minimises log(lambda - lk_fake(D(G(z)))). Real and fake likelihoods may use different
variances (0.25/0.25 or 0.28/0.25 in the paper).

The official 2-D demo (eghbalz/mdgan) is these options: ``likelihood="sum"``,
``simplex_edge=sqrt(2)`` (its vertices have unit norm), ``latent="uniform"``,
``g_output_scale=6``, ``d_embedding_bound=2.5``, ``fresh_g_latent=True`` (a new z for G's
step) and ``lr_halving_steps=10000`` (both learning rates halved every 500 epochs of 20
batches), batch 500, Adam 1e-3, 40,000 steps; the toy suite's grid25 runs use it.
"""

from __future__ import annotations

import math
from typing import Any

import torch

from gan_bench.gans import latent, nets
from gan_bench.gans.base import GAN, BatchSampler, DataSpec, frozen

LOG_EPS = 1e-6


def simplex_vertices(n_vertices: int, edge: float = 1.0) -> torch.Tensor:
    """(C, C-1) coordinates of a regular simplex with edges ``edge``, centred at 0.

    The vertices e_i * edge / sqrt(2) of the standard simplex in R^C are pairwise at
    distance ``edge``; they are centred and expressed in an orthonormal basis of their
    hyperplane. The paper's simplex has edge 1; the official demo's normalisation puts
    its vertices sqrt(2) apart.
    """
    if not edge > 0:
        raise ValueError(f"simplex edge: expected a positive length, got {edge}")
    points = torch.eye(n_vertices, dtype=torch.float64) * edge / math.sqrt(2)
    centred = points - points.mean(0)
    # orthonormal basis of the hyperplane orthogonal to (1, ..., 1)
    basis, _ = torch.linalg.qr(centred.T)
    return (centred @ basis[:, : n_vertices - 1]).float()


class SimplexLikelihood:
    """Log-likelihood of embeddings under the simplex Gaussian mixture."""

    def __init__(self, vertices: torch.Tensor, variance: float, reduce: str) -> None:
        self.vertices, self.variance, self.reduce = vertices, variance, reduce
        dim = vertices.shape[1]
        self.log_norm = -0.5 * dim * math.log(2 * math.pi * variance) - math.log(len(vertices))

    def component_log_density(self, e: torch.Tensor) -> torch.Tensor:
        sq = torch.cdist(e, self.vertices.to(e)) ** 2
        return self.log_norm - sq / (2 * self.variance)

    def log_lk(self, e: torch.Tensor) -> torch.Tensor:
        comp = self.component_log_density(e)
        return comp.max(1).values if self.reduce == "max" else torch.logsumexp(comp, 1)

    def max_log_lk(self, iterations: int = 200) -> float:
        """log lambda: the maximum of lk over the embedding space.

        For ``max`` it is a component's peak. For ``sum``, a fixed-point (mean-shift)
        iteration from each vertex climbs to the mixture's local maximum there (the
        paper finds it by gradient ascent, §5.2.1).
        """
        if self.reduce == "max":
            return self.log_norm
        e = self.vertices.double().clone()
        vertices = self.vertices.double()
        for _ in range(iterations):
            weights = torch.softmax(-(torch.cdist(e, vertices) ** 2) / (2 * self.variance), dim=1)
            e = weights @ vertices
        return float(self.log_lk(e.float()).max())


class MDGAN(GAN):
    name = "mdgan"

    def __init__(self, config: dict[str, Any], data: DataSpec) -> None:
        super().__init__(config, data)
        cfg = self.config
        if cfg["n_components"] < 2:
            raise ValueError(f"mdgan: n_components must be >= 2, got {cfg['n_components']}")
        g_out = nets.ScaledTanh(cfg["g_output_scale"]) if cfg["g_output_scale"] else None
        d_out = nets.BoundedSigmoid(cfg["d_embedding_bound"]) if cfg["d_embedding_bound"] else None
        self.G = nets.generator(cfg["z_dim"], data.shape, g_out)
        self.D = nets.discriminator(data.shape, cfg["n_components"] - 1, d_out)
        self.register_buffer("vertices", simplex_vertices(cfg["n_components"], cfg["simplex_edge"]))
        self.lk_real = SimplexLikelihood(self.vertices, cfg["var_real"], cfg["likelihood"])
        self.lk_fake = SimplexLikelihood(self.vertices, cfg["var_fake"], cfg["likelihood"])
        self.log_lambda = self.lk_fake.max_log_lk()
        self.optimizers = {
            "G": self.adam(self.G.parameters(), cfg["lr_g"]),
            "D": self.adam(self.D.parameters(), cfg["lr_d"]),
        }

    def sample_latent(self, n, rng, *, mode=None, scale=1.0):
        if self.config["latent"] == "uniform":
            return latent.uniform(n, self.config["z_dim"], rng) * math.sqrt(scale), None
        return latent.gaussian(n, self.config["z_dim"], rng, scale), None

    def log_lambda_minus_lk(self, e: torch.Tensor) -> torch.Tensor:
        """log(lambda - lk_fake(e)), computed as log lambda + log(1 - lk/lambda)."""
        ratio = torch.exp(self.lk_fake.log_lk(e) - self.log_lambda).clamp(max=1 - LOG_EPS)
        return self.log_lambda + torch.log1p(-ratio)

    def _halve_learning_rates(self) -> None:
        """lr = lr0 * 0.5^(steps done // lr_halving_steps), read from D's Adam step count, so a
        resumed run follows the same schedule as an uninterrupted one."""
        every = self.config["lr_halving_steps"]
        if every is None:
            return
        state = self.optimizers["D"].state
        first = next(iter(self.D.parameters()))
        done = int(state[first]["step"]) if first in state else 0
        factor = 0.5 ** (done // every)
        for key, lr in (("G", self.config["lr_g"]), ("D", self.config["lr_d"])):
            for group in self.optimizers[key].param_groups:
                group["lr"] = lr * factor

    def train_step(self, batches: BatchSampler, rng: torch.Generator) -> dict[str, float]:
        self._halve_learning_rates()
        real = self.to_model_space(batches()[0])
        z, _ = self.sample_latent(len(real), rng)
        fake = self.G(z)
        d_objective = (
            self.lk_real.log_lk(self.D(real)).mean() + self.log_lambda_minus_lk(self.D(fake.detach())).mean()
        )
        d_loss = -d_objective
        self.optimizers["D"].zero_grad()
        d_loss.backward()
        self.optimizers["D"].step()
        if self.config["fresh_g_latent"]:
            fake = self.G(self.sample_latent(len(real), rng)[0])
        with frozen(self.D):
            g_loss = self.log_lambda_minus_lk(self.D(fake)).mean()
        self.optimizers["G"].zero_grad()
        g_loss.backward()
        self.optimizers["G"].step()
        return {"d_loss": d_loss.item(), "g_loss": g_loss.item()}

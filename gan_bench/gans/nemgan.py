"""NEMGAN (Mishra et al.): noise-engineered mode matching.

The latent z = y + nu2 (see :class:`~gan_bench.gans.latent.NEMGANLatent`): y a mode
offset drawn from softmax(alpha) through the hard-sigmoid step reparameterisation, nu2
uniform noise. Inverters h1: x -> z^ and h2: z^ -> y^ invert the generator; the
generator and inverters minimise the adversarial loss plus ||z - h1(G(z))|| (latent
reconstruction) and the mode cross-entropy CE(h2(h1(G(z))), y) (§3.2, eq. 5).
Modes (§3.3): ``V`` uniform prior, no labels; ``S`` h additionally supervised on a
labelled fraction (< 1%) of real data; ``P`` S plus prior learning: alpha minimises
KL(h's aggregated posterior on real data || the latent prior), with the prior estimated
from reparameterised samples so the gradient flows through the hard sigmoid.
Clustering: argmax h2(h1(x)).

Paper settings (§4): Adam with betas (0.5, 0.9), lr 2e-4 for G and 1e-3 for D and for the
inverter, which has its own optimiser (``lr_h``; left at None, h1 and h2 share G's
optimiser, the setting of the toy suite); DCGAN base loss for MNIST and Stacked MNIST,
WGAN-GP for FMNIST (``base_loss = "wgan-gp"``). The labelled fraction is drawn at random
from the training split (``labelled_draw = "random"``, the paper's method);
``"stratified"`` takes the same count per class.

Settings of the official code (github.com/NEMGAN/NEMGAN for MNIST, the FMNIST-5 NEMGAN-P
port), offered as options because the paper does not give them:
- ``inverter = "official"``: the code's five-convolution h1 with dropout 0.4
  (:class:`~gan_bench.gans.nets.NEMGANInverter`) and a linear h2 (its softmax head);
- ``rec_loss``: the paper's norm ``||z - h1(G(z))||`` (``"l2"``, eq. 15), or the code's
  per-coordinate mean absolute error (``"l1"``, weighted 100 on MNIST) or squared error
  (``"mse"``, weighted 10 on FMNIST-5), with ``rec_weight``;
- ``supervision = "balanced"``: eq. 16's separate ``min_h L_cc``: h trained on its own
  optimiser (``lr_sup``) on class-balanced minibatches of ``sup_batch`` labelled images,
  ``sup_per_step`` of them per generator step from generator step ``sup_start`` (the code:
  64 images, from step 100, about 1.2 a step), after ``sup_pretrain`` such steps before
  the GAN starts (§2.4: "train it ... to correctly estimate the modes on X_cr"). The
  default, ``"joint"``, adds the cross-entropy on the whole labelled set to G and h's loss.
  The prior's warm-up (``prior_warmup``; the FMNIST-5 code: 10,000 steps) is an option too.

``labels_only = true`` is the control of the semi-supervised claim (§3.3: the GAN helps h
beyond its labels): the same h, trained on the labelled images alone by the balanced
supervision steps, one per training step, with no GAN step (G, D and alpha stay at their
initialisation). It is evaluated like any NEMGAN run; only its clustering scores mean
anything.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from gan_bench.gans import latent, losses, nets
from gan_bench.gans.base import GAN, BatchSampler, DataSpec, frozen
from gan_bench.gans.baselines import wgan_gp_critic_steps


class NEMGAN(GAN):
    name = "nemgan"

    @property
    def inference_modules(self) -> tuple[str, ...]:  # type: ignore[override]
        """G, the prior and h; the labels-only control never trains G, so it keeps h alone
        (and the prior: its clustering reads both), half the file."""
        return ("prior", "h1", "h2") if self.config["labels_only"] else ("G", "prior", "h1", "h2")

    def __init__(self, config: dict[str, Any], data: DataSpec) -> None:
        super().__init__(config, data)
        cfg = self.config
        self.count_from_data("n_modes")
        if "z_dim" not in config:  # the one-hot offsets need a dimension per mode
            cfg["z_dim"] = max(cfg["z_dim"], cfg["n_modes"])
        self.prior = latent.NEMGANLatent(
            cfg["n_modes"],
            cfg["z_dim"],
            cfg["offset"],
            cfg["noise"],
            cfg["step_slope"],
            learn_prior=cfg["mode"] == "P",
        )
        self.G = nets.generator(cfg["z_dim"], data.shape)
        self.D = nets.discriminator(data.shape, 1)
        if cfg["inverter"] == "official":
            if not data.is_image:
                raise ValueError(
                    "nemgan: inverter='official' is the official code's image network; "
                    f"expected image data, got samples of shape {tuple(data.shape)}"
                )
            self.h1 = nets.NEMGANInverter(data.shape[0], cfg["z_dim"])
            self.h2 = torch.nn.Linear(cfg["z_dim"], cfg["n_modes"])
            nets.init_weights(self.h1)
        else:
            self.h1 = nets.discriminator(data.shape, cfg["z_dim"])
            self.h2 = nets.mlp(cfg["z_dim"], cfg["n_modes"])
        nets.init_weights(self.h2)
        inverter = list(self.h1.parameters()) + list(self.h2.parameters())
        if cfg["lr_h"] is None:
            self.optimizers = {"G": self.adam(list(self.G.parameters()) + inverter, cfg["lr_g"])}
        else:
            self.optimizers = {
                "G": self.adam(self.G.parameters(), cfg["lr_g"]),
                "h": self.adam(inverter, cfg["lr_h"]),
            }
        self.optimizers["D"] = self.adam(self.D.parameters(), cfg["lr_d"])
        if cfg["mode"] == "P":
            self.optimizers["alpha"] = self.adam([self.prior.alpha], cfg["lr_alpha"])
        if cfg["labels_only"] and (cfg["mode"] == "V" or cfg["supervision"] != "balanced"):
            raise ValueError(
                "nemgan: labels_only trains h on the labelled images alone; expected mode 'S' or 'P' "
                f"with supervision='balanced', got mode={cfg['mode']!r}, supervision={cfg['supervision']!r}"
            )
        if cfg["supervision"] == "balanced" and cfg["mode"] != "V":
            lr_sup = cfg["lr_sup"] or cfg["lr_h"] or cfg["lr_g"]
            self.optimizers["sup"] = self.adam(inverter, lr_sup)
        self.labelled_x: torch.Tensor | None = None
        self.labelled_y: torch.Tensor | None = None

    @property
    def n_modes(self) -> int:
        return self.config["n_modes"]

    def mode_prior(self) -> torch.Tensor:
        """softmax(alpha) (§2.1): learned in mode P, uniform in V and S."""
        return self.prior.prior().detach()

    def sample_latent(self, n, rng, *, mode=None, scale=1.0):
        z, modes, _ = self.prior(n, rng, mode, scale)
        return z, modes

    def setup(self, samples: torch.Tensor, labels: torch.Tensor | None, rng: torch.Generator) -> None:
        """Modes S and P: keep a labelled fraction (< 1%) of the training set (§3.3).

        ``random``: ``max(1, floor(fraction * N))`` samples drawn uniformly without
        replacement, so a rare class may get none (the paper's draw); ``stratified``:
        ``max(1, floor(fraction * N / M))`` per class.
        """
        if self.config["mode"] == "V":
            return
        if labels is None:
            raise ValueError("nemgan: modes S and P need a labelled dataset")
        fraction = self.config["labelled_fraction"]
        if self.config["labelled_draw"] == "random":
            count = max(1, int(fraction * len(labels)))
            idx = torch.randperm(len(labels), generator=rng, device=rng.device)[:count]
        else:
            per_class = max(1, int(fraction * len(labels) / self.n_modes))
            picks = []
            for c in range(self.n_modes):
                members = torch.nonzero(labels == c).squeeze(1)
                order = torch.randperm(len(members), generator=rng, device=rng.device)
                picks.append(members[order[:per_class]])
            idx = torch.cat(picks)
        self.labelled_x, self.labelled_y = samples[idx], labels[idx]
        if self.config["supervision"] == "balanced":
            for _ in range(self.config["sup_pretrain"]):
                self.supervised_step(rng)

    def balanced_labelled_batch(self, rng: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """``sup_batch`` labelled images, the same number from every class the labelled set
        holds (drawn with replacement within a class; the remainder to the first classes)."""
        present = torch.unique(self.labelled_y)
        size = self.config["sup_batch"]
        picks = []
        for i, c in enumerate(present.tolist()):
            members = torch.nonzero(self.labelled_y == c).squeeze(1)
            count = size // len(present) + (1 if i < size % len(present) else 0)
            draw = torch.randint(0, len(members), (count,), generator=rng, device=rng.device)
            picks.append(members[draw])
        idx = torch.cat(picks)
        return self.labelled_x[idx], self.labelled_y[idx]

    def supervised_step(self, rng: torch.Generator) -> float:
        """Eq. 16's ``min_h L_cc``: one cross-entropy step of h on a class-balanced batch of
        the labelled images, on h's own supervision optimiser."""
        x, y = self.balanced_labelled_batch(rng)
        loss = F.cross_entropy(self.mode_logits(self.to_model_space(x)), y)
        self.optimizers["sup"].zero_grad()
        loss.backward()
        self.optimizers["sup"].step()
        return loss.item()

    def reconstruction(self, z: torch.Tensor, z_hat: torch.Tensor) -> torch.Tensor:
        """The latent reconstruction term: ``||z - z^||_2`` per sample (eq. 15, p = 2), or the
        official code's mean absolute (``l1``) or squared (``mse``) error per coordinate."""
        kind = self.config["rec_loss"]
        if kind == "l2":
            return (z - z_hat).norm(dim=1).mean()
        return (z - z_hat).abs().mean() if kind == "l1" else (z - z_hat).pow(2).mean()

    def mode_logits(self, x_model_space: torch.Tensor) -> torch.Tensor:
        return self.h2(self.h1(x_model_space))

    def critic(self, x: torch.Tensor) -> torch.Tensor:
        return self.D(x).squeeze(-1)

    def train_step(self, batches: BatchSampler, rng: torch.Generator) -> dict[str, float]:
        """D step(s), then G and the inverters on adversarial + rec + CE (+ supervision), eq. 5.

        The standard base takes one D step on the same fakes the G step then uses; the
        WGAN-GP base takes its critic steps first, on fresh latents.
        """
        cfg = self.config
        if cfg["labels_only"]:
            return {"sup": self.supervised_step(rng)}
        wgan = cfg["base_loss"] == "wgan-gp"
        # the WGAN-GP base (the paper's FMNIST setting) takes its critic steps first
        out = wgan_gp_critic_steps(self, batches, rng, lambda n: self.prior(n, rng)[0]) if wgan else {}
        real = self.to_model_space(batches()[0])
        z, modes, _ = self.prior(len(real), rng)
        fake = self.G(z)
        if not wgan:
            d_loss = losses.d_loss_standard(self.critic(real), self.critic(fake.detach()))
            self.optimizers["D"].zero_grad()
            d_loss.backward()
            self.optimizers["D"].step()
            out["d_loss"] = d_loss.item()
        z_hat = self.h1(fake)
        rec = self.reconstruction(z, z_hat)
        ce = F.cross_entropy(self.h2(z_hat), modes)
        with frozen(self.D):
            if cfg["base_loss"] == "wgan-gp":
                g_adv = -self.critic(fake).mean()
            else:
                g_adv = losses.g_loss_nonsaturating(self.critic(fake))
        total = g_adv + cfg["rec_weight"] * rec + cfg["ce_weight"] * ce
        out.update(g_loss=g_adv.item(), rec=rec.item(), ce=ce.item())
        if self.labelled_x is not None and cfg["supervision"] == "joint":
            sup = F.cross_entropy(self.mode_logits(self.to_model_space(self.labelled_x)), self.labelled_y)
            total = total + sup
            out["sup"] = sup.item()
        trained = [self.optimizers[k] for k in ("G", "h") if k in self.optimizers]
        for opt in trained:
            opt.zero_grad()
        total.backward()
        for opt in trained:
            opt.step()
        if self.labelled_x is not None and cfg["supervision"] == "balanced":
            if self.generator_steps() > cfg["sup_start"]:
                out["sup"] = (
                    sum(self.supervised_step(rng) for _ in range(cfg["sup_per_step"])) / cfg["sup_per_step"]
                )
        if cfg["mode"] == "P" and self.generator_steps() > cfg["prior_warmup"]:
            out["prior_kl"] = self.prior_step(real, rng)
        return out

    def generator_steps(self) -> int:
        """Generator updates so far (Adam's step count, saved with the optimiser on resume)."""
        state = self.optimizers["G"].state.get(next(self.G.parameters()))
        return 0 if state is None else int(state["step"])

    def prior_step(self, real_model_space: torch.Tensor, rng: torch.Generator) -> float:
        """alpha <- argmin KL(aggregated posterior of h on real data || latent prior)."""
        with torch.no_grad():
            posterior = torch.softmax(self.mode_logits(real_model_space), 1).mean(0)
        y = self.prior.reparameterised_modes(
            torch.rand(self.config["prior_batch"], generator=rng, device=rng.device)
        )
        prior_estimate = y.mean(0).clamp_min(1e-6)
        kl = (posterior * (posterior.clamp_min(1e-12).log() - prior_estimate.log())).sum()
        self.optimizers["alpha"].zero_grad()
        kl.backward()
        self.optimizers["alpha"].step()
        return kl.item()

    def predict_cluster(self, x: torch.Tensor) -> torch.Tensor:
        return self.clusters_of(self.mode_logits, x)

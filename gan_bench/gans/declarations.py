"""What every variant is called and accepts, without torch: its summary, its options (each
with default, type and range: :mod:`gan_bench.gans.options`), its default learning rates and
whether it clusters real data.

The variant classes (``gans.baselines``, ``gans.mmgan``, ...) take their declaration from
:data:`DECLARED` by name; ``benchmarks.toml`` is checked, and ``gan-bench list`` and
``gan-bench variants`` print, from this table alone, so they never import torch (issue 28).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gan_bench.gans.options import Option, choice, flag, integer, number, positive

# the weight initialisations of gans.nets.init_weights: N(0, 0.02) (DCGAN) or Glorot-uniform
WEIGHT_INITS = ("dcgan", "glorot")

COMMON_OPTIONS: dict[str, Option] = {
    "z_dim": integer(None, 1, nullable=True),  # None: 16 for points, 64 for images
    "lr_g": positive(None, nullable=True),  # None: the variant's default
    "lr_d": positive(None, nullable=True),
    "beta1": number(0.5, 0, 1, open_high=True),
    "beta2": number(0.999, 0, 1, open_high=True),
    "batch_size": integer(None, 1, nullable=True),  # None: 256 for points, 64 for images
}


@dataclass(frozen=True)
class VariantDeclaration:
    """One variant's summary, own options, default (lr_g, lr_d) and whether it clusters."""

    summary: str
    options: dict[str, Option] = field(default_factory=dict)
    default_lr: tuple[float, float] = (2e-4, 2e-4)
    clusters: bool = False

    def option_specs(self) -> dict[str, Option]:
        """Every option (the common ones, then the variant's own) with type and range."""
        return {**COMMON_OPTIONS, **self.options}

    def defaults(self) -> dict[str, Any]:
        """Every option's default."""
        return {key: spec.default for key, spec in self.option_specs().items()}


DECLARED: dict[str, VariantDeclaration] = {
    "vanilla": VariantDeclaration(summary="non-saturating GAN, N(0, I) latent"),
    "wgan-gp": VariantDeclaration(
        summary="Wasserstein GAN with gradient penalty",
        options={"n_critic": integer(5, 1), "gp_weight": number(10.0, 0)},
        default_lr=(1e-4, 1e-4),
    ),
    "mmgan": VariantDeclaration(
        summary="learnable mixture latent + encoder, pairing batches B1/B2 (Pandeva & Schubert)",
        options={
            "loss": choice("sgan", "sgan", "rsgan", "crasgan"),
            "n_clusters": integer(None, 1, nullable=True),  # None: the dataset's number of classes/modes
            "sigma_min": positive(0.1),
            "sigma_init": number(1.0, 0, 1, open_low=True),  # the paper: at most 1
            "lambda_ce": number(1.0, 0),
            "lr_e": positive(None, nullable=True),  # None: lr_g
            # False: Table 2's "no pairings" ablation, B1 fakes from clusters of the uniform prior
            "pairing": flag(True),
            # images: "clustergan" adds ClusterGAN's FC 1024 layer to G, D and E (§4: MMGAN's nets
            # are ClusterGAN's; Mukherjee et al., Appendix); "dcgan": the project's DCGAN nets
            "architecture": choice("dcgan", "dcgan", "clustergan"),
            # the latent mixture's learning rate (None: lr_g, one optimiser as in the paper); 0
            # freezes it at its initialisation (issue 23's probe of the Stacked MNIST collapse)
            "lr_prior": number(None, 0.0, nullable=True),
        },
        clusters=True,
    ),
    "mdgan": VariantDeclaration(
        summary="simplex Gaussian-mixture likelihood on D's embedding (Eghbal-zadeh et al.)",
        options={
            "n_components": integer(8, 2),
            "var_real": positive(0.25),
            "var_fake": positive(0.25),
            "likelihood": choice("max", "max", "sum"),
            "latent": choice("normal", "normal", "uniform"),  # the official 2-D demo uses U(-1, 1)
            "g_output_scale": positive(None, nullable=True),  # 6.0 reproduces the demo's 6 tanh output
            "d_embedding_bound": positive(None, nullable=True),  # 2.5: the demo's 5 sigmoid - 2.5
            "simplex_edge": positive(1.0),  # the paper's; the official demo's vertices are sqrt(2) apart
            # the official demo draws a new z for G's step and halves both learning rates every
            # 500 epochs of 20 batches (10,000 steps)
            "fresh_g_latent": flag(False),
            "lr_halving_steps": integer(None, 1, nullable=True),
        },
    ),
    "gmgan": VariantDeclaration(
        summary="Gaussian-mixture latent, static or dynamic, (un)supervised (Ben-Yosef & Weinshall)",
        options={
            "z_dim": integer(100, 1),
            "mixture": choice("static", "static", "dynamic"),
            "supervised": flag(False),
            "n_gaussians": integer(None, 1, nullable=True),  # None: the dataset's number of classes/modes
            "c": positive(0.1),
            "sigma": positive(0.15),
            "covariance": choice("diagonal", "diagonal", "full"),  # dynamic A_k
            "cluster_samples": integer(1000, 1),  # M in Algorithm 2
            "cluster_steps": integer(1000, 1),
            # None: G steps on D's fakes; the paper: b_G = 128 fresh, b_D = 64
            "g_batch_size": integer(None, 1, nullable=True),
            # the latent mixture's learning rate (None: lr_g, one optimiser as in the paper); 0
            # freezes it at its initialisation (issue 23's probe of the Stacked MNIST collapse)
            "lr_prior": number(None, 0.0, nullable=True),
        },
        clusters=True,
    ),
    "nemgan": VariantDeclaration(
        summary="reparameterised multimodal latent with inverters h1, h2 (Mishra et al.)",
        options={
            "mode": choice("V", "V", "S", "P"),
            "n_modes": integer(None, 1, nullable=True),  # None: the dataset's number of classes/modes
            "offset": positive(1.0),
            "noise": number(0.3, 0),
            "step_slope": positive(10.0),
            "rec_weight": number(1.0, 0),
            "ce_weight": number(1.0, 0),
            "labelled_fraction": number(0.005, 0, 0.01, open_low=True, open_high=True),  # §3.3: < 1%
            "lr_alpha": positive(1e-3),
            "prior_batch": integer(1024, 1),
            "prior_warmup": integer(0, 0),  # mode P: generator steps before alpha learns ("at convergence")
            "lr_h": positive(None, nullable=True),  # None: the inverter shares G's optimiser; paper: 1e-3
            "labelled_draw": choice("random", "random", "stratified"),
            "base_loss": choice("standard", "standard", "wgan-gp"),
            "n_critic": integer(5, 1),  # base_loss = "wgan-gp" only
            "gp_weight": number(10.0, 0),
            "inverter": choice("dcgan", "dcgan", "official"),
            "rec_loss": choice("l2", "l2", "l1", "mse"),
            "supervision": choice("joint", "joint", "balanced"),
            "sup_batch": integer(64, 1),
            "sup_per_step": integer(1, 1),
            "sup_start": integer(100, 0),
            "sup_pretrain": integer(0, 0),
            "lr_sup": positive(None, nullable=True),  # None: the inverter's learning rate (lr_h, else lr_g)
            "labels_only": flag(False),  # the control: h on the labelled images alone, no GAN
        },
        clusters=True,
    ),
    "priorgan": VariantDeclaration(
        summary="masked or weighted latent prior scored by D (Goerttler & Kloft)",
        options={
            "prior": choice("masked", "masked", "weighted"),
            "rate": number(0.5, 0, 1, open_low=True),
            "presample": integer(1000, 1),
            "base_loss": choice("standard", "standard", "wgan", "wgan-clip"),
            "n_critic": integer(5, 1),
            "gp_weight": number(10.0, 0),  # wgan (WGAN-GP)
            "clip": positive(0.01),  # wgan-clip: the critic's weights are clipped to [-clip, clip]
            "latent": choice("normal", "normal", "uniform"),
            "nets": choice("default", "default", "table1"),  # table1: points only
            # table1 on a WGAN base: Table 1's sigmoid output as the critic, or the value before it
            "critic_output": choice("sigmoid", "sigmoid", "linear"),
            "table1_init": choice("dcgan", *WEIGHT_INITS),  # table1: N(0, 0.02) or Glorot-uniform
            "sample_with_prior": flag(True),
        },
    ),
}


def declaration(name: str) -> VariantDeclaration:
    """The variant called ``name``; an unknown name is an error naming the valid ones."""
    if name not in DECLARED:
        raise ValueError(f"unknown variant '{name}'; expected one of: {', '.join(DECLARED)}")
    return DECLARED[name]


def validate_options(name: str, config: dict[str, Any]) -> None:
    """Reject unknown options, naming the valid ones, and values of the wrong type or outside
    their range, naming the option, what it expects and what arrived."""
    specs = declaration(name).option_specs()
    unknown = sorted(set(config) - set(specs))
    if unknown:
        raise ValueError(
            f"variant '{name}': unknown option(s) {', '.join(unknown)}; "
            f"valid options: {', '.join(sorted(specs))}"
        )
    for key, value in config.items():
        if not specs[key].valid(value):
            raise ValueError(
                f"variant '{name}': option {key} expects {specs[key].expects()}; "
                f"got {value!r} ({type(value).__name__})"
            )


def list_variants() -> dict[str, dict[str, Any]]:
    """Each variant's summary, options with their defaults (None: chosen from the data or
    another option) and what each option expects."""
    return {
        name: {
            "summary": spec.summary,
            "options": spec.defaults(),
            "expects": {key: option.expects() for key, option in spec.option_specs().items()},
            "clusters": spec.clusters,
        }
        for name, spec in DECLARED.items()
    }

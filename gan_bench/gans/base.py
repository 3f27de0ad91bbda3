"""The interface every GAN variant implements, and option handling.

A variant is an ``nn.Module`` holding its networks, latent prior and optimizers. The
training loop calls :meth:`GAN.train_step` with a batch sampler and a seeded generator;
evaluation calls :meth:`GAN.sample` and, where the variant clusters real data,
:meth:`GAN.predict_cluster`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar

import torch
from torch import nn

from gan_bench.gans.declarations import declaration, validate_options
from gan_bench.gans.options import Option

# real samples an encoder clusters at once (predict_cluster): every dataset's test split fits
# one batch, so batching changes no cluster
PREDICT_BATCH = 10_000

BatchSampler = Callable[[], tuple[torch.Tensor, torch.Tensor | None]]


@contextmanager
def frozen(module: nn.Module) -> Iterator[None]:
    """``module``'s parameters left out of autograd in the block.

    A generator step backpropagates through D to G; D's own gradients from that pass are
    never used (D's optimiser zeroes them before its next step), so D's forward for G's loss
    runs frozen: the update is bitwise the same, and the step skips D's weight gradients
    (``tests/benchmarks/bench_train_step.py``).
    """
    params = [p for p in module.parameters() if p.requires_grad]
    for p in params:
        p.requires_grad_(False)
    try:
        yield
    finally:
        for p in params:
            p.requires_grad_(True)


@dataclass(frozen=True)
class DataSpec:
    """What a variant needs to know about its data."""

    shape: tuple[int, ...]
    n_classes: int | None = None

    @property
    def is_image(self) -> bool:
        return len(self.shape) == 3


class GAN(nn.Module):
    """Base class: option resolution, data-space conversion, sampling and optimizers."""

    # the variant's name in gans.declarations.DECLARED, where its summary, options and
    # default learning rates are written (read through declaration(name), never copied)
    name: ClassVar[str] = ""
    clusters: ClassVar[bool] = False  # the declaration's, for models and their evaluators alike
    inference_modules: ClassVar[tuple[str, ...]] = ("G",)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A named variant must be declared; it clusters where its declaration says so."""
        super().__init_subclass__(**kwargs)
        if cls.name:
            cls.clusters = declaration(cls.name).clusters

    def __init__(self, config: dict[str, Any], data: DataSpec) -> None:
        super().__init__()
        self.config = self.resolve_options(config, data)
        self.data = data
        self.G: nn.Module
        self.optimizers: dict[str, torch.optim.Optimizer] = {}

    @classmethod
    def option_specs(cls) -> dict[str, Option]:
        """Every option of the variant (the common ones, then its own) with type and range."""
        return declaration(cls.name).option_specs()

    @classmethod
    def all_options(cls) -> dict[str, Any]:
        """Every option's default."""
        return declaration(cls.name).defaults()

    @classmethod
    def validate_options(cls, config: dict[str, Any]) -> None:
        """Reject unknown options and values of the wrong type or outside their range
        (:func:`gan_bench.gans.declarations.validate_options`)."""
        validate_options(cls.name, config)

    @classmethod
    def resolve_options(cls, config: dict[str, Any], data: DataSpec) -> dict[str, Any]:
        """Defaults plus ``config``; an unknown option or invalid choice is an error."""
        cls.validate_options(config)
        resolved = {**cls.all_options(), **config}
        if resolved["z_dim"] is None:
            resolved["z_dim"] = 64 if data.is_image else 16
        if resolved["batch_size"] is None:
            resolved["batch_size"] = 64 if data.is_image else 256
        lr_g, lr_d = declaration(cls.name).default_lr
        if resolved["lr_g"] is None:
            resolved["lr_g"] = lr_g
        if resolved["lr_d"] is None:
            resolved["lr_d"] = lr_d
        return resolved

    def count_from_data(self, key: str) -> int:
        """Resolve an option such as ``n_clusters`` left at None to the dataset's class count."""
        if self.config[key] is None:
            if self.data.n_classes is None:
                raise ValueError(f"{self.name}: set {key} (the dataset has no class count)")
            self.config[key] = self.data.n_classes
        return self.config[key]

    @staticmethod
    def init_generator() -> torch.Generator:
        """A generator for initial values, drawn from the global seed set before construction."""
        return torch.Generator().manual_seed(int(torch.randint(0, 2**31, (1,))))

    def adam(self, params, lr: float, betas: tuple[float, float] | None = None) -> torch.optim.Adam:
        return torch.optim.Adam(params, lr=lr, betas=betas or (self.config["beta1"], self.config["beta2"]))

    def generator_and_prior_adam(
        self, generator: torch.nn.Module, prior: torch.nn.Module
    ) -> torch.optim.Adam:
        """One Adam for G and its learnable latent mixture (MMGAN, GM-GAN dynamic: the papers
        train the mixture with G's loss and optimiser). With the option ``lr_prior`` set, the
        mixture's parameters are their own group at that rate (0 freezes the mixture at its
        initialisation: a probe of why a learned mixture collapses, not a paper setting)."""
        lr_g, lr_prior = self.config["lr_g"], self.config.get("lr_prior")
        mixture = list(prior.parameters())  # none for GM-GAN's static mixture
        if lr_prior is None or not mixture:  # one group, as the papers (and older checkpoints) have it
            return self.adam(list(generator.parameters()) + mixture, lr_g)
        return self.adam(
            [{"params": list(generator.parameters())}, {"params": mixture, "lr": lr_prior}], lr_g
        )

    # --- data space ---------------------------------------------------------------
    def to_model_space(self, x: torch.Tensor) -> torch.Tensor:
        """Images in [0, 1] become [-1, 1]; points pass through."""
        return x * 2 - 1 if self.data.is_image else x

    def to_data_space(self, x: torch.Tensor) -> torch.Tensor:
        return ((x + 1) / 2).clamp(0, 1) if self.data.is_image else x

    # --- the interface --------------------------------------------------------------
    @property
    def n_modes(self) -> int | None:
        """Number of latent modes, or None for a unimodal prior."""
        return None

    @contextmanager
    def evaluating(self) -> Iterator[None]:
        """Eval mode (batch-norm running statistics) for the block, then the previous mode back."""
        was_training = self.training
        self.eval()
        try:
            yield
        finally:
            self.train(was_training)

    def mode_prior(self) -> torch.Tensor | None:
        """The latent mode probabilities where the variant can learn them (NEMGAN), else None."""
        return None

    def sample_latent(
        self, n: int, rng: torch.Generator, *, mode: int | None = None, scale: float = 1.0
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """n latent vectors and their mode indices (None where the prior has no modes).

        ``scale`` multiplies the latent covariance (GM-GAN's sampling-time sigma).
        """
        raise NotImplementedError

    def setup(self, samples: torch.Tensor, labels: torch.Tensor | None, rng: torch.Generator) -> None:
        """Called once before training with the whole training set (labels where any)."""

    def finalize(self, rng: torch.Generator) -> None:
        """Called once after training (e.g. GM-GAN fits its Algorithm 2 classifier)."""

    def train_step(self, batches: BatchSampler, rng: torch.Generator) -> dict[str, float]:
        """One training iteration; returns the losses by name."""
        raise NotImplementedError

    @torch.no_grad()
    def sample(
        self,
        n: int,
        *,
        mode: int | None = None,
        scale: float = 1.0,
        seed: int | None = None,
        batch_size: int = 1000,
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """n samples in data space (images in [0, 1]) and the latent mode of each.

        ``mode`` restricts sampling to one latent mode (variants with modes only);
        ``scale`` multiplies the latent covariance; ``seed`` makes the draw reproducible.
        """
        if n < 1:
            raise ValueError(f"n: expected a positive sample count, got {n}")
        if mode is not None and (self.n_modes is None or not 0 <= mode < self.n_modes):
            limit = "it has no latent modes" if self.n_modes is None else f"expected 0..{self.n_modes - 1}"
            raise ValueError(f"mode={mode} for variant '{self.name}': {limit}")
        if scale <= 0:
            raise ValueError(f"scale: expected a positive covariance multiplier, got {scale}")
        # an unseeded draw takes fresh entropy without reseeding torch's global generator
        fresh = int.from_bytes(os.urandom(8), "little") % 2**63
        rng = torch.Generator().manual_seed(seed if seed is not None else fresh)
        xs, modes = [], []
        with self.evaluating():
            for start in range(0, n, batch_size):
                z, m = self.sample_latent(min(batch_size, n - start), rng, mode=mode, scale=scale)
                xs.append(self.to_data_space(self.G(z)))
                modes.append(m)
        return torch.cat(xs), (None if modes[0] is None else torch.cat(modes))

    def predict_cluster(self, x: torch.Tensor) -> torch.Tensor:
        """Cluster index of each real sample (variants that cluster only)."""
        raise TypeError(f"variant '{self.name}' does not cluster real data")

    def clusters_of(self, logits_of: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
        """argmax of ``logits_of`` on real samples ``x`` (in model space), in eval mode, without
        gradients and in batches of :data:`PREDICT_BATCH`, so memory stays bounded whatever
        len(x) (every test split fits one batch: its clusters do not depend on the batching)."""
        with self.evaluating(), torch.no_grad():
            parts = [
                logits_of(self.to_model_space(x[i : i + PREDICT_BATCH])).argmax(1)
                for i in range(0, len(x), PREDICT_BATCH)
            ]
        return torch.cat(parts) if parts else torch.zeros(0, dtype=torch.long)

    @property
    def generates(self) -> bool:
        """Whether the model keeps a trained generator: a labels-only control (NEMGAN §3.3's
        h on the labelled images alone) never trains G, so it has no samples to show."""
        return "G" in self.inference_modules

    def inference_state_dict(self) -> dict[str, torch.Tensor]:
        """The weights needed to sample and cluster: a small checkpoint."""
        return {k: v for k, v in self.state_dict().items() if k.split(".")[0] in self.inference_modules}

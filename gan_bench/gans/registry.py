"""The variant registry: names, options with defaults, and construction."""

from __future__ import annotations

from typing import Any

from gan_bench.gans.base import GAN, DataSpec
from gan_bench.gans.baselines import WGANGP, VanillaGAN
from gan_bench.gans.gmgan import GMGAN
from gan_bench.gans.mdgan import MDGAN
from gan_bench.gans.mmgan import MMGAN
from gan_bench.gans.nemgan import NEMGAN
from gan_bench.gans.priorgan import PriorGAN

VARIANTS: dict[str, type[GAN]] = {
    cls.name: cls for cls in (VanillaGAN, WGANGP, MMGAN, MDGAN, GMGAN, NEMGAN, PriorGAN)
}


def variant_class(name: str) -> type[GAN]:
    if name not in VARIANTS:
        raise ValueError(f"unknown variant '{name}'; expected one of: {', '.join(VARIANTS)}")
    return VARIANTS[name]


def list_variants() -> dict[str, dict[str, Any]]:
    """Each variant's summary, options with their defaults (None: chosen from the data or
    another option) and what each option expects."""
    return {
        name: {
            "summary": cls.summary,
            "options": cls.all_options(),
            "expects": {key: spec.expects() for key, spec in cls.option_specs().items()},
            "clusters": cls.clusters,
        }
        for name, cls in VARIANTS.items()
    }


def create(variant: str, config: dict[str, Any], data: DataSpec) -> GAN:
    """Build a variant; unknown variants and options are errors naming the valid ones."""
    return variant_class(variant)(dict(config), data)

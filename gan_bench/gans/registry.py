"""The variant classes by name, and construction (names, options and defaults:
:mod:`gan_bench.gans.declarations`)."""

from __future__ import annotations

from typing import Any

from gan_bench.gans.base import GAN, DataSpec
from gan_bench.gans.baselines import WGANGP, VanillaGAN
from gan_bench.gans.declarations import DECLARED, declaration
from gan_bench.gans.gmgan import GMGAN
from gan_bench.gans.mdgan import MDGAN
from gan_bench.gans.mmgan import MMGAN
from gan_bench.gans.nemgan import NEMGAN
from gan_bench.gans.priorgan import PriorGAN

VARIANTS: dict[str, type[GAN]] = {
    cls.name: cls for cls in (VanillaGAN, WGANGP, MMGAN, MDGAN, GMGAN, NEMGAN, PriorGAN)
}
if set(VARIANTS) != set(DECLARED):  # pragma: no cover - a programming error, caught at import
    raise RuntimeError(f"variants declared {sorted(DECLARED)} but implemented {sorted(VARIANTS)}")


def variant_class(name: str) -> type[GAN]:
    declaration(name)  # an unknown name: the error naming the valid ones
    return VARIANTS[name]


def create(variant: str, config: dict[str, Any], data: DataSpec) -> GAN:
    """Build a variant; unknown variants and options are errors naming the valid ones."""
    return variant_class(variant)(dict(config), data)

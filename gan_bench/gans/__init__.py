"""Reference implementations of the multi-modal GAN variants and the baselines."""

from gan_bench.gans.base import GAN, DataSpec
from gan_bench.gans.registry import VARIANTS, create, list_variants, load_model

__all__ = ["GAN", "VARIANTS", "DataSpec", "create", "list_variants", "load_model"]

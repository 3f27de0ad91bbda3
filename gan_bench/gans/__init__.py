"""Reference implementations of the multi-modal GAN variants and the baselines.

Checkpoints are read and written by :mod:`gan_bench.store.checkpoints` (``load_model``).
"""

from gan_bench.gans.base import GAN, DataSpec
from gan_bench.gans.registry import VARIANTS, create, list_variants

__all__ = ["GAN", "VARIANTS", "DataSpec", "create", "list_variants"]

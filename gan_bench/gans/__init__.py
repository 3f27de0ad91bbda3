"""Reference implementations of the multi-modal GAN variants and the baselines.

Checkpoints are written and read by :mod:`gan_bench.store.checkpoints` (the format) and
rebuilt into models by :mod:`gan_bench.bench.models` (``load_model``).
"""

from gan_bench.gans.base import GAN, DataSpec
from gan_bench.gans.registry import VARIANTS, create, list_variants

__all__ = ["GAN", "VARIANTS", "DataSpec", "create", "list_variants"]

"""Reference implementations of the multi-modal GAN variants and the baselines.

What each variant is called and accepts is in :mod:`gan_bench.gans.declarations`, which
imports no torch; the classes (``GAN``, ``VARIANTS``, ``create``...) are imported on first
use, so that reading the declarations stays light (``gan-bench list``).
Checkpoints are written and read by :mod:`gan_bench.store.checkpoints` (the format) and
rebuilt into models by :mod:`gan_bench.bench.models` (``load_model``).
"""

from gan_bench.gans.declarations import list_variants

__all__ = ["GAN", "VARIANTS", "DataSpec", "create", "list_variants"]


def __getattr__(name: str):
    """``GAN``, ``DataSpec``, ``VARIANTS`` and ``create``, importing torch on first use."""
    if name in ("GAN", "DataSpec"):
        from gan_bench.gans import base

        return getattr(base, name)
    if name in ("VARIANTS", "create"):
        from gan_bench.gans import registry

        return getattr(registry, name)
    raise AttributeError(f"module 'gan_bench.gans' has no attribute '{name}'")

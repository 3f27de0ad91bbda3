"""Datasets of the protocols (docs/protocols.md, Datasets): ``load`` and ``list_datasets``.

``load(name, split, n=, seed=)`` returns a :class:`Dataset`: float32 samples (images in
[0, 1], shape (N, C, 28, 28)), int64 labels (or None) and ``info`` metadata: mode means
and std for mixtures; class names and the source for images. It unpacks as
``samples, labels, info = load(...)``.

What each dataset is, and whether its data is here, come from
:mod:`gan_bench.data.declarations` without torch; ``load``, ``Dataset`` and
``dataset_info`` (:mod:`gan_bench.data.datasets`) import it on first use.
"""

from gan_bench.data.declarations import (
    DECLARED,
    MNIST2_RATIOS,
    NEMGAN_GROUPS,
    SPLITS,
    STACKED_SIZES,
    data_identity,
    list_datasets,
    unavailable,
)
from gan_bench.data.images import DatasetNotFoundError

__all__ = [
    "DECLARED",
    "MNIST2_RATIOS",
    "NEMGAN_GROUPS",
    "SPLITS",
    "STACKED_SIZES",
    "Dataset",
    "DatasetNotFoundError",
    "data_identity",
    "dataset_info",
    "list_datasets",
    "load",
    "unavailable",
]

_LOADING = ("Dataset", "load", "dataset_info", "_load_cached")


def __getattr__(name: str):
    """``load``, ``Dataset`` and ``dataset_info``, importing torch on first use."""
    if name in _LOADING:
        from gan_bench.data import datasets

        return getattr(datasets, name)
    raise AttributeError(f"module 'gan_bench.data' has no attribute '{name}'")

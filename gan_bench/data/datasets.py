"""Loading the datasets of the protocols (docs/protocols.md, Datasets; what each is:
:mod:`gan_bench.data.declarations`).

``load(name, split, n=, seed=)`` returns a :class:`Dataset`: float32 samples (images in
[0, 1], shape (N, C, 28, 28)), int64 labels (or None) and ``info`` metadata: mode means
and std for mixtures; class names and the source for images. It unpacks as
``samples, labels, info = load(...)``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from gan_bench.data import images as img
from gan_bench.data import synthetic
from gan_bench.data.declarations import (
    DECLARED,
    MNIST2_RATIOS,
    NEMGAN_GROUPS,
    SPLITS,
    STACKED_SIZES,
    declaration,
)
from gan_bench.data.images import DatasetNotFoundError
from gan_bench.defaults import cache_root
from gan_bench.defaults import data_root as env_data_root


@dataclass
class Dataset:
    """Samples, labels and metadata of one split of a dataset."""

    name: str
    samples: torch.Tensor
    labels: torch.Tensor | None
    info: dict[str, Any] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Any]:
        return iter((self.samples, self.labels, self.info))

    def __len__(self) -> int:
        return len(self.samples)


def _subsample(x: np.ndarray, y: np.ndarray | None, n: int | None, seed: int):
    if n is None or n >= len(x):
        return x, y
    pick = np.sort(np.random.default_rng(seed).choice(len(x), n, replace=False))
    return x[pick], (None if y is None else y[pick])


def _points(name: str, x: np.ndarray, y: np.ndarray, info: dict) -> Dataset:
    return Dataset(name, torch.from_numpy(x).float(), torch.from_numpy(y).long(), info)


def _image_dataset(name, x_uint8, y, n, seed, info) -> Dataset:
    x_uint8, y = _subsample(x_uint8, y, n, seed)
    x = torch.from_numpy(np.array(x_uint8, copy=True))
    if x.ndim == 3:
        x = x.unsqueeze(1)
    info = {"n_classes": len(info["class_names"]), **info}
    return Dataset(name, x.float().div_(255.0), torch.from_numpy(y).long(), info)


def _digits(is_mnist: bool, source: str) -> dict[str, str]:
    """``info["digits_from"]`` of a dataset made of MNIST digits (:func:`images.digits_of`):
    what a model trained on it has seen, which evaluation checks (``bench.provenance``)."""
    return {"digits_from": img.digits_of(source)} if is_mnist else {}


def _split_seed(seed: int, split: str) -> int:
    return seed * 2 + (1 if split == "test" else 0)


def _mixture(name: str) -> Callable[..., Dataset]:
    mix = synthetic.MIXTURES[name]

    def build(split: str, n: int | None, seed: int, **_: Any) -> Dataset:
        size = n if n is not None else (mix.train_size if split == "train" else mix.test_size)
        x, y = mix.sample(size, np.random.default_rng(_split_seed(seed, split)))
        info = {"means": mix.means.copy(), "std": mix.std, "n_classes": len(mix.means), "source": "synthetic"}
        return _points(name, x, y, info)

    return build


def _moons(split: str, n: int | None, seed: int, noise: float = synthetic.MOONS_NOISE, **_: Any) -> Dataset:
    size = n if n is not None else synthetic.MOONS_SIZES[split]
    x, y = synthetic.moons(size, _split_seed(seed, split), noise)
    return _points("moons", x, y, {"n_classes": 2, "noise": noise, "source": "sklearn.datasets.make_moons"})


def _idx(name: str, class_names: tuple[str, ...]) -> Callable[..., Dataset]:
    def build(split, n, seed, data_root=None, download=False, **_: Any) -> Dataset:
        x, y, source = img.load_idx_dataset(name, split, data_root, download)
        info = {"class_names": list(class_names), "source": source} | _digits(name == "mnist", source)
        return _image_dataset(name, x, y, n, seed, info)

    return build


def _mnist5k(split, n, seed, **_: Any) -> Dataset:
    x, y, source = img.load_mnist5k(split)
    return _image_dataset(
        "mnist5k",
        x,
        y,
        n,
        seed,
        {"class_names": list(img.DIGIT_CLASSES), "source": source, "digits_from": img.digits_of(source)},
    )


def _stacked(split, n, seed, data_root=None, download=False, **_: Any) -> Dataset:
    digits_x, digits_y, source = img.load_mnist_at_hand(split, data_root, download)
    size = n if n is not None else STACKED_SIZES[split]
    idx = img.stacked_indices(digits_y, source, size, _split_seed(seed, split))
    x = torch.from_numpy(digits_x[idx]).float().div_(255.0)  # (N, 3, 28, 28)
    digits = digits_y[idx]
    codes = digits[:, 0] * 100 + digits[:, 1] * 10 + digits[:, 2]
    info = {
        "n_classes": 1000,
        "class_names": [f"{c:03d}" for c in range(1000)],
        "digits": torch.from_numpy(digits),
        "source": f"stacked from {source}",
        "digits_from": img.digits_of(source),
    }
    return Dataset("stacked-mnist", x, torch.from_numpy(codes).long(), info)


def _mnist2(name: str) -> Callable[..., Dataset]:
    """Two digits; the training split has the class ratio, the test split is balanced."""
    digits, ratio = MNIST2_RATIOS[name]

    def build(split, n, seed, data_root=None, download=False, **_: Any) -> Dataset:
        x, y, source = img.load_idx_dataset("mnist", split, data_root, download)
        split_ratio = ratio if split == "train" else (1, 1)
        keep = img.exact_ratio_subset(
            y, digits, split_ratio, np.random.default_rng(_split_seed(seed, split)), n
        )
        labels = (y[keep] == digits[1]).astype(np.int64)
        info = {
            "class_names": [str(d) for d in digits],
            "groups": [[d] for d in digits],
            "ratio": split_ratio,
            "train_ratio": ratio,
            "test_split": "balanced: equal counts of both digits (NEMGAN evaluates on balanced test data)",
            "source": source,
            "digits_from": img.digits_of(source),
        }
        return _image_dataset(name, x[keep], labels, None, seed, info)

    return build


def _grouped(name: str, base: str) -> Callable[..., Dataset]:
    groups = NEMGAN_GROUPS[name]
    lookup = np.empty(10, dtype=np.int64)
    for group_index, members in enumerate(groups):
        lookup[list(members)] = group_index

    def build(split, n, seed, data_root=None, download=False, **_: Any) -> Dataset:
        x, y, source = img.load_idx_dataset(base, split, data_root, download)
        names = ["/".join(str(m) for m in members) for members in groups]
        info = {"class_names": names, "groups": [list(g) for g in groups], "source": source}
        info |= _digits(base == "mnist", source)
        return _image_dataset(name, x, lookup[y], n, seed, info)

    return build


# how each declared dataset (data.declarations) is built
BUILDERS: dict[str, Callable[..., Dataset]] = {
    **{name: _mixture(name) for name in ("grid25", "ring8", "grid9")},
    "moons": _moons,
    "mnist": _idx("mnist", img.DIGIT_CLASSES),
    "mnist5k": _mnist5k,
    "fashion-mnist": _idx("fashion-mnist", img.FASHION_CLASSES),
    "stacked-mnist": _stacked,
    **{name: _mnist2(name) for name in MNIST2_RATIOS},
    "mnist5": _grouped("mnist5", "mnist"),
    "fmnist5": _grouped("fmnist5", "fashion-mnist"),
}
if set(BUILDERS) != set(DECLARED):  # pragma: no cover - a programming error, caught at import
    raise RuntimeError(f"datasets declared {sorted(DECLARED)} but built {sorted(BUILDERS)}")


@functools.lru_cache(maxsize=16)
def _load_cached(name, split, n, seed, data_root, download, options, _where=None) -> Dataset:
    """``_where``: the places looked in (:func:`_looked_in`), so that a load after
    ``GAN_BENCH_DATA`` or ``GAN_BENCH_CACHE`` changed is not answered from another place's."""
    return BUILDERS[name](split, n, seed, data_root=data_root, download=download, **dict(options))


def _looked_in() -> tuple[str, str]:
    return str(env_data_root()), str(cache_root())


def load(
    name: str,
    split: str = "train",
    *,
    n: int | None = None,
    seed: int = 0,
    data_root: str | os.PathLike | None = None,
    download: bool = False,
    **options: Any,
) -> Dataset:
    """Load one split of a dataset (cached in memory; Stacked MNIST also on disk).

    ``n`` subsamples (seeded); ``seed`` fixes synthetic draws and subsamples. Images are
    never downloaded unless ``download=True``; a dataset found nowhere raises
    :class:`DatasetNotFoundError` listing every place looked in.
    """
    declaration(name)
    if split not in SPLITS:
        raise ValueError(f"split: expected one of {SPLITS}, got '{split}'")
    if n is not None and n < 1:
        raise ValueError(f"n: expected a positive sample count, got {n}")
    root = None if data_root is None else str(data_root)
    return _load_cached(name, split, n, seed, root, download, tuple(sorted(options.items())), _looked_in())


def dataset_info(name: str, *, data_root: str | os.PathLike | None = None) -> dict[str, Any]:
    """Size, classes, source and availability of a dataset on this machine (no download)."""
    spec = declaration(name)
    summary: dict[str, Any] = {"name": name, "description": spec.description, "kind": spec.kind}
    try:
        train = load(name, "train", data_root=data_root, n=None if name != "stacked-mnist" else 1000)
        test = load(name, "test", data_root=data_root, n=None if name != "stacked-mnist" else 1000)
    except DatasetNotFoundError as err:
        summary.update(available=False, reason=str(err))
        return summary
    sizes = {"train": len(train), "test": len(test)}
    if name == "stacked-mnist":
        sizes = dict(STACKED_SIZES)
    summary.update(
        available=True,
        sizes=sizes,
        shape=list(train.samples.shape[1:]),
        n_classes=train.info.get("n_classes"),
        class_names=train.info.get("class_names"),
        source=train.info.get("source"),
    )
    for key in ("train_ratio", "test_split"):
        if key in train.info:
            summary[key] = train.info[key]
    return summary

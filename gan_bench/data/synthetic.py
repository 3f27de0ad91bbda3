"""2-D toy datasets: Gaussian mixtures (grid25, ring8, grid9) and two moons.

grid25: MD-GAN Table 1 / VEEGAN / PacGAN grid, means {-4,-2,0,2,4}^2, std 0.05.
ring8: PacGAN ring, 8 modes on a circle of radius 1 at angles 2*pi*k/8 (k = 0..7,
distinct), std 0.01 (Goerttler & Kloft use an 8-mode ring; radius/std unstated).
grid9: GM-GAN toy data, means {-1,0,1}^2, covariance 0.1*I.
moons: scikit-learn ``make_moons`` (MMGAN "Moon"), noise 0.1 unless configured.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Mixture:
    """An isotropic, equally weighted Gaussian mixture in 2-D."""

    means: np.ndarray
    std: float
    train_size: int
    test_size: int

    def sample(self, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """n points and the index of the mode each came from."""
        modes = rng.integers(0, len(self.means), n)
        points = self.means[modes] + self.std * rng.standard_normal((n, self.means.shape[1]))
        return points, modes


def _grid(values: list[float]) -> np.ndarray:
    return np.array([(x, y) for x in values for y in values], dtype=np.float64)


def _ring(n_modes: int, radius: float) -> np.ndarray:
    angles = 2 * np.pi * np.arange(n_modes) / n_modes
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


MIXTURES: dict[str, Mixture] = {
    "grid25": Mixture(_grid([-4, -2, 0, 2, 4]), 0.05, 100_000, 10_000),
    "ring8": Mixture(_ring(8, 1.0), 0.01, 100_000, 10_000),
    "grid9": Mixture(_grid([-1, 0, 1]), float(np.sqrt(0.1)), 5_000, 5_000),
}

MOONS_SIZES = {"train": 10_000, "test": 2_000}
MOONS_NOISE = 0.1


def moons(n: int, seed: int, noise: float = MOONS_NOISE) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles with Gaussian noise, labelled by moon."""
    from sklearn.datasets import make_moons  # here: scikit-learn costs a second to import

    return make_moons(n_samples=n, noise=noise, random_state=seed)

"""An example multi-modal generator for `gan-bench eval` (MNIST-shaped images).

A mixture-latent generator: latent mode k is a Gaussian in pixel space, the mean of the
training digits k plus their first 8 principal directions. Because it has `n_modes` and its
`sample` takes `mode=` and `scale=`, gan-bench runs its per-mode protocols on it
(`mode_alignment`, a grid row per mode, the latent-scale sweep):

    gan-bench eval --generator mixture_generator:GENERATOR --dataset mnist5k --out mine

Replace the Gaussians with your GAN: draw its latent from mode `mode`, scaled by `scale`.
"""

import numpy as np

from gan_bench.data import load


class MixtureGenerator:
    n_modes = 10

    def __init__(self, components: int = 8) -> None:
        train = load("mnist5k", "train")
        x, y = train.samples.numpy().reshape(len(train), -1), train.labels.numpy()
        self.means, self.bases = [], []
        for k in range(self.n_modes):
            digits = x[y == k]
            mean = digits.mean(0)
            _, s, vt = np.linalg.svd(digits - mean, full_matrices=False)
            self.means.append(mean)
            self.bases.append(vt[:components] * (s[:components, None] / np.sqrt(len(digits))))
        self.means, self.bases = np.stack(self.means), np.stack(self.bases)

    def sample(self, n: int, seed: int, *, mode: int | None = None, scale: float = 1.0) -> np.ndarray:
        rng = np.random.default_rng(seed)
        modes = rng.integers(0, self.n_modes, n) if mode is None else np.full(n, mode)
        z = rng.standard_normal((n, self.bases.shape[1])) * np.sqrt(scale)
        x = self.means[modes] + np.einsum("nc,ncd->nd", z, self.bases[modes])
        return np.clip(x, 0, 1).reshape(n, 1, 28, 28).astype(np.float32)


GENERATOR = MixtureGenerator()

"""Network families (the project's protocols, GAN variants: common).

2-D data: MLPs 2 -> 128 -> 128 -> out. 28x28 images: a small DCGAN (generator
z -> FC 128*7*7 -> deconv 64 -> deconv C; discriminator conv 64 -> conv 128 -> FC), sized
to train on 2 CPU cores. Weights are initialised N(0, 0.02) (DCGAN, Radford et al. 2016).
"""

from __future__ import annotations

import torch
from torch import nn

from gan_bench.gans.declarations import WEIGHT_INITS

HIDDEN = 128


def init_weights(module: nn.Module, scheme: str = "dcgan") -> None:
    """Zero biases, and linear/conv weights N(0, 0.02) (``"dcgan"``, Radford et al. §4) or
    Glorot-uniform (``"glorot"``, the Keras and TensorFlow default); N(1, 0.02) for
    batch-norm scales."""
    if scheme not in WEIGHT_INITS:
        raise ValueError(f"weight init: expected one of {', '.join(WEIGHT_INITS)}, got {scheme!r}")
    for m in module.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
            if scheme == "glorot":
                nn.init.xavier_uniform_(m.weight)
            else:
                nn.init.normal_(m.weight, 0.0, 0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d | nn.BatchNorm1d):
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)


class ScaledTanh(nn.Module):
    """scale * tanh(x): MD-GAN's 2-D demo generator output (6 tanh)."""

    def __init__(self, scale: float) -> None:
        super().__init__()
        self.scale = scale

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.scale * torch.tanh(x)


class BoundedSigmoid(nn.Module):
    """2 * bound * sigmoid(x) - bound: MD-GAN's 2-D demo embedding (5 sigmoid - 2.5)."""

    def __init__(self, bound: float) -> None:
        super().__init__()
        self.bound = bound

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return 2 * self.bound * torch.sigmoid(x) - self.bound


def mlp(in_dim: int, out_dim: int, *, leaky: bool = False, hidden: int = HIDDEN) -> nn.Sequential:
    """in -> hidden -> hidden -> out with ReLU (generator) or LeakyReLU(0.2) (critic)."""
    act = (lambda: nn.LeakyReLU(0.2)) if leaky else nn.ReLU
    return nn.Sequential(
        nn.Linear(in_dim, hidden), act(), nn.Linear(hidden, hidden), act(), nn.Linear(hidden, out_dim)
    )


class DCGenerator(nn.Module):
    """z -> FC 128*7*7 -> deconv 64 (14x14) -> deconv C (28x28), tanh output in [-1, 1].
    ``hidden`` (ClusterGAN's 1024, Mukherjee et al. Appendix) puts a batch-normalised FC
    layer of that width first."""

    def __init__(self, z_dim: int, channels: int, hidden: int | None = None) -> None:
        super().__init__()
        first = [] if hidden is None else [nn.Linear(z_dim, hidden), nn.BatchNorm1d(hidden), nn.ReLU()]
        width = z_dim if hidden is None else hidden
        self.fc = nn.Sequential(*first, nn.Linear(width, 128 * 7 * 7), nn.BatchNorm1d(128 * 7 * 7), nn.ReLU())
        self.deconv = nn.Sequential(
            nn.ConvTranspose2d(128, 64, 4, 2, 1),
            nn.BatchNorm2d(64),
            nn.ReLU(),
            nn.ConvTranspose2d(64, channels, 4, 2, 1),
            nn.Tanh(),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        # float32 out also under bfloat16 autocast (train(precision="bfloat16")), so that the
        # losses on the images are computed in float32; a no-op in float32
        return self.deconv(self.fc(z).view(-1, 128, 7, 7)).float()


class DCDiscriminator(nn.Module):
    """conv 64 (14x14) -> conv 128 (7x7) -> FC out; LeakyReLU, no batch norm (WGAN-GP safe).
    ``hidden`` (ClusterGAN's 1024) puts an FC layer of that width with LeakyReLU before the
    output."""

    def __init__(self, channels: int, out_dim: int, hidden: int | None = None) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(channels, 64, 4, 2, 1),
            nn.LeakyReLU(0.2),
            nn.Conv2d(64, 128, 4, 2, 1),
            nn.LeakyReLU(0.2),
            nn.Flatten(),
        )
        self.head = (
            nn.Linear(128 * 7 * 7, out_dim)
            if hidden is None
            else nn.Sequential(nn.Linear(128 * 7 * 7, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, out_dim))
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(x)).float()  # float32 scores under autocast too (see DCGenerator)


class NEMGANInverter(nn.Module):
    """h1 of NEMGAN's official code (its ``decoder``, the MNIST and FMNIST-5 scripts alike):
    five 5x5 convolutions of stride 2 with 32, 64, 128, 256 and 512 filters (28 -> 14 -> 7
    -> 4 -> 2 -> 1), each followed by LeakyReLU(0.2) and dropout 0.4, then a fully connected
    ``out_dim`` output with LeakyReLU(0.2). The paper (§3) says only "DC-GAN, modified"."""

    def __init__(self, channels: int, out_dim: int, dropout: float = 0.4) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        for width_in, width in zip((channels, 32, 64, 128, 256), (32, 64, 128, 256, 512)):
            layers += [nn.Conv2d(width_in, width, 5, 2, 2), nn.LeakyReLU(0.2), nn.Dropout(dropout)]
        self.body = nn.Sequential(*layers, nn.Flatten())
        self.head = nn.Sequential(nn.Linear(512, out_dim), nn.LeakyReLU(0.2))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(x)).float()  # float32 under autocast too (see DCGenerator)


def table1_generator(z_dim: int, out_dim: int, init: str = "dcgan") -> nn.Sequential:
    """Goerttler & Kloft, Table 1: two fully connected layers of 128 with ReLU, tanh output
    (weights initialised by :func:`init_weights` with ``init``; the paper does not say)."""
    net = nn.Sequential(
        nn.Linear(z_dim, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, out_dim), nn.Tanh()
    )
    init_weights(net, init)
    return net


def table1_discriminator(in_dim: int, init: str = "dcgan") -> nn.Sequential:
    """Goerttler & Kloft, Table 1: three fully connected layers of 128 with tanh, one output.
    The table's sigmoid is applied by the caller (inside the loss for the standard GAN)."""
    layers: list[nn.Module] = []
    for width_in in (in_dim, 128, 128):
        layers += [nn.Linear(width_in, 128), nn.Tanh()]
    net = nn.Sequential(*layers, nn.Linear(128, 1))
    init_weights(net, init)
    return net


def generator(
    z_dim: int, data_shape: tuple[int, ...], output: nn.Module | None = None, *, hidden: int | None = None
) -> nn.Module:
    """The generator for points (MLP) or 28x28 images (DCGAN; ``hidden``: see DCGenerator)."""
    if len(data_shape) == 1:
        net = mlp(z_dim, data_shape[0])
        net = nn.Sequential(net, output) if output is not None else net
    else:
        net = DCGenerator(z_dim, data_shape[0], hidden)
    init_weights(net)
    return net


def discriminator(
    data_shape: tuple[int, ...],
    out_dim: int = 1,
    output: nn.Module | None = None,
    *,
    hidden: int | None = None,
) -> nn.Module:
    """The discriminator/critic/encoder body for points (MLP) or images (DCGAN; ``hidden``:
    see DCDiscriminator)."""
    net = (
        mlp(data_shape[0], out_dim, leaky=True)
        if len(data_shape) == 1
        else DCDiscriminator(data_shape[0], out_dim, hidden)
    )
    net = nn.Sequential(net, output) if output is not None else net
    init_weights(net)
    return net

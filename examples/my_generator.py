"""An example of your own generator for `gan-bench eval` (MNIST-shaped images).

`sample(n, seed)` returns n images in [0, 1], shape (n, 1, 28, 28), and the same images
for the same seed. Replace the untrained network with yours (load its weights here).
"""

import torch
from torch import nn

torch.manual_seed(0)
NET = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 28 * 28), nn.Sigmoid())


@torch.no_grad()
def sample(n: int, seed: int) -> torch.Tensor:
    z = torch.randn(n, 64, generator=torch.Generator().manual_seed(seed))
    return NET(z).view(n, 1, 28, 28)

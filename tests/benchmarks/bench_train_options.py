"""Benchmark: what else could make the 28x28 DCGAN step faster on the CPU (issue 28, item 4).

One run times, side by side and alternating (each repeat times every side once, in turn,
so that a machine's load falls on all of them alike), the step of ``gan_bench.bench.train``
today (channels-last, D frozen in G's step) against:
- oneDNN off (``torch.backends.mkldnn.enabled = False``: the native convolution kernels);
- Adam's fused CPU kernel (``torch.optim.Adam(fused=True)``) and its multi-tensor path
  (``foreach=True``) in place of the default;
- the generator's transposed convolutions as nearest-neighbour upsampling + a 3x3
  convolution of the same widths (another architecture, so another method; Odena et al.
  2016's checkerboard fix), timed here only;
- larger batches, 128 and 256 (the step processes more images; the figure is images/s).
It prints the median ms per step, images per second, each side's ratio to today's step, and
the largest loss difference from today's step after the timed steps (the same draws: a side
that changes no arithmetic moves nothing).

Run: python tests/benchmarks/bench_train_options.py [--variant vanilla] [--steps 10] [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import torch
from torch import nn

from gan_bench.data import load
from gan_bench.gans.base import DataSpec
from gan_bench.gans.registry import create


def _upsampling(generator: nn.Module) -> None:
    """Replace a DCGenerator's two transposed convolutions by upsample + 3x3 conv."""
    layers = list(generator.deconv)
    for i, layer in enumerate(layers):
        if isinstance(layer, nn.ConvTranspose2d):
            layers[i] = nn.Sequential(
                nn.Upsample(scale_factor=2, mode="nearest"),
                nn.Conv2d(layer.in_channels, layer.out_channels, 3, 1, 1),
            )
    generator.deconv = nn.Sequential(*layers)


def _optimisers(model, **flags) -> None:
    for name, optimizer in model.optimizers.items():
        groups = [
            {k: v for k, v in g.items() if k != "params"} | {"params": g["params"]}
            for g in optimizer.param_groups
        ]
        for group in groups:
            group.update(flags)
        model.optimizers[name] = torch.optim.Adam(groups)


SIDES: dict[str, dict] = {
    "today": {},
    "oneDNN off": {"mkldnn": False},
    "Adam fused": {"adam": {"fused": True}},
    "Adam foreach": {"adam": {"foreach": True}},
    "upsample + conv G": {"upsample": True},
    "batch 128": {"batch": 128},
    "batch 256": {"batch": 256},
}


class Side:
    """One model and its draws, stepped ``steps`` at a time."""

    def __init__(self, variant: str, settings: dict, seed: int = 0) -> None:
        data = load("mnist5k", "train")
        spec = DataSpec(tuple(data.samples.shape[1:]), 10)
        options = {"batch_size": settings["batch"]} if "batch" in settings else {}
        torch.manual_seed(seed)
        self.model = create(variant, options, spec)
        if settings.get("upsample"):
            _upsampling(self.model.G)
        self.model.to(memory_format=torch.channels_last)
        self.model.setup(data.samples, data.labels, torch.Generator().manual_seed(seed + 1))
        if settings.get("upsample"):  # the optimiser must hold the new layers
            self.model.optimizers["G"] = torch.optim.Adam(
                self.model.G.parameters(), **{k: v for k, v in self.model.optimizers["G"].defaults.items()}
            )
        if "adam" in settings:
            _optimisers(self.model, **settings["adam"])
        self.mkldnn = settings.get("mkldnn", True)
        self.batch = self.model.config["batch_size"]
        samples = data.samples.contiguous(memory_format=torch.channels_last)
        self.rng = torch.Generator().manual_seed(seed)

        def batches():
            idx = torch.randint(0, len(samples), (self.batch,), generator=self.rng)
            return samples[idx], data.labels[idx]

        self.batches: Callable = batches
        self.model.train()
        self.losses: dict[str, float] = {}
        self.times: list[float] = []
        self.run(1, timed=False)  # warm-up: oneDNN primitive creation

    def run(self, steps: int, timed: bool = True) -> None:
        previous = torch.backends.mkldnn.enabled
        torch.backends.mkldnn.enabled = self.mkldnn
        try:
            start = time.perf_counter()
            for _ in range(steps):
                self.losses = self.model.train_step(self.batches, self.rng)
            if timed:
                self.times.append((time.perf_counter() - start) / steps)
        finally:
            torch.backends.mkldnn.enabled = previous


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--variant", default="vanilla")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    sides = {name: Side(args.variant, settings) for name, settings in SIDES.items()}
    for _ in range(args.repeats):
        for side in sides.values():
            side.run(args.steps)
    today = statistics.median(sides["today"].times)
    print(
        f"{args.variant} on mnist5k, {args.threads} thread(s), median of {args.repeats} x {args.steps} steps"
    )
    print(f"{'side':20s} {'ms/step':>8s} {'images/s':>9s} {'images/s ratio':>15s}  largest loss change")
    for name, side in sides.items():
        seconds = statistics.median(side.times)
        ratio = (side.batch / seconds) / (64 / today)
        diff = max(abs(side.losses[k] - sides["today"].losses[k]) for k in side.losses)
        print(f"{name:20s} {1000 * seconds:8.1f} {side.batch / seconds:9.0f} {ratio:14.2f}x  {diff:.3g}")


if __name__ == "__main__":
    main()

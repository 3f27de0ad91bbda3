"""Benchmark: training steps per second of the 28x28 DCGAN on the CPU, in one run.

Three sides, same variant, data, seed and draws:
- before: the contiguous (NCHW) layout, and G's step computing D's weight gradients too
  (the code before the performance issue);
- channels-last only;
- now: channels-last, and D frozen in G's step (``gan_bench.gans.base.frozen``), which is
  what ``gan_bench.bench.train`` does;
- the opt-in ``precision="bfloat16"`` of ``gan_bench.bench.train``: "now" under bfloat16 autocast.
Prints the median seconds per step over repeats, the ratios, the largest difference of the
losses after the timed steps (the layouts round differently; freezing D changes no bit)
and the peak resident memory. Then the throughput of two 1-thread jobs at once against
one 2-thread job, each in its own process.

Run: python tests/benchmarks/bench_train_step.py [--variant vanilla] [--steps 20] [--repeats 5]
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing as mp
import resource
import statistics
import time

import torch

from gan_bench.data import load
from gan_bench.gans import baselines
from gan_bench.gans.base import DataSpec
from gan_bench.gans.registry import create


@contextlib.contextmanager
def _unfrozen(module):  # the generator step as it was: D's weight gradients computed too
    yield


def _model_and_batches(variant: str, layout: torch.memory_format, seed: int = 0):
    data = load("mnist5k", "train")
    spec = DataSpec(tuple(data.samples.shape[1:]), 10)
    torch.manual_seed(seed)
    model = create(variant, {}, spec).to(memory_format=layout)
    model.setup(data.samples, data.labels, torch.Generator().manual_seed(seed + 1))
    samples = data.samples.contiguous(memory_format=layout)
    rng = torch.Generator().manual_seed(seed)
    batch = model.config["batch_size"]

    def batches():
        idx = torch.randint(0, len(samples), (batch,), generator=rng)
        return samples[idx], data.labels[idx]

    model.train()
    return model, batches, rng


def seconds_per_step(
    variant: str,
    layout: torch.memory_format,
    steps: int,
    repeats: int,
    freeze: bool = True,
    bfloat16: bool = False,
):
    frozen = baselines.frozen
    baselines.frozen = frozen if freeze else _unfrozen
    try:
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bfloat16):
            return _seconds_per_step(variant, layout, steps, repeats)
    finally:
        baselines.frozen = frozen


def _seconds_per_step(variant: str, layout: torch.memory_format, steps: int, repeats: int):
    model, batches, rng = _model_and_batches(variant, layout)
    model.train_step(batches, rng)  # warm-up: oneDNN primitive creation
    times, losses = [], {}
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(steps):
            losses = model.train_step(batches, rng)
        times.append((time.perf_counter() - start) / steps)
    return statistics.median(times), losses


def _job(args: tuple[str, int, int]) -> float:
    variant, threads, steps = args
    torch.set_num_threads(threads)
    model, batches, rng = _model_and_batches(variant, torch.channels_last)
    model.train_step(batches, rng)
    start = time.perf_counter()
    for _ in range(steps):
        model.train_step(batches, rng)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--variant", default="vanilla")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    base, base_losses = seconds_per_step(
        args.variant, torch.contiguous_format, args.steps, args.repeats, False
    )
    layout, _ = seconds_per_step(args.variant, torch.channels_last, args.steps, args.repeats, False)
    fast, fast_losses = seconds_per_step(args.variant, torch.channels_last, args.steps, args.repeats)
    half, half_losses = seconds_per_step(
        args.variant, torch.channels_last, args.steps, args.repeats, bfloat16=True
    )
    diff = max(abs(base_losses[k] - fast_losses[k]) for k in base_losses)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.variant} on mnist5k, {args.threads} thread(s), median of {args.repeats} x {args.steps} steps"
    )
    print(f"before: NCHW, D's grads in G's step : {1000 * base:7.1f} ms/step  {1 / base:6.2f} steps/s")
    print(f"channels-last only                  : {1000 * layout:7.1f} ms/step  {1 / layout:6.2f} steps/s")
    print(f"now: channels-last, D frozen        : {1000 * fast:7.1f} ms/step  {1 / fast:6.2f} steps/s")
    print(f"now, bfloat16 autocast (opt-in)     : {1000 * half:7.1f} ms/step  {1 / half:6.2f} steps/s")
    print(f"speed ratio now / before            : {base / fast:7.2f}x (layout alone {base / layout:.2f}x)")
    print(f"speed ratio bfloat16 / before       : {base / half:7.2f}x ({fast / half:.2f}x float32 now)")
    print(f"largest loss change                 : {diff:.3g} after {args.repeats * args.steps + 1} steps")
    half_diff = max(abs(half_losses[k] - fast_losses[k]) for k in fast_losses)
    print(f"largest loss change, bfloat16       : {half_diff:.3g} against float32 now")
    print(f"peak memory                         : {peak:.0f} MiB")
    ctx = mp.get_context("spawn")
    with ctx.Pool(1) as pool:
        one = pool.map(_job, [(args.variant, 2, args.steps * args.repeats)])[0]
    with ctx.Pool(2) as pool:
        two = max(pool.map(_job, [(args.variant, 1, args.steps * args.repeats)] * 2))
    n = args.steps * args.repeats
    print(f"one job, 2 threads  : {n / one:6.2f} steps/s in all")
    print(f"two jobs, 1 thread  : {2 * n / two:6.2f} steps/s in all")


if __name__ == "__main__":
    main()

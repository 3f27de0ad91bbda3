"""Benchmark: exact all-pairs mean MS-SSIM against torchmetrics over the same pairs, in one run.

Run: python tests/benchmarks/bench_msssim.py [--images 1000] [--repeats 5] [--reference-repeats 1]
Both sides use the project's small-image settings (3 scales, 7x7 window, torchmetrics'
padding convention) on the same smoothed random 28x28 images. Prints the median time
of each side, the ratio, the difference of the means and the process peak memory after
each side (ours runs first). torchmetrics takes minutes at 1000 images (499,500 pairs), so its repeats
default to 1.
"""

from __future__ import annotations

import argparse

import numpy as np
import torch
from timing import median_time, peak_mib
from torchmetrics.functional.image import multiscale_structural_similarity_index_measure as tm_msssim

from gan_bench.metrics import mean_pairwise_ms_ssim
from gan_bench.metrics.msssim import MSSSIMSettings


def torchmetrics_mean(x: torch.Tensor, batch: int = 2000) -> float:
    settings = MSSSIMSettings.for_size(28)
    rows, cols = np.triu_indices(len(x), k=1)
    total = 0.0
    for start in range(0, len(rows), batch):
        i = torch.from_numpy(rows[start : start + batch])
        j = torch.from_numpy(cols[start : start + batch])
        values = tm_msssim(
            x[i],
            x[j],
            gaussian_kernel=True,
            sigma=settings.sigma,
            kernel_size=settings.kernel_size,
            data_range=1.0,
            betas=settings.betas,
            normalize="relu",
            reduction="none",
        )
        total += float(values.sum())
    return total / len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--reference-repeats", type=int, default=1)
    args = parser.parse_args()
    g = torch.Generator().manual_seed(0)
    x = torch.nn.functional.avg_pool2d(
        torch.rand(args.images, 1, 28, 28, generator=g, dtype=torch.float64), 3, 1, 1
    )
    pairs = args.images * (args.images - 1) // 2
    t_ours, ours = median_time(lambda: mean_pairwise_ms_ssim(x), args.repeats)
    peak_ours = peak_mib()
    t_ref, ref = median_time(lambda: torchmetrics_mean(x), args.reference_repeats)
    print(
        f"{args.images} images of 28x28, {pairs} pairs; medians of {args.repeats} / {args.reference_repeats}"
    )
    print(f"gan_bench mean_pairwise_ms_ssim : {t_ours:8.2f} s  mean {ours:.8f}  peak {peak_ours:6.0f} MiB")
    print(f"torchmetrics, same pairs        : {t_ref:8.2f} s  mean {ref:.8f}  peak {peak_mib():6.0f} MiB")
    print(f"speed ratio (torchmetrics/ours) : {t_ref / t_ours:8.2f}x")
    print(f"difference of the means         : {abs(ours - ref):.3g}")


if __name__ == "__main__":
    main()

"""Benchmark: exact nearest-neighbour distances (quality score, PRDC), chunked, against
``torch.cdist(...).min()`` over the full matrix (the reference), in one run.

Run: python tests/benchmarks/bench_neighbours.py [--queries 10000] [--references 60000] [--dim 128]
Prints the median time of each side over the repeats, the ratio, the largest
difference of the distances, and the process's peak memory after each side (ours runs
first). The reference holds the whole 10k x 60k float64 matrix: about 4.8 GB.
"""

from __future__ import annotations

import argparse

import numpy as np
import torch
from timing import median_time, peak_mib

from gan_bench.metrics.neighbours import nearest_distances


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=int, default=10000)
    parser.add_argument("--references", type=int, default=60000)
    parser.add_argument("--dim", type=int, default=128)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    q = np.abs(rng.normal(size=(args.queries, args.dim)))  # ReLU-like classifier features
    ref = np.abs(rng.normal(size=(args.references, args.dim)))
    t_ours, ours = median_time(lambda: nearest_distances(q, ref), args.repeats)
    peak_ours = peak_mib()
    print(f"{args.queries} queries x {args.references} references, dim {args.dim}, median of {args.repeats}")
    print(f"gan_bench nearest_distances : {t_ours:7.2f} s   process peak {peak_ours:7.0f} MiB")
    tq, tr = torch.from_numpy(q), torch.from_numpy(ref)
    t_ref, theirs = median_time(lambda: torch.cdist(tq, tr).min(dim=1).values.numpy(), args.repeats)
    peak_ref = peak_mib()
    print(f"torch.cdist full matrix     : {t_ref:7.2f} s   process peak {peak_ref:7.0f} MiB")
    print(f"speed ratio (cdist / ours)  : {t_ref / t_ours:7.2f}x")
    print(f"largest distance difference : {np.abs(ours - theirs).max():.3g}")


if __name__ == "__main__":
    main()

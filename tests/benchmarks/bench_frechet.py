"""Benchmark: frechet_distance (eigen-decomposition) vs the scipy sqrtm path, in one run.

Run: python tests/benchmarks/bench_frechet.py [--dim 2048] [--repeats 3]
Prints both timings, the speed ratio and the relative difference of the values.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import scipy.linalg

from gan_bench.metrics import feature_statistics, frechet_distance


def sqrtm_frechet(mu1, s1, mu2, s2) -> float:
    covmean = np.real(scipy.linalg.sqrtm(s1 @ s2))
    diff = mu1 - mu2
    return float(diff @ diff + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def best_time(fn, repeats: int) -> tuple[float, float]:
    times, value = [], 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return min(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dim", type=int, default=2048)
    parser.add_argument("--samples", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    mix = rng.normal(size=(args.dim, args.dim)) / np.sqrt(args.dim)
    a = feature_statistics(rng.normal(size=(args.samples, args.dim)) @ mix)
    b = feature_statistics(rng.normal(loc=0.1, size=(args.samples, args.dim)) @ mix)
    t_ours, v_ours = best_time(lambda: frechet_distance(*a, *b), args.repeats)
    t_ref, v_ref = best_time(lambda: sqrtm_frechet(*a, *b), args.repeats)
    print(f"dim={args.dim} samples={args.samples} repeats={args.repeats} (best of)")
    print(f"gan_bench.frechet_distance : {t_ours:8.3f} s  value={v_ours:.10g}")
    print(f"scipy.linalg.sqrtm path    : {t_ref:8.3f} s  value={v_ref:.10g}")
    print(f"speed ratio (sqrtm / ours) : {t_ref / t_ours:8.2f}x")
    print(f"relative difference        : {abs(v_ours - v_ref) / abs(v_ref):.3g}")


if __name__ == "__main__":
    main()

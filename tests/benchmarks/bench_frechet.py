"""Benchmark: frechet_distance (eigenvalues, no sqrtm) vs the scipy sqrtm path, in one run.

Run: python tests/benchmarks/bench_frechet.py [--dim 2048] [--repeats 5] [--fakes 5]
Prints the median time of each side over the repeats, the speed ratio, the relative
difference of the values and the process peak memory; then one real set against
``--fakes`` generated sets, with the real covariance factored once (``factor1``) and
refactored every time.
"""

from __future__ import annotations

import argparse

import numpy as np
import scipy.linalg
from timing import median_time, peak_mib

from gan_bench.metrics import covariance_factor, feature_statistics, frechet_distance


def sqrtm_frechet(mu1, s1, mu2, s2) -> float:
    covmean = np.real(scipy.linalg.sqrtm(s1 @ s2))
    diff = mu1 - mu2
    return float(diff @ diff + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dim", type=int, default=2048)
    parser.add_argument("--samples", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--fakes", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    mix = rng.normal(size=(args.dim, args.dim)) / np.sqrt(args.dim)
    a = feature_statistics(rng.normal(size=(args.samples, args.dim)) @ mix)
    b = feature_statistics(rng.normal(loc=0.1, size=(args.samples, args.dim)) @ mix)
    t_ours, v_ours = median_time(lambda: frechet_distance(*a, *b), args.repeats)
    t_ref, v_ref = median_time(lambda: sqrtm_frechet(*a, *b), args.repeats)
    print(f"dim={args.dim} samples={args.samples}, median of {args.repeats}")
    print(f"gan_bench.frechet_distance : {t_ours:8.3f} s  value={v_ours:.10g}")
    print(f"scipy.linalg.sqrtm path    : {t_ref:8.3f} s  value={v_ref:.10g}")
    print(f"speed ratio (sqrtm / ours) : {t_ref / t_ours:8.2f}x")
    print(f"relative difference        : {abs(v_ours - v_ref) / abs(v_ref):.3g}")
    fakes = [
        feature_statistics(rng.normal(loc=0.05 * i, size=(args.samples, args.dim)) @ mix)
        for i in range(args.fakes)
    ]
    t_plain, plain = median_time(lambda: [frechet_distance(*a, *f) for f in fakes], 1)

    def with_factor() -> list[float]:
        factor = covariance_factor(a[1])  # once for all the fakes
        return [frechet_distance(*a, *f, factor1=factor) for f in fakes]

    t_reused, reused = median_time(with_factor, 1)
    print(f"{args.fakes} fakes vs one real  : {t_plain:8.3f} s refactoring, {t_reused:.3f} s with factor1")
    print(f"largest difference         : {max(abs(p - r) for p, r in zip(plain, reused)):.3g}")
    print(f"peak memory                : {peak_mib():.0f} MiB")


if __name__ == "__main__":
    main()

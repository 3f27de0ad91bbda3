"""Benchmark: ``import gan_bench.metrics`` against a bare ``import torch``, in fresh processes.

Run: python tests/benchmarks/bench_import.py [--repeats 5]
Prints the median wall time of each import over the repeats, the ratio, and the peak
resident memory of each process.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

CHILD = """
import json, resource, time
start = time.perf_counter()
import {module}
seconds = time.perf_counter() - start
print(json.dumps([seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]))
"""


def measure(module: str, repeats: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", CHILD.format(module=module)], capture_output=True, text=True, check=True
        )
        runs.append(json.loads(out.stdout))
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    t_torch, m_torch = measure("torch", args.repeats)
    t_metrics, m_metrics = measure("gan_bench.metrics", args.repeats)
    print(f"median of {args.repeats} fresh processes")
    print(f"import torch             : {t_torch:6.2f} s  peak {m_torch:6.0f} MiB")
    print(f"import gan_bench.metrics : {t_metrics:6.2f} s  peak {m_metrics:6.0f} MiB")
    print(f"ratio (metrics / torch)  : {t_metrics / t_torch:6.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()

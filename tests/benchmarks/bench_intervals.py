"""Benchmark: what the within-seed bootstrap intervals (issue 25, B = 200) add to evaluation,
side by side with the same evaluation without them (B = 0), in one run.

Run: python tests/benchmarks/bench_intervals.py [--repeats 3]
Evaluates one bundled run of each default suite's kind (a toy mixture, mnist5k, Fashion-MNIST,
Stacked MNIST, a NEMGAN subset) with its suite's metrics and sample sizes, once warm, then
the median of ``--repeats`` timed evaluations each way; prints each run's seconds and the
ratio with/without for the default run: each suite's sampled cells stand for all of its cells
(a suite's time is its mean sampled cell times its number of cells in the default run). The
real-data side is cached per process either way, so the ratio is the intervals' own cost on
top of the evaluation.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import statistics

from timing import median_time

from gan_bench.bench.config import load_config
from gan_bench.bench.evaluate import evaluate_run
from gan_bench.bench.models import load_reference
from gan_bench.data import load

RUNS = [  # (suite, dataset, run): one of each kind the default run evaluates
    ("toy", "grid25", "mmgan-rsgan"),
    ("toy", "ring8", "priorgan-masked"),
    ("mnist", "mnist5k", "nemgan-P"),
    ("fashion-mnist", "fashion-mnist", "gmgan-dynamic"),
    ("stacked-mnist", "stacked-mnist", "vanilla"),
    ("nemgan-subsets", "mnist2-90:10", "nemgan-P"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    config = load_config()
    per_suite: dict[str, dict[int, list[float]]] = {}
    for suite_name, dataset, run in RUNS:
        suite = config.suites[suite_name]
        model = load_reference(f"{suite_name}/{dataset}/{run}/seed0")
        test = load(dataset, "test")
        metrics = next(
            r.metrics or suite.metrics for r in suite.runs if r.name == run and r.dataset == dataset
        )
        cells = {
            b: functools.partial(
                evaluate_run,
                model,
                test,
                metrics,
                seed=0,
                sizes=dataclasses.replace(suite.sizes, bootstrap=b),
            )
            for b in (0, 200)
        }
        for cell in cells.values():
            cell()  # warm: the real side is cached
        # the two sides alternate, so that a load on the machine falls on both alike
        times = {b: [] for b in cells}
        for _ in range(args.repeats):
            for b, cell in cells.items():
                times[b].append(median_time(cell, 1)[0])
        line = f"{dataset:15s} {run:22s}"
        for b, seconds in times.items():
            median = statistics.median(seconds)
            per_suite.setdefault(suite_name, {0: [], 200: []})[b].append(median)
            line += f"  B={b}: {median:6.2f} s"
        print(line, flush=True)
    totals = {0: 0.0, 200: 0.0}
    for suite_name, times in per_suite.items():
        n_cells = len(config.suites[suite_name].grid())
        for b in totals:
            totals[b] += n_cells * sum(times[b]) / len(times[b])
    print(f"default run, serial estimate: without intervals {totals[0]:.0f} s, with {totals[200]:.0f} s")
    print(f"ratio with / without: {totals[200] / totals[0]:.3f}x")


if __name__ == "__main__":
    main()

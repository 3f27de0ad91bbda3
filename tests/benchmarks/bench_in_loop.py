"""Benchmark: in-loop scoring with an Evaluator against a fresh evaluate_generator call, in
one run (issue 27).

Run: python tests/benchmarks/bench_in_loop.py [--repeats 3] [--n 10000]
One bundled Fashion-MNIST generator scored with FCD + KID + PRDC on ``--n`` generated
images against the 10k test images, the suite's bootstrap included. Timed, each in this one
process, with an empty disk cache (a temporary $GAN_BENCH_CACHE) unless said:
- a fresh ``evaluate_generator`` call: real side and generated side (the per-process caches
  emptied first, as in a new process: what a training loop paid per call before);
- ``Evaluator(...)`` construction, with the disk cache empty, then with it filled (a new
  process of a later run);
- an Evaluator call (the median of ``--repeats``);
- of a call, drawing the images and their classifier outputs (PRDC's generated-side
  neighbour passes and the metrics come on top).
Prints the seconds of each, the ratio call / fresh, and call / (fresh - real side): a call
that pays for nothing but the generated side reads 1.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

from timing import median_time

from gan_bench.bench import context
from gan_bench.bench.in_loop import IN_LOOP_METRICS, Evaluator
from gan_bench.bench.models import load_reference
from gan_bench.bench.user_generator import evaluate_generator

KEY = "fashion-mnist/fashion-mnist/vanilla/seed0"


def _forget_the_real_side() -> None:
    for cached in (context.real_outputs_of, context.real_radii_of, context.dataset_classifier):
        cached.cache_clear()


def _empty_disk_cache() -> None:
    for folder in os.scandir(os.environ["GAN_BENCH_CACHE"]):
        for file in os.scandir(folder.path):
            os.unlink(file.path)


def _seconds(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()
    os.environ["GAN_BENCH_CACHE"] = tempfile.mkdtemp(prefix="bench-in-loop-")
    model = load_reference(KEY)

    def sample(n, seed):
        return model.sample(n, seed=seed)[0]

    _forget_the_real_side()
    evaluator = Evaluator("fashion-mnist", IN_LOOP_METRICS, n=args.n)  # warms torch and the data loader
    sizes = evaluator.sizes
    _forget_the_real_side()
    _empty_disk_cache()

    def fresh():
        _forget_the_real_side()
        return evaluate_generator(sample, "fashion-mnist", metrics=list(IN_LOOP_METRICS), sizes=sizes)

    fresh_s = _seconds(fresh)  # writes the disk cache: the next fresh call would read it
    _forget_the_real_side()
    _empty_disk_cache()
    build_empty = _seconds(lambda: Evaluator("fashion-mnist", IN_LOOP_METRICS, n=args.n))
    _forget_the_real_side()
    build_cached = _seconds(lambda: Evaluator("fashion-mnist", IN_LOOP_METRICS, n=args.n))
    evaluator = Evaluator("fashion-mnist", IN_LOOP_METRICS, n=args.n)
    call_s, rows = median_time(lambda: evaluator(sample), args.repeats)
    classifier = context.dataset_classifier("fashion-mnist")
    generated_s, _ = median_time(
        lambda: context.classifier_outputs_of(classifier, sample(args.n, 0)), args.repeats
    )
    print(
        f"Fashion-MNIST, {args.n} generated images, metrics {', '.join(IN_LOOP_METRICS)}, "
        f"bootstrap B={sizes.bootstrap}; median of {args.repeats}"
    )
    print(f"fresh evaluate_generator call (empty caches)   {fresh_s:7.2f} s")
    print(f"Evaluator(...), empty disk cache               {build_empty:7.2f} s")
    print(f"Evaluator(...), disk cache filled              {build_cached:7.2f} s")
    print(f"Evaluator call                                 {call_s:7.2f} s")
    print(f"  of which drawing and classifying the images  {generated_s:7.2f} s")
    print(f"fresh call - real side (its generated side)    {fresh_s - build_empty:7.2f} s")
    print(f"call / fresh                                   {call_s / fresh_s:7.2f}x")
    print(f"call / (fresh - real side)                     {call_s / (fresh_s - build_empty):7.2f}x")
    print(rows[["metric", "value", "n_samples"]].to_string(index=False))


if __name__ == "__main__":
    main()

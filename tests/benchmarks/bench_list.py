"""Benchmark: ``gan-bench list`` and a rerun of ``gan-bench run`` that reuses every result,
this checkout against an earlier commit, side by side in one run (issue 28).

Run: python tests/benchmarks/bench_list.py --before REF [--repeats 3] [--rerun REPORTS]
The earlier commit is checked out as a git worktree in a temporary folder and run with this
virtual environment (its folder first on PYTHONPATH); the two sides alternate, each in a fresh
process, and the medians and their ratio are printed. ``--rerun REPORTS``: also time
``gan-bench run --out COPY`` on a copy of a complete report folder for each side (nothing to
evaluate: every cell is reused, the report written again).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _seconds(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--before", required=True, help="the earlier commit")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rerun", type=Path, default=None, help="a complete report folder to rerun into")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        worktree = Path(tmp) / "before"
        subprocess.run(
            ["git", "worktree", "add", "-q", "--detach", str(worktree), args.before], cwd=REPO, check=True
        )
        try:
            sides = {"now": REPO, "before": worktree}
            envs = {
                name: {**os.environ, "PYTHONPATH": str(root), "GAN_BENCH_QUIET": "1"}
                for name, root in sides.items()
            }
            cli = [sys.executable, "-m", "gan_bench.cli"]
            times: dict[str, list[float]] = {"now": [], "before": []}
            for _ in range(args.repeats):
                for name, root in sides.items():
                    times[name].append(_seconds([*cli, "list"], root, envs[name]))
            report(f"gan-bench list (median of {args.repeats})", times)
            if args.rerun is not None:
                reruns: dict[str, list[float]] = {"now": [], "before": []}
                for _ in range(args.repeats):
                    for name, root in sides.items():
                        copy = Path(tmp) / f"reports-{name}"
                        if not copy.exists():
                            shutil.copytree(args.rerun, copy)
                        run = [*cli, "run", "--jobs", "2", "--quiet", "--out", str(copy)]
                        reruns[name].append(_seconds(run, root, envs[name]))
                report(
                    f"gan-bench run, every result reused (median of {args.repeats}; first rerun included)",
                    reruns,
                )
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=REPO, check=True)


def report(what: str, times: dict[str, list[float]]) -> None:
    now, before = statistics.median(times["now"]), statistics.median(times["before"])
    print(f"{what}: now {now:.2f} s, before {before:.2f} s, {before / now:.2f}x  (all: {times})")


if __name__ == "__main__":
    main()

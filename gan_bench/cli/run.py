"""``gan-bench run``: evaluate the bundled reference models and write the report."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING

from gan_bench.cli.common import subcommand
from gan_bench.defaults import (
    MODELS_ENV,
    RESULTS_FILE,
    models_root,
)

if TYPE_CHECKING:
    from gan_bench.bench.runner import RunSummary


def register(sub: argparse._SubParsersAction) -> None:
    parser = subcommand(
        sub,
        "run",
        "evaluate the bundled reference models and write the report",
        "gan-bench run                       # every default suite whose data is here",
        "gan-bench run --suite toy --jobs 2 --out reports-toy",
        "gan-bench run --suite mnist --train-missing --jobs 2   # train what is not bundled",
        "gan-bench run --executor ray                           # a local Ray cluster",
        "gan-bench run --executor ray --address HEAD_IP:6379 --train-missing",
    )
    parser.add_argument("--suite", action="append", dest="suites", help="suite name (default: the config's)")
    parser.add_argument("--out", default="reports", help="report folder (default reports/)")
    parser.add_argument("--train-missing", action="store_true", help="train and bundle missing checkpoints")
    parser.add_argument("--force", action="store_true", help="re-evaluate runs already in results.csv")
    parser.add_argument("--device", default="cpu", help="device for --train-missing (cpu or cuda)")
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="parallel jobs (one thread each) for evaluation and --train-missing (local executor)",
    )
    parser.add_argument(
        "--executor",
        choices=("local", "ray"),
        default="local",
        help="where the cells run: this machine (default) or Ray tasks (pip install 'gan-bench[ray]')",
    )
    parser.add_argument(
        "--address",
        default=None,
        help="with --executor ray: the cluster to join (default: start a local one for this run)",
    )
    parser.add_argument("--config", default=None, help="benchmarks.toml to use (default: the project's)")
    parser.add_argument("--json", action="store_true", help="print a machine-readable summary on stdout")
    parser.set_defaults(handler=_run_suites)


def _summary_json(summary: RunSummary, out: str) -> dict:
    """The run's summary as ``--json`` prints it."""
    return {
        "evaluated": summary.evaluated,
        "reused": summary.reused,
        "trained": summary.trained,
        "missing": summary.missing,
        "not_installed": summary.not_installed,
        "skipped": summary.skipped,
        "recovered": summary.recovered,
        "stale": summary.stale,
        "resettled": summary.resettled,
        "results": os.path.join(out, RESULTS_FILE),
        "report": os.path.join(out, "index.html"),
    }


def _print_notices(summary: RunSummary) -> None:
    """What the run did about damaged, stale or resettled results, on stderr."""
    if summary.recovered:
        print(f"gan-bench: {summary.recovered}", file=sys.stderr)
    if summary.stale:
        print(
            f"gan-bench: {summary.stale} result(s) were computed from another checkpoint than the one "
            "bundled now (retrained or replaced), or do not record theirs, and were evaluated again",
            file=sys.stderr,
        )
    if summary.resettled:
        print(
            f"gan-bench: {summary.resettled} result(s) were computed with other metrics, sample sizes, "
            "metric definitions or data than the suite's now and were evaluated again",
            file=sys.stderr,
        )


def _run_suites(args: argparse.Namespace) -> int:
    from gan_bench.commands.run import run_suites

    summary = run_suites(
        args.suites,
        args.out,
        train_missing=args.train_missing,
        force=args.force,
        device=args.device,
        jobs=args.jobs,
        executor=args.executor,
        address=args.address,
        config_path=args.config,
    )
    if args.json:
        print(json.dumps(_summary_json(summary, args.out), indent=2))
    _print_notices(summary)
    for dataset, why in summary.skipped.items():
        print(f"skipped {dataset}: its data is not on this machine ({why})", file=sys.stderr)
    if not args.json:
        print(
            f"evaluated {summary.evaluated}, reused {summary.reused}, trained {summary.trained}; "
            f"report in {args.out}/index.html"
        )
    for wheel, keys in summary.not_installed.items():
        print(
            f"{len(keys)} checkpoint(s) not installed (pip install {wheel}): {keys[0]} ...", file=sys.stderr
        )
    if summary.missing:
        print(
            f"{len(summary.missing)} checkpoint(s) missing (run with --train-missing): "
            + ", ".join(summary.missing[:5])
            + (" ..." if len(summary.missing) > 5 else ""),
            file=sys.stderr,
        )
        if not models_root().is_dir():
            print(
                f"the models folder {models_root()} does not exist"
                + (f" (${MODELS_ENV} names it)" if os.environ.get(MODELS_ENV) else "")
                + "; expected a copy of models/ with its manifest.json",
                file=sys.stderr,
            )
        return 1
    return 1 if summary.not_installed else 0

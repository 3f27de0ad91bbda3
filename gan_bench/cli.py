"""The ``gan-bench`` command line: run, eval, report, list, train, data, variants, train-classifier.

Errors are one line on stderr and a non-zero exit; ``--debug`` shows the traceback instead.
``--quiet`` turns the progress bars off (they are also off when stderr is not a terminal).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from gan_bench import __version__
from gan_bench.defaults import (
    CHECKPOINT_EVERY,
    MODELS_ENV,
    PRECISIONS,
    QUIET_ENV,
    RESULTS_FILE,
    TRAIN_STEPS,
    models_root,
    runs_root,
)

if TYPE_CHECKING:
    from gan_bench.bench.runner import RunSummary

_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []

# --quiet and --debug are accepted before or after the subcommand; SUPPRESS keeps a
# subcommand's unset flag from overwriting the one given before it.
_COMMON = argparse.ArgumentParser(add_help=False)
_COMMON.add_argument("--quiet", action="store_true", default=argparse.SUPPRESS, help="no progress bars")
_COMMON.add_argument(
    "--debug", action="store_true", default=argparse.SUPPRESS, help="show the traceback of an error"
)


def command(register: Callable[[argparse._SubParsersAction], None]) -> Callable:
    """Decorator collecting the functions that add a subcommand."""
    _COMMANDS.append(register)
    return register


def _subcommand(sub: argparse._SubParsersAction, name: str, help: str, *examples: str):
    """A subcommand parser with the shared flags and its examples at the end of ``--help``."""
    return sub.add_parser(
        name,
        help=help,
        description=help,
        parents=[_COMMON],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n" + "\n".join(f"  {example}" for example in examples),
    )


@command
def _data(sub: argparse._SubParsersAction) -> None:
    parser = _subcommand(
        sub, "data", "list datasets or describe one", "gan-bench data list", "gan-bench data info mnist5k"
    )
    data_sub = parser.add_subparsers(dest="data_command", required=True)
    data_sub.add_parser("list", help="every dataset with a one-line description").set_defaults(
        handler=_data_list
    )
    info = data_sub.add_parser("info", help="size, classes, source and availability of a dataset")
    info.add_argument("name")
    info.add_argument("--data-root", default=None)
    info.set_defaults(handler=_data_info)


def _data_list(args: argparse.Namespace) -> int:
    from gan_bench.data import list_datasets

    for name, description in list_datasets().items():
        print(f"{name:15s} {description}")
    return 0


def _data_info(args: argparse.Namespace) -> int:
    from gan_bench.data import dataset_info

    print(json.dumps(dataset_info(args.name, data_root=args.data_root), indent=2, default=str))
    return 0


@command
def _train_classifier(sub: argparse._SubParsersAction) -> None:
    parser = _subcommand(
        sub,
        "train-classifier",
        "train a bundled evaluation classifier",
        "gan-bench train-classifier fashion-mnist --epochs 10",
    )
    parser.add_argument("dataset", choices=["mnist", "fashion-mnist"])
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.set_defaults(handler=_run_train_classifier)


def _run_train_classifier(args: argparse.Namespace) -> int:
    from gan_bench.bench.classifiers import train_classifier

    record = train_classifier(args.dataset, epochs=args.epochs, seed=args.seed)
    print(json.dumps(record.__dict__, indent=2))
    return 0


@command
def _train(sub: argparse._SubParsersAction) -> None:
    parser = _subcommand(
        sub,
        "train",
        "train one variant on one dataset",
        "gan-bench train --dataset grid25 --variant mmgan --steps 5000 --set loss=rsgan",
        "gan-bench train --dataset grid25 --variant mmgan --steps 5000 --set loss=rsgan --resume",
    )
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--variant", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", type=int, default=TRAIN_STEPS)
    parser.add_argument(
        "--set", dest="options", action="append", metavar="KEY=VALUE", help="a variant option"
    )
    parser.add_argument(
        "--out",
        default=None,
        help="output folder (default $GAN_BENCH_RUNS or runs/, then DATASET/VARIANT/seedN)",
    )
    parser.add_argument("--resume", action="store_true", help="continue from the folder's last checkpoint")
    parser.add_argument("--checkpoint-every", type=int, default=CHECKPOINT_EVERY)
    parser.add_argument(
        "--snapshot-every",
        type=int,
        default=0,
        metavar="N",
        help="also keep OUT/snapshots/stepK.pt every N steps: the model a run of K steps ends with",
    )
    parser.add_argument("--device", default="cpu", help="cpu (default) or cuda")
    parser.add_argument(
        "--precision",
        choices=PRECISIONS,
        default="float32",
        help="arithmetic of the training steps: float32 (default) or bfloat16 autocast (faster on "
        "CPUs with AVX512-BF16 or AMX; trains to different numbers)",
    )
    parser.add_argument("--data-root", default=None)
    parser.set_defaults(handler=_run_train)


def _run_train(args: argparse.Namespace) -> int:
    from gan_bench.bench.train import parse_options, train

    out = args.out or runs_root() / args.dataset / args.variant / f"seed{args.seed}"
    result = train(
        args.dataset,
        args.variant,
        seed=args.seed,
        steps=args.steps,
        options=parse_options(args.options),
        out_dir=out,
        resume=args.resume,
        checkpoint_every=args.checkpoint_every,
        device=args.device,
        data_root=args.data_root,
        precision=args.precision,
        snapshot_every=args.snapshot_every,
    )
    print(
        f"trained {args.steps} steps in {result.seconds:.1f} s; "
        f"model {result.model_path} sha256 {result.model_sha256}"
    )
    return 0


@command
def _variants(sub: argparse._SubParsersAction) -> None:
    parser = _subcommand(
        sub, "variants", "list the GAN variants and their options with defaults", "gan-bench variants"
    )
    parser.set_defaults(handler=_run_variants)


def _run_variants(args: argparse.Namespace) -> int:
    from gan_bench.gans import list_variants

    for name, spec in list_variants().items():
        print(f"{name}: {spec['summary']}")
        for key, default in spec["options"].items():
            print(f"    {key} = {default!r}".ljust(34) + f"  ({spec['expects'][key]})")
    return 0


@command
def _run(sub: argparse._SubParsersAction) -> None:
    parser = _subcommand(
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
            f"gan-bench: {summary.resettled} result(s) were computed with other metrics or sample sizes "
            "than the suite's now and were evaluated again",
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
    return 0


@command
def _list(sub: argparse._SubParsersAction) -> None:
    parser = _subcommand(
        sub,
        "list",
        "show the suites, datasets, variants and bundled checkpoints",
        "gan-bench list",
        "gan-bench list checkpoints",
    )
    parser.add_argument(
        "what",
        nargs="?",
        default="all",
        choices=["all", "suites", "datasets", "variants", "checkpoints"],
        help="one section only (default: all, with checkpoints counted per suite)",
    )
    parser.add_argument("--config", default=None, help="benchmarks.toml to read (default: the project's)")
    parser.set_defaults(handler=_run_list)


def _run_list(args: argparse.Namespace) -> int:
    from gan_bench.commands.listing import listing

    print(listing(args.what, args.config))
    return 0


@command
def _eval(sub: argparse._SubParsersAction) -> None:
    parser = _subcommand(
        sub,
        "eval",
        "evaluate your own generator, samples (or one checkpoint) with a suite's protocol",
        "cd examples && gan-bench eval --generator my_generator:sample --dataset mnist5k --out mine",
        "gan-bench eval --images generated/ --dataset mnist5k --out mine",
        "gan-bench eval --array samples.npz --dataset fashion-mnist --allow-fewer",
        "gan-bench eval --checkpoint runs/grid25/mmgan/seed0/model.pt --metrics modes,emd",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--generator",
        metavar="MODULE:NAME",
        help="a function sample(n, seed) -> samples, or an object with sample(n, seed, *, mode=None, "
        "scale=1.0) and n_modes: mode= (with n_modes) adds mode_alignment and a grid row per mode, "
        "scale= the latent-scale sweep; each is optional",
    )
    source.add_argument(
        "--images", metavar="DIR", help="a folder of generated PNG/JPEG images (recursive, sorted)"
    )
    source.add_argument(
        "--array",
        metavar="FILE",
        help="generated samples in a .npy/.npz: uint8 [0, 255] or float [0, 1], NCHW or NHWC",
    )
    source.add_argument("--checkpoint", metavar="PATH", help="a model.pt written by gan-bench train")
    parser.add_argument(
        "--allow-fewer",
        action="store_true",
        help="score a sample set smaller than the suite's sizes (the real N is written beside each number)",
    )
    parser.add_argument("--dataset", help="dataset to score against (default: the checkpoint's)")
    parser.add_argument("--predict-cluster", metavar="MODULE:FUNCTION", help="x -> cluster index per sample")
    parser.add_argument(
        "--suite", help="suite whose metrics and sample sizes to use (default: one with the dataset)"
    )
    parser.add_argument("--metrics", help="comma-separated metric names (default: the suite's)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--name", help="run name in the results (default: the function or file name)")
    parser.add_argument("--out", default="reports-eval", help="report folder (default reports-eval/)")
    parser.add_argument("--config", default=None, help="benchmarks.toml to take the suite from")
    parser.set_defaults(handler=_run_eval)


def _run_eval(args: argparse.Namespace) -> int:
    from gan_bench.commands.eval import evaluate_command

    rows = evaluate_command(
        generator=args.generator,
        checkpoint=args.checkpoint,
        images=args.images,
        array=args.array,
        allow_fewer=args.allow_fewer,
        dataset=args.dataset,
        predict_cluster=args.predict_cluster,
        suite=args.suite,
        metrics=args.metrics.split(",") if args.metrics else None,
        seed=args.seed,
        name=args.name,
        out=args.out,
        config_path=args.config,
        progress=True,
    )
    for row in rows.itertuples(index=False):
        print(f"{row.dataset} {row.run} seed {row.seed}: {row.metric} = {row.value:.6g} (n={row.n_samples})")
    print(f"report in {args.out}/index.html")
    return 0


@command
def _report(sub: argparse._SubParsersAction) -> None:
    parser = _subcommand(
        sub,
        "report",
        "render one report from several results files",
        "gan-bench report --results reports/results.csv reports-eval/results.csv --out combined",
    )
    parser.add_argument("--results", nargs="+", required=True, metavar="RESULTS_CSV")
    parser.add_argument("--out", required=True)
    parser.set_defaults(handler=_run_report)


def _run_report(args: argparse.Namespace) -> int:
    from gan_bench.commands.report import merge_reports

    merged = merge_reports(args.results, args.out)
    print(f"{len(merged)} rows from {len(args.results)} file(s); report in {args.out}/index.html")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gan-bench",
        description="Evaluate and benchmark multi-modal GANs.",
        parents=[_COMMON],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  gan-bench list\n  gan-bench run --suite toy --jobs 2\n  gan-bench run --help",
    )
    parser.add_argument("--version", action="version", version=f"gan-bench {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for register in _COMMANDS:
        register(sub)
    return parser


def one_line(err: BaseException) -> str:
    """The error as one line. Input and file errors carry their message alone; any other
    type is named, since its message may not say what went wrong (a KeyError's is the key)."""
    message = " ".join(str(err).split()) or "(no message)"
    plain = isinstance(err, (ValueError, TypeError, OSError, RuntimeError))
    return message if plain else f"{type(err).__name__}: {message}"


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    debug = getattr(args, "debug", False)
    if getattr(args, "quiet", False):
        os.environ[QUIET_ENV] = "1"  # read by every progress bar, worker processes included
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        if debug:
            raise
        print("gan-bench: interrupted; finished work is saved, and the same command resumes", file=sys.stderr)
        return 130
    except Exception as err:
        if debug:
            raise
        print(f"gan-bench: error: {one_line(err)} (--debug shows the traceback)", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

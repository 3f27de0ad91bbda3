"""``gan-bench train-classifier``: train a bundled evaluation classifier."""

from __future__ import annotations

import argparse
import json

from gan_bench.cli.common import subcommand


def register(sub: argparse._SubParsersAction) -> None:
    parser = subcommand(
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

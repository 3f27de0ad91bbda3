"""The ``gan-bench`` command line: run, train, data, train-classifier."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from gan_bench import __version__

Handler = Callable[[argparse.Namespace], int]
_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


def command(register: Callable[[argparse._SubParsersAction], None]) -> Callable:
    """Decorator collecting the functions that add a subcommand."""
    _COMMANDS.append(register)
    return register


@command
def _data(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("data", help="list datasets or describe one")
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gan-bench", description="Evaluate and benchmark multi-modal GANs.")
    parser.add_argument("--version", action="version", version=f"gan-bench {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for register in _COMMANDS:
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (ValueError, FileNotFoundError) as err:
        print(f"gan-bench: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

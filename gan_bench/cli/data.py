"""``gan-bench data``: list the datasets or describe one."""

from __future__ import annotations

import argparse
import json

from gan_bench.cli.common import subcommand


def register(sub: argparse._SubParsersAction) -> None:
    parser = subcommand(
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

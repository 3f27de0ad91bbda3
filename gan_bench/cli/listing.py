"""``gan-bench list``: the suites, datasets, variants and bundled checkpoints."""

from __future__ import annotations

import argparse

from gan_bench.cli.common import subcommand


def register(sub: argparse._SubParsersAction) -> None:
    parser = subcommand(
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

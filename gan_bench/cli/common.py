"""What every subcommand shares: the ``--quiet``/``--debug`` flags and the parser shape."""

from __future__ import annotations

import argparse

# --quiet and --debug are accepted before or after the subcommand; SUPPRESS keeps a
# subcommand's unset flag from overwriting the one given before it.
COMMON = argparse.ArgumentParser(add_help=False)
COMMON.add_argument("--quiet", action="store_true", default=argparse.SUPPRESS, help="no progress bars")
COMMON.add_argument(
    "--debug", action="store_true", default=argparse.SUPPRESS, help="show the traceback of an error"
)


def subcommand(
    sub: argparse._SubParsersAction, name: str, help: str, *examples: str
) -> argparse.ArgumentParser:
    """A subcommand parser with the shared flags and its examples at the end of ``--help``."""
    return sub.add_parser(
        name,
        help=help,
        description=help,
        parents=[COMMON],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n" + "\n".join(f"  {example}" for example in examples),
    )

"""The ``gan-bench`` command line: run, eval, report, list, train, data, variants, train-classifier,
protocols.

One module per command, each a thin shell over a function of :mod:`gan_bench.commands` (or
of the engine): it declares its arguments (``register``) and prints what the function returns.
Errors are one line on stderr and a non-zero exit; ``--debug`` shows the traceback instead.
``--quiet`` turns the progress bars off (they are also off when stderr is not a terminal).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from gan_bench import __version__
from gan_bench.cli import (
    data,
    evaluate,
    listing,
    protocols,
    report,
    run,
    train,
    train_classifier,
    variants,
)
from gan_bench.cli.common import COMMON
from gan_bench.defaults import QUIET_ENV

# the order of ``gan-bench --help``
COMMANDS = (data, train_classifier, train, variants, run, listing, evaluate, report, protocols)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gan-bench",
        description="Evaluate and benchmark multi-modal GANs.",
        parents=[COMMON],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  gan-bench list\n  gan-bench run --suite toy --jobs 2\n  gan-bench run --help",
    )
    parser.add_argument("--version", action="version", version=f"gan-bench {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in COMMANDS:
        module.register(sub)
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
        code = args.handler(args)
        sys.stdout.flush()  # a closed pipe surfaces here, not at interpreter exit
        return code
    except BrokenPipeError:  # the reader left (gan-bench list | head): nothing is wrong here
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 0
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

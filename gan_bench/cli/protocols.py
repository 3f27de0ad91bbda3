"""``gan-bench protocols``: write the protocol document (``docs/protocols.md``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from gan_bench.cli.common import subcommand


def register(sub: argparse._SubParsersAction) -> None:
    parser = subcommand(
        sub,
        "protocols",
        "write the protocol document: suites, metrics, datasets, variants and the papers' numbers, "
        "from benchmarks.toml, papers.toml and the registries",
        "gan-bench protocols --out docs/protocols.md",
    )
    parser.add_argument("--out", help="the Markdown file to write (default: print it)")
    parser.add_argument("--config", help="a benchmarks.toml other than the bundled one")
    parser.set_defaults(handler=_run_protocols)


def _run_protocols(args: argparse.Namespace) -> int:
    from gan_bench.bench.config import load_config
    from gan_bench.report.protocols import protocols_markdown
    from gan_bench.store.atomic import write_text_atomic

    text = protocols_markdown(load_config(args.config))
    if args.out is None:
        print(text, end="")
        return 0
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(Path(args.out), text)
    print(f"wrote {args.out}")
    return 0

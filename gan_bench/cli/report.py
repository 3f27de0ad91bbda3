"""``gan-bench report``: one report from several results files."""

from __future__ import annotations

import argparse

from gan_bench.cli.common import subcommand


def register(sub: argparse._SubParsersAction) -> None:
    parser = subcommand(
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

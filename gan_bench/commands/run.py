"""``gan-bench run``: the suites evaluated by the engine (:mod:`gan_bench.bench.runner`),
then the report of the folder, written while the folder is still locked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from gan_bench.bench import runner
from gan_bench.bench.config import Suite
from gan_bench.bench.runner import RunSummary
from gan_bench.report import write_report


def _write(out: Path, results: pd.DataFrame, suites: list[Suite], summary: RunSummary) -> None:
    write_report(
        out,
        results,
        suites,
        missing=summary.missing,
        skipped=summary.skipped,
        not_installed=summary.not_installed,
    )


def run_suites(
    suite_names: list[str] | None = None, out: str | Path = "reports", **settings: Any
) -> RunSummary:
    """Evaluate the suites (default: the config's default suites) and write the report;
    ``settings`` are :func:`gan_bench.bench.runner.run_suites`' (training, executor, config)."""
    return runner.run_suites(suite_names, out, write=_write, **settings)

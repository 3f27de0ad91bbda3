"""``gan-bench report``: one report from several results files, and the suites a results
table holds when it came from outside ``benchmarks.toml``."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pandas as pd

from gan_bench.bench.config import RunSpec, Suite, load_config
from gan_bench.bench.context import SampleSizes
from gan_bench.bench.results import RUN_COLUMNS, completed_runs, read_results, write_results
from gan_bench.bench.runner import report_folder_lock
from gan_bench.defaults import EVAL_SUITE, RESULTS_FILE
from gan_bench.report import write_report
from gan_bench.store.atomic import atomic_path


def suites_from_results(results: pd.DataFrame) -> list[Suite]:
    """The suites a results table holds (names, datasets, runs, seeds, metrics), for a
    report of results that came from outside ``benchmarks.toml`` (``gan-bench eval``) or from
    several files (``gan-bench report``). A run that is the bundled ``benchmarks.toml``'s (the
    same suite, dataset, name, variant and options) keeps its training steps, which the
    claims cite, and its suite's description; any other run has none (0 steps)."""
    bundled = load_config().suites
    suites = []
    for name, rows in results.groupby("suite", sort=False):
        known = {(r.dataset, r.name): r for r in (bundled[name].runs if name in bundled else [])}
        runs = []
        for (dataset, run), group in rows.groupby(["dataset", "run"], sort=False):
            spec = RunSpec(
                str(run), str(group["variant"].iloc[0]), str(dataset), 0, json.loads(group["options"].iloc[0])
            )
            same = known.get((spec.dataset, spec.name))
            matches = same is not None and (same.variant, same.options) == (spec.variant, spec.options)
            runs.append(dataclasses.replace(spec, steps=same.steps) if matches else spec)
        suites.append(
            Suite(
                name=str(name),
                description=bundled[name].description if name in bundled else "",
                seeds=sorted(int(s) for s in rows["seed"].unique()),
                metrics=list(rows["metric"].unique()),
                datasets=list(dict.fromkeys(str(d) for d in rows["dataset"])),
                sizes=SampleSizes(),
                runs=runs,
            )
        )
    return suites


def merge_reports(sources: list[str | Path], out: str | Path) -> pd.DataFrame:
    """One report from several results files (with the per-run files beside them).

    The same run (suite, dataset, run, seed) in two files is an error naming it.
    """
    out = Path(out)
    tables = []
    for i, source in enumerate(map(Path, sources)):
        if any(source.resolve() == Path(other).resolve() for other in sources[:i]):
            raise ValueError(f"results file {source} is given twice; give each file once")
        if not source.is_file():
            what = "is a folder" if source.is_dir() else "does not exist"
            raise FileNotFoundError(
                f"{source}: {what}; expected a results.csv written by gan-bench run or eval"
            )
        table = read_results(source)
        if table.empty:
            raise ValueError(
                f"{source}: no results (expected a results.csv written by gan-bench run or eval)"
            )
        tables.append((source, table))
    with report_folder_lock(out):
        seen: dict[tuple, Path] = {}
        for source, table in tables:  # one run in two files, whatever metrics each holds
            for key in table[RUN_COLUMNS].drop_duplicates().itertuples(index=False, name=None):
                if key in seen:
                    suite, dataset, run, seed = key
                    raise ValueError(
                        f"run {suite}/{dataset}/{run} seed {seed} appears in both {seen[key]} and "
                        f"{source}; rename the run in one of them (gan-bench eval --name)"
                    )
                seen[key] = source
        merged = pd.concat([t for _, t in tables], ignore_index=True)
        for source, table in tables:
            for ident in completed_runs(table):
                artifact = ident.artifact_path(source.parent)
                target = ident.artifact_path(out)
                if artifact.is_file() and artifact.resolve() != target.resolve():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with atomic_path(target) as tmp:
                        shutil.copyfile(artifact, tmp)
        write_results(out / RESULTS_FILE, merged)
        users = EVAL_SUITE in set(merged["suite"])
        write_report(out, merged, suites_from_results(merged), users_first=users)
    return merged

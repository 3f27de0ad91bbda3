"""``gan-bench run``: evaluate the bundled reference models on benchmark suites.

For every (dataset, run, seed) of each suite: load the checkpoint (sha256-checked) or,
with ``train_missing``, train it with the suite's settings and bundle it; sample;
evaluate; and append rows to ``results.csv``. Finished runs are reused unless
``force``; the results file is rewritten atomically after every run, so an interrupted
``gan-bench run`` resumes where it stopped. Then the report is written.
"""

from __future__ import annotations

import json
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from tqdm.auto import tqdm

from gan_bench.atomic import atomic_path
from gan_bench.bundled import models_root
from gan_bench.config import RunSpec, Suite, load_config
from gan_bench.data import load
from gan_bench.evaluate import evaluate_run, sample_file
from gan_bench.report import write_report
from gan_bench.store import current_commit, load_reference, model_file, model_key, read_manifest, register
from gan_bench.train import train

RESULT_COLUMNS = ["suite", "dataset", "run", "variant", "options", "seed", "metric", "value", "n_samples"]
RUN_KEY = ["suite", "dataset", "run", "seed"]


@dataclass
class RunSummary:
    evaluated: int = 0
    reused: int = 0
    trained: int = 0
    missing: list[str] = field(default_factory=list)


def read_results(path: Path) -> pd.DataFrame:
    if path.is_file():
        return pd.read_csv(path, dtype={"options": str})
    return pd.DataFrame(columns=RESULT_COLUMNS)


def _run_id(suite: str, dataset: str, run: str, seed: int) -> tuple[str, str, str, int]:
    return str(suite), str(dataset), str(run), int(seed)


def _without_run(results: pd.DataFrame, ident: tuple[str, str, str, int]) -> pd.DataFrame:
    """The results less the rows of one (suite, dataset, run, seed)."""
    same = pd.Series(True, index=results.index)
    for column, value in zip(RUN_KEY, ident):
        same &= results[column].astype(type(value)) == value
    return results[~same]


def write_results(path: Path, results: pd.DataFrame) -> None:
    with atomic_path(path) as tmp:
        results.to_csv(tmp, index=False)


def train_reference(
    suite: str, run: RunSpec, seed: int, device: str = "cpu", progress: bool = True, commit: str | None = None
) -> str:
    """Train one reference model with the suite's settings and add it to models/.

    ``commit`` is the code version recorded in the manifest (read once when training starts,
    so later edits to the working tree do not mislabel it).
    """
    key = model_key(suite, run.dataset, run.name, seed)
    work = Path(os.environ.get("GAN_BENCH_RUNS", "runs")) / key
    result = train(
        run.dataset,
        run.variant,
        seed=seed,
        steps=run.steps,
        options=run.options,
        out_dir=work,
        resume=True,
        device=device,
        progress=progress,
        checkpoint_every=max(1000, run.steps // 5),
    )
    target = model_file(key)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(result.model_path, target)
    register(
        key,
        {
            "path": str(target.relative_to(models_root())),
            "sha256": result.model_sha256,
            "suite": suite,
            "dataset": run.dataset,
            "run": run.name,
            "variant": run.variant,
            "options": run.options,
            "seed": seed,
            "steps": run.steps,
            "commit": commit or current_commit(),
            "command": f"gan-bench run --suite {suite} --train-missing (gan-bench train "
            f"--dataset {run.dataset} --variant {run.variant} --seed {seed} --steps {run.steps}"
            + "".join(f" --set {k}={v!r}" for k, v in run.options.items())
            + ")",
            "train_metrics": {"final_losses": result.final_losses, "train_seconds": round(result.seconds, 1)},
        },
    )
    return key


def _train_job(args: tuple[str, RunSpec, int, str, str]) -> str:
    torch.set_num_threads(1)
    suite, run, seed, device, commit = args
    return train_reference(suite, run, seed, device, progress=False, commit=commit)


def train_missing_models(suites: list[Suite], jobs: int, device: str, progress: bool) -> int:
    """Train every (run, seed) whose checkpoint is not bundled yet; returns how many."""
    commit = current_commit()
    bundled = read_manifest()["models"]
    todo = [
        (s.name, run, seed, device, commit)
        for s in suites
        for run, seed in s.grid()
        if model_key(s.name, run.dataset, run.name, seed) not in bundled
    ]
    if not todo:
        return 0
    bar = tqdm(total=len(todo), desc="training missing reference models", disable=not progress)
    if jobs <= 1:
        for job in todo:
            _train_job(job)
            bar.update()
    else:
        with ProcessPoolExecutor(jobs) as pool:
            for _ in pool.map(_train_job, todo):
                bar.update()
    bar.close()
    return len(todo)


def run_suites(
    suite_names: list[str] | None = None,
    out: str | Path = "reports",
    *,
    train_missing: bool = False,
    force: bool = False,
    device: str = "cpu",
    jobs: int = 1,
    config_path: str | Path | None = None,
    progress: bool = True,
) -> RunSummary:
    """Evaluate the suites (default: the config's default suites) and write the report."""
    config = load_config(config_path)
    names = suite_names or config.default_suites
    for name in names:
        if name not in config.suites:
            raise ValueError(f"unknown suite '{name}'; expected one of: {', '.join(config.suites)}")
    suites = [config.suites[n] for n in names]
    out = Path(out)
    summary = RunSummary()
    if train_missing:
        summary.trained = train_missing_models(suites, jobs, device, progress)
    results_path = out / "results.csv"
    results = read_results(results_path)
    done = {_run_id(*row) for row in results[RUN_KEY].itertuples(index=False)}
    bundled = read_manifest()["models"]
    grid = [(suite, run, seed) for suite in suites for run, seed in suite.grid()]
    bar = tqdm(grid, desc="evaluating", disable=not progress)
    for suite, run, seed in bar:
        bar.set_postfix_str(f"{run.dataset} {run.name} seed {seed}")
        ident = _run_id(suite.name, run.dataset, run.name, seed)
        if ident in done and not force and sample_file(out, suite.name, run, seed).is_file():
            summary.reused += 1
            continue
        key = model_key(suite.name, run.dataset, run.name, seed)
        if key not in bundled:
            summary.missing.append(key)
            continue
        model = load_reference(key)
        test = load(run.dataset, "test")
        values, samples = evaluate_run(
            model, test, suite.metrics, seed=seed, samples=suite.samples, emd_samples=suite.emd_samples
        )
        rows = pd.DataFrame(
            [
                {
                    "suite": suite.name,
                    "dataset": run.dataset,
                    "run": run.name,
                    "variant": run.variant,
                    "options": json.dumps(run.options, sort_keys=True),
                    "seed": seed,
                    "metric": v.metric,
                    "value": v.value,
                    "n_samples": v.n_samples,
                }
                for v in values
            ],
            columns=RESULT_COLUMNS,
        )
        results = pd.concat([_without_run(results, ident), rows], ignore_index=True)
        path = sample_file(out, suite.name, run, seed)
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp, open(tmp, "wb") as handle:
            np.save(handle, samples)
        write_results(results_path, results)
        summary.evaluated += 1
    write_report(out, results, suites, missing=summary.missing)
    return summary

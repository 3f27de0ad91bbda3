"""``gan-bench run``: evaluate the bundled reference models on benchmark suites.

For every (dataset, run, seed) of each suite: load the checkpoint (sha256-checked) or,
with ``train_missing``, train it with the suite's settings and bundle it; sample;
evaluate; and append rows to ``results.csv``. Finished runs are reused unless
``force``; the results file is rewritten atomically after every run, so an interrupted
``gan-bench run`` resumes where it stopped. The report is not this module's:
:func:`gan_bench.commands.run.run_suites` renders it once the results are recorded.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
import torch

from gan_bench.bench.artifacts import RunNotes
from gan_bench.bench.config import RunSpec, Suite, data_availability, load_config
from gan_bench.bench.context import SampleSizes
from gan_bench.bench.evaluate import EvaluatedRun, evaluate_run
from gan_bench.bench.executors import Executor, LocalExecutor
from gan_bench.bench.models import model_from_payload
from gan_bench.bench.provenance import check_unseen, trained_on
from gan_bench.bench.registry import REGISTRY
from gan_bench.bench.results import (
    COLUMNS,
    ResultsFileError,
    RunId,
    completed_runs,
    evaluation_record,
    read_results,
    recover_results,
    replace_run,
    save_artifacts,
    write_results,
)
from gan_bench.bench.train import train
from gan_bench.data import data_identity, load
from gan_bench.defaults import RESULTS_FILE, models_root, runs_root
from gan_bench.progress import Progress
from gan_bench.store.locks import file_lock
from gan_bench.store.manifest import (
    Bundle,
    bundle_checkpoint,
    check_entry_matches,
    current_commit,
    is_installed,
    model_file,
    model_wheel,
    read_bundle,
    read_manifest,
    register,
)

EXECUTORS = ("local", "ray")


def make_executor(name: str, *, jobs: int = 1, address: str | None = None) -> Executor:
    """The executor called ``name`` (``local`` or ``ray``)."""
    if name == "local":
        if address is not None:
            raise ValueError("--address is for --executor ray; the local executor runs on this machine")
        return LocalExecutor(jobs)
    if name == "ray":
        from gan_bench.bench.ray_executor import RayExecutor  # Ray is an extra: imported on use

        return RayExecutor(address=address)
    raise ValueError(f"unknown executor '{name}'; expected one of: {', '.join(EXECUTORS)}")


@dataclass
class RunSummary:
    evaluated: int = 0
    reused: int = 0
    trained: int = 0
    missing: list[str] = field(default_factory=list)
    # wheel -> the checkpoints it ships that are not installed (an install without that wheel)
    not_installed: dict[str, list[str]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # dataset -> why its data is unavailable
    recovered: str | None = None  # what was done about a damaged results.csv
    stale: int = 0  # results re-evaluated because their checkpoint was retrained or replaced
    resettled: int = 0  # re-evaluated: the suite's metrics, sample sizes or data changed


# what renders the report folder once its results are recorded (gan_bench.commands.run passes
# the report's writer: the engine never imports the report)
ReportWriter = Callable[[Path, pd.DataFrame, list[Suite], RunSummary], None]


@dataclass(frozen=True)
class TrainJob:
    """One reference model to train: a cell of the grid that has no checkpoint."""

    suite: str
    run: RunSpec
    seed: int
    device: str
    work_dir: str | None  # where training resumes from; None: a temporary folder (a Ray task)
    progress: bool = False

    @property
    def key(self) -> str:
        return RunId(self.suite, self.run.dataset, self.run.name, self.seed).model_key


@dataclass(frozen=True)
class TrainedModel:
    """What a training job returns to the driver, which alone writes ``models/``."""

    checkpoint: bytes  # the inference checkpoint (model.pt)
    final_losses: dict[str, float]
    seconds: float


def train_job(job: TrainJob) -> TrainedModel:
    """Train one reference model with the suite's settings (resuming in ``job.work_dir``),
    on one thread: the bundled models are bitwise reproducible at one thread per job."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        if job.work_dir is not None:
            return _train_in(job, Path(job.work_dir))
        with tempfile.TemporaryDirectory(prefix="gan-bench-train-") as work:
            return _train_in(job, Path(work))
    finally:
        torch.set_num_threads(threads)


def _train_in(job: TrainJob, work: Path) -> TrainedModel:
    result = train(
        job.run.dataset,
        job.run.variant,
        seed=job.seed,
        steps=job.run.steps,
        options=job.run.options,
        out_dir=work,
        resume=True,
        device=job.device,
        progress=job.progress,
        checkpoint_every=max(1000, job.run.steps // 5),
    )
    return TrainedModel(result.model_path.read_bytes(), result.final_losses, result.seconds)


def bundle_trained(job: TrainJob, trained: TrainedModel, commit: str) -> str:
    """Add a trained model to ``models/`` with its manifest entry; returns its key.

    ``commit`` is the code version recorded in the manifest (read once when training starts,
    so later edits to the working tree do not mislabel it).
    """
    run = job.run
    target = model_file(job.suite, run.dataset, run.name, job.seed)
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, storage = bundle_checkpoint(trained.checkpoint, target)
    register(
        job.key,
        {
            "path": str(target.relative_to(models_root().resolve())),
            "sha256": digest,
            "storage": storage,
            "suite": job.suite,
            "dataset": run.dataset,
            "run": run.name,
            "variant": run.variant,
            "options": run.options,
            "seed": job.seed,
            "steps": run.steps,
            "commit": commit,
            "command": f"gan-bench run --suite {job.suite} --train-missing (gan-bench train "
            f"--dataset {run.dataset} --variant {run.variant} --seed {job.seed} --steps {run.steps}"
            + "".join(f" --set {k}={v!r}" for k, v in run.options.items())
            + ")",
            "train_metrics": {
                "final_losses": trained.final_losses,
                "train_seconds": round(trained.seconds, 1),
            },
        },
    )
    return job.key


def train_missing_models(suites: list[Suite], executor: Executor, device: str, progress: bool) -> int:
    """Train every (run, seed) whose checkpoint is not bundled yet; returns how many.

    Each model is bundled by this process as its job returns, in grid order.
    """
    commit = current_commit()
    bundled = read_manifest()["models"]
    todo = []
    for suite in suites:
        for run, seed in suite.grid():
            ident = RunId(suite.name, run.dataset, run.name, seed)
            if ident.model_key not in bundled:
                work_dir = str(runs_root() / ident.file_stem) if executor.shares_files else None
                todo.append(TrainJob(suite.name, run, seed, device, work_dir))
    if not todo:
        return 0
    lines = Progress(len(todo), "training missing reference models", enabled=progress)
    for job, trained in zip(todo, executor.map(train_job, todo, gpu=device.startswith("cuda"))):
        bundle_trained(job, trained, commit)
        lines.finished(job.key)
    lines.close()
    return len(todo)


def result_rows(ident: RunId, run: RunSpec, values) -> pd.DataFrame:
    """The results.csv rows of one evaluated run."""
    return pd.DataFrame(
        [
            {
                "suite": ident.suite,
                "dataset": ident.dataset,
                "run": ident.run,
                "variant": run.variant,
                "options": json.dumps(run.options, sort_keys=True),
                "seed": ident.seed,
                **dataclasses.asdict(v),  # metric, value, n_samples, its interval and chance level
            }
            for v in values
        ],
        columns=COLUMNS,
    )


def report_folder_lock(out: Path):
    """The report folder's lock: one ``gan-bench run``, ``eval`` or ``report`` writes it at a time."""
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"{out}: expected a report folder (new or existing), got an existing file")
    return file_lock(out / ".run.lock", "gan-bench run")


def record_run(
    out: Path,
    results: pd.DataFrame,
    ident: RunId,
    rows: pd.DataFrame,
    evaluated: EvaluatedRun,
    checkpoint: str | None = None,
    settings: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """``results`` with the run's rows replaced by ``rows``, its per-run file saved (naming the
    sha256 of the ``checkpoint`` evaluated and the suite ``settings``, where there are), and
    results.csv rewritten (atomically, as each run arrives); returns the new table."""
    results = replace_run(results, ident, rows)
    notes = dataclasses.replace(evaluated.notes, checkpoint_sha256=checkpoint, evaluated_with=settings)
    save_artifacts(ident.artifact_path(out), evaluated.artifacts, notes, rows)
    write_results(out / RESULTS_FILE, results)
    return results


@dataclass(frozen=True)
class EvalJob:
    """One cell to evaluate, with its checkpoint's bytes (checked where it is loaded)."""

    ident: RunId
    run: RunSpec
    metrics: list[str]
    sizes: SampleSizes
    bundle: Bundle


def evaluate_job(job: EvalJob) -> EvaluatedRun:
    test = load(job.run.dataset, "test")
    payload = job.bundle.payload()  # checked against its manifest entry
    check_unseen(payload, test.info, f"bundled checkpoint {job.bundle.path}")
    evaluated = evaluate_run(
        model_from_payload(payload), test, job.metrics, seed=job.ident.seed, sizes=job.sizes
    )
    return replace(evaluated, notes=replace(evaluated.notes, trained_on=trained_on(payload, test.info)))


def run_suites(
    suite_names: list[str] | None = None,
    out: str | Path = "reports",
    *,
    train_missing: bool = False,
    force: bool = False,
    device: str = "cpu",
    jobs: int = 1,
    executor: str = "local",
    address: str | None = None,
    config_path: str | Path | None = None,
    progress: bool = True,
    write: ReportWriter | None = None,
) -> RunSummary:
    """Evaluate the suites (default: the config's default suites) into ``out/results.csv``,
    then call ``write`` (the report) while the folder is still locked.

    The cells run on ``executor`` (:mod:`gan_bench.bench.executors`): ``local`` with ``jobs``
    processes, or ``ray`` on a local Ray cluster or the one at ``address``. Either way this
    process writes every file. A dataset whose data is not on this machine is skipped
    (``RunSummary.skipped`` says why and how to provide it); the rest of the suites run.
    """
    config = load_config(config_path)
    names = suite_names or config.default_suites
    for name in names:
        if name not in config.suites:
            raise ValueError(f"unknown suite '{name}'; expected one of: {', '.join(config.suites)}")
    suites = [config.suites[n] for n in names]
    out = Path(out)
    summary = RunSummary(skipped=data_availability(suites))
    with make_executor(executor, jobs=jobs, address=address) as cells:
        if train_missing:
            available = [
                replace(
                    s,
                    datasets=[d for d in s.datasets if d not in summary.skipped],
                    runs=[r for r in s.runs if r.dataset not in summary.skipped],
                )
                for s in suites
            ]
            summary.trained = train_missing_models(available, cells, device, progress)
        with report_folder_lock(out):
            results = _evaluate_into(out, suites, summary, force, cells, progress)
            if write is not None:
                write(out, results, suites, summary)
    return summary


def _evaluate_into(
    out: Path, suites: list[Suite], summary: RunSummary, force: bool, cells: Executor, progress: bool
):
    """Evaluate what the report folder lacks (the folder is locked); returns the results table."""
    try:
        results = read_results(out / RESULTS_FILE)
    except ResultsFileError as damage:
        results, summary.recovered = recover_results(out, damage)
    todo = plan_evaluation(out, suites, results, summary, force)
    lines = Progress(len(todo), "evaluated", enabled=progress)
    for job, evaluated in zip(todo, cells.map(evaluate_job, todo)):
        rows = result_rows(job.ident, job.run, evaluated.values)
        results = record_run(
            out,
            results,
            job.ident,
            rows,
            evaluated,
            job.bundle.entry["sha256"],
            evaluation_settings(job.metrics, job.sizes, job.run.dataset),
        )
        summary.evaluated += 1
        lines.finished(job.ident.model_key)
    lines.close()
    return results


def plan_evaluation(
    out: Path, suites: list[Suite], results: pd.DataFrame, summary: RunSummary, force: bool = False
) -> list[EvalJob]:
    """What a run into ``out`` would evaluate: every cell of the suites whose result in
    ``results`` is absent, or was computed from another checkpoint or other suite settings
    (``force``: every cell). Counts the reused, missing, not installed, stale and resettled
    cells in ``summary``; evaluates nothing."""
    done = completed_runs(results)
    bundled = read_manifest()["models"]
    grid = [
        (suite, run, seed)
        for suite in suites
        for run, seed in suite.grid()
        if run.dataset not in summary.skipped
    ]
    todo: list[EvalJob] = []
    for suite, run, seed in grid:
        ident = RunId(suite.name, run.dataset, run.name, seed)
        entry = bundled.get(ident.model_key)
        finished = ident in done and not force and ident.artifact_path(out).is_file()
        # a result counts only for the checkpoint and the suite settings it was computed
        # with: a retrained or replaced checkpoint, or a metric or sample size added to the
        # suite, is evaluated again, not reported under the old numbers
        record = evaluation_record(ident.artifact_path(out)) if finished else RunNotes()
        same_checkpoint = entry is not None and record.checkpoint_sha256 == entry["sha256"]
        metrics = list(run.metrics or suite.metrics)
        same_settings = record.evaluated_with == evaluation_settings(metrics, suite.sizes, run.dataset)
        if finished and (entry is None or (same_checkpoint and same_settings)):
            summary.reused += 1
        elif entry is None:
            summary.missing.append(ident.model_key)
        elif not is_installed(entry):
            summary.not_installed.setdefault(model_wheel(entry), []).append(ident.model_key)
        else:
            summary.stale += finished and not same_checkpoint
            summary.resettled += finished and same_checkpoint
            check_entry_matches(ident.model_key, entry, run.variant, run.options, run.steps)
            bundle = read_bundle(ident.model_key, entry=entry)
            todo.append(EvalJob(ident, run, metrics, suite.sizes, bundle))
    return todo


def evaluation_settings(metrics: list[str], sizes: SampleSizes, dataset: str) -> dict[str, Any]:
    """What a suite's results depend on besides the checkpoint: its metrics, their versions
    (those past 1, so that results from before versions were recorded still match where no
    definition changed), the sample sizes and the data's identity where it can differ
    (``data.data_identity``: a dataset's version past 1, the digits of the MNIST at hand)."""
    settings: dict[str, Any] = {"metrics": sorted(metrics), "sizes": asdict(sizes)}
    versions = {m: REGISTRY[m].version for m in sorted(metrics) if m in REGISTRY and REGISTRY[m].version > 1}
    data = data_identity(dataset)
    return settings | ({"versions": versions} if versions else {}) | ({"data": data} if data else {})

"""``gan-bench eval``: one generator (a user's function or a checkpoint) through a suite's
protocol, into a results file and report that ``gan-bench report`` can merge with ours."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from gan_bench.bench.config import RunSpec, suite_protocol
from gan_bench.bench.context import SampleSizes
from gan_bench.bench.evaluate import EvaluatedRun, evaluate_run
from gan_bench.bench.metric_declarations import check_metric_names
from gan_bench.bench.models import model_from_payload
from gan_bench.bench.results import RunId, read_results
from gan_bench.bench.runner import record_run, report_folder_lock, result_rows
from gan_bench.bench.sample_set import evaluate_sample_set_run
from gan_bench.bench.user_generator import evaluate_generator_run
from gan_bench.commands.report import suites_from_results
from gan_bench.data import load
from gan_bench.data.sample_files import read_array_file, read_image_folder
from gan_bench.defaults import EVAL_SUITE, RESULTS_FILE
from gan_bench.report import write_report
from gan_bench.store.manifest import read_checkpoint_checked
from gan_bench.validation import check_seed


def import_function(spec: str) -> Any:
    """``module:function`` (the module importable from the current directory) -> the function,
    or the object with a ``sample`` method (a multi-modal :class:`Generator`) of that name."""
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise ValueError(f"expected MODULE:FUNCTION, got '{spec}'")
    if "" not in sys.path:
        sys.path.insert(0, "")
    try:
        module = importlib.import_module(module_name)
    except ImportError as err:
        raise ValueError(f"cannot import module '{module_name}' of '{spec}': {err}") from err
    function = getattr(module, attr, None)
    if not callable(function) and not callable(getattr(function, "sample", None)):
        raise ValueError(f"'{spec}': module '{module_name}' has no function or generator object '{attr}'")
    return function


def evaluate_command(
    *,
    generator: str | None = None,
    checkpoint: str | None = None,
    images: str | None = None,
    array: str | None = None,
    allow_fewer: bool = False,
    dataset: str | None = None,
    predict_cluster: str | None = None,
    suite: str | None = None,
    metrics: list[str] | None = None,
    seed: int = 0,
    name: str | None = None,
    out: str | Path = "reports-eval",
    config_path: str | Path | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Evaluate one generator, sample set (``images``: a folder; ``array``: a file) or
    checkpoint and record it in ``out``; returns its result rows (``progress``: a bar over
    the metrics)."""
    check_seed(seed)
    flag = _check_source(generator, checkpoint, images, array, predict_cluster, allow_fewer, metrics)
    if images is not None or array is not None:
        if dataset is None:
            raise ValueError(f"--dataset is required with {flag}")
        if seed != 0:
            raise ValueError(f"--seed {seed}: a fixed sample set ({flag}) has no seed to draw with")
        return _evaluate_sample_set(
            images, array, dataset, allow_fewer, suite, metrics, name, out, config_path, progress
        )
    protocol = _Protocol(suite, metrics, seed, config_path, progress)
    if checkpoint is not None:
        run, evaluate = _checkpoint_run(checkpoint, dataset, name, protocol)
    elif dataset is None:
        raise ValueError("--dataset is required with --generator")
    else:
        run, evaluate = _generator_run(generator, predict_cluster, dataset, name, protocol)
    return record_evaluation(out, RunId(EVAL_SUITE, run.dataset, run.name, seed), run, evaluate)


def _check_source(
    generator: str | None,
    checkpoint: str | None,
    images: str | None,
    array: str | None,
    predict_cluster: str | None,
    allow_fewer: bool,
    metrics: list[str] | None,
) -> str:
    """The one source flag given; an error for none, two, or an option of another source."""
    sources = {"--generator": generator, "--checkpoint": checkpoint, "--images": images, "--array": array}
    given = [flag for flag, value in sources.items() if value is not None]
    if len(given) != 1:
        raise ValueError(f"give exactly one of {', '.join(sources)}, got {', '.join(given) or 'none'}")
    check_metric_names(metrics)
    if generator is None and predict_cluster is not None:
        raise ValueError(f"--predict-cluster is for --generator; {given[0]} is scored without clustering")
    if allow_fewer and images is None and array is None:
        raise ValueError("--allow-fewer is for a fixed sample set (--images, --array)")
    return given[0]


Evaluation = tuple[RunSpec, Callable[[], EvaluatedRun]]


@dataclass(frozen=True)
class _Protocol:
    """How a generator or checkpoint is scored: the suite (its metrics and sample sizes), the
    metrics asked for instead, the seed, the config file, and a progress bar or not."""

    suite: str | None
    metrics: list[str] | None
    seed: int
    config_path: str | Path | None
    progress: bool

    def sizes_and_metrics(self, dataset: str) -> tuple[SampleSizes, list[str]]:
        suite_metrics, sizes = suite_protocol(dataset, self.suite, self.config_path)
        return sizes, self.metrics or suite_metrics


def _checkpoint_run(
    checkpoint: str, dataset: str | None, name: str | None, protocol: _Protocol
) -> Evaluation:
    """A checkpoint (ours or a user's, validated on load) scored on its own dataset or
    another of the same sample shape."""
    payload = read_checkpoint_checked(checkpoint)
    dataset = dataset or payload["dataset"]
    sizes, metrics = protocol.sizes_and_metrics(dataset)
    model = model_from_payload(payload)
    shape = tuple(load(dataset, "test").samples.shape[1:])
    if tuple(payload["data_shape"]) != shape:
        raise ValueError(
            f"--checkpoint {checkpoint}: it generates samples shaped {tuple(payload['data_shape'])} "
            f"(trained on {payload['dataset']}), but --dataset {dataset} holds {shape}; "
            f"evaluate it on {payload['dataset']} or a dataset of that shape"
        )

    def evaluate() -> EvaluatedRun:
        test = load(dataset, "test")
        return evaluate_run(model, test, metrics, seed=protocol.seed, sizes=sizes, progress=protocol.progress)

    run_name = name or f"{payload['variant']} ({Path(checkpoint).stem})"
    return RunSpec(run_name, payload["variant"], dataset, 0, dict(payload["config"])), evaluate


def _generator_run(
    generator: str, predict_cluster: str | None, dataset: str, name: str | None, protocol: _Protocol
) -> Evaluation:
    """A user's ``module:function`` (or multi-modal generator object), with an optional
    ``module:function`` that clusters real data."""
    sizes, metrics = protocol.sizes_and_metrics(dataset)
    sample_fn = import_function(generator)
    cluster_fn = import_function(predict_cluster) if predict_cluster else None

    def evaluate() -> EvaluatedRun:
        seed, progress = protocol.seed, protocol.progress
        return evaluate_generator_run(sample_fn, dataset, metrics, seed, sizes, cluster_fn, progress)

    return RunSpec(name or generator.partition(":")[2], "user", dataset, 0, {}), evaluate


def _evaluate_sample_set(
    images: str | None,
    array: str | None,
    dataset: str,
    allow_fewer: bool,
    suite: str | None,
    metrics: list[str] | None,
    name: str | None,
    out: str | Path,
    config_path: str | Path | None,
    progress: bool,
) -> pd.DataFrame:
    """``eval --images DIR`` / ``--array FILE``: read the set (before the folder's lock: a
    bad file is refused before anything is written), then score and record it."""
    suite_metrics, sizes = suite_protocol(dataset, suite, config_path)
    shape = tuple(load(dataset, "test").samples.shape[1:])
    source = Path(images if images is not None else array)
    samples = read_image_folder(source, shape) if images is not None else read_array_file(source, shape)
    flag = "--images" if images is not None else "--array"
    run_name = name or (source.resolve().name if images is not None else source.stem)

    def evaluate() -> EvaluatedRun:
        return evaluate_sample_set_run(
            samples,
            dataset,
            metrics or suite_metrics,
            sizes,
            allow_fewer=allow_fewer,
            name=f"{flag} {source}",
            progress=progress,
        )

    run = RunSpec(run_name, "samples", dataset, 0, {"source": flag.removeprefix("--")})
    return record_evaluation(out, RunId(EVAL_SUITE, dataset, run_name, 0), run, evaluate)


def record_evaluation(
    out: str | Path, ident: RunId, run: RunSpec, evaluate: Callable[[], EvaluatedRun]
) -> pd.DataFrame:
    """Evaluate one run (``gan-bench eval``: ``evaluate()``) into ``out/results.csv`` with its
    per-run file, and render the report of everything the folder holds; returns the run's rows.

    The folder's lock is taken, and its results file read, before the work: a second eval into
    a busy folder, or a damaged results file, is refused at once rather than after computing."""
    out = Path(out)
    with report_folder_lock(out):
        results = read_results(out / RESULTS_FILE)
        evaluated = evaluate()
        rows = result_rows(ident, run, evaluated.values)
        results = record_run(out, results, ident, rows, evaluated)
        write_report(out, results, suites_from_results(results), users_first=True)
    return rows

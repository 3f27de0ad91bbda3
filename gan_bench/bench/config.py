"""Loading and validating ``benchmarks.toml``: suites of datasets x runs x seeds x metrics.

Every name is checked on load: an unknown dataset, variant, option, metric or key is an
error that lists the valid ones.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from gan_bench.bench.metric_declarations import DECLARED as METRICS
from gan_bench.bench.sizes import SampleSizes
from gan_bench.data.declarations import DECLARED as DATASETS
from gan_bench.data.declarations import unavailable
from gan_bench.defaults import config_path
from gan_bench.gans.declarations import DECLARED as VARIANTS
from gan_bench.gans.declarations import validate_options

SIZE_KEYS = {f.name for f in fields(SampleSizes)}
SUITE_KEYS = {"description", "seeds", "metrics", "datasets", "runs"} | SIZE_KEYS
RUN_KEYS = {"name", "variant", "datasets", "steps", "options", "per_dataset", "seeds", "metrics"}
PER_DATASET_KEYS = {"steps", "options", "seeds"}


class ConfigError(ValueError):
    """benchmarks.toml is invalid."""


@dataclass(frozen=True)
class RunSpec:
    """One named configuration of a variant, trained on one dataset."""

    name: str
    variant: str
    dataset: str
    steps: int
    options: dict[str, Any]
    seeds: tuple[int, ...] | None = None  # None: the suite's seeds
    # None: the suite's metrics; else some of them (a labels-only control has no trained
    # generator, so only its encoder's clustering is scored)
    metrics: tuple[str, ...] | None = None


@dataclass
class Suite:
    name: str
    description: str
    seeds: list[int]
    metrics: list[str]
    datasets: list[str]
    sizes: SampleSizes
    runs: list[RunSpec] = field(default_factory=list)

    def grid(self) -> list[tuple[RunSpec, int]]:
        """Every (run, seed) of the suite, dataset by dataset; a run's own seeds replace the suite's."""
        return [
            (run, seed)
            for dataset in self.datasets
            for run in self.runs
            if run.dataset == dataset
            for seed in (self.seeds if run.seeds is None else run.seeds)
        ]


@dataclass
class BenchmarkConfig:
    default_suites: list[str]
    suites: dict[str, Suite]


def _check_keys(table: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key(s) {', '.join(unknown)}; valid keys: {', '.join(sorted(allowed))}"
        )


_KIND_NAMES = {int: "integer", str: "string", dict: "table"}


def _check_list(value: Any, kind: type, key: str, where: str) -> list:
    """``value`` must be a non-empty list of ``kind`` (booleans are not integers)."""
    ok = (
        isinstance(value, list)
        and len(value) > 0
        and all(isinstance(v, kind) and not isinstance(v, bool) for v in value)
    )
    if not ok:
        raise ConfigError(f"{where}: {key} must be a non-empty list of {_KIND_NAMES[kind]}s, got {value!r}")
    return value


def _check_type(value: Any, kind: type, key: str, where: str) -> Any:
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ConfigError(f"{where}: {key} must be a {_KIND_NAMES[kind]}, got {value!r}")
    return value


def _check_steps(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(f"{where}: steps must be a positive integer, got {value!r}")
    return value


def _check_name(value: str, valid, what: str, where: str) -> None:
    if value not in valid:
        raise ConfigError(f"{where}: unknown {what} '{value}'; expected one of: {', '.join(valid)}")


def _check_options(variant: str, options: dict, where: str) -> None:
    try:
        validate_options(variant, options)
    except ValueError as err:
        raise ConfigError(f"{where}: {err}") from err


def _check_metric_applies(metric: str, datasets: list[str], where: str) -> None:
    """A metric for one kind of data (FID: images) in a suite with none of that kind would run
    without a word and write nothing."""
    needs = METRICS[metric].data
    if needs is not None and not any(DATASETS[d].kind == needs for d in datasets):
        kinds = ", ".join(f"{d} ({DATASETS[d].kind})" for d in datasets)
        raise ConfigError(
            f"{where}: metric '{metric}' applies only to datasets of kind '{needs}', "
            f"and the suite has none: {kinds}"
        )


def _parse_run(run: dict, run_where: str, suite: Suite, seen: set[tuple[str, str]]) -> list[RunSpec]:
    """One ``[[suites.NAME.runs]]`` table: a run spec per dataset it names (``seen`` holds the
    (run, dataset) pairs of the suite so far, to refuse a name given twice)."""
    _check_keys(run, RUN_KEYS, run_where)
    for key in ("name", "variant", "datasets", "steps"):
        if key not in run:
            raise ConfigError(f"{run_where}: missing key '{key}'")
    _check_type(run["name"], str, "name", run_where)
    _check_type(run["variant"], str, "variant", run_where)
    _check_list(run["datasets"], str, "datasets", run_where)
    _check_steps(run["steps"], run_where)
    _check_type(run.get("options", {}), dict, "options", run_where)
    _check_type(run.get("per_dataset", {}), dict, "per_dataset", run_where)
    _check_name(run["variant"], VARIANTS, "variant", run_where)
    _check_options(run["variant"], run.get("options", {}), run_where)
    metrics = run.get("metrics")
    if metrics is not None:
        for metric in _check_list(metrics, str, "metrics", run_where):
            _check_name(metric, suite.metrics, "metric (not in the suite's metrics)", run_where)
        metrics = tuple(metrics)
    per_dataset = run.get("per_dataset", {})
    specs = []
    for dataset, override in per_dataset.items():
        _check_name(dataset, run["datasets"], "dataset in per_dataset", run_where)
        _check_type(override, dict, f"per_dataset.{dataset}", run_where)
        _check_keys(override, PER_DATASET_KEYS, f"{run_where}, per_dataset.{dataset}")
        _check_type(override.get("options", {}), dict, "options", f"{run_where}, per_dataset.{dataset}")
        if "steps" in override:
            _check_steps(override["steps"], f"{run_where}, per_dataset.{dataset}")
        _check_options(run["variant"], override.get("options", {}), f"{run_where}, per_dataset.{dataset}")
    for dataset in run["datasets"]:
        _check_name(dataset, suite.datasets, "dataset (not in the suite's datasets)", run_where)
        if (run["name"], dataset) in seen:
            raise ConfigError(f"{run_where}: run name '{run['name']}' appears twice for dataset {dataset}")
        seen.add((run["name"], dataset))
        override = per_dataset.get(dataset, {})
        options = {**run.get("options", {}), **override.get("options", {})}
        steps = override.get("steps", run["steps"])
        seeds = override.get("seeds", run.get("seeds"))
        if seeds is not None:
            seeds = tuple(_check_list(seeds, int, "seeds", run_where))
        specs.append(RunSpec(run["name"], run["variant"], dataset, steps, options, seeds, metrics))
    return specs


def _parse_suite(name: str, table: dict) -> Suite:
    where = f"suite '{name}'"
    _check_keys(table, SUITE_KEYS, where)
    for key in ("seeds", "datasets", "metrics", "runs"):
        if key not in table:
            raise ConfigError(f"{where}: missing key '{key}'")
    _check_list(table["seeds"], int, "seeds", where)
    _check_list(table["datasets"], str, "datasets", where)
    _check_list(table["metrics"], str, "metrics", where)
    _check_list(table["runs"], dict, "runs ([[suites.NAME.runs]] tables)", where)
    _check_type(table.get("description", ""), str, "description", where)
    for dataset in table["datasets"]:
        _check_name(dataset, DATASETS, "dataset", where)
    for metric in table["metrics"]:
        _check_name(metric, METRICS, "metric", where)
        _check_metric_applies(metric, table["datasets"], where)
    sizes = {key: table[key] for key in SIZE_KEYS if key in table}
    for key, value in sizes.items():
        off = key == "bootstrap" and value == 0  # no within-seed intervals
        if not isinstance(value, int) or isinstance(value, bool) or (value < 2 and not off):
            expected = "0 (none) or an integer >= 2" if key == "bootstrap" else "an integer >= 2"
            raise ConfigError(f"{where}: {key} must be {expected}, got {value!r}")
    suite = Suite(
        name=name,
        description=table.get("description", ""),
        seeds=list(table["seeds"]),
        metrics=list(table["metrics"]),
        datasets=list(table["datasets"]),
        sizes=SampleSizes(**sizes),
    )
    seen: set[tuple[str, str]] = set()
    for i, run in enumerate(table["runs"]):
        suite.runs += _parse_run(run, f"{where}, run {run.get('name', i)}", suite, seen)
    return suite


def parse_config(raw: dict) -> BenchmarkConfig:
    """Validate a parsed TOML document."""
    _check_keys(raw, {"default_suites", "suites"}, "benchmarks.toml")
    _check_type(raw.get("suites", {}), dict, "suites", "benchmarks.toml")
    if not raw.get("suites"):
        raise ConfigError("benchmarks.toml: no suites; add a [suites.NAME] table")
    if "default_suites" in raw:
        _check_list(raw["default_suites"], str, "default_suites", "benchmarks.toml")
    for name, table in raw["suites"].items():
        _check_type(table, dict, f"suites.{name}", "benchmarks.toml")
    suites = {name: _parse_suite(name, table) for name, table in raw.get("suites", {}).items()}
    defaults = list(raw.get("default_suites", list(suites)))
    for name in defaults:
        _check_name(name, suites, "suite in default_suites", "benchmarks.toml")
    return BenchmarkConfig(defaults, suites)


def load_config(path: str | Path | None = None) -> BenchmarkConfig:
    """Read and validate benchmarks.toml (the project's own by default)."""
    path = Path(path) if path is not None else config_path()
    if not path.is_file():
        raise FileNotFoundError(f"benchmark config {path} not found")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as err:
        line = err.object[: err.start].count(b"\n") + 1
        raise ConfigError(
            f"{path}: expected UTF-8 text (TOML is UTF-8), got byte 0x{err.object[err.start]:02x} on "
            f"line {line} (offset {err.start}); save the file as UTF-8"
        ) from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from err
    return parse_config(raw)


def suite_protocol(
    dataset: str, suite: str | None = None, config_path: str | Path | None = None
) -> tuple[list[str], SampleSizes]:
    """The metrics and sample sizes of ``suite`` (or of the first suite holding ``dataset``),
    so the numbers compare with the leaderboard's; every metric with default sizes if none."""
    config = load_config(config_path)
    if suite is not None:
        if suite not in config.suites:
            raise ValueError(f"unknown suite '{suite}'; expected one of: {', '.join(config.suites)}")
        chosen = config.suites[suite]
        if dataset not in chosen.datasets:
            raise ValueError(
                f"suite '{suite}' has no dataset '{dataset}'; its datasets: {', '.join(chosen.datasets)}"
            )
        return chosen.metrics, chosen.sizes
    for candidate in config.suites.values():
        if dataset in candidate.datasets:
            return candidate.metrics, candidate.sizes
    return list(METRICS), SampleSizes()


def data_availability(suites: list[Suite]) -> dict[str, str]:
    """Datasets of the suites whose data is not on this machine, with the loader's reason,
    from the files present (nothing is loaded: :func:`gan_bench.data.unavailable`)."""
    why = {d: unavailable(d) for d in dict.fromkeys(d for suite in suites for d in suite.datasets)}
    return {dataset: reason.splitlines()[0] for dataset, reason in why.items() if reason is not None}

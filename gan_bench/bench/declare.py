"""A metric is one declaration: ``@declare(name, description, rows, applies=...)`` above
its compute function, in the module of its family (:mod:`gan_bench.bench.metrics_points`,
``metrics_clustering``, ``metrics_images``). The name, the result rows it writes (each with
"higher is better" and a display format), when it applies and how it is computed sit
together; :mod:`gan_bench.bench.registry` collects them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gan_bench.bench.context import EvalContext, MetricValue

Compute = Callable[[EvalContext], list[MetricValue]]


@dataclass(frozen=True)
class ResultRow:
    """One row a metric writes to results.csv."""

    name: str
    higher_is_better: bool | None  # None: no better direction (reported, never marked best)
    fmt: str  # "count", "percent" or "float"
    label: str


@dataclass(frozen=True)
class MetricSpec:
    name: str
    description: str
    rows: tuple[ResultRow, ...]
    applies: Callable[[EvalContext], bool]
    compute: Callable[[EvalContext], list[MetricValue]]
    # the kind of dataset ("points" or "images") the metric can apply to at all, None for
    # both: what a suite is checked against when benchmarks.toml is loaded (``applies`` is
    # the exact rule, with the model, at evaluation)
    data: str | None = None
    # the definition's version: raised when what a metric writes changes (its rows, how it
    # draws or scores), so that results written by an older definition are evaluated again
    version: int = 1
    # what of the real data the metric reads, computed (and cached) before any generator is
    # scored: given a context of the dataset and sizes whose model is not read. The in-loop
    # Evaluator calls it once; a run computes the same on the metric's first use.
    real_side: Callable[[EvalContext], object] | None = None


# every declared metric by name, in the order declared
DECLARED: dict[str, MetricSpec] = {}


def rows(*specs: tuple[str, bool | None, str, str]) -> tuple[ResultRow, ...]:
    """Result rows from (name, higher is better, format, label) tuples."""
    return tuple(ResultRow(*spec) for spec in specs)


def declare(
    name: str,
    description: str,
    result_rows: tuple[ResultRow, ...],
    *,
    applies: Callable[[EvalContext], bool],
    data: str | None = None,
    version: int = 1,
    real_side: Callable[[EvalContext], object] | None = None,
) -> Callable[[Compute], Compute]:
    """Register the decorated compute function as the metric ``name``; a second metric of
    one name, or a row name another metric writes, is an error at import."""

    def register(compute: Compute) -> Compute:
        if name in DECLARED:
            raise ValueError(f"metric '{name}' is declared twice")
        taken = {row.name for spec in DECLARED.values() for row in spec.rows}
        clash = sorted(taken & {row.name for row in result_rows})
        if clash:
            raise ValueError(f"metric '{name}': result rows {', '.join(clash)} are another metric's")
        DECLARED[name] = MetricSpec(
            name, description, result_rows, applies, compute, data, version, real_side
        )
        return compute

    return register

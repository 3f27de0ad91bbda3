"""A metric's compute function is registered with ``@declare(name, applies=...)`` above it,
in the module of its family (:mod:`gan_bench.bench.metrics_points`, ``metrics_clustering``,
``metrics_images``): when it applies, what of the real data it reads first, and how it is
computed sit together. What it is (description, result rows, data kind, version) is its
entry in :mod:`gan_bench.bench.metric_declarations`, read without torch;
:mod:`gan_bench.bench.registry` joins the two.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gan_bench.bench.metric_declarations import DECLARED as DECLARATIONS
from gan_bench.bench.metric_declarations import ResultRow

if TYPE_CHECKING:
    from gan_bench.bench.context import EvalContext, MetricValue

Compute = Callable[["EvalContext"], "list[MetricValue]"]


@dataclass(frozen=True)
class MetricSpec:
    name: str
    description: str
    rows: tuple[ResultRow, ...]
    applies: Callable[[EvalContext], bool]
    compute: Callable[[EvalContext], list[MetricValue]]
    data: str | None = None  # the declaration's data kind
    version: int = 1  # the declaration's version
    # what of the real data the metric reads, computed (and cached) before any generator is
    # scored: given a context of the dataset and sizes whose model is not read. The in-loop
    # Evaluator calls it once; a run computes the same on the metric's first use.
    real_side: Callable[[EvalContext], object] | None = None


# every metric whose compute function is registered, by name, in the order registered
DECLARED: dict[str, MetricSpec] = {}


def declare(
    name: str,
    *,
    applies: Callable[[EvalContext], bool],
    real_side: Callable[[EvalContext], object] | None = None,
) -> Callable[[Compute], Compute]:
    """Register the decorated compute function as the declared metric ``name``; a name with
    no declaration, or a second compute function for one name, is an error at import."""

    def register(compute: Compute) -> Compute:
        if name not in DECLARATIONS:
            raise ValueError(f"metric '{name}' has no declaration in bench.metric_declarations")
        if name in DECLARED:
            raise ValueError(f"metric '{name}' is declared twice")
        spec = DECLARATIONS[name]
        DECLARED[name] = MetricSpec(
            name, spec.description, spec.rows, applies, compute, spec.data, spec.version, real_side
        )
        return compute

    return register

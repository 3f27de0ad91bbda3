"""The metric registry of the suites: every metric ``gan-bench run`` can compute, its
declaration (:mod:`gan_bench.bench.metric_declarations`) joined with its family's compute
function (:mod:`gan_bench.bench.declare`), in the declarations' order: points, clustering,
images. The config's valid metric names, the evaluator and the leaderboard's
best-marking all read this one table.

Sample sizes come from the suite (``benchmarks.toml``) and are written beside every number.
"""

from __future__ import annotations

from gan_bench.bench import metrics_clustering, metrics_images, metrics_points
from gan_bench.bench.context import EvalContext, MetricSkipped, MetricValue
from gan_bench.bench.declare import DECLARED, MetricSpec
from gan_bench.bench.metric_declarations import DECLARED as DECLARATIONS
from gan_bench.bench.metric_declarations import ResultRow
from gan_bench.progress import progress_bar

FAMILIES = (metrics_points, metrics_clustering, metrics_images)  # importing them registers the computes

REGISTRY: dict[str, MetricSpec] = {name: DECLARED[name] for name in DECLARATIONS if name in DECLARED}
if len(REGISTRY) != len(DECLARATIONS):  # pragma: no cover - a programming error, caught at import
    raise RuntimeError(
        f"metrics declared without a compute function: {sorted(set(DECLARATIONS) - set(DECLARED))}"
    )
ROWS: dict[str, ResultRow] = {row.name: row for spec in REGISTRY.values() for row in spec.rows}
ROW_ORDER: list[str] = list(ROWS)


class UndeclaredRowError(RuntimeError):
    """A metric wrote a result row its declaration does not list."""


def applicable_metrics(ctx: EvalContext, names: list[str]) -> list[str]:
    """The metrics of ``names`` that apply to this model on this dataset, in registry order."""
    return [name for name, spec in REGISTRY.items() if name in names and spec.applies(ctx)]


def evaluate_metrics(ctx: EvalContext, names: list[str], *, progress: bool = False) -> list[MetricValue]:
    """Every metric of ``names`` that applies to the context, in registry order; a metric
    that applies but cannot be computed here is noted in ``ctx.notes.skipped``.
    ``progress``: a bar over the metrics, naming the one being computed."""
    values: list[MetricValue] = []
    bar = progress_bar(applicable_metrics(ctx, names), enabled=progress, desc="metrics", unit="metric")
    for name in bar:
        bar.set_postfix_str(name)
        spec = REGISTRY[name]
        try:
            computed = spec.compute(ctx)
        except MetricSkipped as why:
            ctx.notes.skipped[name] = str(why)
            continue
        undeclared = sorted({v.metric for v in computed} - {row.name for row in spec.rows})
        if undeclared:
            raise UndeclaredRowError(
                f"metric '{name}' wrote rows {', '.join(undeclared)} that its declaration does not list "
                f"(declared: {', '.join(row.name for row in spec.rows)})"
            )
        values += computed
    return values

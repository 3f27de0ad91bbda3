"""The metric registry of the suites: every metric ``gan-bench run`` can compute, collected
from the families' declarations (:mod:`gan_bench.bench.declare`) in a fixed order: points,
clustering, images. The config's valid metric names, the evaluator and the leaderboard's
best-marking all read this one table.

Sample sizes come from the suite (``benchmarks.toml``) and are written beside every number.
"""

from __future__ import annotations

from gan_bench.bench import metrics_clustering, metrics_images, metrics_points
from gan_bench.bench.context import EvalContext, MetricSkipped, MetricValue
from gan_bench.bench.declare import DECLARED, MetricSpec, ResultRow
from gan_bench.progress import progress_bar

FAMILIES = (metrics_points, metrics_clustering, metrics_images)  # the registry's (and tables') order

REGISTRY: dict[str, MetricSpec] = {
    name: spec
    for family in FAMILIES
    for name, spec in DECLARED.items()
    if spec.compute.__module__ == family.__name__
}
ROWS: dict[str, ResultRow] = {row.name: row for spec in REGISTRY.values() for row in spec.rows}
ROW_ORDER: list[str] = list(ROWS)


class UndeclaredRowError(RuntimeError):
    """A metric wrote a result row its declaration does not list."""


def check_metric_names(names: list[str] | None) -> None:
    """An error naming the valid metrics if ``names`` holds one the registry lacks."""
    if any(not name.strip() for name in names or []):
        raise ValueError(
            f"metrics: an empty metric name in {names!r} (a stray comma?); "
            f"expected some of: {', '.join(REGISTRY)}"
        )
    unknown = sorted(set(names or []) - set(REGISTRY))
    if unknown:
        raise ValueError(f"unknown metric(s) {', '.join(unknown)}; expected some of: {', '.join(REGISTRY)}")


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

"""A metric is one declaration (issue 24; torch-free since issue 28: what it is, in
bench.metric_declarations) and one compute function with its applicability, and the registry
refuses what the declaration does not say."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from gan_bench.bench import metric_declarations, registry
from gan_bench.bench.context import MetricValue, SampleSizes
from gan_bench.bench.declare import DECLARED, MetricSpec, declare
from gan_bench.bench.metric_declarations import MetricDeclaration, rows
from gan_bench.bench.registry import REGISTRY, UndeclaredRowError, evaluate_metrics


def test_every_declared_metric_is_in_the_registry_and_rows_are_unique():
    assert set(REGISTRY) == set(DECLARED)
    assert list(REGISTRY) == list(metric_declarations.DECLARED)  # every declaration computed, in order
    names = [row.name for spec in REGISTRY.values() for row in spec.rows]
    assert len(names) == len(set(names))
    assert list(REGISTRY)[:3] == ["modes", "emd", "clustering"]  # points, then clustering, then images


def test_a_metric_writing_a_row_it_did_not_declare_fails(monkeypatch):
    from gan_bench.bench.context import EvalContext
    from gan_bench.data import load
    from gan_bench.gans.base import DataSpec
    from gan_bench.gans.registry import create

    spec = REGISTRY["emd"]
    sneaky = MetricSpec(
        "emd",
        spec.description,
        spec.rows,
        spec.applies,
        lambda ctx: [MetricValue("emd_extra", 1.0, 1)],
        spec.data,
    )
    monkeypatch.setitem(registry.REGISTRY, "emd", sneaky)
    ctx = EvalContext(
        model=create("vanilla", {}, DataSpec((2,), None)).eval(),
        seed=0,
        sizes=SampleSizes(samples=50, emd_samples=50),
        test=load("grid25", "test"),
    )
    with pytest.raises(UndeclaredRowError, match="metric 'emd' wrote rows emd_extra that its declaration"):
        evaluate_metrics(ctx, ["emd"])


def test_a_second_metric_of_one_name_or_row_is_refused_at_declaration(monkeypatch):
    with pytest.raises(ValueError, match="metric 'emd' is declared twice"):
        declare("emd", applies=lambda ctx: True)(lambda ctx: [])
    with pytest.raises(ValueError, match="metric 'acc_again' has no declaration"):
        declare("acc_again", applies=lambda ctx: True)(lambda ctx: [])
    assert "acc_again" not in DECLARED
    clash = MetricDeclaration("clash", rows(("acc", True, "float", "acc")))
    monkeypatch.setitem(metric_declarations.DECLARED, "acc_again", clash)
    with pytest.raises(ValueError, match="metric 'acc_again': result row acc is metric 'clustering'"):
        metric_declarations._check_rows()


def test_fcd_inf_is_the_extrapolated_fcd_and_keeps_its_sample_sizes():
    from gan_bench.bench.context import EvalContext
    from gan_bench.bench.models import load_reference
    from gan_bench.data import load

    ctx = EvalContext(
        model=load_reference("mnist/mnist5k/vanilla/seed0"),
        seed=0,
        sizes=SampleSizes(samples=500),
        test=load("mnist5k", "test"),
    )
    values = {v.metric: v for v in evaluate_metrics(ctx, ["fcd", "fcd_inf"])}
    assert values["fcd_inf"].n_samples == values["fcd"].n_samples == 500
    assert ctx.notes.fcd_inf["ns"] == [100, 200, 300, 400, 500]
    assert ctx.notes.fcd_inf["fcd"][-1] == pytest.approx(values["fcd"].value, rel=1e-6)
    assert values["fcd_inf"].value < values["fcd"].value  # the plug-in FCD is biased upward


class _ModesOfOneClass:
    """A generator whose every latent mode draws the same class (real digits of one class),
    with a prior skewed onto one mode: what inflated mode_acc before (issue 26)."""

    name, n_modes, clusters = "one-class", 10, True

    def __init__(self, images):
        self.images = images

    def sample(self, n, *, mode=None, seed=None, scale=1.0):
        modes = torch.full((n,), 0 if mode is None else mode)  # the prior: every draw from mode 0
        return self.images[torch.arange(n) % len(self.images)], modes

    def mode_prior(self):
        return None


def test_mode_alignment_of_modes_that_all_make_one_class_is_chance():

    from gan_bench.bench.context import EvalContext
    from gan_bench.data import load

    test = load("mnist5k", "test")
    threes = test.samples[test.labels == 3]
    ctx = EvalContext(model=_ModesOfOneClass(threes), seed=0, sizes=SampleSizes(samples=1000), test=test)
    (value,) = REGISTRY["mode_alignment"].compute(ctx)
    assert value.n_samples == 1000
    assert value.value <= 0.1 + 0.1 * (1 - 0.1)  # at most 1/classes of the way above chance (0.1)


def test_within_seed_intervals_leave_the_values_alone_and_name_their_method():
    """B = 200 (the default) adds each cheap metric's bootstrap interval; the values are those
    of B = 0, and a metric too costly to resample (EMD) has none (issue 25)."""
    import dataclasses

    from gan_bench.bench.config import load_config
    from gan_bench.bench.evaluate import evaluate_run
    from gan_bench.bench.models import load_reference
    from gan_bench.data import load

    suite = load_config().suites["toy"]
    model, test = load_reference("toy/grid25/mmgan-rsgan/seed0"), load("grid25", "test")
    runs = {
        b: {
            v.metric: v
            for v in evaluate_run(
                model, test, suite.metrics, seed=0, sizes=dataclasses.replace(suite.sizes, bootstrap=b)
            ).values
        }
        for b in (0, 200)
    }
    assert {m: v.value for m, v in runs[0].items()} == {m: v.value for m, v in runs[200].items()}
    assert all(v.ci_method == "" and np.isnan(v.ci_low) for v in runs[0].values())
    for metric in ("modes", "hq_fraction", "acc", "nmi", "ari", "purity"):
        v = runs[200][metric]
        # a mode count's interval is the standard one, centred on it (the percentile one is shifted)
        method = "bootstrap B=200" + (", standard" if metric in ("modes", "hq_fraction") else "")
        assert v.ci_method == method and v.ci_low <= v.value <= v.ci_high, v
    assert runs[200]["hq_fraction"].ci_high - runs[200]["hq_fraction"].ci_low > 0
    assert runs[200]["emd"].ci_method == "" and np.isnan(runs[200]["emd"].ci_low)

"""Scoring inside a training loop: an :class:`Evaluator` pays for the real data once.

``Evaluator(dataset, metrics, n=...)`` computes, when it is made, the real side of every
metric it was given (each metric's declared ``real_side``: the real split's classifier
outputs, from the disk cache of :func:`~gan_bench.bench.context.real_outputs_of` where
present; PRDC's real k-NN radii; GM-GAN's quality calibration; the Stacked MNIST reference).
Each call then scores a batch of generated samples, or a generator, through the same metric
registry, protocol and sample sizes as ``gan-bench run`` and ``gan_bench.evaluate_generator``,
and pays only for the generated side. Use::

    from gan_bench import Evaluator
    evaluator = Evaluator("fashion-mnist", ["fcd", "kid", "prdc"], n=10_000)
    for step in range(steps):
        train_step()
        if step % 1000 == 0:
            print(step, evaluator(sample))  # sample(n, seed): n images in [0, 1]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import torch

from gan_bench.bench.config import suite_protocol
from gan_bench.bench.context import EvalContext, MetricSkipped
from gan_bench.bench.metric_declarations import check_metric_names
from gan_bench.bench.registry import REGISTRY
from gan_bench.bench.sample_set import evaluate_sample_set_run
from gan_bench.bench.user_generator import Generator, SampleFn, evaluate_generator_run, value_frame
from gan_bench.data import load
from gan_bench.validation import check_count

IN_LOOP_METRICS = ("fcd", "kid", "prdc")  # the default: cheap, and what a training curve plots


class Evaluator:
    """One dataset's real side, computed once; each call scores generated samples against it.

    ``metrics``: registry names (default :data:`IN_LOOP_METRICS`); ``n``: generated samples a
    call scores (default the suite's ``samples``); ``suite``: whose protocol and sample sizes
    (default the first suite holding ``dataset``, as ``gan-bench eval`` does); ``bootstrap``:
    the within-seed interval's resamples (default the suite's; 0: none, the fastest).
    """

    def __init__(
        self,
        dataset: str,
        metrics: Sequence[str] = IN_LOOP_METRICS,
        *,
        n: int | None = None,
        suite: str | None = None,
        bootstrap: int | None = None,
    ) -> None:
        if isinstance(metrics, str):
            raise TypeError(f"metrics: expected a list of metric names, got the string {metrics!r}")
        self.metrics = list(metrics)
        check_metric_names(self.metrics)
        if not self.metrics:
            raise ValueError(f"metrics: expected at least one of: {', '.join(REGISTRY)}; got none")
        _, sizes = suite_protocol(dataset, suite)
        if n is not None:
            check_count(n, "n")
            sizes = dataclasses.replace(sizes, samples=n, kid_subset=min(sizes.kid_subset, n))
        if bootstrap is not None:
            check_count(bootstrap, "bootstrap", minimum=0)
            sizes = dataclasses.replace(sizes, bootstrap=bootstrap)
        self.dataset, self.sizes = dataset, sizes
        self.test = load(dataset, "test")
        # the real side reads the dataset and sizes, never the model
        real = EvalContext(model=None, seed=0, sizes=sizes, test=self.test)  # type: ignore[arg-type]
        kind = "images" if real.is_image else "points"
        other = [m for m in self.metrics if REGISTRY[m].data not in (None, kind)]
        if other:
            raise ValueError(
                f"metrics: {', '.join(other)} do not score {kind}, which {dataset} holds; expected "
                f"some of: {', '.join(m for m, spec in REGISTRY.items() if spec.data in (None, kind))}"
            )
        for name in self.metrics:
            if REGISTRY[name].real_side is not None:
                try:
                    REGISTRY[name].real_side(real)
                except MetricSkipped:
                    pass  # it cannot be computed here: each call says why, as a run would

    def __repr__(self) -> str:
        return f"Evaluator({self.dataset!r}, {self.metrics!r}, n={self.sizes.samples})"

    def run(
        self,
        generated: torch.Tensor | np.ndarray | SampleFn | Generator,
        *,
        seed: int = 0,
        predict_cluster: Callable[[torch.Tensor], Any] | None = None,
    ):
        """The :class:`~gan_bench.bench.evaluate.EvaluatedRun` of one call (values, the
        artifacts the report draws and the notes)."""
        if isinstance(generated, (torch.Tensor, np.ndarray)):
            if seed != 0 or predict_cluster is not None:
                raise ValueError(
                    "a fixed batch of samples has no seed and no encoder: expected seed=0 and no "
                    f"predict_cluster, got seed={seed}, predict_cluster={predict_cluster!r}"
                )
            return evaluate_sample_set_run(generated, self.dataset, self.metrics, self.sizes)
        return evaluate_generator_run(
            generated, self.dataset, self.metrics, seed, self.sizes, predict_cluster
        )

    def __call__(
        self,
        generated: torch.Tensor | np.ndarray | SampleFn | Generator,
        *,
        seed: int = 0,
        predict_cluster: Callable[[torch.Tensor], Any] | None = None,
    ) -> pd.DataFrame:
        """Score ``generated``: a batch of at least ``n`` samples (a tensor or array, as
        ``gan_bench.evaluate_samples`` takes them), or a generator (a ``sample(n, seed)``
        function or a :class:`~gan_bench.bench.user_generator.Generator`, as
        ``gan_bench.evaluate_generator`` takes it). One row per metric value, with its
        sample size and, where the metric has one, its within-seed interval."""
        return value_frame(self.run(generated, seed=seed, predict_cluster=predict_cluster))

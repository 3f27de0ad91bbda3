"""Evaluate your own generator through the suites' protocols.

``evaluate_generator(sample_fn, dataset)`` puts any generator through the same metric
registry, sample sizes and test data as ``gan-bench run``. ``sample_fn(n, seed)`` returns
``n`` samples: images in [0, 1] shaped like the dataset's (N, C, 28, 28), or points (N, 2),
as a numpy array or torch tensor; the same seed must give the same samples. An optional
``predict_cluster(x)`` (real samples -> cluster index per sample) makes the clustering
metrics apply.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import torch

from gan_bench.data import load
from gan_bench.evaluate import EvaluatedRun, evaluate_run
from gan_bench.suite_metrics import REGISTRY, MetricSkipped, SampleSizes, check_metric_names
from gan_bench.validation import as_float_array, as_images, as_labels, check_seed

SampleFn = Callable[[int, int], Any]
DETERMINISM_CHECK = 16  # samples drawn twice with one seed before the evaluation


class GeneratorOutputError(ValueError):
    """The generator returned something the protocols cannot score."""


class UserGenerator:
    """A user's ``sample_fn`` (and ``predict_cluster``) in the shape the metric registry reads."""

    name = "user"
    n_modes = None

    def __init__(
        self,
        sample_fn: SampleFn,
        sample_shape: tuple[int, ...],
        predict_cluster: Callable[[torch.Tensor], Any] | None = None,
    ) -> None:
        self.sample_fn, self.sample_shape, self._predict = sample_fn, tuple(sample_shape), predict_cluster
        self.clusters = predict_cluster is not None

    def sample(
        self, n: int, *, mode: int | None = None, scale: float = 1.0, seed: int | None = None, **_: Any
    ) -> tuple[torch.Tensor, None]:
        if mode is not None:
            raise MetricSkipped("the generator has no latent modes")
        if scale != 1.0:
            raise MetricSkipped("the generator takes no latent scale")
        return check_samples(self.sample_fn(n, 0 if seed is None else seed), n, self.sample_shape), None

    def predict_cluster(self, x: torch.Tensor) -> torch.Tensor:
        if self._predict is None:
            raise TypeError("no predict_cluster was given for this generator")
        try:
            labels = as_labels(self._predict(x), "predict_cluster output")
        except (TypeError, ValueError) as err:
            raise GeneratorOutputError(str(err)) from err
        if len(labels) != len(x) or (labels < 0).any():
            raise GeneratorOutputError(
                f"predict_cluster output: expected {len(x)} non-negative cluster indices, "
                f"got {len(labels)} with minimum {labels.min() if len(labels) else 'none'}"
            )
        return torch.from_numpy(labels)

    def mode_prior(self) -> None:
        return None


def check_samples(samples: Any, n: int, shape: tuple[int, ...]) -> torch.Tensor:
    """The generator's output as float32, or an error naming what was expected and what arrived."""
    expected = f"({n}, {', '.join(map(str, shape))})"
    raw = getattr(samples, "shape", None)
    if raw is not None and len(raw) != 1 + len(shape):  # (n, 28, 28) for (n, 1, 28, 28): not guessed
        raise GeneratorOutputError(f"generator output: expected shape {expected}, got {tuple(raw)}")
    try:
        if len(shape) == 3:
            x = as_images(samples, "generator output")
        else:
            x = torch.from_numpy(as_float_array(samples, "generator output", ndim=2)).float()
    except (TypeError, ValueError) as err:
        raise GeneratorOutputError(f"{err} (expected shape {expected})") from err
    if tuple(x.shape) != (n, *shape):
        raise GeneratorOutputError(f"generator output: expected shape {expected}, got {tuple(x.shape)}")
    return x.float()


def evaluate_generator(
    sample_fn: SampleFn,
    dataset: str,
    *,
    metrics: list[str] | None = None,
    seed: int = 0,
    sizes: SampleSizes | None = None,
    predict_cluster: Callable[[torch.Tensor], Any] | None = None,
) -> pd.DataFrame:
    """Score a generator on ``dataset``'s test split: one row per metric value, with the
    number of samples it used (the rows ``gan-bench run`` writes).

    ``metrics`` defaults to every registry metric that applies; sizes default to
    :class:`SampleSizes` (the suites' settings can be passed instead).
    """
    return pd.DataFrame(
        [
            {"metric": v.metric, "value": v.value, "n_samples": v.n_samples}
            for v in evaluate_generator_run(sample_fn, dataset, metrics, seed, sizes, predict_cluster).values
        ],
        columns=["metric", "value", "n_samples"],
    )


def evaluate_generator_run(
    sample_fn: SampleFn,
    dataset: str,
    metrics: list[str] | None = None,
    seed: int = 0,
    sizes: SampleSizes | None = None,
    predict_cluster: Callable[[torch.Tensor], Any] | None = None,
) -> EvaluatedRun:
    """:func:`evaluate_generator` with the per-run artifacts and notes the report draws."""
    check_metric_names(metrics)
    check_seed(seed)
    test = load(dataset, "test")
    model = UserGenerator(sample_fn, tuple(test.samples.shape[1:]), predict_cluster)
    first, _ = model.sample(DETERMINISM_CHECK, seed=seed)
    second, _ = model.sample(DETERMINISM_CHECK, seed=seed)
    if not torch.equal(first, second):
        raise GeneratorOutputError(
            f"generator output: expected the same samples for the same seed ({seed}), "
            "got different ones on a second call; seed every random draw from the seed argument"
        )
    return evaluate_run(model, test, metrics or list(REGISTRY), seed=seed, sizes=sizes or SampleSizes())

"""Evaluate your own generator through the suites' protocols.

``evaluate_generator(sample_fn, dataset)`` puts any generator through the same metric
registry, sample sizes and test data as ``gan-bench run``. ``sample_fn(n, seed)`` returns
``n`` samples: images in [0, 1] shaped like the dataset's (N, C, 28, 28), or points (N, 2),
as a numpy array or torch tensor; the same seed must give the same samples. An optional
``predict_cluster(x)`` (real samples -> cluster index per sample) makes the clustering
metrics apply.

A multi-modal generator is an object that implements :class:`Generator`: ``n_modes`` and
``sample(n, seed, *, mode=None, scale=1.0)``. Its ``mode=`` keyword (with ``n_modes``)
unlocks the per-mode protocols (``mode_alignment``, the image grid with a row per mode), its
``scale=`` keyword the latent-scale sweep (``qd_sweep``); each is optional, detected from
the signature, and a protocol it lacks is skipped with the reason.
"""

from __future__ import annotations

import dataclasses
import inspect
import traceback
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd
import torch

from gan_bench.bench.config import suite_protocol
from gan_bench.bench.context import MetricSkipped, MetricValue, SampleSizes
from gan_bench.bench.evaluate import EvaluatedRun, evaluate_run
from gan_bench.bench.metric_declarations import check_metric_names
from gan_bench.bench.registry import REGISTRY
from gan_bench.data import load
from gan_bench.validation import as_float_array, as_images, as_labels, check_seed, native_array

SampleFn = Callable[[int, int], Any]
DETERMINISM_CHECK = 16  # samples drawn twice with one seed before the evaluation
F32_MAX = float(np.finfo(np.float32).max)


@runtime_checkable
class Generator(Protocol):
    """What the benchmark reads of a user's multi-modal generator. ``n_modes``: its number of
    latent modes (None: unimodal). ``sample``: n samples drawn with ``seed``, from latent mode
    ``mode`` only when given, with the latent covariance multiplied by ``scale``; ``mode`` and
    ``scale`` may be left out of the signature (those protocols are then skipped)."""

    n_modes: int | None

    def sample(self, n: int, seed: int, *, mode: int | None = None, scale: float = 1.0) -> Any: ...


class GeneratorOutputError(ValueError):
    """The generator returned something the protocols cannot score."""


class UserFunctionError(RuntimeError):
    """The user's own function (``sample_fn``, ``predict_cluster``) raised; the message says
    which function, the exception, and the line of the user's file it came from."""


def describe(fn: Callable[..., Any]) -> str:
    """``module.name`` of a function, for messages."""
    name = getattr(fn, "__qualname__", None) or type(fn).__name__
    module = getattr(fn, "__module__", None)
    return f"{module}.{name}" if module else name


def _where(err: BaseException, fn: Callable[..., Any]) -> str:
    """The innermost traceback line in ``fn``'s file (else the innermost line at all)."""
    frames = traceback.extract_tb(err.__traceback__)
    home = getattr(getattr(fn, "__code__", None), "co_filename", None)
    own = [f for f in frames if f.filename == home] or frames
    return f"{own[-1].filename}:{own[-1].lineno} in {own[-1].name}" if own else "an unknown line"


def check_signature(fn: Callable[..., Any], role: str, expected: str, n_args: int) -> None:
    """Refuse a function that cannot be called with ``n_args`` positional arguments, before
    anything runs (``def sample(n)`` where ``sample(n, seed)`` is expected)."""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):  # a builtin or C function without a signature: just call it
        return
    try:
        signature.bind(*range(n_args))
    except TypeError as err:
        raise TypeError(
            f"{role}: expected a function {expected}, got {describe(fn)}{signature} ({err})"
        ) from None


def call_user(fn: Callable[..., Any], role: str, *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)``, with any exception it raises named as the user's ``role``
    function's."""
    try:
        return fn(*args, **kwargs)
    except Exception as err:
        raise UserFunctionError(
            f"your {role} {describe(fn)} raised {type(err).__name__}: {err} (at {_where(err, fn)})"
        ) from err


def keywords(fn: Callable[..., Any]) -> set[str]:
    """Which of the optional ``mode`` and ``scale`` keywords ``fn`` accepts."""
    try:
        parameters = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return set()
    open_ended = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    return {k for k in ("mode", "scale") if k in parameters or open_ended}


def as_generator(generator: SampleFn | Generator) -> tuple[SampleFn, int | None, set[str]]:
    """A user's ``sample(n, seed)`` function or :class:`Generator` object -> (its sample
    function, n_modes, the optional keywords it takes), refused with what was expected."""
    if not callable(getattr(generator, "sample", None)):
        if not callable(generator):
            raise TypeError(
                f"generator: expected a function sample(n, seed) or an object with sample(n, seed, "
                f"*, mode=None, scale=1.0) and n_modes, got {type(generator).__name__}"
            )
        return generator, None, keywords(generator) - {"mode"}
    sample_fn, n_modes = generator.sample, getattr(generator, "n_modes", None)
    takes = keywords(sample_fn)
    if n_modes is not None and (isinstance(n_modes, bool) or not isinstance(n_modes, int) or n_modes < 1):
        raise TypeError(f"generator.n_modes: expected a positive int or None, got {n_modes!r}")
    if n_modes and "mode" not in takes:
        raise TypeError(
            f"generator: n_modes = {n_modes}, but {describe(sample_fn)} takes no mode= keyword; "
            "expected sample(n, seed, *, mode=None, scale=1.0)"
        )
    if "mode" in takes and not n_modes:
        takes.discard("mode")  # a mode keyword without n_modes: no modes to draw from
    return sample_fn, n_modes, takes


class UserGenerator:
    """A user's generator (and ``predict_cluster``) in the shape the metric registry reads."""

    name = "user"
    generates = True  # a generator by definition (GAN.generates: the report shows its samples)

    def __init__(
        self,
        generator: SampleFn | Generator,
        sample_shape: tuple[int, ...],
        predict_cluster: Callable[[torch.Tensor], Any] | None = None,
    ) -> None:
        self.sample_fn, self.n_modes, self.takes = as_generator(generator)
        self.sample_shape, self._predict = tuple(sample_shape), predict_cluster
        self.clusters = predict_cluster is not None

    def sample(
        self, n: int, *, mode: int | None = None, scale: float = 1.0, seed: int | None = None, **_: Any
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        options: dict[str, Any] = {}
        if mode is not None:
            if "mode" not in self.takes:
                raise MetricSkipped("the generator has no latent modes")
            options["mode"] = mode
        if scale != 1.0:
            if "scale" not in self.takes:
                raise MetricSkipped("the generator takes no latent scale")
            options["scale"] = scale
        drawn = call_user(self.sample_fn, "generator", n, 0 if seed is None else seed, **options)
        modes = None if mode is None else torch.full((n,), mode, dtype=torch.long)
        return check_samples(drawn, n, self.sample_shape), modes

    def predict_cluster(self, x: torch.Tensor) -> torch.Tensor:
        if self._predict is None:
            raise TypeError("no predict_cluster was given for this generator")
        try:
            labels = as_labels(call_user(self._predict, "predict_cluster", x), "predict_cluster output")
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
            points = as_float_array(samples, "generator output", ndim=2)
            x = torch.from_numpy(native_array(points)).float()
    except (TypeError, ValueError) as err:
        raise GeneratorOutputError(f"{err} (expected shape {expected})") from err
    if tuple(x.shape) != (n, *shape):
        raise GeneratorOutputError(f"generator output: expected shape {expected}, got {tuple(x.shape)}")
    overflow = ~torch.isfinite(x)
    if len(shape) != 3 and bool(overflow.any()):  # points finite in float64, beyond float32's range
        raise GeneratorOutputError(
            f"generator output: expected values within float32's range (|x| <= {F32_MAX:.4g}), got "
            f"{int(overflow.sum())} beyond it (largest |x| {float(abs(points).max()):.4g})"
        )
    return x


def value_frame(run: EvaluatedRun) -> pd.DataFrame:
    """An evaluated run's values as the rows the Python entry points return: metric, value,
    the number of samples it used, its within-seed interval where the metric has one, and a
    clustering score's chance level (the fields of :class:`MetricValue`)."""
    columns = [f.name for f in dataclasses.fields(MetricValue)]
    return pd.DataFrame([dataclasses.asdict(v) for v in run.values], columns=columns)


def evaluate_generator(
    sample_fn: SampleFn | Generator,
    dataset: str,
    *,
    metrics: list[str] | None = None,
    seed: int = 0,
    sizes: SampleSizes | None = None,
    predict_cluster: Callable[[torch.Tensor], Any] | None = None,
) -> pd.DataFrame:
    """Score a generator on ``dataset``'s test split: one row per metric value, with the
    number of samples it used (the rows ``gan-bench run`` writes). ``sample_fn`` is a
    function ``sample(n, seed)`` or a :class:`Generator` object (its modes unlock the
    per-mode protocols).

    ``metrics`` defaults to every registry metric that applies; ``sizes`` to those of the
    first suite holding ``dataset`` (as ``gan-bench eval`` does), so the numbers compare with
    the leaderboard's.
    """
    return value_frame(evaluate_generator_run(sample_fn, dataset, metrics, seed, sizes, predict_cluster))


def evaluate_generator_run(
    sample_fn: SampleFn | Generator,
    dataset: str,
    metrics: list[str] | None = None,
    seed: int = 0,
    sizes: SampleSizes | None = None,
    predict_cluster: Callable[[torch.Tensor], Any] | None = None,
    progress: bool = False,
) -> EvaluatedRun:
    """:func:`evaluate_generator` with the per-run artifacts and notes the report draws
    (``progress``: a bar over the metrics)."""
    check_metric_names(metrics)
    check_seed(seed)
    check_signature(getattr(sample_fn, "sample", sample_fn), "generator", "sample_fn(n, seed) -> samples", 2)
    if predict_cluster is not None:
        check_signature(predict_cluster, "predict_cluster", "predict_cluster(x) -> cluster indices", 1)
    test = load(dataset, "test")
    model = UserGenerator(sample_fn, tuple(test.samples.shape[1:]), predict_cluster)
    first, _ = model.sample(DETERMINISM_CHECK, seed=seed)
    second, _ = model.sample(DETERMINISM_CHECK, seed=seed)
    if not torch.equal(first, second):
        raise GeneratorOutputError(
            f"generator output: expected the same samples for the same seed ({seed}), "
            "got different ones on a second call; seed every random draw from the seed argument"
        )
    return evaluate_run(
        model,
        test,
        metrics or list(REGISTRY),
        seed=seed,
        sizes=sizes or suite_protocol(dataset)[1],
        progress=progress,
    )

"""What a metric may use: the model, its dataset and seed, the suite's sample sizes, and
data derived once and cached (the generated samples, the bundled classifier's outputs on
them and on the real splits).

Image metrics use the dataset's bundled classifier (``models/classifiers``): logits for FCD
and the classifier score, the ``fc1`` feature layer for KID, the quality score and
precision/recall, argmax predictions for the class histogram and diversity.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from gan_bench.bench.artifacts import RunArtifacts, RunNotes
from gan_bench.bench.classifiers import load_classifier
from gan_bench.bench.sizes import SampleSizes
from gan_bench.data import MNIST2_RATIOS, Dataset, load
from gan_bench.defaults import cache_root
from gan_bench.gans.base import GAN
from gan_bench.metrics.prdc import knn_radii
from gan_bench.metrics.statistics import Chance, bootstrap_intervals
from gan_bench.store.array_cache import arrays_digest, cached_arrays

# the bundled classifier that scores each image dataset (Stacked MNIST: each channel;
# the NEMGAN subsets: their digits or garments, mapped to the dataset's groups)
CLASSIFIER_FOR = {
    "mnist": "mnist",
    "mnist5k": "mnist",
    "fashion-mnist": "fashion-mnist",
    "stacked-mnist": "mnist",
    "mnist5": "mnist",
    "fmnist5": "fashion-mnist",
    **{name: "mnist" for name in MNIST2_RATIOS},
}
CLASSIFIER_CLASSES = 10
REAL_OUTPUTS_CACHE = "real_outputs"  # the disk cache of real splits' classifier outputs, under cache_root()
REAL_OUTPUTS_VERSION = 1  # raised when classifier_outputs_of computes its outputs another way
BOOTSTRAP_SEED = 0  # the within-seed bootstrap's resampling seed (issue 25: a fixed seed)
CHANCE_SEED = 0  # the permutation null's seed (the chance level of a clustering score)


class MetricSkipped(Exception):
    """A metric that applies could not be computed here; the message says why."""


def generated_count(sizes: SampleSizes, images: bool) -> int:
    """How many samples :meth:`EvalContext.generated` draws: ``samples`` images, or for
    points the larger of the mode-report and EMD sizes."""
    return sizes.samples if images else max(sizes.samples, sizes.emd_samples)


@dataclass(frozen=True)
class MetricValue:
    """One result row: the value, its sample size and, where the metric's bootstrap is cheap,
    its within-seed 95% interval (NaN bounds and no method where there is none); a score of
    a labelling against classes also has its chance level (``chance``, the permutation
    null's mean) and the null's 95% quantile (``chance_high``: at or below it is chance)."""

    metric: str
    value: float
    n_samples: int
    ci_low: float = float("nan")
    ci_high: float = float("nan")
    ci_method: str = ""
    chance: float = float("nan")
    chance_high: float = float("nan")


@dataclass
class EvalContext:
    """What a metric may use: the model, its dataset and seed, and cached derived data.

    ``artifacts`` (arrays) and ``notes`` are what the report needs beyond the numbers
    (:mod:`gan_bench.bench.artifacts`); the evaluator saves them in the run's ``.npz``.
    """

    model: GAN
    seed: int
    sizes: SampleSizes
    test: Dataset
    artifacts: RunArtifacts = field(default_factory=RunArtifacts)
    notes: RunNotes = field(default_factory=RunNotes)
    _cache: dict[str, Any] = field(default_factory=dict)

    @property
    def dataset(self) -> str:
        """The dataset's registry name (the loaders name every split after it)."""
        return self.test.name

    @property
    def is_image(self) -> bool:
        return self.test.samples.ndim == 4

    def cached(self, key: str, make: Callable[[], Any]) -> Any:
        """``make()`` once per run under ``key``: data several metrics of a run read."""
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def generated(self) -> torch.Tensor:
        """The run's samples, drawn once with the run's seed: the larger of the mode-report
        and EMD sizes for points, ``samples`` images for image data."""
        return self._generated_with_modes()[0]

    def generated_modes(self) -> torch.Tensor | None:
        """The latent mode of each of :meth:`generated`'s samples (None without modes)."""
        return self._generated_with_modes()[1]

    def _generated_with_modes(self) -> tuple[torch.Tensor, torch.Tensor | None]:
        n = generated_count(self.sizes, self.is_image)
        return self.cached("generated", lambda: self.model.sample(n, seed=self.seed))

    def classifier_outputs(self, images: torch.Tensor) -> tuple[np.ndarray, np.ndarray]:
        """(logits, fc1 features) of the dataset's bundled classifier."""
        return classifier_outputs_of(dataset_classifier(self.dataset), images)

    def generated_outputs(self) -> tuple[np.ndarray, np.ndarray]:
        return self.cached("generated_outputs", lambda: self.classifier_outputs(self.generated()))

    def test_clusters(self) -> tuple[np.ndarray, np.ndarray]:
        """(true class, the model's cluster) of every test sample, predicted once per run."""
        return self.cached(
            "test_clusters",
            lambda: (self.test.labels.numpy(), self.model.predict_cluster(self.test.samples).numpy()),
        )

    def real_outputs(self, split: str) -> tuple[np.ndarray, np.ndarray]:
        return real_outputs_of(self.dataset, split)

    def real_radii(self, split: str, n: int, k: int) -> np.ndarray:
        """PRDC's k-NN radii of the first ``n`` real features of ``split``."""
        return real_radii_of(self.dataset, split, n, k)

    def with_bootstrap(
        self,
        values: list[MetricValue],
        statistic: Callable[..., tuple[float, ...]],
        *samples: Any,
        method: str = "percentile",
    ) -> list[MetricValue]:
        """``values`` with their within-seed 95% bootstrap intervals: ``statistic`` recomputes
        every value, in order, from resampled ``samples`` (each resampled on its own rows; pair
        what must stay paired in one array). ``sizes.bootstrap`` resamples, seed
        :data:`BOOTSTRAP_SEED`; with 0 resamples the values are returned as they are.
        ``method``: "percentile", or "standard" for a statistic resampling shifts (a mode count,
        a plug-in KL; :func:`~gan_bench.metrics.statistics.bootstrap_intervals`)."""
        if self.sizes.bootstrap == 0:
            return values
        intervals = bootstrap_intervals(
            lambda *s: np.asarray(statistic(*s), dtype=np.float64),
            *samples,
            n_boot=self.sizes.bootstrap,
            seed=BOOTSTRAP_SEED,
            method=method,
        )
        named = f"bootstrap B={self.sizes.bootstrap}" + (", standard" if method == "standard" else "")
        return [
            dataclasses.replace(v, ci_low=i.low, ci_high=i.high, ci_method=named)
            for v, i in zip(values, intervals, strict=True)
        ]

    def with_chance(self, values: list[MetricValue], chances: dict[str, Chance]) -> list[MetricValue]:
        """``values`` with the chance level of each that ``chances`` (by metric name) holds."""
        return [
            dataclasses.replace(v, chance=c.level, chance_high=c.high) if (c := chances.get(v.metric)) else v
            for v in values
        ]


@functools.lru_cache(maxsize=4)
def dataset_classifier(dataset: str) -> torch.nn.Module:
    """The bundled classifier of ``dataset`` in channels-last layout (its convolutions and
    pooling run about 1.8x faster so on a CPU; the outputs agree to 1e-5)."""
    if dataset not in CLASSIFIER_FOR:
        raise MetricSkipped(f"no bundled classifier scores {dataset}")
    return load_classifier(CLASSIFIER_FOR[dataset]).to(memory_format=torch.channels_last)


@torch.no_grad()
def classifier_outputs_of(model: torch.nn.Module, images: torch.Tensor, batch: int = 1000):
    """(logits, fc1 features); a multi-channel image is scored channel by channel and its
    channels' outputs are concatenated (Stacked MNIST: 3 x 10 logits)."""
    n, channels = images.shape[:2]
    flat = images.reshape(n * channels, 1, *images.shape[2:])
    logits, feats = [], []
    for start in range(0, len(flat), batch):
        f = model.features(flat[start : start + batch].contiguous(memory_format=torch.channels_last))
        feats.append(f.double().numpy())
        logits.append(model.fc2(f).double().numpy())
    return np.concatenate(logits).reshape(n, -1), np.concatenate(feats).reshape(n, -1)


def real_outputs_choices(split: str, classifier: torch.nn.Module, real: Dataset) -> dict[str, object]:
    """What the classifier outputs of a real split depend on, the key of their disk cache: the
    classifier file's sha256, the dataset, split and a sha256 of its images, the preprocessing
    of :func:`classifier_outputs_of` and the torch that ran it."""
    return {
        "outputs": "classifier-logits+fc1",
        "classifier": getattr(classifier, "sha256", "") or "unbundled",
        "dataset": real.name,
        "split": split,
        "images": arrays_digest({"images": real.samples.numpy()})[:32],
        "preprocessing": f"v{REAL_OUTPUTS_VERSION}: each channel alone, float32 channels_last, float64 out",
        "torch": torch.__version__,
    }


@functools.lru_cache(maxsize=8)
def real_outputs_of(dataset: str, split: str) -> tuple[np.ndarray, np.ndarray]:
    """Classifier logits and features of a real split: once per process, and on disk
    (``$GAN_BENCH_CACHE/real_outputs``, checked on read) for every later process and run. A
    classifier not loaded from a bundled file (one trained in this process) is never cached."""
    classifier, real = dataset_classifier(dataset), load(dataset, split)
    if not getattr(classifier, "sha256", ""):
        return classifier_outputs_of(classifier, real.samples)

    def outputs() -> dict[str, np.ndarray]:
        logits, features = classifier_outputs_of(classifier, real.samples)
        return {"logits": logits, "features": features}

    stored = cached_arrays(
        cache_root() / REAL_OUTPUTS_CACHE,
        real_outputs_choices(split, classifier, real),
        outputs,
        names=("logits", "features"),
    )
    return stored["logits"], stored["features"]


@functools.lru_cache(maxsize=8)
def real_radii_of(dataset: str, split: str, n: int, k: int) -> np.ndarray:
    """PRDC's real k-NN radii (:func:`~gan_bench.metrics.knn_radii`) of a split's first ``n``
    classifier features, once per process: the quadratic half of PRDC that no generator
    changes."""
    return knn_radii(real_outputs_of(dataset, split)[1][:n], k)


def dataset_classes(groups: list[list[int]] | None, logits: np.ndarray) -> np.ndarray:
    """The dataset class of each image from the classifier's logits: the argmax over the
    digits the dataset uses, mapped to the group holding it (NEMGAN's MNIST-2/-5, FMNIST-5).
    Without groups the classifier's classes are the dataset's."""
    if groups is None:
        return logits.argmax(1)
    digits = np.array(sorted(d for g in groups for d in g))
    lookup = np.zeros(CLASSIFIER_CLASSES, dtype=np.int64)
    for index, members in enumerate(groups):
        lookup[list(members)] = index
    return lookup[digits[logits[:, digits].argmax(1)]]


@functools.lru_cache(maxsize=8)
def train_class_distribution(dataset: str) -> np.ndarray:
    labels = load(dataset, "train").labels.numpy()
    return np.bincount(labels) / len(labels)

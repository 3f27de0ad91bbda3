"""The metric registry of the suites: every metric ``gan-bench run`` can compute.

Each :class:`MetricSpec` holds its name, the result rows it writes (each with "higher
is better" and a display format), when it applies (the data and the model's abilities)
and how it is computed from an :class:`EvalContext` (the model's samples, the test and
training data, the dataset's bundled classifier). The config's valid metric names, the
evaluator and the leaderboard's best-marking all read this one table.

Sample sizes come from the suite (``benchmarks.toml``) and are written beside every
number. Image metrics use the dataset's bundled classifier (``models/classifiers``):
logits for FCD and the classifier score, the ``fc1`` feature layer for KID, the quality
score and precision/recall, argmax predictions for the class histogram and diversity.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from gan_bench.bench.classifiers import load_classifier
from gan_bench.data import MNIST2_RATIOS, Dataset, load
from gan_bench.defaults import SAMPLE_SIZES
from gan_bench.gans.base import GAN
from gan_bench.metrics import (
    ari,
    class_histogram,
    class_histogram_kl,
    class_majority,
    cluster_accuracy,
    diversity_score,
    emd,
    frechet_distance_from_features,
    inception_score,
    kid,
    mode_report,
    nmi,
    precision_recall_density_coverage,
    purity,
    quality_score,
    stacked_mnist_counts,
    stacked_mnist_modes,
)
from gan_bench.metrics.clustering import contingency
from gan_bench.metrics.quality_diversity import calibrated_a
from gan_bench.progress import progress_bar

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
# GM-GAN Fig. 3: the latent scale sigma is swept after training
SWEEP_SCALES = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
# GM-GAN compares against the AC-GAN code, which averages every SSIM map over the valid region
DIVERSITY_CONVENTION = "valid"
PRDC_K = 5


class MetricSkipped(Exception):
    """A metric that applies could not be computed here; the message says why."""


@dataclass(frozen=True)
class ResultRow:
    """One row a metric writes to results.csv."""

    name: str
    higher_is_better: bool | None  # None: no better direction (reported, never marked best)
    fmt: str  # "count", "percent" or "float"
    label: str


@dataclass(frozen=True)
class SampleSizes:
    """How many samples each metric uses (the suite's settings; defaults in
    :data:`gan_bench.defaults.SAMPLE_SIZES`)."""

    samples: int = SAMPLE_SIZES["samples"]
    emd_samples: int = SAMPLE_SIZES["emd_samples"]
    pairs: int = SAMPLE_SIZES["pairs"]
    sweep_samples: int = SAMPLE_SIZES["sweep_samples"]
    sweep_pairs: int = SAMPLE_SIZES["sweep_pairs"]
    kid_subset: int = SAMPLE_SIZES["kid_subset"]
    fid_samples: int = SAMPLE_SIZES["fid_samples"]


@dataclass(frozen=True)
class MetricValue:
    metric: str
    value: float
    n_samples: int


@dataclass
class EvalContext:
    """What a metric may use: the model, its dataset and seed, and cached derived data.

    ``artifacts`` (arrays) and ``notes`` (JSON-able) are what the report needs beyond the
    numbers; the evaluator saves them in the run's ``.npz``.
    """

    model: GAN
    seed: int
    sizes: SampleSizes
    test: Dataset
    artifacts: dict[str, np.ndarray] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict)

    @property
    def dataset(self) -> str:
        """The dataset's registry name (the loaders name every split after it)."""
        return self.test.name

    @property
    def is_image(self) -> bool:
        return self.test.samples.ndim == 4

    def _cached(self, key: str, make: Callable[[], Any]) -> Any:
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
        n = max(self.sizes.samples, self.sizes.emd_samples) if not self.is_image else self.sizes.samples
        return self._cached("generated", lambda: self.model.sample(n, seed=self.seed))

    def classifier_outputs(self, images: torch.Tensor) -> tuple[np.ndarray, np.ndarray]:
        """(logits, fc1 features) of the dataset's bundled classifier."""
        return _classifier_outputs(_classifier(self.dataset), images)

    def generated_outputs(self) -> tuple[np.ndarray, np.ndarray]:
        return self._cached("generated_outputs", lambda: self.classifier_outputs(self.generated()))

    def real_outputs(self, split: str) -> tuple[np.ndarray, np.ndarray]:
        return _real_outputs(self.dataset, split)


@functools.lru_cache(maxsize=4)
def _classifier(dataset: str) -> torch.nn.Module:
    """The bundled classifier of ``dataset`` in channels-last layout (its convolutions and
    pooling run about 1.8x faster so on a CPU; the outputs agree to 1e-5)."""
    if dataset not in CLASSIFIER_FOR:
        raise MetricSkipped(f"no bundled classifier scores {dataset}")
    return load_classifier(CLASSIFIER_FOR[dataset]).to(memory_format=torch.channels_last)


@torch.no_grad()
def _classifier_outputs(model: torch.nn.Module, images: torch.Tensor, batch: int = 1000):
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


@functools.lru_cache(maxsize=8)
def _real_outputs(dataset: str, split: str) -> tuple[np.ndarray, np.ndarray]:
    """Classifier logits and features of a real split, once per process."""
    return _classifier_outputs(_classifier(dataset), load(dataset, split).samples)


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
def _train_class_distribution(dataset: str) -> np.ndarray:
    labels = load(dataset, "train").labels.numpy()
    return np.bincount(labels) / len(labels)


# --- compute functions -----------------------------------------------------------------


def _modes(ctx: EvalContext) -> list[MetricValue]:
    n = ctx.sizes.samples
    x = ctx.generated().numpy().astype(np.float64)[:n]
    report = mode_report(x, ctx.test.info["means"], ctx.test.info["std"])
    ctx.artifacts["mode_counts"] = np.asarray(report.counts)
    return [
        MetricValue("modes", report.n_modes, n),
        MetricValue("hq_fraction", report.hq_fraction, n),
        MetricValue("kl_uniform", report.kl_uniform, n),
    ]


def _emd(ctx: EvalContext) -> list[MetricValue]:
    n = ctx.sizes.emd_samples
    x = ctx.generated().numpy().astype(np.float64)[:n]
    order = torch.randperm(len(ctx.test), generator=torch.Generator().manual_seed(ctx.seed))
    reference = ctx.test.samples[order[:n]]
    return [MetricValue("emd", emd(x, reference.numpy()), n)]


def _clustering(ctx: EvalContext) -> list[MetricValue]:
    truth = ctx.test.labels.numpy()
    predicted = ctx.model.predict_cluster(ctx.test.samples).numpy()
    n = len(truth)
    return [
        MetricValue(name, fn(truth, predicted), n)
        for name, fn in (("acc", cluster_accuracy), ("nmi", nmi), ("ari", ari), ("purity", purity))
    ]


def _class_majority(ctx: EvalContext) -> list[MetricValue]:
    truth = ctx.test.labels.numpy()
    predicted = ctx.model.predict_cluster(ctx.test.samples).numpy()
    return [MetricValue("class_majority", class_majority(truth, predicted), len(truth))]


def _mode_alignment(ctx: EvalContext) -> list[MetricValue]:
    """How well the generator's latent modes are the dataset's classes: Hungarian ACC of
    each generated image's latent mode against its class by the bundled classifier. Beside
    the clustering ACC it tells a generator whose modes mix or repeat classes from an
    encoder that does not carry the generator's modes over to real data."""
    logits, _ = ctx.generated_outputs()
    classes = dataset_classes(ctx.test.info.get("groups"), logits)
    modes = ctx.generated_modes().numpy()
    return [MetricValue("mode_acc", cluster_accuracy(classes, modes), len(classes))]


def fcd_reference_split(test: Dataset) -> str:
    """The real split FCD compares with: the test split, unless the test split was
    rebalanced away from the training ratio (NEMGAN's MNIST-2), where the generator's
    target is the training distribution."""
    return "train" if "train_ratio" in test.info else "test"


def _fcd(ctx: EvalContext) -> list[MetricValue]:
    fake_logits, _ = ctx.generated_outputs()
    split = fcd_reference_split(ctx.test)
    real_logits, _ = ctx.real_outputs(split)
    if split != "test":
        ctx.notes["fcd"] = (
            f"FCD against the {split} split (the test split is balanced, the training split is not)"
        )
    return [MetricValue("fcd", frechet_distance_from_features(real_logits, fake_logits), len(fake_logits))]


def _kid(ctx: EvalContext) -> list[MetricValue]:
    _, fake = ctx.generated_outputs()
    _, real = ctx.real_outputs("test")
    mean, _ = kid(real, fake, subset_size=ctx.sizes.kid_subset, seed=ctx.seed)
    return [MetricValue("kid", mean, min(len(fake), len(real), ctx.sizes.kid_subset))]


def _classifier_score(ctx: EvalContext) -> list[MetricValue]:
    logits, _ = ctx.generated_outputs()
    mean, _ = inception_score(logits, from_logits=True, seed=ctx.seed)
    return [MetricValue("classifier_score", mean, len(logits))]


@functools.lru_cache(maxsize=8)
def _quality_calibration(dataset: str) -> float:
    """GM-GAN's a on the held-out (test) split, once per dataset."""
    return calibrated_a(_real_outputs(dataset, "test")[1], _real_outputs(dataset, "train")[1])


def _quality_and_diversity(
    ctx: EvalContext, images: torch.Tensor, outputs: tuple[np.ndarray, np.ndarray], pairs: int
) -> tuple[float, Any]:
    """Quality and diversity of ``images``, given their classifier (logits, features)."""
    logits, feats = outputs
    _, train = ctx.real_outputs("train")
    quality = quality_score(feats, train, a=_quality_calibration(ctx.dataset))
    diversity = diversity_score(
        images,
        logits.argmax(1),
        logits.shape[1],
        max_pairs=pairs,
        seed=ctx.seed,
        convention=DIVERSITY_CONVENTION,
    )
    return quality, diversity


def _quality_diversity(ctx: EvalContext) -> list[MetricValue]:
    images = ctx.generated()
    quality, div = _quality_and_diversity(ctx, images, ctx.generated_outputs(), ctx.sizes.pairs)
    n = len(images)
    pairs = min(ctx.sizes.pairs, n * (n - 1) // 2)
    ctx.notes["diversity"] = (
        f"MS-SSIM '{DIVERSITY_CONVENTION}' convention over {pairs} random distinct pairs of {n} samples; "
        "quality: a = median exp(delta) of the test split, classifier layer fc1"
    )
    return [
        MetricValue("quality", quality, n),
        MetricValue("diversity_intra", div.intra, pairs),
        MetricValue("diversity_inter", div.inter, n),
        MetricValue("diversity", div.combined, pairs),
    ]


def _qd_sweep(ctx: EvalContext) -> list[MetricValue]:
    """GM-GAN Fig. 3: the quality-diversity pair as the latent scale varies (artifact only)."""
    qualities, diversities = [], []
    for scale in SWEEP_SCALES:
        images, _ = ctx.model.sample(ctx.sizes.sweep_samples, scale=scale, seed=ctx.seed)
        outputs = ctx.classifier_outputs(images)
        quality, div = _quality_and_diversity(ctx, images, outputs, ctx.sizes.sweep_pairs)
        qualities.append(quality)
        diversities.append(div.combined)
    ctx.artifacts["sweep_scales"] = np.array(SWEEP_SCALES)
    ctx.artifacts["sweep_quality"] = np.array(qualities)
    ctx.artifacts["sweep_diversity"] = np.array(diversities)
    ctx.notes["sweep"] = f"{ctx.sizes.sweep_samples} samples and {ctx.sizes.sweep_pairs} pairs per scale"
    return []


def _class_histogram(ctx: EvalContext) -> list[MetricValue]:
    logits, _ = ctx.generated_outputs()
    reference = _train_class_distribution(ctx.dataset)
    predicted = dataset_classes(ctx.test.info.get("groups"), logits)
    ctx.artifacts["class_hist"] = class_histogram(predicted, len(reference))
    ctx.artifacts["train_class_hist"] = reference
    return [MetricValue("class_kl", class_histogram_kl(predicted, reference), len(predicted))]


def _prdc(ctx: EvalContext) -> list[MetricValue]:
    _, fake = ctx.generated_outputs()
    _, real = ctx.real_outputs("test")
    n = min(len(fake), len(real))
    result = precision_recall_density_coverage(real[:n], fake[:n], k=PRDC_K)
    return [
        MetricValue("precision", result.precision, n),
        MetricValue("recall", result.recall, n),
        MetricValue("density", result.density, n),
        MetricValue("coverage", result.coverage, n),
    ]


def _channel_digits(logits: np.ndarray) -> np.ndarray:
    """(N, C) digits from the per-channel logits concatenated by :func:`_classifier_outputs`."""
    return logits.reshape(len(logits), -1, CLASSIFIER_CLASSES).argmax(2)


@functools.lru_cache(maxsize=2)
def stacked_reference(dataset: str, n: int) -> dict[str, Any]:
    """Real Stacked MNIST test images through the same protocol: modes, KL and the
    classifier's per-channel accuracy against the true digits (the reference row)."""
    real = load(dataset, "test", n=n)
    digits = _channel_digits(_classifier_outputs(_classifier(dataset), real.samples)[0])
    modes, kl = stacked_mnist_modes(digits)
    return {
        "n": n,
        "modes": modes,
        "kl": kl,
        "channel_accuracy": float((digits == real.info["digits"].numpy()).mean()),
        "source": str(real.info.get("source", "")),
    }


def _stacked_modes(ctx: EvalContext) -> list[MetricValue]:
    """VEEGAN/PacGAN/NEMGAN Table 3: each channel classified; modes of 1000 and KL to uniform."""
    digits = _channel_digits(ctx.generated_outputs()[0])
    n = len(digits)
    modes, kl = stacked_mnist_modes(digits)
    ctx.artifacts["stacked_counts"] = stacked_mnist_counts(digits)
    ctx.notes["stacked_reference"] = stacked_reference(ctx.dataset, n)
    return [MetricValue("stacked_modes", modes, n), MetricValue("stacked_kl", kl, n)]


def _learned_prior(ctx: EvalContext) -> list[MetricValue]:
    """NEMGAN §3.3: the latent mode prior softmax(alpha) beside the training class ratio.

    Modes are matched to classes by the Hungarian assignment of the model's clustering of
    the test split (the ACC matching), so an unsupervised model's arbitrary mode order
    does not count as error. The row is the largest absolute error over classes.
    """
    prior = ctx.model.mode_prior().numpy().astype(np.float64)
    truth = _train_class_distribution(ctx.dataset)
    predicted = ctx.model.predict_cluster(ctx.test.samples).numpy()
    table = contingency(ctx.test.labels.numpy(), predicted, shape=(len(prior), len(truth)))
    from scipy.optimize import linear_sum_assignment

    modes, classes = linear_sum_assignment(table, maximize=True)
    matched = np.zeros(len(truth))
    matched[classes] = prior[modes]
    ctx.artifacts["learned_prior"] = matched
    ctx.artifacts["train_ratio"] = truth
    return [MetricValue("prior_error", float(np.abs(matched - truth).max()), len(ctx.test))]


def _fid(ctx: EvalContext) -> list[MetricValue]:
    from gan_bench.metrics.inception import InceptionWeightsNotFoundError, fid, resolve_inception_weights

    try:
        weights = resolve_inception_weights()
    except InceptionWeightsNotFoundError as err:
        raise MetricSkipped("not computed: Inception weights not available") from err
    n = ctx.sizes.fid_samples
    train = load(ctx.dataset, "train").samples
    real = torch.cat([load(ctx.dataset, "test").samples, train])[:n]
    fake, _ = ctx.model.sample(len(real), seed=ctx.seed)
    value = fid(real, fake, weights=weights, real_cache_key=f"{ctx.dataset}-test+train-{len(real)}")
    return [MetricValue("fid", value, len(real))]


# --- the registry ----------------------------------------------------------------------


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


def _is_mixture(ctx: EvalContext) -> bool:
    return "means" in ctx.test.info


def _points(ctx: EvalContext) -> bool:
    return not ctx.is_image


def _clusters(ctx: EvalContext) -> bool:
    return ctx.model.clusters and ctx.test.labels is not None


def _labelled_modes(ctx: EvalContext) -> bool:
    """A clustering variant with latent modes, on labelled single-channel images."""
    return _clusters(ctx) and ctx.model.n_modes is not None and _labelled_images(ctx)


def _scored_images(ctx: EvalContext) -> bool:
    return ctx.is_image and ctx.dataset in CLASSIFIER_FOR


def _labelled_images(ctx: EvalContext) -> bool:
    """Scored images with one class each (not Stacked MNIST's three digits)."""
    return _scored_images(ctx) and ctx.test.samples.shape[1] == 1


def _stacked(ctx: EvalContext) -> bool:
    return _scored_images(ctx) and "digits" in ctx.test.info


def _learns_prior(ctx: EvalContext) -> bool:
    prior = ctx.model.mode_prior()
    return prior is not None and _clusters(ctx) and len(prior) == len(_train_class_distribution(ctx.dataset))


def _images(ctx: EvalContext) -> bool:
    return ctx.is_image


def _rows(*rows: tuple[str, bool | None, str, str]) -> tuple[ResultRow, ...]:
    return tuple(ResultRow(*row) for row in rows)


REGISTRY: dict[str, MetricSpec] = {
    spec.name: spec
    for spec in (
        MetricSpec(
            "modes",
            "mode report on Gaussian mixtures: modes covered, HQ fraction, KL to uniform (PacGAN/MD-GAN)",
            _rows(
                ("modes", True, "count", "modes covered"),
                ("hq_fraction", True, "percent", "HQ samples (within 3σ)"),
                ("kl_uniform", False, "float", "KL(HQ modes || uniform)"),
            ),
            _is_mixture,
            _modes,
            data="points",
        ),
        MetricSpec(
            "emd",
            "exact EMD with Euclidean ground cost to held-out data (Goerttler & Kloft)",
            _rows(("emd", False, "float", "EMD to held-out data")),
            _points,
            _emd,
            data="points",
        ),
        MetricSpec(
            "clustering",
            "ACC (Hungarian), NMI, ARI and purity of the variant's clustering of labelled test data",
            _rows(
                ("acc", True, "float", "clustering ACC (Hungarian)"),
                ("nmi", True, "float", "NMI (arithmetic)"),
                ("ari", True, "float", "ARI"),
                ("purity", True, "float", "purity (majority map)"),
            ),
            _clusters,
            _clustering,
        ),
        MetricSpec(
            "class_majority",
            "the official NEMGAN code's clustering ACC: each class's share in its most common cluster, "
            "averaged over classes (not one-to-one; shown beside Hungarian ACC)",
            _rows(("class_majority", True, "float", "class-majority share (NEMGAN code)")),
            _clusters,
            _class_majority,
        ),
        MetricSpec(
            "mode_alignment",
            "generated images: Hungarian ACC of the latent mode against the bundled classifier's class "
            "(are the generator's modes the classes, whatever the encoder does on real data)",
            _rows(("mode_acc", True, "float", "latent modes vs classes, generated (ACC)")),
            _labelled_modes,
            _mode_alignment,
            data="images",
        ),
        MetricSpec(
            "fcd",
            "Fréchet distance on the classifier's logits, generated vs the test split (TF-GAN/NEMGAN)",
            _rows(("fcd", False, "float", "FCD (our classifier's logits)")),
            _scored_images,
            _fcd,
            data="images",
        ),
        MetricSpec(
            "kid",
            "KID (unbiased MMD², cubic kernel) on the classifier's fc1 features vs the test split",
            _rows(("kid", False, "float", "KID (our classifier's features)")),
            _scored_images,
            _kid,
            data="images",
        ),
        MetricSpec(
            "classifier_score",
            "Inception-style score exp(E KL(p(y|x) || p(y))) from the classifier, 10 splits",
            _rows(("classifier_score", True, "float", "classifier score")),
            _labelled_images,
            _classifier_score,
            data="images",
        ),
        MetricSpec(
            "quality_diversity",
            "GM-GAN quality (eq. 4, fc1 features) and diversity (eqs. 5-7, MS-SSIM valid convention)",
            _rows(
                ("quality", True, "float", "quality (GM-GAN eq. 4)"),
                ("diversity_intra", True, "float", "intra-class diversity"),
                ("diversity_inter", True, "float", "inter-class diversity"),
                ("diversity", True, "float", "diversity (GM-GAN eq. 7)"),
            ),
            _labelled_images,
            _quality_diversity,
            data="images",
        ),
        MetricSpec(
            "qd_sweep",
            "quality-diversity curve over latent scales 0.5-2.0 (GM-GAN Fig. 3); plotted, no table row",
            (),
            _labelled_images,
            _qd_sweep,
            data="images",
        ),
        MetricSpec(
            "class_histogram",
            "KL(generated class histogram || training classes), 'samples' images (Goerttler & Kloft Fig. 6)",
            _rows(("class_kl", False, "float", "KL(class histogram || train)")),
            _labelled_images,
            _class_histogram,
            data="images",
        ),
        MetricSpec(
            "prdc",
            "precision/recall (Kynkäänniemi 2019), density/coverage (Naeem 2020), k=5, fc1 features",
            _rows(
                ("precision", True, "float", "precision"),
                ("recall", True, "float", "recall"),
                ("density", None, "float", "density"),
                ("coverage", True, "float", "coverage"),
            ),
            _scored_images,
            _prdc,
            data="images",
        ),
        MetricSpec(
            "stacked_modes",
            "Stacked MNIST: digit triples covered of 1000 and KL(generated || uniform), each channel "
            "classified (VEEGAN/PacGAN protocol, NEMGAN Table 3)",
            _rows(
                ("stacked_modes", True, "count", "modes of 1000"),
                ("stacked_kl", False, "float", "KL(modes || uniform)"),
            ),
            _stacked,
            _stacked_modes,
            data="images",
        ),
        MetricSpec(
            "prior",
            "the latent mode prior (NEMGAN softmax(alpha)) beside the training class ratio: "
            "largest absolute error, modes matched to classes as for ACC",
            _rows(("prior_error", False, "float", "max |learned prior − train ratio|")),
            _learns_prior,
            _learned_prior,
        ),
        MetricSpec(
            "fid",
            "FID, pytorch-fid Inception pool3, MD-GAN protocol (real test+train vs generated); "
            "only where the Inception weights are found",
            _rows(("fid", False, "float", "FID")),
            _images,
            _fid,
            data="images",
        ),
    )
}

ROWS: dict[str, ResultRow] = {row.name: row for spec in REGISTRY.values() for row in spec.rows}
ROW_ORDER: list[str] = list(ROWS)


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
    that applies but cannot be computed here is noted in ``ctx.notes['skipped']``.
    ``progress``: a bar over the metrics, naming the one being computed."""
    values: list[MetricValue] = []
    bar = progress_bar(applicable_metrics(ctx, names), enabled=progress, desc="metrics", unit="metric")
    for name in bar:
        bar.set_postfix_str(name)
        try:
            values += REGISTRY[name].compute(ctx)
        except MetricSkipped as why:
            ctx.notes.setdefault("skipped", {})[name] = str(why)
    return values

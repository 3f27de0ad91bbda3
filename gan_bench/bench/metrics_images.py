"""Image metrics on the dataset's bundled classifier (FCD, KID, the classifier score, GM-GAN's
quality and diversity and its latent-scale sweep, the class histogram, PRDC, Stacked MNIST
modes) and FID on Inception features."""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
import torch

from gan_bench.bench.applicability import (
    images,
    labelled_images,
    scored_images,
    stacked,
)
from gan_bench.bench.context import (
    CLASSIFIER_CLASSES,
    EvalContext,
    MetricSkipped,
    MetricValue,
    classifier_outputs_of,
    dataset_classes,
    dataset_classifier,
    real_outputs_of,
    train_class_distribution,
)
from gan_bench.bench.declare import declare
from gan_bench.data import Dataset, load
from gan_bench.metrics import (
    class_histogram,
    class_histogram_kl,
    diversity_score,
    frechet_distance_from_features,
    frechet_distance_infinity,
    inception_score,
    kid,
    memorisation_rate,
    per_class_frechet,
    precision_recall_density_coverage,
    stacked_mnist_counts,
    stacked_mnist_modes,
    vendi_score,
)
from gan_bench.metrics.quality_diversity import calibrated_a, inter_class_diversity, quality_scores

# GM-GAN Fig. 3: the latent scale sigma is swept after training
SWEEP_SCALES = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
# GM-GAN compares against the AC-GAN code, which averages every SSIM map over the valid region
DIVERSITY_CONVENTION = "valid"
PRDC_K = 5


def fcd_reference_split(test: Dataset) -> str:
    """The real split FCD compares with: the test split, unless the test split was
    rebalanced away from the training ratio (NEMGAN's MNIST-2), where the generator's
    target is the training distribution."""
    return "train" if "train_ratio" in test.info else "test"


@functools.lru_cache(maxsize=8)
def _quality_calibration(dataset: str) -> float:
    """GM-GAN's a on the held-out (test) split, once per dataset."""
    return calibrated_a(real_outputs_of(dataset, "test")[1], real_outputs_of(dataset, "train")[1])


def _quality_and_diversity(
    ctx: EvalContext, images: torch.Tensor, outputs: tuple[np.ndarray, np.ndarray], pairs: int
) -> tuple[np.ndarray, Any]:
    """Each image's quality and the diversity of ``images``, given their classifier (logits,
    features); the quality score is the mean of the first."""
    logits, feats = outputs
    _, train = ctx.real_outputs("train")
    quality = quality_scores(feats, train, a=_quality_calibration(ctx.dataset))
    diversity = diversity_score(
        images,
        logits.argmax(1),
        logits.shape[1],
        max_pairs=pairs,
        seed=ctx.seed,
        convention=DIVERSITY_CONVENTION,
    )
    return quality, diversity


def _channel_digits(logits: np.ndarray) -> np.ndarray:
    """(N, C) digits from the per-channel logits concatenated by :func:`classifier_outputs_of`."""
    return logits.reshape(len(logits), -1, CLASSIFIER_CLASSES).argmax(2)


@functools.lru_cache(maxsize=2)
def stacked_reference(dataset: str, n: int) -> dict[str, Any]:
    """Real Stacked MNIST test images through the same protocol (the reference row): modes,
    KL and the classifier's per-channel accuracy against the true digits; and, against as
    many real training images, the FCD and PRDC a generator would score if it were the data
    (so a generator's recall of 0 reads as the models', not the metric's)."""
    real = load(dataset, "test", n=n)
    classifier = dataset_classifier(dataset)
    logits, features = classifier_outputs_of(classifier, real.samples)
    digits = _channel_digits(logits)
    modes, kl = stacked_mnist_modes(digits)
    train_logits, train_features = classifier_outputs_of(
        classifier, load(dataset, "train", n=len(real), seed=1).samples
    )
    prdc = precision_recall_density_coverage(features, train_features, k=PRDC_K)
    return {
        "n": len(real),
        "modes": modes,
        "kl": kl,
        "channel_accuracy": float((digits == real.info["digits"].numpy()).mean()),
        "source": str(real.info.get("source", "")),
        "fcd": frechet_distance_from_features(logits, train_logits),
        "precision": prdc.precision,
        "recall": prdc.recall,
        "density": prdc.density,
        "coverage": prdc.coverage,
        "vendi": vendi_score(features),
    }


def _fcd_reference(ctx: EvalContext) -> tuple[np.ndarray, np.ndarray]:
    return ctx.real_outputs(fcd_reference_split(ctx.test))


def _prdc_size(ctx: EvalContext, n_generated: int) -> int:
    """PRDC's N: as many test images as generated ones, at most the split."""
    return min(n_generated, len(ctx.test))


def _prdc_reference(ctx: EvalContext) -> np.ndarray:
    return ctx.real_radii("test", _prdc_size(ctx, ctx.sizes.samples), PRDC_K)


@declare("fcd", applies=scored_images, real_side=_fcd_reference)
def _fcd(ctx: EvalContext) -> list[MetricValue]:
    fake_logits, _ = ctx.generated_outputs()
    split = fcd_reference_split(ctx.test)
    real_logits, _ = ctx.real_outputs(split)
    if split != "test":
        ctx.notes.fcd = (
            f"FCD against the {split} split (the test split is balanced, the training split is not)"
        )
    values = [MetricValue("fcd", frechet_distance_from_features(real_logits, fake_logits), len(fake_logits))]
    # generated and real logits resampled on their own (two independent samples)
    return ctx.with_bootstrap(
        values, lambda r, f: [frechet_distance_from_features(r, f)], real_logits, fake_logits
    )


@declare("fcd_inf", applies=scored_images, real_side=_fcd_reference)
def _fcd_inf(ctx: EvalContext) -> list[MetricValue]:
    fake_logits, _ = ctx.generated_outputs()
    real_logits, _ = _fcd_reference(ctx)
    result = frechet_distance_infinity(real_logits, fake_logits, seed=ctx.seed)
    ctx.notes.fcd_inf = {"ns": list(result.ns), "fcd": [round(v, 6) for v in result.values]}
    return [MetricValue("fcd_inf", result.value, len(fake_logits))]


@declare("kid", applies=scored_images, real_side=lambda ctx: ctx.real_outputs("test"))
def _kid(ctx: EvalContext) -> list[MetricValue]:
    _, fake = ctx.generated_outputs()
    _, real = ctx.real_outputs("test")
    mean, _ = kid(real, fake, subset_size=ctx.sizes.kid_subset, seed=ctx.seed)
    return [MetricValue("kid", mean, min(len(fake), len(real), ctx.sizes.kid_subset))]


@declare("classifier_score", applies=labelled_images)
def _classifier_score(ctx: EvalContext) -> list[MetricValue]:
    logits, _ = ctx.generated_outputs()
    mean, _ = inception_score(logits, from_logits=True, seed=ctx.seed)
    values = [MetricValue("classifier_score", mean, len(logits))]
    return ctx.with_bootstrap(
        values, lambda x: [inception_score(x, from_logits=True, seed=ctx.seed)[0]], logits
    )


@declare(
    "quality_diversity", applies=labelled_images, real_side=lambda ctx: _quality_calibration(ctx.dataset)
)
def _quality_diversity(ctx: EvalContext) -> list[MetricValue]:
    """Within-seed intervals for the quality (a mean over the images) and the inter-class
    diversity (an entropy of their classes), the images resampled; none for the MS-SSIM
    terms, whose 20,000 pairs would have to be scored again on every resample."""
    images = ctx.generated()
    per_image, div = _quality_and_diversity(ctx, images, ctx.generated_outputs(), ctx.sizes.pairs)
    quality = float(np.mean(per_image))
    n = len(images)
    pairs = min(ctx.sizes.pairs, n * (n - 1) // 2)
    ctx.notes.diversity = (
        f"MS-SSIM '{DIVERSITY_CONVENTION}' convention over {pairs} random distinct pairs of {n} samples; "
        "quality: a = median exp(delta) of the test split, classifier layer fc1"
    )
    logits = ctx.generated_outputs()[0]
    k = logits.shape[1]
    rows = np.stack([per_image, logits.argmax(1)], axis=1)  # (quality, class) of each image
    with_ci = ctx.with_bootstrap(
        [MetricValue("quality", quality, n), MetricValue("diversity_inter", div.inter, n)],
        lambda r: (float(np.mean(r[:, 0])), inter_class_diversity(r[:, 1].astype(np.int64), k)),
        rows,
    )
    return [
        with_ci[0],
        MetricValue("diversity_intra", div.intra, pairs),
        with_ci[1],
        MetricValue("diversity", div.combined, pairs),
    ]


@declare("qd_sweep", applies=labelled_images, real_side=lambda ctx: _quality_calibration(ctx.dataset))
def _qd_sweep(ctx: EvalContext) -> list[MetricValue]:
    """GM-GAN Fig. 3: the quality-diversity pair as the latent scale varies (artifact only)."""
    qualities, diversities = [], []
    for scale in SWEEP_SCALES:
        images, _ = ctx.model.sample(ctx.sizes.sweep_samples, scale=scale, seed=ctx.seed)
        outputs = ctx.classifier_outputs(images)
        per_image, div = _quality_and_diversity(ctx, images, outputs, ctx.sizes.sweep_pairs)
        qualities.append(float(np.mean(per_image)))
        diversities.append(div.combined)
    ctx.artifacts.sweep_scales = np.array(SWEEP_SCALES)
    ctx.artifacts.sweep_quality = np.array(qualities)
    ctx.artifacts.sweep_diversity = np.array(diversities)
    ctx.notes.sweep = f"{ctx.sizes.sweep_samples} samples and {ctx.sizes.sweep_pairs} pairs per scale"
    return []


@declare(
    "class_histogram", applies=labelled_images, real_side=lambda ctx: train_class_distribution(ctx.dataset)
)
def _class_histogram(ctx: EvalContext) -> list[MetricValue]:
    logits, _ = ctx.generated_outputs()
    reference = train_class_distribution(ctx.dataset)
    predicted = dataset_classes(ctx.test.info.get("groups"), logits)
    ctx.artifacts.class_hist = class_histogram(predicted, len(reference))
    ctx.artifacts.train_class_hist = reference
    values = [MetricValue("class_kl", class_histogram_kl(predicted, reference), len(predicted))]
    return ctx.with_bootstrap(values, lambda p: [class_histogram_kl(p, reference)], predicted)


@declare("prdc", applies=scored_images, real_side=_prdc_reference)
def _prdc(ctx: EvalContext) -> list[MetricValue]:
    _, fake = ctx.generated_outputs()
    _, real = ctx.real_outputs("test")
    n = _prdc_size(ctx, len(fake))
    radii = ctx.real_radii("test", n, PRDC_K)
    result = precision_recall_density_coverage(real[:n], fake[:n], k=PRDC_K, real_radii=radii)
    return [
        MetricValue("precision", result.precision, n),
        MetricValue("recall", result.recall, n),
        MetricValue("density", result.density, n),
        MetricValue("coverage", result.coverage, n),
    ]


@declare("vendi", applies=scored_images)
def _vendi(ctx: EvalContext) -> list[MetricValue]:
    _, features = ctx.generated_outputs()
    blank = int((~features.any(axis=1)).sum())
    if blank:  # the cosine kernel has no direction for them: skipped with the count, not a crash
        raise MetricSkipped(f"{blank} of {len(features)} generated images have all-zero classifier features")
    return [MetricValue("vendi", vendi_score(features), len(features))]


@declare("fcd_per_class", applies=labelled_images, real_side=lambda ctx: ctx.real_outputs("test"))
def _fcd_per_class(ctx: EvalContext) -> list[MetricValue]:
    fake_logits, _ = ctx.generated_outputs()
    real_logits, _ = ctx.real_outputs("test")
    groups = ctx.test.info.get("groups")
    result = per_class_frechet(
        real_logits,
        ctx.test.labels.numpy(),
        fake_logits,
        dataset_classes(groups, fake_logits),
        int(ctx.test.info.get("n_classes") or CLASSIFIER_CLASSES),
    )
    ctx.notes.fcd_per_class = {
        "fcd": [None if math.isnan(d) else round(d, 6) for d in result.distances],
        "n_real": list(result.n_real),
        "n_generated": list(result.n_fake),
    }
    present = sum(not math.isnan(d) for d in result.distances)
    if not present:
        raise MetricSkipped("no class has 2 generated images and 2 test images")
    return [
        MetricValue("fcd_per_class", result.mean, len(fake_logits)),
        MetricValue("classes_generated", present, len(fake_logits)),
    ]


@declare("memorisation", applies=scored_images, real_side=lambda ctx: ctx.real_outputs("train"))
def _memorisation(ctx: EvalContext) -> list[MetricValue]:
    _, features = ctx.generated_outputs()
    _, train = ctx.real_outputs("train")
    return [MetricValue("memorisation", memorisation_rate(train, features), len(features))]


@declare(
    "stacked_modes", applies=stacked, real_side=lambda ctx: stacked_reference(ctx.dataset, ctx.sizes.samples)
)
def _stacked_modes(ctx: EvalContext) -> list[MetricValue]:
    """VEEGAN/PacGAN/NEMGAN Table 3: each channel classified; modes of 1000 and KL to uniform."""
    digits = _channel_digits(ctx.generated_outputs()[0])
    n = len(digits)
    modes, kl = stacked_mnist_modes(digits)
    ctx.artifacts.stacked_counts = stacked_mnist_counts(digits)
    ctx.notes.stacked_reference = stacked_reference(ctx.dataset, n)
    values = [MetricValue("stacked_modes", modes, n), MetricValue("stacked_kl", kl, n)]
    # standard: a resample repeats images, so it covers fewer triples (and its KL is shifted)
    return ctx.with_bootstrap(values, stacked_mnist_modes, digits, method="standard")


@declare("fid", applies=images)
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

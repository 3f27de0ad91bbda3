"""The report in the repository (reports/: leaderboard.md, paper_comparison.md, index.html
and its plots) is what ``gan-bench run`` writes today, so a researcher can browse it without
running anything and it never goes stale:

- a run into reports/ would evaluate nothing: every cell of the default suites is there,
  computed from the bundled checkpoint of today's manifest with today's suite settings and
  metric versions (the rule by which ``gan-bench run`` reuses a result);
- rendered again from its results and per-run files, its Markdown is byte for byte the
  committed one (a change to the report code shows up here);
- marked slow: one cell of each default suite evaluated again from the bundled models gives
  the committed numbers, within the cross-CPU tolerance below.

When the first two fail: ``.venv/bin/gan-bench run --jobs 2`` (it evaluates only what changed),
then commit reports/.
"""

import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from gan_bench.bench.config import data_availability, load_config
from gan_bench.bench.evaluate import evaluate_run
from gan_bench.bench.models import load_reference
from gan_bench.bench.results import RunId, read_results
from gan_bench.bench.runner import RunSummary, plan_evaluation
from gan_bench.data import load
from gan_bench.report import write_report

REPORTS = Path(__file__).resolve().parent.parent / "reports"
STALE = "reports/ is stale: run '.venv/bin/gan-bench run --jobs 2' and commit reports/"


@pytest.fixture(scope="module")
def default_suites():
    config = load_config()
    return [config.suites[name] for name in config.default_suites]


@pytest.fixture(scope="module")
def committed():
    return read_results(REPORTS / "results.csv")


def test_the_committed_report_holds_every_default_cell_as_a_run_would_reuse_it(default_suites, committed):
    summary = RunSummary(skipped=data_availability(default_suites))
    assert not summary.skipped, f"every default dataset is on this machine (and CI's): {summary.skipped}"
    todo = plan_evaluation(REPORTS, default_suites, committed, summary)
    would = [job.ident.model_key for job in todo]
    assert not would and not summary.missing and not summary.not_installed, (
        f"{STALE}; it would evaluate {len(would)} cells ({', '.join(would[:4])} ...), "
        f"{summary.stale} with another checkpoint, {summary.resettled} with other settings; "
        f"missing {summary.missing[:4]}"
    )
    for name in ("leaderboard.md", "paper_comparison.md", "index.html", "leaderboard.csv"):
        assert (REPORTS / name).is_file(), f"{STALE}: {name} is missing"


def test_the_committed_markdown_is_what_the_report_renders_today(default_suites, committed, tmp_path):
    copy = tmp_path / "reports"
    shutil.copytree(REPORTS, copy)
    write_report(copy, committed, default_suites)
    for name in ("leaderboard.md", "paper_comparison.md"):
        assert (copy / name).read_text() == (REPORTS / name).read_text(), f"{STALE}: {name} differs"
    pictures = {p.name for p in (REPORTS).rglob("*.png")}
    assert pictures and pictures == {p.name for p in copy.rglob("*.png")}


# One cell of each default suite but Stacked MNIST (the slowest to evaluate). A fixed checkpoint
# evaluated on another CPU moves only by kernel rounding: tests/reference/rounding_spread.py
# measured the toy metrics' EMD at 2.4e-8 relative and the counts never moving. These cells,
# evaluated again with every library on its generic kernels and an empty disk cache, so the
# real data's classifier outputs too (2026-12-02, AMD EPYC: `tests/reference/rounding_spread.py
# pytest -s -m slow tests/test_reports_current.py`), moved by at most 1.4e-9 (toy), 4.5e-7
# (mnist5k), 4.3e-7 (Fashion-MNIST) and 5.9e-8 (mnist2-90:10) of a value, and not at all on this
# machine's own kernels. The tolerance is 10x the largest, rounded up. The test is also
# `pinned`, so CI runs it again under the generic kernels.
CELLS = [
    ("toy", "grid25", "mmgan-rsgan", 0),
    ("mnist", "mnist5k", "nemgan-P", 0),
    ("fashion-mnist", "fashion-mnist", "vanilla", 0),
    ("nemgan-subsets", "mnist2-90:10", "nemgan-P", 0),
]
RELATIVE_SPREAD = 5e-7
TOLERANCE = 10 * RELATIVE_SPREAD


def _close(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b), 1e-12)


@pytest.mark.slow
@pytest.mark.pinned
@pytest.mark.parametrize("suite,dataset,run,seed", CELLS)
def test_committed_numbers_are_the_bundled_models_numbers(
    default_suites, committed, suite, dataset, run, seed
):
    [spec] = [s for s in default_suites if s.name == suite]
    [run_spec] = [r for r in spec.runs if r.dataset == dataset and r.name == run]
    model = load_reference(RunId(suite, dataset, run, seed).model_key)
    evaluated = evaluate_run(
        model, load(dataset, "test"), list(run_spec.metrics or spec.metrics), seed=seed, sizes=spec.sizes
    )
    rows = committed[
        (committed["suite"] == suite)
        & (committed["dataset"] == dataset)
        & (committed["run"] == run)
        & (committed["seed"] == seed)
    ].set_index("metric")
    fresh = pd.DataFrame([vars(v) for v in evaluated.values]).set_index("metric")
    assert sorted(fresh.index) == sorted(rows.index)
    worst = 0.0
    for metric, row in fresh.iterrows():
        for column in ("value", "ci_low", "ci_high", "chance", "chance_high"):
            a, b = float(row[column]), float(rows.loc[metric, column])
            assert _close(a, b), (
                f"{suite}/{dataset}/{run}/seed{seed} {metric} {column}: {a} now, {b} committed"
            )
            if not math.isnan(a) and max(abs(a), abs(b)) > 0:
                worst = max(worst, abs(a - b) / max(abs(a), abs(b)))
    assert (rows["n_samples"].astype(int) == fresh.loc[rows.index, "n_samples"].astype(int)).all()
    print(f"{suite}/{dataset}/{run}/seed{seed}: largest relative difference {worst:.2e}")

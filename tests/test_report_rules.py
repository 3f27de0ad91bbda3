"""The rules a researcher reading the report relies on (issue 26), asserted on a small report
written here from results made up in the test: like with like, no "best" without a
comparison, chance levels, portable file names, one number format per column, the user's
own table first. (Mode alignment balanced per mode: tests/test_registry.py; plain progress
lines without a terminal: tests/test_cli.py.)"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from gan_bench.commands.report import suites_from_results
from gan_bench.report import write_report
from gan_bench.report.tables import leaderboard_frames, summarise


def _row(suite, dataset, run, seed, metric, value, **extra) -> dict:
    row = {
        "suite": suite,
        "dataset": dataset,
        "run": run,
        "variant": "nemgan" if run.startswith("nemgan") else "vanilla",
        "options": "{}",
        "seed": seed,
        "metric": metric,
        "value": value,
        "n_samples": 200,
        "ci_low": np.nan,
        "ci_high": np.nan,
        "ci_method": "",
        "chance": np.nan,
        "chance_high": np.nan,
    }
    return row | extra


def _results() -> pd.DataFrame:
    at_chance = {"chance": 0.5, "chance_high": 0.555}
    rows = [
        # the mnist2 subsets: 200 balanced test digits of 2 classes, encoders at chance
        *[
            _row("nemgan-subsets", "mnist2-90:10", "nemgan-P", s, "acc", v, **at_chance)
            for s, v in enumerate((0.52, 0.50, 0.51))
        ],
        *[
            _row("nemgan-subsets", "mnist2-90:10", "nemgan-P", s, "class_majority", v, **at_chance)
            for s, v in enumerate((0.53, 0.51, 0.52))
        ],
        *[
            _row("nemgan-subsets", "mnist2-90:10", "nemgan-V", s, "acc", v, **at_chance)
            for s, v in enumerate((0.50, 0.49, 0.53))
        ],
        # FCD on our classifier beside NEMGAN's on its own (1.69): never subtracted
        _row(
            "mnist",
            "mnist5k",
            "nemgan-P",
            0,
            "fcd",
            20.0,
            ci_low=18.0,
            ci_high=22.0,
            ci_method="bootstrap B=200",
        ),
        _row(
            "mnist",
            "mnist5k",
            "vanilla",
            0,
            "fcd",
            38.0,
            ci_low=35.0,
            ci_high=41.0,
            ci_method="bootstrap B=200",
        ),
        # a user's generator alone on its dataset: compared with nothing
        _row(
            "eval",
            "fashion-mnist",
            "my-gan",
            0,
            "fcd",
            601.6,
            ci_low=590.0,
            ci_high=612.0,
            ci_method="bootstrap B=200",
        ),
        _row("eval", "fashion-mnist", "my-gan", 0, "classifier_score", 3.2),
    ]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    results = _results()
    write_report(out, results, suites_from_results(results), users_first=True)
    return out


def _section(markdown: str, heading: str) -> str:
    start = markdown.index(f"## {heading}\n")
    end = markdown.find("\n## ", start + 1)
    return markdown[start : end if end > 0 else None]


def test_a_paper_value_from_another_protocol_is_never_subtracted_nor_in_our_column(report):
    comparison = (report / "paper_comparison.md").read_text()
    fcd = next(line for line in comparison.splitlines() if "| mnist5k |" in line and "FCD" in line)
    cells = [c.strip() for c in fcd.strip("|").split("|")]
    assert cells[3] == "1.69" and cells[4] == "20 (n=1)" and cells[5] == "–"
    assert cells[6].startswith("not comparable")
    board = _section((report / "leaderboard.md").read_text(), "mnist5k")
    assert "1.69" not in board and "published" not in board


def test_a_run_compared_with_nothing_is_never_marked_best(report):
    board = _section((report / "leaderboard.md").read_text(), "fashion-mnist")
    assert "my-gan" in board and "**" not in board
    assert "601.600 [590.000, 612.000]b" in board


def test_chance_is_shown_beside_every_clustering_number_and_a_score_within_it_is_not_best(report):
    board = _section((report / "leaderboard.md").read_text(), "mnist2-90:10")
    rows = [line for line in board.splitlines() if line.startswith(("| nemgan-P |", "| nemgan-V |"))]
    assert len(rows) == 2 and all("≈ chance (0.500)" in line for line in rows)
    assert "**" not in board
    comparison = (report / "paper_comparison.md").read_text()
    acc_row = next(line for line in comparison.splitlines() if "MNIST2 90:10 ACC (P)" in line)
    assert acc_row.count("≈ chance (0.5)") == 2  # ours on the paper's definition, and Hungarian ACC
    claim = next(line for line in comparison.splitlines() if "beats nemgan-V on ACC" in line)
    assert "nemgan-P acc 0.51 ± 0.01 (n=3) ≈ chance (0.5)" in claim


def test_no_file_name_holds_a_colon_and_no_cell_shows_a_zero_spread_or_nan(report):
    names = [p.name for p in report.rglob("*")]
    assert any("mnist2-90" in n for n in names)  # the subset's plots are there, under a safe name
    assert not [n for n in names if ":" in n]
    text = (report / "leaderboard.md").read_text() + (report / "paper_comparison.md").read_text()
    assert "± 0 (n=1)" not in text and not re.search(r"\bnan\b", text)


def test_the_user_s_own_table_comes_first_and_only_evaluated_datasets_have_headline_rows(report):
    page = (report / "index.html").read_text()
    assert page.index('id="suite-eval"') < page.index('id="paper-comparison"')
    comparison = (report / "paper_comparison.md").read_text()
    assert "| grid25 |" not in comparison
    assert "did not evaluate (grid25, moons, ring8, stacked-mnist) are left out" in comparison


def test_one_number_format_per_column_and_undefined_values_say_why():
    rows = [
        _row("toy", "ring8", run, s, "kl_uniform", v)
        for run, values in (("a", (0.0086, 0.0090)), ("b", (0.140, 0.150)), ("c", (np.nan, np.nan)))
        for s, v in enumerate(values)
    ]
    board = leaderboard_frames(summarise(pd.DataFrame(rows)))["ring8"].set_index("run")["kl_uniform"]
    assert board["a"].startswith("**0.0088 [0.0063, 0.0113]") and board["b"].startswith(
        "0.1450 ["
    )  # 4 decimals
    assert board["c"] == "undefined (n=0; no high-quality sample in any mode)"


def test_a_variant_below_the_baseline_only_within_chance_does_not_fail_every_variant():
    """Stacked MNIST's "every multi-modal variant covers at least vanilla's modes": GM-GAN
    static's 988, 980, 968 against vanilla's 980, 992, 974 is lower on the mean, but Welch's
    test does not tell them apart; a collapsed MMGAN is told apart."""
    from gan_bench.report.claims import claim_rows

    def claim(runs: dict[str, tuple[float, ...]]) -> pd.Series:
        rows = [
            _row("stacked-mnist", "stacked-mnist", run, s, "stacked_modes", v, variant=run.split("-")[0])
            for run, values in runs.items()
            for s, v in enumerate(values)
        ]
        claims = claim_rows(summarise(pd.DataFrame(rows))).set_index("claim")
        return claims.loc[next(c for c in claims.index if "every multi-modal variant" in c)]

    vanilla = (980.0, 992.0, 974.0)
    tied = claim({"vanilla": vanilla, "gmgan-static": (988.0, 980.0, 968.0)})
    assert (
        tied["met"] == "yes"
        and "lower on the mean, the test does not tell the two apart at the 5% level: gmgan-static (p = 0.69)"
        in tied["measured"]
    )
    short = claim(
        {"vanilla": vanilla, "gmgan-static": (988.0, 980.0, 968.0), "mmgan-sgan-10": (200.0, 180.0, 210.0)}
    )
    assert short["met"] == "NO — falls short: below vanilla's 982: mmgan-sgan-10"


def test_a_merged_report_keeps_the_bundled_runs_training_steps_for_the_claims():
    """`gan-bench report` rebuilds the suites from results files: a run that is the bundled
    benchmarks.toml's keeps its steps (the claims cite them), one with other options has none."""
    import json

    bundled = {"mode": "V", "n_modes": 1000, "offset": 3}
    rows = [
        _row(
            "stacked-mnist",
            "stacked-mnist",
            "nemgan-V-1000",
            0,
            "stacked_modes",
            860.0,
            options=json.dumps(bundled),
        ),
        _row(
            "stacked-mnist",
            "stacked-mnist",
            "vanilla",
            0,
            "stacked_modes",
            980.0,
            options=json.dumps({"lr_g": 1.0}),
        ),
    ]
    (suite,) = suites_from_results(pd.DataFrame(rows))
    steps = {run.name: run.steps for run in suite.runs}
    assert steps == {"nemgan-V-1000": 8000, "vanilla": 0}  # vanilla's options are not the bundled ones
    assert suite.description.startswith("Stacked MNIST")

"""Report folders, results files and configs that used to fail late, obscurely or silently
(issue 29): each error now names the file and what was expected, before any work."""

from __future__ import annotations

import sys
import textwrap

import pandas as pd
import pytest

from gan_bench.bench.config import ConfigError, load_config
from gan_bench.bench.results import ResultsFileError
from gan_bench.cli import main
from gan_bench.commands.eval import evaluate_command
from gan_bench.commands.report import merge_reports
from gan_bench.store.locks import FolderBusyError, file_lock

GENERATOR = """
import numpy as np
from pathlib import Path

def sample(n, seed):
    with open(Path(__file__).with_name("calls.txt"), "a") as log:
        log.write("called\\n")
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, 2)) * 0.05 + rng.integers(-2, 3, size=(n, 2)) * 2.0

def images(n, seed):
    return np.random.default_rng(seed).random((n, 1, 28, 28)).astype(np.float32)
"""


@pytest.fixture
def user_module(tmp_path, monkeypatch):
    """A generator module ``usergen`` importable from tmp_path; calls.txt counts its calls."""
    (tmp_path / "usergen.py").write_text(GENERATOR)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    sys.modules.pop("usergen", None)


def _eval(out, *extra: str, metrics: str = "modes") -> int:
    args = ["--generator", "usergen:sample", "--dataset", "grid25", "--metrics", metrics, "--out", str(out)]
    return main(["eval", *args, *extra])


def test_user_names_render_as_plain_text_in_plots_markdown_and_html(user_module):
    assert _eval("math", "--name", "$\\foo$") == 0  # before: mathtext's ParseFatalException
    assert _eval("math", "--name", "second") == 0  # the folder still renders
    assert _eval("table", "--name", "a|b\nc<b>") == 0
    board = (user_module / "table" / "leaderboard.md").read_text().splitlines()
    row = next(line for line in board if line.startswith("| a"))
    header = next(line for line in board if line.startswith("| run"))
    assert row.startswith("| a\\|b c&lt;b&gt; |")
    assert row.replace("\\|", "").count("|") == header.count("|")  # one row, the table's columns
    page = (user_module / "table" / "index.html").read_text()
    assert "c<b>" not in page and "c&lt;b&gt;" in page  # escaped in the html too


def test_an_out_that_is_a_file_and_a_results_csv_that_is_a_folder_are_refused_before_work(
    user_module, capsys
):
    (user_module / "afile").write_text("keep me")
    assert _eval("afile") == 2
    assert (
        "afile: expected a report folder (new or existing), got an existing file" in capsys.readouterr().err
    )
    assert (user_module / "afile").read_text() == "keep me"
    (user_module / "odd" / "results.csv").mkdir(parents=True)
    with pytest.raises(ResultsFileError, match="results.csv: expected a results.csv file, got a folder"):
        evaluate_command(generator="usergen:sample", dataset="grid25", metrics=["modes"], out="odd")
    assert not (user_module / "calls.txt").exists()  # refused before the generator ran


def test_eval_takes_the_folder_lock_before_the_work(user_module):
    with file_lock(user_module / "busy" / ".run.lock", "gan-bench run"):
        with pytest.raises(FolderBusyError, match="busy is in use by another gan-bench run"):
            evaluate_command(generator="usergen:sample", dataset="grid25", metrics=["modes"], out="busy")
    assert not (user_module / "calls.txt").exists()


def test_eval_with_no_metric_that_applies_exits_non_zero_and_writes_nothing(user_module, capsys):
    code = main(
        ["eval", "--generator", "usergen:images", "--dataset", "mnist5k", "--metrics", "emd", "--out", "none"]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "metrics: none of emd applies to user on mnist5k; the ones that do: fcd" in err
    assert not (user_module / "none" / "results.csv").exists()


def test_report_refuses_one_run_in_two_results_files_whatever_their_metrics(user_module):
    assert _eval("one", "--name", "same") == 0
    assert _eval("two", "--name", "same", metrics="emd") == 0
    with pytest.raises(
        ValueError, match=r"run eval/grid25/same seed 0 appears in both one/results.csv and two/results.csv"
    ):
        merge_reports(["one/results.csv", "two/results.csv"], "merged")


def test_a_results_options_cell_that_is_not_json_names_the_file_and_line(user_module):
    assert _eval("opts") == 0
    table = pd.read_csv("opts/results.csv", dtype=str, keep_default_na=False)
    table.loc[1, "options"] = "{bad"
    table.to_csv("opts/results.csv", index=False)
    with pytest.raises(
        ResultsFileError, match=r"opts/results.csv, line 3: options must be a JSON object, got '\{bad'"
    ):
        merge_reports(["opts/results.csv"], "merged")


SUITE = """
[suites.t]
seeds = [0]
datasets = ["grid25"]
metrics = [{metrics}]
# {comment}
[[suites.t.runs]]
name = "v"
variant = "vanilla"
datasets = ["grid25"]
steps = 10
"""


def test_configs_in_latin1_and_suites_with_a_metric_for_other_data_are_refused_at_load(tmp_path):
    latin = tmp_path / "latin.toml"
    latin.write_bytes(SUITE.format(metrics='"modes"', comment="café").encode("latin-1"))
    with pytest.raises(ConfigError, match=r"latin.toml: expected UTF-8 text .* byte 0xe9 on line 6"):
        load_config(latin)
    fid = tmp_path / "fid.toml"
    fid.write_text(SUITE.format(metrics='"modes", "fid"', comment="-"))
    with pytest.raises(
        ConfigError,
        match=r"'fid' applies only to datasets of kind 'images', and the suite has none: grid25 \(points\)",
    ):
        load_config(fid)


def test_a_missing_models_folder_and_a_checkpoint_on_data_of_another_shape_are_named(
    tmp_path, monkeypatch, capsys
):
    from gan_bench.defaults import models_root
    from gan_bench.store.manifest import read_manifest

    checkpoint = models_root() / read_manifest(models_root())["models"]["toy/grid25/vanilla/seed0"]["path"]
    assert (
        main(["eval", "--checkpoint", str(checkpoint), "--dataset", "mnist5k", "--out", str(tmp_path / "o")])
        == 2
    )
    assert (
        "it generates samples shaped (2,) (trained on grid25), but --dataset mnist5k holds (1, 28, 28)"
        in capsys.readouterr().err
    )
    config = tmp_path / "suite.toml"
    config.write_text(textwrap.dedent(SUITE.format(metrics='"modes"', comment="-")))
    monkeypatch.setenv("GAN_BENCH_MODELS", str(tmp_path / "nowhere"))
    assert main(["run", "--config", str(config), "--out", str(tmp_path / "r")]) == 1
    err = capsys.readouterr().err
    assert f"the models folder {tmp_path / 'nowhere'} does not exist ($GAN_BENCH_MODELS names it)" in err

"""The command line's contract: examples in every --help, one-line errors unless --debug,
--quiet, run --json, and gan-bench list."""

import argparse
import json

import pytest

from gan_bench import progress
from gan_bench.cli import build_parser, main, one_line
from gan_bench.defaults import QUIET_ENV
from gan_bench.store.manifest import read_manifest


@pytest.fixture(autouse=True)
def _restore_quiet(monkeypatch):
    """main(["--quiet", ...]) sets the variable for the process; undo it after each test."""
    monkeypatch.setenv(QUIET_ENV, "0")


def _subcommands() -> list[str]:
    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(actions[0].choices)


def test_every_subcommand_help_has_an_example(capsys):
    names = _subcommands()
    assert {"run", "eval", "report", "list", "train", "data", "variants", "train-classifier"} <= set(names)
    for name in names:
        with pytest.raises(SystemExit) as exit_info:
            main([name, "--help"])
        assert exit_info.value.code == 0
        text = capsys.readouterr().out
        assert "examples:" in text and "gan-bench " in text.split("examples:")[1], name


def test_an_error_is_one_line_without_a_traceback_and_debug_shows_it(capsys):
    assert main(["run", "--suite", "no-such-suite"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "unknown suite 'no-such-suite'" in err and "expected one of: toy" in err
    with pytest.raises(ValueError, match="unknown suite 'no-such-suite'"):
        main(["run", "--suite", "no-such-suite", "--debug"])
    with pytest.raises(ValueError, match="unknown suite"):  # --debug before the subcommand works too
        main(["--debug", "run", "--suite", "no-such-suite"])


def test_an_unexpected_error_names_its_type_on_one_line():
    assert one_line(KeyError("z_dim")) == "KeyError: 'z_dim'"
    assert one_line(ValueError("bad\n  value")) == "bad value"


def test_an_unwritable_output_folder_is_a_clear_error(tmp_path, capsys):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    argv = ["train", "--dataset", "grid25", "--variant", "vanilla", "--steps", "2", "--out", str(blocked)]
    code = main(argv)
    assert code == 2
    err = capsys.readouterr().err
    assert str(blocked) in err and err.count("\n") == 1


def test_quiet_turns_bars_off_and_bars_are_off_without_a_terminal(monkeypatch, tmp_path):
    monkeypatch.setattr(progress.sys.stderr, "isatty", lambda: True)
    assert progress.bars_enabled()
    assert not progress.bars_enabled(False)
    monkeypatch.setattr(progress.sys.stderr, "isatty", lambda: False)
    assert not progress.bars_enabled()  # a log file gets no carriage-return frames
    monkeypatch.setattr(progress.sys.stderr, "isatty", lambda: True)
    assert main(["--quiet", "train", "--dataset", "grid25", "--variant", "vanilla", "--steps", "2",
                 "--out", str(tmp_path / "t")]) == 0  # fmt: skip
    assert not progress.bars_enabled()


def test_run_json_summary(tiny, capsys):
    config, out = tiny
    argv = ["run", "--config", str(config), "--out", str(out)]
    assert main([*argv, "--train-missing", "--json", "--quiet"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["evaluated"] == 2 and summary["trained"] == 2 and summary["missing"] == []
    assert summary["results"] == str(out / "results.csv") and (out / "results.csv").is_file()
    assert main([*argv, "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["reused"] == 2 and again["evaluated"] == 0


def test_list_shows_suites_with_bundled_counts_and_the_checkpoints(tiny, capsys):
    config, out = tiny
    assert main(["list", "--config", str(config)]) == 0
    text = capsys.readouterr().out
    assert "* tiny" in text and "2 models (0 bundled)" in text
    assert "grid25" in text and "mmgan" in text  # datasets and variants sections
    main(["run", "--config", str(config), "--out", str(out), "--train-missing", "--quiet"])
    capsys.readouterr()
    assert main(["list", "--config", str(config)]) == 0
    assert "2 models (2 bundled)" in capsys.readouterr().out
    assert main(["list", "checkpoints"]) == 0
    listed = capsys.readouterr().out
    for key in read_manifest()["models"]:
        assert key in listed


def test_without_a_terminal_progress_is_one_plain_line_per_finished_item(capsys, monkeypatch):
    from gan_bench.progress import Progress

    monkeypatch.delenv("GAN_BENCH_QUIET", raising=False)
    lines = Progress(3, "evaluated")  # pytest's stderr is not a terminal
    for key in ("a/b/c/seed0", "a/b/c/seed1"):
        lines.finished(key)
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and err[0].startswith("evaluated: 1/3 a/b/c/seed0 (") and "s left)" in err[1]
    monkeypatch.setenv("GAN_BENCH_QUIET", "1")
    Progress(1, "evaluated").finished("x")
    assert capsys.readouterr().err == ""


def test_a_reader_that_leaves_early_is_no_error():
    """gan-bench list | head: the closed pipe ends the command quietly, with exit 0 (``true``
    leaves before gan-bench has started, so its first write meets a closed pipe)."""
    import subprocess
    import sys

    command = f"{sys.executable} -m gan_bench.cli data list | true"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True)
    assert done.stderr == "" and done.returncode == 0

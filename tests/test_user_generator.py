"""Your own generator through the same protocols: ``evaluate_generator``, ``gan-bench eval``
and ``gan-bench report``."""

import numpy as np
import pytest
import torch

import gan_bench
from gan_bench.bench.context import SampleSizes
from gan_bench.bench.evaluate import NoApplicableMetricError, evaluate_run
from gan_bench.bench.models import load_reference
from gan_bench.bench.results import read_results
from gan_bench.bench.user_generator import GeneratorOutputError
from gan_bench.cli import main
from gan_bench.data import load

SIZES = SampleSizes(samples=600, emd_samples=400)
KEY = "toy/grid9/vanilla/seed0"


def test_a_generator_function_scores_exactly_as_the_bundled_model_it_wraps():
    model = load_reference(KEY)
    rows = gan_bench.evaluate_generator(
        lambda n, seed: model.sample(n, seed=seed)[0], "grid9", metrics=["modes", "emd"], seed=0, sizes=SIZES
    )
    reference = evaluate_run(model, load("grid9", "test"), ["modes", "emd"], seed=0, sizes=SIZES)
    assert rows["metric"].tolist() == [v.metric for v in reference.values]
    np.testing.assert_array_equal(rows["value"].to_numpy(), [v.value for v in reference.values])
    assert rows["n_samples"].tolist() == [600, 600, 600, 400]


def test_predict_cluster_makes_the_clustering_metrics_apply():
    test = load("grid9", "test")
    means = torch.as_tensor(np.asarray(test.info["means"]), dtype=torch.float32)

    def nearest_mean(x):
        return torch.cdist(torch.as_tensor(x, dtype=torch.float32), means).argmin(1)

    def sample(n, seed):
        g = torch.Generator().manual_seed(seed)
        return means[torch.randint(0, 9, (n,), generator=g)] + 0.1 * torch.randn(n, 2, generator=g)

    rows = gan_bench.evaluate_generator(sample, "grid9", metrics=["clustering"], predict_cluster=nearest_mean)
    values = dict(zip(rows["metric"], rows["value"]))
    # the nearest-mean rule on grid9 (std sqrt(0.1), spacing 1) is right about 86% of the time
    assert values["acc"] > 0.8 and {"nmi", "ari", "purity"} <= set(values)
    with pytest.raises(NoApplicableMetricError, match="none of clustering applies to user on grid9"):
        gan_bench.evaluate_generator(sample, "grid9", metrics=["clustering"])  # no predict_cluster


def _images(n, seed, **change):
    g = torch.Generator().manual_seed(seed)
    return torch.rand(n, 1, 28, 28, generator=g)


@pytest.mark.parametrize(
    "bad,message",
    [
        (lambda n, s: _images(n, s) * 255, r"expected float images in \[0, 1\].*got values in"),
        (lambda n, s: _images(n, s) - 0.5, r"expected float images in \[0, 1\]"),
        (
            lambda n, s: (_images(n, s) * 9).long(),
            r"expected uint8, float32 or float64 images, got dtype torch.int64",
        ),
        (lambda n, s: _images(n, s).masked_fill(torch.rand(n, 1, 28, 28) < 0.01, float("nan")), r"NaN/inf"),
        (lambda n, s: _images(n + 1, s), r"expected shape \(16, 1, 28, 28\), got \(17, 1, 28, 28\)"),
        (lambda n, s: _images(n, s)[:, :, :14], r"expected shape \(16, 1, 28, 28\), got \(16, 1, 14, 28\)"),
        (lambda n, s: torch.rand(n, 784), r"expected shape \(16, 1, 28, 28\), got \(16, 784\)"),
        (lambda n, s: _images(n, s + int(torch.randint(0, 10**6, (1,)))), r"same samples for the same seed"),
        (lambda n, s: [[0.5] * 784] * n, r"expected a numpy array or torch tensor"),
    ],
)
def test_bad_generator_output_is_refused_with_what_was_expected(bad, message):
    with pytest.raises(GeneratorOutputError, match=message):
        gan_bench.evaluate_generator(bad, "mnist5k", metrics=["fcd"])


def test_bad_cluster_output_and_unknown_metrics_are_refused():
    with pytest.raises(ValueError, match="unknown metric"):
        gan_bench.evaluate_generator(_images, "mnist5k", metrics=["fcd", "sharpness"])

    def sample(n, seed):
        return torch.zeros(n, 2) + seed

    with pytest.raises(GeneratorOutputError, match="expected 5000 non-negative cluster indices, got 3"):
        gan_bench.evaluate_generator(
            sample, "grid9", metrics=["clustering"], predict_cluster=lambda x: [0, 1, 2]
        )


GENERATOR_MODULE = """
import torch
from torch import nn

torch.manual_seed(0)
NET = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 2))


@torch.no_grad()
def sample(n, seed):
    z = torch.randn(n, 4, generator=torch.Generator().manual_seed(seed))
    return NET(z) * 2
"""


def test_eval_command_and_report_merge_put_a_user_row_beside_ours(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "toy_user_gen.py").write_text(GENERATOR_MODULE)
    mine, ours, merged = tmp_path / "mine", tmp_path / "ours", tmp_path / "merged"
    assert main(["eval", "--generator", "toy_user_gen:sample", "--dataset", "grid9", "--out", str(mine)]) == 0
    printed = capsys.readouterr().out
    assert "grid9 sample seed 0: modes = " in printed and "(n=2500)" in printed  # the toy suite's sizes
    from gan_bench.defaults import default_models_dir

    checkpoint = default_models_dir() / "toy" / "grid9" / "vanilla" / "seed0.pt"
    assert (
        main(["eval", "--checkpoint", str(checkpoint), "--out", str(ours), "--name", "vanilla (ours)"]) == 0
    )
    bundled = read_results(ours / "results.csv")
    assert set(bundled["dataset"]) == {"grid9"} and bundled["variant"].iloc[0] == "vanilla"

    assert (
        main(
            [
                "report",
                "--results",
                str(mine / "results.csv"),
                str(ours / "results.csv"),
                "--out",
                str(merged),
            ]
        )
        == 0
    )
    rows = read_results(merged / "results.csv")
    assert set(rows["run"]) == {"sample", "vanilla (ours)"}
    board = (merged / "leaderboard.md").read_text()
    assert "| sample | user |" in board and "| vanilla (ours) | vanilla |" in board
    assert (merged / "plots" / "eval_grid9_samples.png").is_file()  # the per-run files came along

    # misuse is a one-line error naming what was expected
    assert (
        main(["eval", "--checkpoint", str(checkpoint), "--metrics", "modes,sharpness", "--out", str(ours)])
        == 2
    )
    assert "unknown metric(s) sharpness" in capsys.readouterr().err
    # the same run in two files is refused, naming it
    assert (
        main(
            [
                "report",
                "--results",
                str(mine / "results.csv"),
                str(mine / "results.csv"),
                "--out",
                str(tmp_path / "x"),
            ]
        )
        == 2
    )
    assert f"results file {mine / 'results.csv'} is given twice" in capsys.readouterr().err


def test_the_readme_example_generator_runs_through_gan_bench_eval(tmp_path, monkeypatch, capsys):
    """examples/my_generator.py, as the README runs it (with two metrics, for time)."""
    from pathlib import Path

    monkeypatch.chdir(Path(__file__).resolve().parent.parent / "examples")
    out = tmp_path / "mine"
    argv = [
        "eval",
        "--generator",
        "my_generator:sample",
        "--dataset",
        "mnist5k",
        "--metrics",
        "fcd,class_histogram",
    ]
    assert main([*argv, "--out", str(out)]) == 0
    assert "mnist5k sample seed 0: fcd = " in capsys.readouterr().out
    rows = read_results(out / "results.csv")
    assert set(rows["metric"]) == {"fcd", "class_kl"} and (rows["n_samples"] == 2000).all()
    assert (out / "index.html").is_file()


def test_eval_of_a_bundled_checkpoint_checks_its_sha256(tmp_path, monkeypatch, capsys):
    """A bundled file whose bytes no longer match the manifest is refused on this path too."""
    import shutil

    from gan_bench.defaults import default_models_dir

    models = tmp_path / "models"
    shutil.copytree(default_models_dir() / "toy" / "grid9", models / "toy" / "grid9")
    shutil.copy(default_models_dir() / "manifest.json", models / "manifest.json")
    monkeypatch.setenv("GAN_BENCH_MODELS", str(models))
    checkpoint = models / "toy" / "grid9" / "vanilla" / "seed0.pt"
    data = bytearray(checkpoint.read_bytes())
    data[-100] ^= 0xFF
    checkpoint.write_bytes(bytes(data))
    assert main(["eval", "--checkpoint", str(checkpoint), "--out", str(tmp_path / "out")]) == 2
    assert "sha256" in capsys.readouterr().err


def test_the_api_scores_at_the_suite_sizes_as_the_cli_does():
    from gan_bench.bench.config import load_config

    rows = gan_bench.evaluate_generator(_images, "mnist5k", metrics=["fcd"])
    assert rows["n_samples"].tolist() == [load_config().suites["mnist"].sizes.samples]


def test_a_users_mixture_latent_generator_gets_every_per_mode_protocol(tmp_path, monkeypatch, capsys):
    """examples/mixture_generator.py (a Gaussian per digit class, issue 27): through
    `gan-bench eval`, its modes are scored against the classes, its image grid has a row per
    mode, and the latent-scale sweep runs; a function without modes skips them with the reason."""
    from pathlib import Path

    from gan_bench.bench.metrics_images import SWEEP_SCALES
    from gan_bench.bench.results import RunId, load_artifacts

    monkeypatch.chdir(Path(__file__).resolve().parent.parent / "examples")
    out = tmp_path / "mine"
    argv = ["eval", "--generator", "mixture_generator:GENERATOR", "--dataset", "mnist5k", "--quiet"]
    assert main([*argv, "--metrics", "mode_alignment,qd_sweep,fcd", "--out", str(out)]) == 0
    rows = read_results(out / "results.csv").set_index("metric")
    assert rows.loc["mode_acc", "value"] > 0.8  # each Gaussian draws its own digit
    arrays, notes = load_artifacts(RunId("eval", "mnist5k", "GENERATOR", 0).artifact_path(out))
    assert arrays.image_grid.shape[:2] == (10, 8) and notes.grid_rows_are_modes is True
    assert "qd_sweep" not in notes.skipped
    assert len(arrays.sweep_quality) == len(arrays.sweep_scales) == len(SWEEP_SCALES)
    # the same samples as a plain function: no modes, no scale, and each protocol says why
    plain = tmp_path / "plain"
    argv[2] = "my_generator:sample"
    assert main([*argv, "--metrics", "qd_sweep,fcd", "--out", str(plain)]) == 0
    _, notes = load_artifacts(RunId("eval", "mnist5k", "sample", 0).artifact_path(plain))
    assert notes.skipped["qd_sweep"] == "the generator takes no latent scale"
    assert notes.grid_rows_are_modes is False


def test_a_generator_object_is_checked_against_the_protocol():
    from gan_bench.bench.user_generator import Generator, as_generator

    class NoModeKeyword:
        n_modes = 3

        def sample(self, n, seed):
            return torch.zeros(n, 2)

    class Modal:
        n_modes = 3

        def sample(self, n, seed, *, mode=None, scale=1.0):
            return torch.zeros(n, 2)

    assert isinstance(Modal(), Generator)
    assert as_generator(Modal())[1:] == (3, {"mode", "scale"})
    with pytest.raises(TypeError, match="n_modes = 3, but .* takes no mode= keyword"):
        as_generator(NoModeKeyword())
    with pytest.raises(TypeError, match="expected a positive int or None, got 0"):
        as_generator(type("Zero", (Modal,), {"n_modes": 0})())
    assert as_generator(lambda n, seed: torch.zeros(n, 2))[1:] == (None, set())

"""Arguments that used to fail obscurely or return a wrong number silently (issue 29)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import ot
import pytest

from gan_bench.bench.metric_declarations import check_metric_names
from gan_bench.bench.train import train
from gan_bench.cli import main
from gan_bench.metrics import emd
from gan_bench.store.locks import file_lock
from gan_bench.validation import check_seed


def test_emd_that_stops_before_the_optimum_is_an_error_not_a_smaller_number():
    rng = np.random.default_rng(0)
    x, y = rng.random((60, 2)), rng.random((60, 2)) + 0.3
    exact = ot.emd2(np.full(60, 1 / 60), np.full(60, 1 / 60), ot.dist(x, y, metric="euclidean"))
    assert emd(x, y) == pytest.approx(exact, rel=1e-12)
    with pytest.raises(
        RuntimeError, match=r"did not reach the optimum in max_iter=1 iterations.*upper bound"
    ):
        emd(x, y, max_iter=1)
    for bad in (-1, 0, 2.5):
        with pytest.raises(ValueError, match=f"max_iter: expected an integer >= 1, got {bad!r}"):
            emd(x, y, max_iter=bad)


def test_seeds_beyond_what_the_generators_take_are_refused(tmp_path, capsys):
    assert check_seed(0) == 0 and check_seed(2**63 - 1) == 2**63 - 1
    for bad in (-1, 2**63, 99999999999999999999999, 1.5, True):
        with pytest.raises(ValueError, match=r"seed: expected an integer in \[0, 2\*\*63 - 1\]"):
            check_seed(bad)
    with pytest.raises(ValueError, match="seed: expected an integer"):
        train("grid25", "vanilla", seed=2**64, steps=2, out_dir=tmp_path / "t", progress=False)
    big = "99999999999999999999999"
    assert (
        main(["train", "--dataset", "grid25", "--variant", "vanilla", "--seed", big, "--out", str(tmp_path)])
        == 2
    )
    assert f"got {big}" in capsys.readouterr().err


def test_checkpoint_every_zero_and_an_empty_metric_name_are_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="checkpoint_every: expected a positive number of steps, got 0"):
        train("grid25", "vanilla", steps=2, out_dir=tmp_path, progress=False, checkpoint_every=0)
    with pytest.raises(ValueError, match=r"an empty metric name in \['modes', ''\] \(a stray comma\?\)"):
        check_metric_names(["modes", ""])


def test_empty_inputs_fractional_k_and_repeated_mode_centres_are_named():
    from gan_bench.metrics import (
        class_histogram,
        mode_report,
        precision_recall_density_coverage,
        stacked_mnist_modes,
    )

    with pytest.raises(ValueError, match="predicted_labels: expected at least 1 samples, got 0"):
        class_histogram(np.array([], dtype=int), 10)
    with pytest.raises(ValueError, match="digits: expected at least 1 samples, got 0"):
        stacked_mnist_modes(np.zeros((0, 3), dtype=int))
    x = np.random.default_rng(1).random((20, 2))
    with pytest.raises(ValueError, match="k: expected an integer >= 1, got 2.5"):
        precision_recall_density_coverage(x, x, k=2.5)
    means = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 0.0]])
    with pytest.raises(ValueError, match=r"expected 3 distinct mode centres, got 2: rows \[2\] repeat"):
        mode_report(x, means, 0.1)


def test_a_generator_without_the_channel_axis_is_refused_not_scored():
    import torch

    from gan_bench.bench.user_generator import GeneratorOutputError, evaluate_generator

    def no_channel(n, seed):
        return torch.rand(n, 28, 28, generator=torch.Generator().manual_seed(seed))

    with pytest.raises(GeneratorOutputError, match=r"expected shape \(\d+, 1, 28, 28\), got \(\d+, 28, 28\)"):
        evaluate_generator(no_channel, "mnist5k", metrics=["fcd"])


def test_a_checkpoint_without_its_keys_and_a_missing_results_file_are_named(tmp_path):
    import torch

    from gan_bench.commands.report import merge_reports
    from gan_bench.store.checkpoints import CHECKPOINT_FORMAT, CheckpointError, read_checkpoint

    torch.save({"format_version": CHECKPOINT_FORMAT, "config": {}}, tmp_path / "partial.pt")
    with pytest.raises(CheckpointError, match="expected the keys variant, .*; missing variant, data_shape"):
        read_checkpoint(tmp_path / "partial.pt")
    with pytest.raises(FileNotFoundError, match="nope/results.csv: does not exist; expected a results.csv"):
        merge_reports([tmp_path / "nope" / "results.csv"], tmp_path / "out")
    with pytest.raises(FileNotFoundError, match="is a folder; expected a results.csv"):
        merge_reports([tmp_path], tmp_path / "out")


def test_more_jobs_than_cpus_warns_and_the_pool_never_exceeds_the_cells(monkeypatch):
    import os

    from gan_bench.bench import executors
    from gan_bench.bench.executors import LocalExecutor

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    with pytest.warns(RuntimeWarning, match="jobs: 1000 parallel jobs on 2 CPUs"):
        executor = LocalExecutor(1000)
    sizes = []
    pool = executors.ProcessPoolExecutor

    def recording_pool(workers, **kwargs):
        sizes.append(workers)
        return pool(workers, **kwargs)

    monkeypatch.setattr(executors, "ProcessPoolExecutor", recording_pool)
    assert list(executor.map(abs, [-1, -2, 3])) == [1, 2, 3]
    assert sizes == [3]  # as many workers as cells, not 1000


def test_kid_refuses_a_nan_coef0_and_features_whose_kernel_overflows():
    from gan_bench.metrics import kid

    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(40, 8)), rng.normal(size=(40, 8)) + 0.5
    mean, std = kid(x, y, n_subsets=5, subset_size=20)
    assert np.isfinite(mean) and np.isfinite(std)
    with pytest.raises(ValueError, match="coef0: expected a finite number, got nan"):
        kid(x, y, coef0=float("nan"))
    for scale in (1e30, 1e60):  # before: std inf, then (nan, nan)
        with pytest.raises(ValueError, match="overflows float64 for these features"):
            kid(x * scale, y * scale, n_subsets=5, subset_size=20)


KILL_CONFIG = """
[suites.kill]
seeds = [0]
datasets = ["grid25"]
metrics = ["modes"]
samples = 300

[[suites.kill.runs]]
name = "vanilla"
variant = "vanilla"
datasets = ["grid25"]
steps = 2500

[[suites.kill.runs]]
name = "wgan-gp"
variant = "wgan-gp"
datasets = ["grid25"]
steps = 1200
"""


def _children(pid: int) -> set[int]:
    """The live processes whose parent is ``pid`` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow  # two short trainings and their reruns: about a minute
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_workers_die_with_a_killed_driver_and_the_rerun_takes_the_folder(tmp_path, how):
    config = tmp_path / "benchmarks.toml"
    config.write_text(KILL_CONFIG)
    env = {**os.environ, "GAN_BENCH_MODELS": str(tmp_path / "models"), "GAN_BENCH_QUIET": "1"}
    env["GAN_BENCH_RUNS"] = str(tmp_path / "runs")
    cmd = [sys.executable, "-m", "gan_bench.cli", "run", "--config", str(config), "--out", str(tmp_path)]
    driver = subprocess.Popen([*cmd, "--jobs", "2", "--train-missing"], env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while len(workers) < 2 and time.monotonic() < deadline and driver.poll() is None:
        workers = _children(driver.pid)
        time.sleep(0.05)
    assert len(workers) == 2, f"expected two pool workers, saw {workers}"
    while not any((tmp_path / "runs").rglob("checkpoint.pt")) and time.monotonic() < deadline:
        time.sleep(0.05)  # both are training: a resume checkpoint is on disk
    os.kill(driver.pid, how)
    driver.wait(timeout=30)
    deadline = time.monotonic() + 15
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers), "a pool worker outlived its killed driver"
    rerun = subprocess.run([*cmd, "--train-missing"], env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert "in use by another" not in rerun.stderr
    assert "trained 2" in rerun.stdout


HOLD_AND_FORK = """
import os, sys, time
from pathlib import Path
from gan_bench.store.locks import file_lock
with file_lock(Path(sys.argv[1]), "test"):
    child = os.fork()
    if child == 0:  # a worker that outlives the driver, holding nothing
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 1), os.dup2(null, 2)  # the test reads the driver's output to its end
        time.sleep(30)
        os._exit(0)
    print(child, flush=True)
    os._exit(0)  # the driver dies inside the lock, without unlocking
"""


def test_a_lock_ends_with_the_process_that_took_it_not_with_its_forked_children(tmp_path):
    lock = tmp_path / ".run.lock"
    done = subprocess.run([sys.executable, "-c", HOLD_AND_FORK, str(lock)], capture_output=True, text=True)
    child = int(done.stdout)
    try:
        assert _alive(child)
        with file_lock(lock, "test"):  # refused with FolderBusyError if the child held it
            pass
    finally:
        os.kill(child, signal.SIGKILL)

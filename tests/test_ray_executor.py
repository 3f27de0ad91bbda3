"""``gan-bench run --executor ray`` against a real Ray head node on loopback.

The cluster tests start ``ray start --head`` on a free port and stop it afterwards; they
are slow (Ray's processes, and torch imported in each worker) and run in CI's slow pass.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from conftest import TINY

from gan_bench.bench.results import RUN_COLUMNS
from gan_bench.cli import main
from gan_bench.commands.run import run_suites
from gan_bench.defaults import QUIET_ENV, models_root
from gan_bench.store.checksums import sha256_of
from gan_bench.store.manifest import read_manifest

ROOT = Path(__file__).resolve().parents[1]
RAY = Path(sys.executable).parent / "ray"
# two seeds, and sample sizes that keep each evaluation task busy for about a second
GRID = TINY.replace("seeds = [0]", "seeds = [0, 1]").replace("samples = 300", "samples = 2500")
GRID = GRID.replace("emd_samples = 200", "emd_samples = 2000")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def ray_head():
    """A Ray head node on 127.0.0.1 for this module's tests; its address. Token
    authentication is on, with a token of the test's own in the environment of the head and
    of every driver (this process and its subprocesses), as Ray's docs set up a cluster."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("RAY_AUTH_MODE", "token")
        env.setenv("RAY_AUTH_TOKEN", secrets.token_hex(32))
        yield from _head()


def _head():
    port = _free_port()
    started = subprocess.run(
        [
            str(RAY),
            "start",
            "--head",
            "--node-ip-address=127.0.0.1",
            f"--port={port}",
            "--num-cpus=2",
            "--include-dashboard=false",
            "--disable-usage-stats",
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert started.returncode == 0, started.stderr[-2000:]
    try:
        yield f"127.0.0.1:{port}"
    finally:
        subprocess.run([str(RAY), "stop", "--force"], capture_output=True, timeout=180)


@pytest.fixture
def grid(tmp_path, monkeypatch):
    """The two-seed tiny suite with its own models/ and runs/; returns its config path."""
    monkeypatch.setenv("GAN_BENCH_MODELS", str(tmp_path / "models"))
    monkeypatch.setenv("GAN_BENCH_RUNS", str(tmp_path / "runs"))
    config = tmp_path / "benchmarks.toml"
    config.write_text(GRID)
    return config


def _sorted_lines(path: Path) -> list[str]:
    return sorted(path.read_text().splitlines())


def test_ray_is_an_optional_extra_that_dev_installs():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert not any(dep.startswith("ray") for dep in project["dependencies"])
    assert any(dep.startswith("ray") for dep in project["optional-dependencies"]["ray"])
    assert any(dep.startswith("ray") for dep in project["optional-dependencies"]["dev"])  # CI runs these


def test_executor_ray_without_ray_is_a_one_line_error(grid, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError
    code = main(["run", "--config", str(grid), "--out", str(grid.parent / "out"), "--executor", "ray"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1
    assert "needs Ray" in err and "pip install 'gan-bench[ray]'" in err
    assert not (grid.parent / "out").exists()  # nothing written


def test_address_without_ray_executor_is_refused(grid, capsys):
    code = main(
        ["run", "--config", str(grid), "--out", str(grid.parent / "out"), "--address", "10.0.0.1:6379"]
    )
    assert code == 2 and "--address is for --executor ray" in capsys.readouterr().err


@pytest.mark.slow
def test_ray_results_equal_the_local_executor(grid, ray_head):
    local = run_suites(config_path=grid, out=grid.parent / "local", train_missing=True, progress=False)
    assert local.trained == 4 and local.evaluated == 4
    remote = run_suites(
        config_path=grid, out=grid.parent / "ray", executor="ray", address=ray_head, progress=False
    )
    assert remote.evaluated == 4 and remote.trained == 0
    assert _sorted_lines(grid.parent / "ray" / "results.csv") == _sorted_lines(
        grid.parent / "local" / "results.csv"
    )
    # the per-run files the report reads came back too
    assert len(list((grid.parent / "ray" / "runs").rglob("*.npz"))) == 4


@pytest.mark.slow
def test_ray_train_missing_bundles_checkpoints_in_the_driver(grid, ray_head):
    summary = run_suites(
        config_path=grid,
        out=grid.parent / "out",
        executor="ray",
        address=ray_head,
        train_missing=True,
        progress=False,
    )
    assert summary.trained == 4 and summary.evaluated == 4 and not summary.missing
    manifest = read_manifest()["models"]
    assert sorted(manifest) == [
        f"tiny/grid25/{run}/seed{seed}" for run in ("mmgan-sgan", "vanilla") for seed in (0, 1)
    ]
    for entry in manifest.values():
        assert sha256_of(models_root() / entry["path"]) == entry["sha256"]
        assert entry["steps"] == 30 and entry["train_metrics"]["train_seconds"] > 0
    # the tasks trained in temporary folders of their own, not in the driver's runs/
    assert not (grid.parent / "runs").exists()
    results = pd.read_csv(grid.parent / "out" / "results.csv")
    assert results.groupby(RUN_COLUMNS).ngroups == 4


def _task_processes(name: str) -> list[int]:
    """PIDs of Ray workers running task ``name`` now (their title is ray::<name>)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes().split(b"\0")[0].decode()
            except OSError:
                continue
            if title.startswith(f"ray::{name}"):
                pids.append(int(entry.name))
    return pids


@pytest.mark.slow
def test_killed_ray_worker_is_retried_and_every_cell_is_done_once(grid, ray_head):
    local = run_suites(config_path=grid, out=grid.parent / "local", train_missing=True, progress=False)
    assert local.evaluated == 4
    out = grid.parent / "ray"
    command = [
        sys.executable, "-m", "gan_bench.cli", "run", "--config", str(grid), "--out", str(out),
        "--executor", "ray", "--address", ray_head, "--quiet",
    ]  # fmt: skip
    driver = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed = None
    deadline = time.monotonic() + 240
    while killed is None and driver.poll() is None and time.monotonic() < deadline:
        running = _task_processes("evaluate_job")
        if running:
            killed = running[0]
            os.kill(killed, signal.SIGKILL)
        time.sleep(0.02)
    stdout, stderr = driver.communicate(timeout=600)
    assert killed is not None, "no evaluation task was seen running, so none was killed"
    assert driver.returncode == 0, stderr[-2000:]
    results = pd.read_csv(out / "results.csv")
    assert not results.duplicated([*RUN_COLUMNS, "metric"]).any()
    assert results.groupby(RUN_COLUMNS).ngroups == 4
    assert _sorted_lines(out / "results.csv") == _sorted_lines(grid.parent / "local" / "results.csv")


@pytest.mark.slow
def test_a_damaged_checkpoint_fails_in_the_task_with_the_one_line_error(grid, ray_head, capsys, monkeypatch):
    monkeypatch.setenv(QUIET_ENV, "1")  # no per-model progress lines: stderr holds only the error
    run_suites(config_path=grid, out=grid.parent / "local", train_missing=True, progress=False)
    entry = read_manifest()["models"]["tiny/grid25/vanilla/seed1"]
    path = models_root() / entry["path"]
    blob = bytearray(path.read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    path.write_bytes(bytes(blob))
    out = grid.parent / "ray"
    argv = ["run", "--config", str(grid), "--out", str(out), "--executor", "ray", "--address", ray_head]
    code = main(argv)
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1
    assert "tiny/grid25/vanilla/seed1.pt" in err and "does not match the manifest's" in err
    assert "RayTaskError" not in err

import numpy as np
import pytest
import torch


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(1234)


@pytest.fixture(autouse=True)
def _seed_torch() -> None:
    torch.manual_seed(0)


TINY = """
default_suites = ["tiny"]
[suites.tiny]
seeds = [0]
datasets = ["grid25"]
metrics = ["modes", "emd", "clustering"]
samples = 300
emd_samples = 200

[[suites.tiny.runs]]
name = "vanilla"
variant = "vanilla"
datasets = ["grid25"]
steps = 30

[[suites.tiny.runs]]
name = "mmgan-sgan"
variant = "mmgan"
datasets = ["grid25"]
steps = 30
options = { loss = "sgan" }
"""


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    """A two-run grid25 suite with its own empty models/ and runs/ folders; returns
    (config path, report folder)."""
    monkeypatch.setenv("GAN_BENCH_MODELS", str(tmp_path / "models"))
    monkeypatch.setenv("GAN_BENCH_RUNS", str(tmp_path / "runs"))
    config = tmp_path / "benchmarks.toml"
    config.write_text(TINY)
    return config, tmp_path / "reports"

"""A model trained on full MNIST is never tested on mnist5k, whose 5000 digits are MNIST
training digits (issue 23: the NEMGAN subsets from full MNIST). The checkpoint records which
digits it saw; evaluation and resuming check it."""

from __future__ import annotations

import numpy as np
import pytest

from gan_bench.bench.provenance import SeenDigitsError, check_unseen
from gan_bench.bench.train import train
from gan_bench.data import _load_cached, load
from gan_bench.data import images as img
from gan_bench.data.idx import write_idx
from gan_bench.store.checkpoints import read_checkpoint


@pytest.fixture
def full_mnist(tmp_path, monkeypatch):
    """Stand-in IDX files of "full MNIST" under GAN_BENCH_DATA/mnist (random digits)."""
    rng = np.random.default_rng(0)
    for prefix, n in (("train", 600), ("t10k", 200)):
        write_idx(
            tmp_path / "data" / "mnist" / f"{prefix}-images-idx3-ubyte",
            rng.integers(0, 256, (n, 28, 28), np.uint8),
        )
        write_idx(
            tmp_path / "data" / "mnist" / f"{prefix}-labels-idx1-ubyte",
            rng.integers(0, 10, n).astype(np.uint8),
        )

    def use(present: bool) -> None:
        if present:
            monkeypatch.setenv("GAN_BENCH_DATA", str(tmp_path / "data"))
        else:
            monkeypatch.delenv("GAN_BENCH_DATA", raising=False)
        _load_cached.cache_clear()

    yield use
    _load_cached.cache_clear()


def test_the_datasets_say_which_digits_they_hold(full_mnist):
    full_mnist(False)
    assert load("mnist2-90:10", "test").info["digits_from"] == "mnist5k"
    assert load("mnist5k", "test").info["digits_from"] == "mnist5k"
    assert "digits_from" not in load("grid25", "test").info
    full_mnist(True)
    assert load("mnist2-90:10", "test").info["digits_from"] == "mnist"
    assert load("mnist5", "test").info["digits_from"] == "mnist"
    assert load("stacked-mnist", "test", n=50).info["digits_from"] == "mnist"
    assert img.digits_of(img.MNIST5K_SOURCE) == "mnist5k"


def test_a_model_trained_on_full_mnist_is_not_tested_on_mnist5k(full_mnist, tmp_path):
    full_mnist(True)
    run = train("mnist2-90:10", "vanilla", steps=2, out_dir=tmp_path / "full", progress=False)
    payload = read_checkpoint(run.model_path)
    assert payload["train_digits"] == "mnist"
    assert read_checkpoint(tmp_path / "full" / "checkpoint.pt")["train_digits"] == "mnist"
    check_unseen(payload, load("mnist2-90:10", "test").info, "here")  # MNIST's test split: fine
    full_mnist(False)
    with pytest.raises(SeenDigitsError, match="tested on digits it was trained on.*import-mnist"):
        check_unseen(payload, load("mnist2-90:10", "test").info, "here")
    small = train("mnist2-90:10", "vanilla", steps=2, out_dir=tmp_path / "small", progress=False)
    small_payload = read_checkpoint(small.model_path)
    assert small_payload["train_digits"] == "mnist5k"
    check_unseen(small_payload, load("mnist2-90:10", "test").info, "here")
    full_mnist(True)
    check_unseen(small_payload, load("mnist2-90:10", "test").info, "here")  # MNIST's test split
    # resuming the full-MNIST run on mnist5k's digits is refused, and its files stay
    full_mnist(False)
    before = (tmp_path / "full" / "checkpoint.pt").read_bytes()
    with pytest.raises(ValueError, match="trained on mnist digits and would resume on mnist5k"):
        train("mnist2-90:10", "vanilla", steps=4, out_dir=tmp_path / "full", resume=True, progress=False)
    assert (tmp_path / "full" / "checkpoint.pt").read_bytes() == before


def test_the_runner_checks_before_it_evaluates(full_mnist, tmp_path, monkeypatch):
    """evaluate_job refuses the pairing before any metric runs."""
    from types import SimpleNamespace

    from gan_bench.bench import runner

    full_mnist(True)
    run = train("mnist2-90:10", "vanilla", steps=2, out_dir=tmp_path / "full", progress=False)
    payload = read_checkpoint(run.model_path)
    full_mnist(False)
    monkeypatch.setattr(runner, "evaluate_run", lambda *a, **k: pytest.fail("evaluated"))
    job = SimpleNamespace(
        run=SimpleNamespace(dataset="mnist2-90:10"),
        bundle=SimpleNamespace(payload=lambda: payload, path="models/x.pt"),
    )
    with pytest.raises(SeenDigitsError, match="bundled checkpoint models/x.pt"):
        runner.evaluate_job(job)

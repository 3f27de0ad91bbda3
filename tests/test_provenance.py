"""A model trained on full MNIST is never tested on mnist5k, whose 5000 digits are MNIST
training digits (issue 23: the NEMGAN subsets from full MNIST). The checkpoint records which
digits it saw; evaluation and resuming check it. Since the NEMGAN subsets need full MNIST,
Stacked MNIST is the dataset whose digits depend on the machine (full MNIST where found, else
mnist5k)."""

from __future__ import annotations

import numpy as np
import pytest

from gan_bench.bench.context import SampleSizes
from gan_bench.bench.provenance import SeenDigitsError, check_unseen, trained_on
from gan_bench.bench.runner import evaluation_settings
from gan_bench.bench.train import train
from gan_bench.data import DatasetNotFoundError, _load_cached, data_identity, datasets, load
from gan_bench.data import images as img
from gan_bench.data.idx import write_idx
from gan_bench.store.checkpoints import read_checkpoint


@pytest.fixture
def full_mnist(tmp_path, monkeypatch):
    """Stand-in IDX files of "full MNIST" under GAN_BENCH_DATA/mnist (random digits), an empty
    gan-bench cache (so that no MNIST imported on this machine is found), and small Stacked
    MNIST splits; ``use(present)`` puts them where loads look, or not."""
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
    monkeypatch.setenv("GAN_BENCH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(datasets, "STACKED_SIZES", {"train": 300, "test": 100})

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
    assert load("stacked-mnist", "test").info["digits_from"] == "mnist5k"
    assert load("mnist5k", "test").info["digits_from"] == "mnist5k"
    assert "digits_from" not in load("grid25", "test").info
    with pytest.raises(DatasetNotFoundError, match="import-mnist --download"):
        load("mnist2-90:10", "test")  # the subsets are full MNIST's, never mnist5k's
    assert data_identity("stacked-mnist") == {"digits": "mnist5k"}
    full_mnist(True)
    assert load("mnist2-90:10", "test").info["digits_from"] == "mnist"
    assert load("mnist5", "test").info["digits_from"] == "mnist"
    assert load("stacked-mnist", "test").info["digits_from"] == "mnist"
    assert data_identity("stacked-mnist") == {"digits": "mnist"}
    assert img.digits_of(img.MNIST5K_SOURCE) == "mnist5k"
    # only a dataset built from the MNIST at hand varies by machine; the subsets, redefined on
    # full MNIST, carry their definition's version
    assert [data_identity(name) for name in ("mnist5k", "mnist", "grid25", "fmnist5")] == [{}] * 4
    assert data_identity("mnist2-90:10") == data_identity("mnist5") == {"version": 2}


def test_a_result_counts_only_for_the_digits_it_was_computed_on(full_mnist):
    """The runner's reuse key (``evaluation_settings``) names Stacked MNIST's digits, so a
    result computed on mnist5k's stacks is evaluated again once full MNIST is imported, and the
    subsets' version, so that results from their mnist5k days are not reused."""
    sizes = SampleSizes()
    full_mnist(False)
    before = evaluation_settings(["stacked"], sizes, "stacked-mnist")
    fixed = evaluation_settings(["clustering"], sizes, "mnist5k")
    full_mnist(True)
    after = evaluation_settings(["stacked"], sizes, "stacked-mnist")
    assert (before["data"], after["data"]) == ({"digits": "mnist5k"}, {"digits": "mnist"})
    assert {k: v for k, v in before.items() if k != "data"} == {k: v for k, v in after.items() if k != "data"}
    assert evaluation_settings(["clustering"], sizes, "mnist5k") == fixed and "data" not in fixed
    assert evaluation_settings(["clustering"], sizes, "mnist2-90:10")["data"] == {"version": 2}


def test_a_model_trained_on_full_mnist_is_not_tested_on_mnist5k(full_mnist, tmp_path):
    full_mnist(True)
    run = train("stacked-mnist", "vanilla", steps=2, out_dir=tmp_path / "full", progress=False)
    payload = read_checkpoint(run.model_path)
    assert payload["train_digits"] == "mnist"
    assert read_checkpoint(tmp_path / "full" / "checkpoint.pt")["train_digits"] == "mnist"
    check_unseen(payload, load("stacked-mnist", "test").info, "here")  # MNIST's test split: fine
    assert trained_on(payload, load("stacked-mnist", "test").info) == "full MNIST's training digits"
    full_mnist(False)
    with pytest.raises(SeenDigitsError, match="tested on digits it was trained on.*import-mnist"):
        check_unseen(payload, load("stacked-mnist", "test").info, "here")
    small = train("stacked-mnist", "vanilla", steps=2, out_dir=tmp_path / "small", progress=False)
    small_payload = read_checkpoint(small.model_path)
    assert small_payload["train_digits"] == "mnist5k"
    check_unseen(small_payload, load("stacked-mnist", "test").info, "here")
    full_mnist(True)
    check_unseen(small_payload, load("stacked-mnist", "test").info, "here")  # MNIST's test split
    assert trained_on(small_payload, load("stacked-mnist", "test").info).startswith("mnist5k's digits")
    assert trained_on(small_payload, load("grid25", "test").info) is None
    # resuming the full-MNIST run on mnist5k's digits is refused, and its files stay
    full_mnist(False)
    before = (tmp_path / "full" / "checkpoint.pt").read_bytes()
    with pytest.raises(ValueError, match="trained on mnist digits and would resume on mnist5k"):
        train("stacked-mnist", "vanilla", steps=4, out_dir=tmp_path / "full", resume=True, progress=False)
    assert (tmp_path / "full" / "checkpoint.pt").read_bytes() == before


def test_the_runner_checks_before_it_evaluates(full_mnist, tmp_path, monkeypatch):
    """evaluate_job refuses the pairing before any metric runs."""
    from types import SimpleNamespace

    from gan_bench.bench import runner

    full_mnist(True)
    run = train("stacked-mnist", "vanilla", steps=2, out_dir=tmp_path / "full", progress=False)
    payload = read_checkpoint(run.model_path)
    full_mnist(False)
    monkeypatch.setattr(runner, "evaluate_run", lambda *a, **k: pytest.fail("evaluated"))
    job = SimpleNamespace(
        run=SimpleNamespace(dataset="stacked-mnist"),
        bundle=SimpleNamespace(payload=lambda: payload, path="models/x.pt"),
    )
    with pytest.raises(SeenDigitsError, match="bundled checkpoint models/x.pt"):
        runner.evaluate_job(job)

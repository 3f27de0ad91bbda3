"""Bundled checkpoints are reproducible: retraining from the manifest gives the same weights."""

import pytest
import torch

from gan_bench.data import load
from gan_bench.gans.registry import read_checkpoint
from gan_bench.metrics import mode_report
from gan_bench.store import entry_for, load_reference
from gan_bench.train import train


def retrain_and_compare(key: str, tmp_path) -> torch.nn.Module:
    entry = entry_for(key)
    assert entry is not None, f"{key} is not bundled"
    torch.set_num_threads(1)  # the bundled models were trained with one thread per job
    result = train(
        entry["dataset"],
        entry["variant"],
        seed=entry["seed"],
        steps=entry["steps"],
        options=entry["options"],
        out_dir=tmp_path,
        progress=False,
    )
    bundled = load_reference(key)
    fresh = read_checkpoint(result.model_path)["state_dict"]
    reference = bundled.inference_state_dict()
    assert fresh.keys() == reference.keys()
    for name in reference:
        assert torch.equal(fresh[name], reference[name]), name
    return bundled


def test_vanilla_grid25_checkpoint_is_reproducible(tmp_path):
    retrain_and_compare("toy/grid25/vanilla/seed0", tmp_path)


@pytest.mark.slow
def test_mdgan_grid25_checkpoint_is_reproducible_and_covers_the_grid(tmp_path):
    model = retrain_and_compare("toy/grid25/mdgan-C8-.25-.25/seed0", tmp_path)
    test = load("grid25", "test")
    samples, _ = model.sample(2500, seed=0)
    report = mode_report(samples.numpy(), test.info["means"], test.info["std"])
    assert report.n_modes >= 24 and report.hq_fraction >= 0.6

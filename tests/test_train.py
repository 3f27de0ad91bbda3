import csv

import pytest
import torch

from gan_bench.bench.models import load_model
from gan_bench.bench.train import TrainingDivergedError, parse_options, train
from gan_bench.cli import main
from gan_bench.gans import VARIANTS
from gan_bench.store.checkpoints import CheckpointError, read_checkpoint

TINY_IMAGES = {"batch_size": 8, "z_dim": 16}


def states_equal(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def test_resume_gives_the_same_result_as_uninterrupted(tmp_path):
    opts = {"n_clusters": 25}
    full = train(
        "grid25",
        "mmgan",
        seed=3,
        steps=40,
        options=opts,
        out_dir=tmp_path / "full",
        progress=False,
        checkpoint_every=20,
    )
    # an interrupted run: stops after its step-20 checkpoint...
    first = train(
        "grid25",
        "mmgan",
        seed=3,
        steps=20,
        options=opts,
        out_dir=tmp_path / "part",
        progress=False,
        checkpoint_every=10,
    )
    carried = read_checkpoint(first.out_dir / "checkpoint.pt")
    # ...and resumes to 40
    resumed = train(
        "grid25",
        "mmgan",
        seed=3,
        steps=40,
        options=opts,
        out_dir=tmp_path / "part",
        resume=True,
        progress=False,
        checkpoint_every=20,
    )
    a = read_checkpoint(full.out_dir / "checkpoint.pt")
    b = read_checkpoint(resumed.out_dir / "checkpoint.pt")
    assert a["step"] == b["step"] == 40
    assert states_equal(a["state_dict"], b["state_dict"])
    assert full.final_losses == resumed.final_losses
    with open(resumed.out_dir / "losses.csv") as handle:
        steps = [int(r["step"]) for r in csv.DictReader(handle)]
    assert steps == list(range(10, 41, 10))  # the log is continuous, no duplicated rows
    # the training time covers both sessions: the first session's is carried by the checkpoint
    assert carried["step"] == 20 and carried["train_seconds"] == pytest.approx(first.seconds, abs=0.05)
    assert resumed.seconds > first.seconds
    assert read_checkpoint(resumed.model_path)["train_seconds"] == pytest.approx(resumed.seconds, abs=0.01)


def test_resume_refuses_a_different_run(tmp_path):
    train("grid25", "vanilla", seed=0, steps=5, out_dir=tmp_path, progress=False)
    with pytest.raises(ValueError, match="seed"):
        train("grid25", "vanilla", seed=1, steps=10, out_dir=tmp_path, resume=True, progress=False)


def edit_vanilla_losses(monkeypatch, edit) -> None:
    """Make the vanilla GAN's n-th train_step (from 1) report ``edit(n, losses)``."""
    cls = VARIANTS["vanilla"]
    original = cls.train_step
    calls = {"n": 0}

    def edited(self, batches, rng):
        calls["n"] += 1
        return edit(calls["n"], original(self, batches, rng))

    monkeypatch.setattr(cls, "train_step", edited)


def test_nan_loss_stops_and_keeps_last_good_checkpoint(tmp_path, monkeypatch):
    edit_vanilla_losses(
        monkeypatch, lambda n, losses: {**losses, "g_loss": float("nan")} if n == 13 else losses
    )
    with pytest.raises(TrainingDivergedError, match=r"step 13.*g_loss=nan.*step 10"):
        train("grid25", "vanilla", seed=0, steps=30, out_dir=tmp_path, checkpoint_every=5, progress=False)
    assert read_checkpoint(tmp_path / "checkpoint.pt")["step"] == 10
    assert not (tmp_path / "model.pt").exists()


def test_corrupt_checkpoint_is_a_clear_error(tmp_path):
    result = train("grid25", "vanilla", seed=0, steps=3, out_dir=tmp_path, progress=False)
    data = result.model_path.read_bytes()
    result.model_path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match="corrupt or truncated"):
        load_model(result.model_path)
    (tmp_path / "other.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(CheckpointError, match="model.pt|other.pt"):
        load_model(tmp_path / "other.pt")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_model(tmp_path / "missing.pt")


def test_a_future_format_and_an_inference_checkpoint_given_to_resume_are_refused(tmp_path):
    from gan_bench.store.checkpoints import save_checkpoint

    result = train("grid25", "vanilla", seed=0, steps=3, out_dir=tmp_path / "a", progress=False)
    payload = read_checkpoint(result.model_path)
    save_checkpoint(tmp_path / "future.pt", {**payload, "format_version": 99})
    with pytest.raises(CheckpointError, match="expected gan-bench format 1, found 99"):
        load_model(tmp_path / "future.pt")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "checkpoint.pt").write_bytes(result.model_path.read_bytes())  # model.pt as checkpoint
    with pytest.raises(CheckpointError, match="cannot resume from an inference-only checkpoint"):
        train("grid25", "vanilla", seed=0, steps=6, out_dir=tmp_path / "b", resume=True, progress=False)


def test_load_model_checks_a_bundled_file_against_its_manifest(tmp_path, monkeypatch):
    """Every load path checks a bundled checkpoint's sha256: a flipped byte is refused."""
    import json
    import shutil

    from gan_bench.defaults import default_models_dir
    from gan_bench.store.checksums import ChecksumError

    models = tmp_path / "models"
    shutil.copytree(default_models_dir() / "toy" / "grid9", models / "toy" / "grid9")
    manifest = json.loads((default_models_dir() / "manifest.json").read_text())
    manifest["models"] = {k: v for k, v in manifest["models"].items() if k.startswith("toy/grid9/")}
    (models / "manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setenv("GAN_BENCH_MODELS", str(models))
    path = models / "toy" / "grid9" / "vanilla" / "seed0.pt"
    assert load_model(path).name == "vanilla"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ChecksumError, match="does not match the manifest"):
        load_model(path)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_variant_trains_on_grid25_and_round_trips(tmp_path, variant):
    torch.set_num_threads(1)
    result = train(
        "grid25", variant, seed=0, steps=200, out_dir=tmp_path, progress=False, checkpoint_every=100
    )
    assert all(torch.isfinite(torch.tensor(v)) for v in result.final_losses.values())
    model = load_model(result.model_path)
    payload = read_checkpoint(result.model_path)
    assert payload["variant"] == variant and payload["dataset"] == "grid25"
    assert payload["seed"] == 0 and payload["step"] == 200 and payload["format_version"] == 1
    x, modes = model.sample(100, seed=1)
    assert x.shape == (100, 2) and torch.isfinite(x).all()
    # the small checkpoint reproduces the trained model's samples exactly
    full = read_checkpoint(result.out_dir / "checkpoint.pt")
    from gan_bench.bench.models import model_from_payload

    reference = model_from_payload(full)
    assert torch.equal(reference.sample(100, seed=1)[0], x)
    if model.clusters:
        assert model.predict_cluster(x).shape == (100,)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_variant_trains_on_tiny_images(tmp_path, variant):
    torch.set_num_threads(1)
    opts = dict(TINY_IMAGES)
    if variant in ("wgan-gp",):
        opts["n_critic"] = 2
    if variant == "priorgan":
        opts["presample"] = 32
    if variant == "gmgan":
        opts.update(cluster_samples=20, cluster_steps=5)
    result = train(
        "mnist2-90:10",
        variant,
        seed=0,
        steps=120,
        options=opts,
        out_dir=tmp_path,
        progress=False,
        checkpoint_every=60,
    )
    model = load_model(result.model_path)
    x, _ = model.sample(6, seed=0)
    assert x.shape == (6, 1, 28, 28) and 0 <= float(x.min()) and float(x.max()) <= 1
    assert all(torch.isfinite(torch.tensor(v)) for v in result.final_losses.values())


def test_parse_options():
    assert parse_options(["loss=crasgan", "n_clusters=10", "sigma_min=0.2", "supervised=True"]) == {
        "loss": "crasgan",
        "n_clusters": 10,
        "sigma_min": 0.2,
        "supervised": True,
    }
    assert parse_options(["labels_only=true", "flag=False", "lr_h=null"]) == {
        "labels_only": True,
        "flag": False,
        "lr_h": None,
    }
    with pytest.raises(ValueError, match="key=value"):
        parse_options(["oops"])


def test_cli_train_and_errors(tmp_path, capsys):
    assert (
        main(["train", "--dataset", "grid25", "--variant", "vanilla", "--steps", "5", "--out", str(tmp_path)])
        == 0
    )
    assert (tmp_path / "model.pt").is_file() and (tmp_path / "losses.csv").is_file()
    assert (
        main(["train", "--dataset", "grid25", "--variant", "gan", "--steps", "5", "--out", str(tmp_path)])
        == 2
    )
    assert "expected one of: vanilla" in capsys.readouterr().err
    assert (
        main(["train", "--dataset", "grid25", "--variant", "mdgan", "--set", "C=8", "--out", str(tmp_path)])
        == 2
    )
    assert "unknown option(s) C" in capsys.readouterr().err


def test_second_trainer_into_the_same_folder_is_refused(tmp_path):
    from gan_bench.store.locks import FolderBusyError, file_lock

    with file_lock(tmp_path / ".train.lock", "training run"):
        with pytest.raises(FolderBusyError, match=r"another training run \(PID \d+\)"):
            train("grid25", "vanilla", steps=2, out_dir=tmp_path, progress=False)
    train("grid25", "vanilla", steps=2, out_dir=tmp_path, progress=False)  # free again afterwards
    assert (tmp_path / "model.pt").is_file()


def test_a_run_resumed_at_its_last_step_keeps_its_final_losses(tmp_path):
    done = train("grid25", "vanilla", seed=0, steps=20, out_dir=tmp_path, progress=False)
    again = train("grid25", "vanilla", seed=0, steps=20, out_dir=tmp_path, resume=True, progress=False)
    assert again.final_losses == pytest.approx(done.final_losses, rel=1e-5)  # the log keeps 6 digits
    assert again.seconds >= done.seconds


def test_a_loss_that_appears_later_widens_the_log_and_keeps_every_row_aligned(tmp_path, monkeypatch):
    """NEMGAN P logs its prior KL only once alpha learns: losses.csv gains the column and
    earlier rows stay blank there, instead of rows longer than the header."""
    edit_vanilla_losses(monkeypatch, lambda n, losses: {**losses, "prior_kl": 0.5} if n > 20 else losses)
    result = train("grid25", "vanilla", seed=0, steps=40, out_dir=tmp_path, log_every=10, progress=False)
    with open(tmp_path / "losses.csv", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["step", "d_loss", "g_loss", "prior_kl"]
    assert all(len(r) == 4 for r in rows)
    assert [r[3] for r in rows[1:]] == ["", "", "0.5", "0.5"]
    assert result.final_losses["prior_kl"] == 0.5


def test_bfloat16_training_is_recorded_resumable_and_not_mixed_with_float32(tmp_path):
    torch.set_num_threads(1)
    common = dict(seed=0, options=TINY_IMAGES, progress=False, checkpoint_every=10)
    half = train(
        "mnist2-90:10", "vanilla", steps=20, out_dir=tmp_path / "half", precision="bfloat16", **common
    )
    single = train("mnist2-90:10", "vanilla", steps=20, out_dir=tmp_path / "single", **common)
    a, b = read_checkpoint(half.out_dir / "checkpoint.pt"), read_checkpoint(single.out_dir / "checkpoint.pt")
    assert (a["precision"], b["precision"]) == ("bfloat16", "float32")
    assert read_checkpoint(half.model_path)["precision"] == "bfloat16"
    # the autocast really changed the arithmetic: same seed and draws, other weights
    assert not states_equal(a["state_dict"], b["state_dict"])
    # a bfloat16 run resumed equals an uninterrupted one
    train("mnist2-90:10", "vanilla", steps=10, out_dir=tmp_path / "part", precision="bfloat16", **common)
    resumed = train(
        "mnist2-90:10",
        "vanilla",
        steps=20,
        out_dir=tmp_path / "part",
        precision="bfloat16",
        resume=True,
        **common,
    )
    assert states_equal(a["state_dict"], read_checkpoint(resumed.out_dir / "checkpoint.pt")["state_dict"])
    # float32 steps are not appended to a bfloat16 run, nor the other way round
    with pytest.raises(ValueError, match="precision='bfloat16', this run has 'float32'"):
        train("mnist2-90:10", "vanilla", steps=30, out_dir=tmp_path / "half", resume=True, **common)
    with pytest.raises(ValueError, match="precision='float32', this run has 'bfloat16'"):
        train(
            "mnist2-90:10",
            "vanilla",
            steps=30,
            out_dir=tmp_path / "single",
            resume=True,
            precision="bfloat16",
            **common,
        )
    with pytest.raises(ValueError, match="precision: expected one of float32, bfloat16, got 'float16'"):
        train("grid25", "vanilla", steps=2, out_dir=tmp_path / "bad", precision="float16", progress=False)


def test_cli_train_precision(tmp_path, capsys):
    out = tmp_path / "run"
    args = ["train", "--dataset", "grid25", "--variant", "vanilla", "--steps", "3", "--out", str(out)]
    assert main([*args, "--precision", "bfloat16"]) == 0
    assert read_checkpoint(out / "model.pt")["precision"] == "bfloat16"
    with pytest.raises(SystemExit) as exit_info:
        main([*args, "--precision", "float16"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'float16' (choose from 'float32', 'bfloat16')" in capsys.readouterr().err


def test_image_networks_hand_float32_out_under_bfloat16_autocast():
    from gan_bench.gans import nets

    g, d = nets.generator(16, (1, 28, 28)), nets.discriminator((1, 28, 28), 3)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        x = g(torch.randn(4, 16))
        scores = d(x)
        inner = d.body(x)  # inside, the convolutions do run in bfloat16
    assert x.dtype == scores.dtype == torch.float32 and inner.dtype == torch.bfloat16


def test_snapshots_are_the_models_of_shorter_runs_and_extending_a_finished_run_is_one_run(tmp_path):
    """GM-GAN's post-training fit draws from the random stream: a snapshot at step 20 must
    equal a 20-step run's model.pt, and a finished 20-step run resumed to 40 must equal one
    40-step run (its resume checkpoint holds the stream before the fit)."""
    opts = {"mixture": "static", "n_gaussians": 2, "cluster_samples": 64}
    common = dict(seed=1, options=opts, progress=False, checkpoint_every=10)
    long = train("moons", "gmgan", steps=40, out_dir=tmp_path / "long", snapshot_every=20, **common)
    short = train("moons", "gmgan", steps=20, out_dir=tmp_path / "short", **common)
    snapshot = read_checkpoint(long.out_dir / "snapshots" / "step20.pt")
    assert sorted(p.name for p in (long.out_dir / "snapshots").iterdir()) == ["step20.pt"]
    assert snapshot["step"] == 20 and not snapshot["full"]
    assert states_equal(snapshot["state_dict"], read_checkpoint(short.model_path)["state_dict"])
    assert snapshot["final_losses"] == short.final_losses
    extended = train("moons", "gmgan", steps=40, out_dir=tmp_path / "short", resume=True, **common)
    for name in ("checkpoint.pt", "model.pt"):
        a, b = read_checkpoint(long.out_dir / name), read_checkpoint(extended.out_dir / name)
        assert states_equal(a["state_dict"], b["state_dict"]), name
    assert long.final_losses == extended.final_losses
    with pytest.raises(ValueError, match="snapshot_every: expected 0"):
        train("moons", "gmgan", steps=5, out_dir=tmp_path / "bad", snapshot_every=-1, **common)

"""Files from users are untrusted: a crafted pickle runs no code on any load path, and a
manifest's path cannot lead outside ``models/`` (issue 29, security)."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
import torch

from gan_bench.bench.classifiers import load_classifier
from gan_bench.bench.models import load_model, load_reference
from gan_bench.cli import main
from gan_bench.defaults import models_root
from gan_bench.metrics.inception import load_inception
from gan_bench.store.checkpoints import CHECKPOINT_FORMAT, read_checkpoint
from gan_bench.store.checksums import sha256_of
from gan_bench.store.manifest import read_manifest
from gan_bench.store.untrusted import PathEscapeError, UnsafeFileError, file_name


class Payload:
    """Unpickling this object calls ``os.mkdir(marker)``: code run by merely loading."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


def evil_file(path: Path, marker: Path, **payload) -> Path:
    """A checkpoint-shaped file whose loading with ``weights_only=False`` makes ``marker``."""
    torch.save(
        {"format_version": CHECKPOINT_FORMAT, "variant": "vanilla", "x": Payload(marker), **payload}, path
    )
    return path


def test_the_crafted_file_does_run_code_when_unpickled(tmp_path):
    """The control: the file is a real exploit, so the tests below can fail."""
    marker = tmp_path / "ran"
    torch.load(evil_file(tmp_path / "evil.pt", marker), weights_only=False)
    assert marker.exists()


def test_a_crafted_checkpoint_is_refused_on_every_checkpoint_load_path(tmp_path, capsys):
    marker = tmp_path / "ran"
    evil = evil_file(tmp_path / "evil.pt", marker)
    for load in (read_checkpoint, load_model):
        with pytest.raises(UnsafeFileError, match="refused to load: it holds objects other than tensors"):
            load(evil)
    # the CLI: gan-bench eval --checkpoint
    assert main(["eval", "--checkpoint", str(evil), "--out", str(tmp_path / "out")]) == 2
    assert "never runs code from a file" in capsys.readouterr().err
    # gan-bench train --resume on a run folder whose checkpoint.pt is the crafted file
    run = tmp_path / "run"
    run.mkdir()
    shutil.copy(evil, run / "checkpoint.pt")
    args = ["train", "--dataset", "grid25", "--variant", "vanilla", "--steps", "5", "--out", str(run)]
    assert main([*args, "--resume"]) == 2
    assert "never runs code from a file" in capsys.readouterr().err
    assert not marker.exists()


def test_a_crafted_bundled_checkpoint_with_a_matching_sha256_is_refused(tmp_path):
    """Even a file the manifest vouches for (its sha256 matches) is read safely."""
    models = tmp_path / "models"
    key = "toy/grid25/vanilla/seed0"
    manifest = read_manifest(models_root())
    entry = dict(manifest["models"][key])
    (models / Path(entry["path"]).parent).mkdir(parents=True)
    marker = tmp_path / "ran"
    evil = evil_file(models / entry["path"], marker)
    entry["sha256"] = sha256_of(evil)
    (models / "manifest.json").write_text(json.dumps({"models": {key: entry}}))
    with pytest.raises(UnsafeFileError, match="refused to load"):
        load_reference(key, models)
    assert not marker.exists()


def test_a_crafted_classifier_and_inception_weights_are_refused(tmp_path):
    marker = tmp_path / "ran"
    folder = tmp_path / "models" / "classifiers"
    shutil.copytree(models_root() / "classifiers", folder)
    record = json.loads((folder / "manifest.json").read_text())
    evil = evil_file(folder / "mnist.pt", marker)
    record["mnist"]["sha256"] = sha256_of(evil)
    (folder / "manifest.json").write_text(json.dumps(record))
    with pytest.raises(UnsafeFileError, match="classifier checkpoint .*refused to load"):
        load_classifier("mnist", tmp_path / "models")
    with pytest.raises(UnsafeFileError, match="Inception weights .*refused to load"):
        load_inception(evil_file(tmp_path / "pt_inception.pth", marker))
    assert not marker.exists()


def test_a_manifest_path_leading_outside_models_is_refused(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    key = "toy/grid25/vanilla/seed0"
    entry = dict(read_manifest(models_root())["models"][key])
    outside = tmp_path / "outside" / "seed0.pt"
    outside.parent.mkdir()
    shutil.copy(models_root() / entry["path"], outside)  # a real checkpoint, with its real sha256
    for path in ("../outside/seed0.pt", str(outside)):
        (models / "manifest.json").write_text(json.dumps({"models": {key: {**entry, "path": path}}}))
        with pytest.raises(PathEscapeError, match=f"the path of entry '{key}': expected a path inside"):
            load_reference(key, models)


def test_every_bundled_checkpoint_loads_with_the_safe_loader():
    """The bundled payloads are tensors and plain values only: no migration was needed."""
    files = sorted(models_root().rglob("*.pt"))
    assert len(files) > 200
    for path in files:
        torch.load(path, map_location="cpu", weights_only=True)


# --- names that become paths --------------------------------------------------------------


def test_file_name_keeps_portable_names_and_never_maps_two_names_to_one_file():
    for name in ("grid25", "mdgan-C8-.25-.25", "seed0", "nemgan-P"):
        assert file_name(name) == name
    names = [
        "x:y",
        "x_y",
        "模型",
        "генератор",
        "../../escaped",
        "..",
        ".",
        "a/b",
        "a\\b",
        "$\\foo$",
        "a|b\nc",
    ]
    names.append("n" * 300)
    mapped = [file_name(n) for n in names]
    assert len(set(mapped)) == len(names)  # distinct names, distinct files
    for name, out in zip(names, mapped):
        assert re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9._+-]*(~[0-9a-f]{8})?", out), (name, out)
        assert "/" not in out and "\\" not in out and out not in (".", "..") and len(out) <= 64 + 9
    assert file_name("x_y") != "x_y"  # '_' is the replacement, so a name holding it is hashed
    with pytest.raises(ValueError, match="expected a non-empty string, got ''"):
        file_name("")


def test_a_run_named_to_escape_is_trained_and_bundled_inside_models(tmp_path, monkeypatch):
    from conftest import TINY

    from gan_bench.commands.run import run_suites

    monkeypatch.setenv("GAN_BENCH_MODELS", str(tmp_path / "models"))
    monkeypatch.setenv("GAN_BENCH_RUNS", str(tmp_path / "runs"))
    config = tmp_path / "sub" / "benchmarks.toml"
    config.parent.mkdir()
    escaping = TINY.replace('name = "vanilla"', 'name = "../../../escaped"').replace(
        "steps = 30", "steps = 3"
    )
    config.write_text(escaping)
    out = tmp_path / "a" / "b" / "out"
    run_suites(config_path=config, out=out, train_missing=True, progress=False)
    written = {p for p in tmp_path.rglob("*") if p.is_file()}
    models, reports = (tmp_path / "models").resolve(), out.resolve()
    assert any(p.suffix == ".pt" for p in written if p.resolve().is_relative_to(models))
    outside = [
        p
        for p in written
        if not any(p.resolve().is_relative_to(r) for r in (models, reports, (tmp_path / "runs").resolve()))
        and p != config
    ]
    assert outside == []
    entries = read_manifest(tmp_path / "models")["models"].values()
    [entry] = [e for e in entries if e["run"] == "../../../escaped"]
    assert ".." not in entry["path"].split("/") and entry["path"].startswith("tiny/grid25/")


def test_names_from_a_results_file_and_eval_name_stay_inside_the_report_folder(tmp_path, monkeypatch):
    import pandas as pd

    monkeypatch.chdir(tmp_path)
    checkpoint = models_root() / read_manifest(models_root())["models"]["toy/grid25/vanilla/seed0"]["path"]
    evaluated = tmp_path / "evaluated"
    assert (
        main(["eval", "--checkpoint", str(checkpoint), "--out", str(evaluated), "--name", "../../x:y"]) == 0
    )
    assert (
        main(["eval", "--checkpoint", str(checkpoint), "--out", str(evaluated), "--name", "../../x_y"]) == 0
    )
    assert len(list((evaluated / "runs").glob("*.npz"))) == 2  # two names, two per-run files
    rows = pd.read_csv(evaluated / "results.csv")
    rows["suite"] = "../../escaped"
    rows.to_csv(evaluated / "results.csv", index=False)
    out = tmp_path / "a" / "b" / "out"
    main(["report", "--results", str(evaluated / "results.csv"), "--out", str(out)])
    assert (out / "index.html").is_file()
    stray = [
        p
        for p in tmp_path.rglob("*")
        if p.is_file() and not (p.is_relative_to(evaluated) or p.is_relative_to(out))
    ]
    assert stray == []


def test_current_commit_sees_every_code_change_in_the_checkout_but_not_models(tmp_path, monkeypatch):
    import subprocess

    from gan_bench.store import manifest

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    (tmp_path / "gan_bench").mkdir()
    (tmp_path / "models").mkdir()
    for name in ("benchmarks.toml", "gan_bench/code.py", "models/manifest.json"):
        (tmp_path / name).write_text("a\n")
    git("init", "-q")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x")
    monkeypatch.setattr(manifest, "CHECKOUT_ROOT", tmp_path)
    head = manifest.current_commit()
    assert len(head) == 40
    (tmp_path / "models" / "manifest.json").write_text("b\n")  # bundling is not a code change
    assert manifest.current_commit() == head
    (tmp_path / "benchmarks.toml").write_text("b\n")  # outside the package, still the checkout's
    assert manifest.current_commit() == head + "-dirty"

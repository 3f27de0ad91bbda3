"""The wheels PyPI accepts (packaging/build_wheels.py): every models/ folder ships in exactly
one wheel, each below PyPI's limit; an installed models wheel is found, and a checkpoint whose
wheel is not installed is named with the wheel to install. (.ci/wheel-check builds and
installs them.)"""

import importlib.util
import shutil
import sys
import tomllib
from pathlib import Path

import pytest

from gan_bench.cli import main
from gan_bench.defaults import default_models_dir
from gan_bench.store import manifest

REPO = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("build_wheels", REPO / "packaging" / "build_wheels.py")
build_wheels = importlib.util.module_from_spec(spec)
sys.modules["build_wheels"] = build_wheels
spec.loader.exec_module(build_wheels)

KEY = "mnist/mnist5k/vanilla/seed0"


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def test_every_models_folder_ships_in_one_wheel_below_pypis_limit():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    main_wheel = build_wheels.main_wheel_models(pyproject)
    data_wheels = build_wheels.image_suites(pyproject)
    folders = {p.name for p in (REPO / "models").iterdir() if p.is_dir()}
    assert main_wheel == {"manifest.json", "classifiers", "toy"}
    assert set(data_wheels) | (main_wheel - {"manifest.json"}) == folders
    assert not set(data_wheels) & main_wheel
    # uncompressed bytes, above what each wheel compresses them to
    main_bytes = sum(_size(REPO / "models" / f) for f in main_wheel - {"manifest.json"})
    assert main_bytes < build_wheels.PYPI_LIMIT
    for suite in data_wheels:
        assert _size(REPO / "models" / suite) < build_wheels.PYPI_LIMIT, suite


@pytest.fixture
def split_install(tmp_path, monkeypatch):
    """An installed gan-bench whose models/ lacks the mnist suite, and a gan_bench_models
    folder (the gan-bench-models-mnist wheel) that holds it; returns that folder."""
    bundled = tmp_path / "site" / "gan_bench" / "_bundled" / "models"
    shutil.copytree(default_models_dir(), bundled, ignore=shutil.ignore_patterns("mnist", "fashion-mnist"))
    wheel = tmp_path / "site" / "gan_bench_models"
    shutil.copytree(default_models_dir() / "mnist", wheel / "mnist")
    monkeypatch.setattr(manifest, "default_models_dir", lambda: bundled)
    monkeypatch.setattr(manifest, "models_root", lambda: bundled)
    monkeypatch.setattr(manifest, "packaged_model_dirs", lambda: [wheel])
    return wheel


def test_a_checkpoint_in_an_installed_models_wheel_is_found_and_checked(split_install):
    bundle = manifest.read_bundle(KEY)
    assert Path(bundle.path) == split_install / "mnist" / "mnist5k" / "vanilla" / "seed0.pt"
    assert bundle.payload()["variant"] == "vanilla"  # sha256 and identity checked as for models/


def test_a_checkpoint_whose_wheel_is_not_installed_names_the_wheel(
    split_install, monkeypatch, tmp_path, capsys
):
    with pytest.raises(FileNotFoundError, match="pip install gan-bench-models-fashion-mnist"):
        manifest.read_bundle("fashion-mnist/fashion-mnist/vanilla/seed0")
    monkeypatch.setattr(manifest, "packaged_model_dirs", lambda: [])
    with pytest.raises(FileNotFoundError, match="pip install gan-bench-models-mnist"):
        manifest.read_bundle(KEY)
    assert not manifest.is_installed(manifest.entry_for(KEY))
    # a run lists them by wheel, evaluates nothing of theirs and exits 1 naming the wheel
    assert main(["run", "--suite", "mnist", "--quiet", "--out", str(tmp_path / "r")]) == 1
    err = capsys.readouterr().err
    assert "checkpoint(s) not installed (pip install gan-bench-models-mnist): mnist/mnist5k/" in err
    assert "Checkpoints not installed" in (tmp_path / "r" / "leaderboard.md").read_text()

"""The manifest of the bundled evaluation classifiers (``models/classifiers/manifest.json``):
one entry per classifier, with its file, sha256, training data and held-out accuracy."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from gan_bench.defaults import models_root
from gan_bench.store.atomic import write_text_atomic
from gan_bench.store.locks import file_lock

MANIFEST = "manifest.json"


@dataclass
class ClassifierRecord:
    """A manifest entry."""

    file: str
    sha256: str
    train_dataset: str
    train_source: str
    train_size: int
    heldout: str
    heldout_accuracy: float
    epochs: int
    seed: int
    command: str


def classifiers_dir(models_dir: Path | None = None) -> Path:
    """``classifiers/`` under ``models_dir`` (default: the bundled models folder)."""
    return (models_dir or models_root()) / "classifiers"


def _read(folder: Path) -> dict:
    path = folder / MANIFEST
    return json.loads(path.read_text()) if path.is_file() else {}


def register_classifier(name: str, record: ClassifierRecord, folder: Path | None = None) -> None:
    """Add or replace the entry of classifier ``name`` in the manifest of ``folder``."""
    folder = folder or classifiers_dir()
    with file_lock(folder / ".manifest.lock", "classifier manifest update", wait=True):
        manifest = _read(folder)
        manifest[name] = asdict(record)
        write_text_atomic(folder / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def classifier_record(name: str, models_dir: Path | None = None) -> ClassifierRecord:
    """The manifest entry of a bundled classifier."""
    manifest_path = classifiers_dir(models_dir) / MANIFEST
    manifest = _read(manifest_path.parent)
    if name not in manifest:
        raise FileNotFoundError(
            f"no bundled classifier '{name}' in {manifest_path}; "
            f"train it with 'gan-bench train-classifier {name}'"
        )
    return ClassifierRecord(**manifest[name])

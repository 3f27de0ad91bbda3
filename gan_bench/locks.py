"""File locks: one writer per training folder, report folder or manifest.

Each lock is an ``flock`` on a lock file; the kernel releases it when the owner exits,
even when killed, so a lock left behind by a dead process is simply taken over.
:func:`exclusive_folder` refuses a second owner (naming the first one's PID);
:func:`waiting_lock` waits its turn (short updates such as a manifest entry).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class FolderBusyError(RuntimeError):
    """Another live process holds the folder's lock."""


@contextmanager
def exclusive_folder(folder: Path, lock_name: str, what: str) -> Iterator[None]:
    """Hold ``folder/lock_name`` exclusively; ``what`` names the work in the error message."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / lock_name
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            handle.seek(0)
            owner = handle.read().strip() or "unknown"
            raise FolderBusyError(
                f"{folder} is in use by another {what} (PID {owner}); wait for it to finish, "
                "or choose another output folder"
            ) from err
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def waiting_lock(path: Path) -> Iterator[None]:
    """Hold ``path`` (a lock file) exclusively, waiting for the current holder if any."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)

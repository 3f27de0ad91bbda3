"""File locks: one helper, :func:`file_lock`, for every writer of a training folder, a
report folder or a manifest.

Each lock is an ``flock`` on a lock file that holds the owner's PID; the kernel releases it
when the owner exits, even when killed, so a lock left behind by a dead process is simply
taken over. A long job refuses a second owner and names the first one's PID (a training
run, ``gan-bench run``); a short update waits its turn (a manifest entry).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class FolderBusyError(RuntimeError):
    """Another live process holds the lock."""


_HELD: set[int] = set()  # descriptors of the locks this process holds


def _drop_inherited_locks() -> None:
    """In a forked child (a pool worker): point the parent's lock descriptors at /dev/null, so
    a lock belongs to the process that took it alone and ends with it, never with a worker.
    (dup2 rather than close: the descriptor numbers stay taken, so the parent's file objects,
    copied into the child, can never close a file the child opens later.)"""
    if _HELD:
        null = os.open(os.devnull, os.O_RDWR)
        for fd in _HELD:
            os.dup2(null, fd)
        os.close(null)
    _HELD.clear()


os.register_at_fork(after_in_child=_drop_inherited_locks)


@contextmanager
def file_lock(path: Path, what: str, *, wait: bool = False) -> Iterator[None]:
    """Hold the lock file ``path`` exclusively. ``wait=False`` raises :class:`FolderBusyError`
    naming ``what`` and the holder's PID when it is taken; ``wait=True`` waits for it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            handle.seek(0)
            owner = handle.read().strip() or "unknown"
            raise FolderBusyError(
                f"{path.parent} is in use by another {what} (PID {owner}); wait for it to finish, "
                "or choose another output folder"
            ) from err
        _HELD.add(handle.fileno())
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            yield
        finally:
            _HELD.discard(handle.fileno())
            fcntl.flock(handle, fcntl.LOCK_UN)

"""A checked on-disk cache of named arrays: computed once, shared by every process and run.

An entry is one ``.npz`` file named by :func:`cache_key`, a readable key that names every
choice the arrays depend on plus a hash of them. Beside the arrays it stores the full
choices (as JSON) and a sha256 of the arrays' bytes, dtypes and shapes. A read checks all
three: a file whose choices differ (two keys cut to one name), whose arrays do not hash to
the stored digest (a damaged file) or that does not load is named in a warning, computed
again and rewritten, so a bad cache entry costs time, never a wrong number. Writes are
atomic (:mod:`gan_bench.store.atomic`), and a lock beside the entry makes a second process
that wants the same entry wait for the first to write it instead of computing it too.

Files are read with ``allow_pickle=False``: an entry is data, never code.
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np

from gan_bench.store.atomic import atomic_path
from gan_bench.store.locks import file_lock
from gan_bench.store.untrusted import inside

KEY_FIELD = "__choices__"
DIGEST_FIELD = "__sha256__"


class CacheEntryWarning(UserWarning):
    """A cache entry failed its check on read and was computed again."""


def cache_key(**choices: object) -> str:
    """A readable file name naming every choice, plus a short hash of all of them (so two
    keys whose readable part is cut to the same 150 characters still differ)."""
    canonical = canonical_choices(choices)
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:12]
    readable = "-".join(f"{k}={choices[k]}" for k in sorted(choices))
    safe = "".join(c if c.isalnum() or c in "=-_.," else "_" for c in readable)
    return f"{safe[:150]}-{digest}"


def canonical_choices(choices: Mapping[str, object]) -> str:
    """The choices as sorted JSON: what an entry stores and a read compares."""
    return json.dumps(dict(choices), sort_keys=True, default=str)


def arrays_digest(arrays: Mapping[str, np.ndarray]) -> str:
    """sha256 over every array's name, dtype, shape and bytes, in name order."""
    digest = hashlib.sha256()
    for name in sorted(arrays):
        a = np.ascontiguousarray(arrays[name])
        digest.update(f"{name}|{a.dtype.str}|{a.shape}|".encode())
        digest.update(memoryview(a).cast("B"))
    return digest.hexdigest()


def _read(path: Path, choices: str, names: tuple[str, ...]) -> dict[str, np.ndarray] | None:
    """The entry's arrays if it passes every check, else None with a warning saying why."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            content = {name: stored[name] for name in stored.files}
    except Exception as err:  # truncated, not a zip, an object array: all the same to a cache
        problem = f"does not load ({type(err).__name__}: {err})"
    else:
        stored_choices = content.pop(KEY_FIELD, np.array("")).item()
        stored_digest = content.pop(DIGEST_FIELD, np.array("")).item()
        missing = sorted(set(names) - set(content))
        if stored_choices != choices:
            problem = f"was written for other choices ({stored_choices[:200]})"
        elif missing:
            problem = f"lacks the arrays {', '.join(missing)}"
        elif arrays_digest(content) != stored_digest:
            problem = "does not match its stored sha256 (damaged)"
        else:
            return content
    warnings.warn(f"cache entry {path} {problem}; computing it again", CacheEntryWarning, stacklevel=3)
    return None


def _identity(path: Path) -> tuple[int, int, int] | None:
    """(inode, size, mtime) of the entry, None when absent: whether another process replaced
    it while this one waited for the lock."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def cached_arrays(
    cache_dir: str | os.PathLike,
    choices: Mapping[str, object],
    make: Callable[[], Mapping[str, np.ndarray]],
    names: tuple[str, ...] = (),
) -> dict[str, np.ndarray]:
    """The arrays ``make()`` returns for ``choices``, from ``cache_dir`` where a checked entry
    is found, else computed and written there. ``names``: the arrays a valid entry must hold."""
    key = cache_key(**choices)
    path = inside(cache_dir, f"{key}.npz", "a cache key")
    canonical = canonical_choices(choices)
    seen = _identity(path)
    if seen and (found := _read(path, canonical, names)) is not None:
        return found
    with file_lock(path.with_name(f".{path.name}.lock"), "cache writer", wait=True):
        now = _identity(path)
        if now and now != seen and (found := _read(path, canonical, names)) is not None:
            return found  # another process wrote it while this one waited
        arrays = {name: np.asarray(a) for name, a in make().items()}
        if not set(names) <= set(arrays) or {KEY_FIELD, DIGEST_FIELD} & set(arrays):
            raise ValueError(
                f"cache entry {key}: expected the arrays {', '.join(names)} (and none named "
                f"{KEY_FIELD} or {DIGEST_FIELD}), got {', '.join(sorted(arrays))}"
            )
        with atomic_path(path) as tmp, open(tmp, "wb") as handle:
            np.savez(
                handle,
                **arrays,
                **{KEY_FIELD: np.array(canonical), DIGEST_FIELD: np.array(arrays_digest(arrays))},
            )
    return arrays

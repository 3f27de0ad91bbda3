"""Files and names from users are untrusted: the one place that reads them safely.

``safe_load`` reads a torch file (a checkpoint, a resume file, a classifier, Inception
weights) with ``torch.load(weights_only=True)``: tensors and plain values only (numbers,
strings, booleans, None, lists, tuples and dicts of them), never code. A pickle of any
other object (a crafted ``__reduce__`` that would run on load) is refused.

``file_name`` is the one map from a name (a suite, dataset or run, an ``eval --name``, a
classifier) to a file name: portable characters only, never a path, and two names never
share a file. ``inside`` turns a relative path read from a file (a manifest entry) into a
path that is checked to stay inside its folder.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from pathlib import Path
from typing import Any


class UnsafeFileError(ValueError):
    """A file holds objects other than tensors and plain values; it was not loaded."""


def safe_load(source: Any, name: str | os.PathLike) -> Any:
    """``torch.load(source, weights_only=True)`` on the CPU; ``name`` names the file in the
    error. Anything but tensors and plain values raises :class:`UnsafeFileError`."""
    import torch  # on use: the names below serve torch-free readers (gan-bench list)

    try:
        return torch.load(source, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as err:
        # torch names the class or function the file asks for as a "global"; any other
        # refusal (an unknown opcode, cut bytes) is a damaged file, left to the caller
        wanted = [line.strip() for line in str(err).splitlines() if "global" in line.lower()]
        if not wanted:
            raise
        raise UnsafeFileError(
            f"{name}: refused to load: it holds objects other than tensors and plain values "
            "(numbers, strings, lists, dicts), and gan-bench never runs code from a file "
            f"(torch's safe loader: {wanted[0]})"
        ) from err


class PathEscapeError(ValueError):
    """A name or a relative path would lead outside the folder it belongs to."""


def inside(folder: str | os.PathLike, relative: str, what: str) -> Path:
    """``folder / relative``, refused unless it resolves inside ``folder`` (no absolute
    path, no ``..`` or link leading out); ``what`` names where ``relative`` came from."""
    root = Path(folder).resolve()
    target = (root / relative).resolve()
    if Path(relative).is_absolute() or not target.is_relative_to(root):
        raise PathEscapeError(
            f"{what}: expected a path inside {root}, got {relative!r}, which leads to {target}"
        )
    return target


PORTABLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+-]*")
MAX_NAME = 64  # characters of a name kept in its file name


def file_name(name: str) -> str:
    """``name`` as one portable file name component. A name of letters, digits and ``.+-``
    (not starting with ``.``, ``+`` or ``-``), up to 64 characters, is its own file name;
    any other is cut to those characters, every other run of characters made ``_``, and
    ``~`` and 8 hex digits of its sha256 appended, so two different names never map to
    one file (``x:y`` and ``x_y``, or two names in other scripts) and ``..`` or ``/``
    never lead anywhere."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"a name: expected a non-empty string, got {name!r}")
    if PORTABLE.fullmatch(name) and len(name) <= MAX_NAME:
        return name
    kept = re.sub(r"[^A-Za-z0-9.+-]+", "_", name).lstrip(".+-")[:MAX_NAME] or "_"
    return f"{kept}~{hashlib.sha256(name.encode()).hexdigest()[:8]}"

"""A plot is drawn again only when what it shows changed (issue 28: a rerun that reuses every
result redraws nothing).

Each PNG carries, in a text chunk, a sha256 of its inputs: the plot function, every argument
(arrays by dtype, shape and bytes; tables by their CSV; dataclasses field by field) and the
source of the plotting code with matplotlib's version, so a change to a plot's code draws it
again too. A figure whose stored digest equals the new one is left as it is; any other file
(absent, unreadable, without the chunk) is drawn.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from PIL import Image, PngImagePlugin

from gan_bench.report import plots
from gan_bench.store.atomic import atomic_path

DIGEST_KEY = "gan-bench-inputs"


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    """The plotting code and the library that draws: part of every plot's digest."""
    source = inspect.getsource(plots) + inspect.getsource(inspect.getmodule(_code_digest))
    return hashlib.sha256(f"{source}|matplotlib {matplotlib.__version__}".encode()).hexdigest()


def _feed(digest: Any, value: Any) -> None:
    """Add ``value`` to ``digest`` canonically; an input of a kind not listed is an error (a
    digest that ignored part of a plot's input would leave a stale figure)."""
    if value is None or isinstance(value, bool | int | float | str | Path):
        digest.update(f"{type(value).__name__}:{value!r};".encode())
    elif isinstance(value, np.ndarray):
        array = np.ascontiguousarray(value)
        digest.update(f"ndarray:{array.dtype.str}:{array.shape}:".encode())
        digest.update(memoryview(array).cast("B") if array.dtype != object else repr(array.tolist()).encode())
    elif isinstance(value, np.generic):
        _feed(digest, value.item())
    elif isinstance(value, pd.DataFrame):
        digest.update(b"DataFrame:" + value.to_csv().encode())
    elif isinstance(value, dict):
        digest.update(f"dict:{len(value)}:".encode())
        for key in sorted(value, key=repr):
            _feed(digest, key)
            _feed(digest, value[key])
    elif isinstance(value, list | tuple):
        digest.update(f"{type(value).__name__}:{len(value)}:".encode())
        for item in value:
            _feed(digest, item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        digest.update(f"{type(value).__qualname__}:".encode())
        for f in dataclasses.fields(value):
            _feed(digest, f.name)
            _feed(digest, getattr(value, f.name))
    elif callable(value):
        digest.update(f"callable:{value.__module__}.{value.__qualname__};".encode())
    else:
        raise TypeError(
            f"plot input: expected arrays, tables, plain values or dataclasses, got {type(value)}"
        )


def inputs_digest(*inputs: Any) -> str:
    """sha256 of the plotting code and of ``inputs``."""
    digest = hashlib.sha256(_code_digest().encode())
    for value in inputs:
        _feed(digest, value)
    return digest.hexdigest()


def stored_digest(path: Path) -> str | None:
    """The digest a PNG drawn here carries, None for any other file."""
    try:
        with Image.open(path) as image:
            return image.text.get(DIGEST_KEY)
    except (OSError, ValueError, AttributeError):
        return None


def draw_unless_unchanged(path: Path, draw: Callable[..., None], *args: Any) -> bool:
    """``draw(path, *args)`` unless ``path`` already shows these inputs; then stamp the PNG
    with their digest. Returns whether it drew."""
    digest = inputs_digest(draw, *args)
    if stored_digest(path) == digest:
        return False
    draw(path, *args)
    info = PngImagePlugin.PngInfo()
    info.add_text(DIGEST_KEY, digest)
    with Image.open(path) as image:
        image.load()
        with atomic_path(path) as tmp:
            image.save(tmp, format="PNG", pnginfo=info)
    return True

"""Progress bars: one place decides when they show.

A bar shows only when its caller wants it, ``--quiet`` ($GAN_BENCH_QUIET) is not set, and
stderr is a terminal, so a log file never fills with carriage-return frames.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

from tqdm.auto import tqdm

from gan_bench.defaults import quiet


def bars_enabled(wanted: bool = True) -> bool:
    """Whether a bar the caller wants would be drawn now."""
    return wanted and not quiet() and sys.stderr.isatty()


def progress_bar(iterable: Iterable | None = None, *, enabled: bool = True, **kwargs: Any) -> tqdm:
    """A tqdm bar over ``iterable`` (or with ``total=``), drawn only when :func:`bars_enabled`."""
    return tqdm(iterable, disable=not bars_enabled(enabled), **kwargs)

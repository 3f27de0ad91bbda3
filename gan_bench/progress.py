"""Progress: one place decides how it shows.

A bar shows only when its caller wants it, ``--quiet`` ($GAN_BENCH_QUIET) is not set, and
stderr is a terminal, so a log file never fills with carriage-return frames. Without a
terminal (``nohup``, a CI log) a long loop prints one plain line per finished item instead,
with done/total and the time left at the pace so far (:class:`Progress`).
"""

from __future__ import annotations

import sys
import time
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


def lines_enabled(wanted: bool = True) -> bool:
    """Whether plain progress lines would be printed now: wanted, not quiet, no terminal."""
    return wanted and not quiet() and not sys.stderr.isatty()


class Progress:
    """The progress of a loop over ``total`` items: a bar on a terminal (:func:`progress_bar`),
    else one line per finished item on stderr (:func:`lines_enabled`), else nothing."""

    def __init__(self, total: int, desc: str, *, enabled: bool = True) -> None:
        self.total, self.desc, self.done = total, desc, 0
        self.bar = progress_bar(total=total, desc=desc, enabled=enabled)
        self.enabled = lines_enabled(enabled)
        self.start = time.monotonic()

    def finished(self, item: str) -> None:
        self.done += 1
        self.bar.set_postfix_str(item, refresh=False)
        self.bar.update()
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.start
        left = elapsed / self.done * (self.total - self.done)
        print(
            f"{self.desc}: {self.done}/{self.total} {item} ({elapsed:.0f} s so far, about {left:.0f} s left)",
            file=sys.stderr,
            flush=True,
        )

    def close(self) -> None:
        self.bar.close()

"""Variant options: each option's default, type and valid range, declared together.

A variant lists its options as ``{"name": Option(...)}`` in its declaration
(:mod:`gan_bench.gans.declarations`); the same declaration gives the default (``gan-bench
variants``), the check of a value from ``benchmarks.toml`` or ``--set`` (an error naming the
option, what it expects and what arrived) and the help text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Option:
    """``kind`` is bool, int, float or str; ``low``/``high`` bound numbers (inclusive unless
    ``open_low``/``open_high``); ``choices`` lists the valid values; ``nullable``: None is
    valid (the variant then picks a value from the data or another option)."""

    default: Any
    kind: type
    low: float | None = None
    high: float | None = None
    open_low: bool = False
    open_high: bool = False
    choices: tuple[Any, ...] | None = None
    nullable: bool = False

    def expects(self) -> str:
        """What a valid value is, in words."""
        if self.choices is not None:
            text = "one of " + ", ".join(repr(c) for c in self.choices)
        elif self.kind is bool:
            text = "true or false"
        else:
            text = {int: "an integer", float: "a number", str: "a string"}[self.kind]
            if self.low is not None and self.high is not None:
                left, right = "(" if self.open_low else "[", ")" if self.open_high else "]"
                text += f" in {left}{self.low:g}, {self.high:g}{right}"
            elif self.low is not None:
                text += f" {'>' if self.open_low else '>='} {self.low:g}"
            elif self.high is not None:
                text += f" {'<' if self.open_high else '<='} {self.high:g}"
        return text + (" or None" if self.nullable else "")

    def valid(self, value: Any) -> bool:
        if value is None:
            return self.nullable
        if self.choices is not None:
            return any(value == c and type(value) is type(c) for c in self.choices)
        if self.kind is bool or isinstance(value, bool):
            return self.kind is bool and isinstance(value, bool)
        if self.kind is str:
            return isinstance(value, str)
        if not isinstance(value, int if self.kind is int else (int, float)) or not math.isfinite(value):
            return False
        below = self.low is not None and (value <= self.low if self.open_low else value < self.low)
        above = self.high is not None and (value >= self.high if self.open_high else value > self.high)
        return not (below or above)


def number(
    default: float | None,
    low: float | None = None,
    high: float | None = None,
    *,
    open_low: bool = False,
    open_high: bool = False,
    nullable: bool = False,
) -> Option:
    return Option(default, float, low, high, open_low, open_high, nullable=nullable)


def positive(default: float | None, *, nullable: bool = False) -> Option:
    """A number > 0 (learning rates, scales, variances)."""
    return number(default, 0.0, open_low=True, nullable=nullable)


def integer(default: int | None, low: int | None = None, *, nullable: bool = False) -> Option:
    return Option(default, int, low, nullable=nullable)


def flag(default: bool) -> Option:
    return Option(default, bool)


def choice(default: Any, *choices: Any) -> Option:
    if default not in choices:
        raise ValueError(f"choice: the default {default!r} is not one of {choices}")
    return Option(default, type(default), choices=choices)

"""Plots are drawn again only when their inputs or the plotting code change (issue 28)."""

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from gan_bench.report import plot_cache
from gan_bench.report.plot_cache import draw_unless_unchanged, inputs_digest, stored_digest


@dataclass
class Arrays:
    counts: np.ndarray
    label: str = "run"


def _drawer(calls):
    def draw(path, values, table):
        calls.append(path.name)
        Image.fromarray(np.full((4, 4), len(calls) * 10, dtype=np.uint8)).save(path, format="PNG")

    return draw


def test_the_digest_sees_every_part_of_the_inputs():
    table = pd.DataFrame({"metric": ["fcd"], "value": [1.5]})
    base = inputs_digest(Arrays(np.arange(3)), table, {"b": 1, "a": [1.0, None]})
    assert base == inputs_digest(Arrays(np.arange(3)), table.copy(), {"a": [1.0, None], "b": 1})
    changed = [
        inputs_digest(Arrays(np.array([0, 1, 3])), table, {"b": 1, "a": [1.0, None]}),
        inputs_digest(Arrays(np.arange(3).astype(np.int32)), table, {"b": 1, "a": [1.0, None]}),
        inputs_digest(Arrays(np.arange(3), "other"), table, {"b": 1, "a": [1.0, None]}),
        inputs_digest(Arrays(np.arange(3)), table.assign(value=[1.6]), {"b": 1, "a": [1.0, None]}),
        inputs_digest(Arrays(np.arange(3)), table, {"b": 2, "a": [1.0, None]}),
    ]
    assert len({base, *changed}) == 6
    with pytest.raises(TypeError, match="plot input: expected"):
        inputs_digest(object())


def test_a_plot_is_drawn_once_for_the_same_inputs_and_again_when_they_change(tmp_path):
    calls, path = [], tmp_path / "plot.png"
    draw = _drawer(calls)
    table = pd.DataFrame({"value": [1.0]})
    assert draw_unless_unchanged(path, draw, np.arange(4), table)
    assert stored_digest(path) == inputs_digest(draw, np.arange(4), table)
    assert not draw_unless_unchanged(path, draw, np.arange(4), table)
    assert calls == ["plot.png"]
    assert draw_unless_unchanged(path, draw, np.arange(5), table)  # other inputs
    assert len(calls) == 2
    Image.fromarray(np.zeros((2, 2), np.uint8)).save(path)  # a PNG drawn elsewhere: no digest
    assert stored_digest(path) is None and draw_unless_unchanged(path, draw, np.arange(5), table)
    path.write_bytes(b"not a png")
    assert stored_digest(path) is None and draw_unless_unchanged(path, draw, np.arange(5), table)
    assert len(calls) == 4


def test_a_change_to_the_plotting_code_draws_again(tmp_path, monkeypatch):
    calls, path = [], tmp_path / "plot.png"
    draw = _drawer(calls)
    draw_unless_unchanged(path, draw, np.arange(4), pd.DataFrame())
    plot_cache._code_digest.cache_clear()
    monkeypatch.setattr(plot_cache.inspect, "getsource", lambda module: "def other(): ...")
    try:
        assert draw_unless_unchanged(path, draw, np.arange(4), pd.DataFrame())
    finally:
        plot_cache._code_digest.cache_clear()
    assert len(calls) == 2

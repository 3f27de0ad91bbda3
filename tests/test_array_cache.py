"""The checked disk cache of arrays (real-data classifier outputs, FID statistics): computed
once, shared, atomic, and a damaged or foreign entry is computed again, never trusted."""

import threading
import time
import warnings

import numpy as np
import pytest

from gan_bench.store.array_cache import CacheEntryWarning, cache_key, cached_arrays

CHOICES = {"dataset": "mnist5k", "split": "test", "classifier": "abc123"}


def _maker(calls, value=1.0):
    def make():
        calls.append(1)
        return {"logits": np.full((4, 3), value), "features": np.arange(8.0).reshape(4, 2)}

    return make


def _entry(tmp_path):
    [path] = tmp_path.glob("*.npz")
    return path


def test_an_entry_is_computed_once_and_read_back_exactly(tmp_path):
    calls = []
    first = cached_arrays(tmp_path, CHOICES, _maker(calls), names=("logits", "features"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a valid entry reads without a warning
        second = cached_arrays(tmp_path, CHOICES, _maker(calls), names=("logits", "features"))
    assert len(calls) == 1
    assert set(second) == {"logits", "features"}
    for name in first:
        np.testing.assert_array_equal(first[name], second[name])
        assert first[name].dtype == second[name].dtype
    assert _entry(tmp_path).name == f"{cache_key(**CHOICES)}.npz"
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))


def test_other_choices_get_their_own_entry(tmp_path):
    calls = []
    cached_arrays(tmp_path, CHOICES, _maker(calls))
    cached_arrays(tmp_path, {**CHOICES, "split": "train"}, _maker(calls, 2.0))
    assert len(calls) == 2 and len(list(tmp_path.glob("*.npz"))) == 2


def test_a_damaged_entry_is_named_and_computed_again(tmp_path):
    calls = []
    cached_arrays(tmp_path, CHOICES, _maker(calls))
    path = _entry(tmp_path)
    # change the stored logits but keep a loadable file: only the sha256 check sees it
    with np.load(path) as stored:
        content = dict(stored)
    content["logits"] = content["logits"] + 1e-9
    np.savez(path, **content)
    with pytest.warns(CacheEntryWarning, match="does not match its stored sha256"):
        again = cached_arrays(tmp_path, CHOICES, _maker(calls))
    assert len(calls) == 2
    np.testing.assert_array_equal(again["logits"], np.full((4, 3), 1.0))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # rewritten: valid again
        cached_arrays(tmp_path, CHOICES, _maker(calls))
    assert len(calls) == 2


def test_a_truncated_entry_and_a_pickled_one_are_computed_again(tmp_path):
    calls = []
    cached_arrays(tmp_path, CHOICES, _maker(calls))
    path = _entry(tmp_path)
    path.write_bytes(path.read_bytes()[:100])
    with pytest.warns(CacheEntryWarning, match="does not load"):
        cached_arrays(tmp_path, CHOICES, _maker(calls))
    # an object array can only be stored pickled: it is never unpickled on read
    np.savez(path, logits=np.array([{"code": 1}], dtype=object))
    with pytest.warns(CacheEntryWarning, match="does not load"):
        cached_arrays(tmp_path, CHOICES, _maker(calls))
    assert len(calls) == 3


def test_an_entry_written_for_other_choices_under_the_name_is_not_used(tmp_path):
    calls = []
    cached_arrays(tmp_path, {**CHOICES, "split": "train"}, _maker(calls, 2.0))
    foreign = _entry(tmp_path)
    foreign.rename(tmp_path / f"{cache_key(**CHOICES)}.npz")
    with pytest.warns(CacheEntryWarning, match="was written for other choices"):
        got = cached_arrays(tmp_path, CHOICES, _maker(calls))
    np.testing.assert_array_equal(got["logits"], np.full((4, 3), 1.0))
    assert len(calls) == 2


def test_a_maker_that_returns_other_arrays_is_refused(tmp_path):
    with pytest.raises(ValueError, match="expected the arrays logits, features .* got features, logit"):
        cached_arrays(
            tmp_path, CHOICES, lambda: {"logit": np.zeros(2), "features": np.zeros(2)}, ("logits", "features")
        )
    assert not list(tmp_path.glob("*.npz"))


def test_two_writers_of_one_entry_compute_it_once(tmp_path):
    calls = []

    def slow():
        calls.append(1)
        time.sleep(0.3)
        return {"x": np.arange(3.0)}

    results = []
    threads = [
        threading.Thread(target=lambda: results.append(cached_arrays(tmp_path, CHOICES, slow, ("x",))))
        for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(results) == 2
    np.testing.assert_array_equal(results[0]["x"], results[1]["x"])


def test_a_choice_that_names_a_path_stays_inside_the_folder(tmp_path):
    folder = tmp_path / "cache"
    cached_arrays(folder, {"name": "../../escape", "other": "/etc/passwd"}, lambda: {"x": np.zeros(1)})
    assert [p.parent for p in tmp_path.rglob("*.npz")] == [folder]
    assert cache_key(name="../../escape").startswith("name=.._.._escape-")

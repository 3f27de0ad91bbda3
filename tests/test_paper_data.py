"""papers.toml: the papers' numbers and the claims as data, validated when loaded (issue 24).
A claim or headline that names a run, metric, note or paper value the project lacks is an
error at load, never a quiet "not run"."""

from __future__ import annotations

import copy
import tomllib

import pytest

from gan_bench.bench.config import load_config
from gan_bench.defaults import bundled_config_path, papers_path
from gan_bench.report.paper_data import PapersError, load_papers, parse_papers


@pytest.fixture(scope="module")
def raw() -> dict:
    return tomllib.loads(papers_path().read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def config():
    return load_config(bundled_config_path())


def _error(raw: dict, config, change) -> str:
    broken = copy.deepcopy(raw)
    change(broken)
    with pytest.raises(PapersError) as err:
        parse_papers(broken, config)
    return str(err.value)


def test_the_bundled_papers_file_loads_and_resolves_its_references():
    papers = load_papers()
    by_id = {h.id: h for h in papers.headlines}
    # the Table 1 setting's headlines cite the toy headlines' values instead of retyping them
    assert by_id["ring8-table1-traditional"].paper_value == by_id["ring8-traditional"].paper_value == 0.3195
    assert by_id["nemgan-90:10-nmi"].paper_value == papers.table2["mnist2-90:10"][1] == 0.86
    text = next(c.text for c in papers.claims if c.text.startswith("priorgan weighted on ring8:"))
    assert text.endswith("(paper 0.0891 vs 0.3195)")
    assert "{" not in "".join(c.text.replace("{variants}", "") for c in papers.claims)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda r: r["claims"][1]["compare"].update(below="vanila"), "no run 'vanila' on dataset 'ring8'"),
        (lambda r: r["claims"][0]["values"][0].update(metric="mode"), "unknown result row 'mode'"),
        (lambda r: r["headlines"][0].update(run="mdgan"), "no run 'mdgan' on dataset 'grid25'"),
        (lambda r: r["headlines"][6].update(note=["mmgan_ac"]), "unknown note(s) mmgan_ac"),
        (
            lambda r: r["claims"][0].update(text="paper {mdgan-grid25-mode}"),
            "'mdgan-grid25-mode' is no paper value",
        ),
        (lambda r: r["claims"][0].update(treshold=1), "unknown key(s) treshold"),
        (lambda r: r["claims"][1]["compare"].update(above="vanilla"), "expected one of 'below' or 'above'"),
        (lambda r: r["headlines"][1].update(id="mdgan-grid25-modes"), "the id is used twice"),
        (lambda r: r["nemgan_table2"].update(mnist5=[0.9, 0.8]), "expected 4 values"),
        (lambda r: r["claims"][0].update(combine="most"), "expected 'all' or 'any'"),
        (lambda r: r["headlines"][0].update(value="25"), "'25' is no paper value"),
    ],
)
def test_a_wrong_name_is_an_error_at_load_that_says_what_was_expected(raw, config, change, expected):
    assert expected in _error(raw, config, change)


def test_renaming_a_run_in_the_suites_breaks_the_load_not_the_claim(raw, config):
    renamed = copy.deepcopy(config)
    ring8 = renamed.suites["toy"]
    ring8.runs = [run for run in ring8.runs if run.name != "priorgan-weighted"]
    with pytest.raises(PapersError, match="no run 'priorgan-weighted' on dataset 'ring8'"):
        parse_papers(raw, renamed)

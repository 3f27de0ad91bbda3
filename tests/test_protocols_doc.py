"""docs/protocols.md is generated from benchmarks.toml, papers.toml and the registries
(issue 26): the committed file must be what the code writes now."""

from __future__ import annotations

from pathlib import Path

from gan_bench.bench.config import load_config
from gan_bench.bench.registry import ROWS
from gan_bench.report.protocols import protocols_markdown

DOC = Path(__file__).resolve().parents[1] / "docs" / "protocols.md"


def test_the_protocol_document_is_what_the_code_writes():
    expected = protocols_markdown()
    assert DOC.read_text() == expected, (
        "docs/protocols.md is stale: run `gan-bench protocols --out docs/protocols.md` and commit it"
    )


def test_the_protocol_document_holds_every_suite_run_and_metric_row():
    text, config = protocols_markdown(), load_config()
    for suite in config.suites.values():
        assert f"### {suite.name}\n" in text
        for run in suite.runs:
            assert f"| {run.name} | {run.variant} | {run.dataset} | {run.steps} |" in text
    for row in ROWS:
        assert f"| {row} |" in text

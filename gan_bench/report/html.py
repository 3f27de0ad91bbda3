"""``index.html``: rendered from the Jinja2 template ``templates/index.html.j2``, with a
table of contents, a section per suite and dataset, the metrics explained, and only
relative links to the report's own files (readable offline)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

TEMPLATES = Path(__file__).parent / "templates"


@dataclass
class Figure:
    src: str  # relative to index.html
    alt: str
    caption: str


@dataclass
class Section:
    id: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)  # html from :func:`table`
    figures: list[Figure] = field(default_factory=list)
    gallery: list[Figure] = field(default_factory=list)


@dataclass
class SuiteSection:
    id: str
    title: str
    description: str
    datasets: list[Section]


def anchor(*parts: str) -> str:
    """An html id from readable parts: 'toy', 'grid25' -> 'toy-grid25'."""
    return "-".join(re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") for p in parts)


def _cell(value: object) -> str:
    text = html.escape(str(value))
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    return f'<span class="no">{text}</span>' if text.startswith("NO") else text


def table(frame: pd.DataFrame) -> str:
    """An html table; cells are escaped, ``**x**`` is bold and a cell starting "NO" is red."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def render_page(
    title: str,
    generated: str,
    overview: list[Section],
    suites: list[SuiteSection],
    glossary: list[tuple[str, str]],
    appendix: list[Section],
    suites_first: bool = False,
) -> str:
    """The whole page; the table of contents lists every section and suite dataset. With
    ``suites_first`` (a report of a user's own runs) the suites' tables come before the paper
    comparison."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined
    )
    heads = [{"id": s.id, "title": s.title, "children": []} for s in overview]
    toc = [
        {
            "id": s.id,
            "title": f"Suite {s.title}",
            "children": [{"id": d.id, "title": d.title} for d in s.datasets],
        }
        for s in suites
    ]
    toc = toc + heads if suites_first else heads + toc
    toc.append({"id": "metrics", "title": "The metrics", "children": []})
    toc += [{"id": s.id, "title": s.title, "children": []} for s in appendix]
    return env.get_template("index.html.j2").render(
        title=title,
        generated=generated,
        toc=toc,
        overview=overview,
        suites=suites,
        glossary=[{"name": n, "text": t} for n, t in glossary],
        appendix=appendix,
        suites_first=suites_first,
    )

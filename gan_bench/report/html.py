"""A self-contained HTML report: tables and inline plots, no network resources."""

from __future__ import annotations

import html
import re

import pandas as pd

STYLE = """
body { font-family: sans-serif; margin: 2em; max-width: 1300px; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.85em; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; }
th { background: #f0f0f0; }
img { max-width: 100%; border: 1px solid #eee; margin: 0.5em 0; }
.no { color: #b00; font-weight: bold; }
"""


def _cell(value: object) -> str:
    text = html.escape(str(value))
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    return f'<span class="no">{text}</span>' if text.startswith("NO") else text


def table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def page(title: str, sections: list[tuple[str, str]]) -> str:
    """sections: (heading, html body) pairs."""
    body = "".join(f"<h2>{html.escape(h)}</h2>\n{content}\n" for h, content in sections)
    return (
        f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{STYLE}</style></head><body><h1>{html.escape(title)}</h1>\n{body}</body></html>\n"
    )


def image(src: str, alt: str) -> str:
    return f'<img src="{html.escape(src)}" alt="{html.escape(alt)}">'


def escape_text(text: str) -> str:
    return html.escape(text)


def items(lines: list[str]) -> str:
    """A bulleted list of plain-text lines."""
    return "<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in lines) + "</ul>"

"""The plain-paragraph shortcut of the prose renderer: a value of words only is not given to
Python-Markdown, and the HTML is the same as Markdown's (every string of the example catalog,
and the cases where a plain-looking line is Markdown after all)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from opsready.prose import to_html as prose_html
from test_policy_support import yaml_data

CATALOG = Path(__file__).resolve().parents[1] / "service_catalog"


def _strings(data: Any) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return []


@pytest.fixture(scope="module")
def catalog_values() -> list[str]:
    """Every string of the example catalog's YAML files, and its Markdown files."""
    values = [s for p in sorted(CATALOG.rglob("*.yaml"))
              for s in _strings(yaml_data(p.read_text(encoding="utf-8")))]
    return values + [p.read_text(encoding="utf-8") for p in sorted(CATALOG.rglob("*.md"))]


def test_every_string_of_the_example_catalog_renders_as_markdown_renders_it(
        catalog_values: list[str]) -> None:
    values = catalog_values
    shortcut = [v for v in values if prose_html.is_plain_paragraph(v.rstrip("\n"))]
    assert len(shortcut) > len(values) / 3  # most catalog prose takes the shortcut
    for value in dict.fromkeys(values):  # each distinct string once
        text = value.replace("\r\n", "\n")
        assert prose_html.to_html(text) == prose_html.markdown_html(text), value


@pytest.mark.parametrize("text", [
    "- a list item", "1. a numbered item", "2) another", "Term\n: definition", "Title\n---",
    "a line break  \nhere", "    indented code", "two\n\nparagraphs", "a * b", "a_b_c",
    "[link](x)", "a `code` span", "&amp;", "a <b>tag</b>", "# heading", "!!! note", "a | b",
])
def test_a_line_markdown_reads_as_markdown_does_not_take_the_shortcut(text: str) -> None:
    assert not prose_html.is_plain_paragraph(text)
    assert prose_html.to_html(text) == prose_html.markdown_html(text)


@pytest.mark.parametrize("text", [
    "Tokens expire after 15 minutes.", "Limits follow the plan (Starter 20/s, Growth 100/s).",
    "Café – “quoted” and ’curly’ text; 99% ok?", "First line\nsecond line", "Ends in a newline\n",
])
def test_words_only_take_the_shortcut_and_match_markdown(text: str) -> None:
    assert prose_html.is_plain_paragraph(text.rstrip("\n"))
    assert prose_html.to_html(text) == prose_html.markdown_html(text)


def test_the_checks_shortcut_finds_what_the_full_scan_finds(
        monkeypatch: pytest.MonkeyPatch, catalog_values: list[str]) -> None:
    # prose_scan.problems decides short values without a special character in one regex scan:
    # on every string of the example catalog and on hostile values, the same problems as the
    # full scan (the shortcut turned off).
    from hostile_prose import PAYLOADS
    from opsready.prose import problems as prose_problems
    from opsready.prose import scan as prose_scan

    values = list(catalog_values)
    values += [t for p in PAYLOADS for t in (p.text, p.impact) if t]
    values += ["[x](javascript:alert(1))", "<!-- open", "```\ncode",
               "~~~\ncode", "a\tb", ">" * 17 + " deep", " " * 49 + "indented", "plain words"]
    fast = [prose_problems.problems(v) for v in values]
    assert sum(not f for f in fast) > len(values) / 2 and any(fast)
    monkeypatch.setattr(prose_scan, "_ANY_PROBLEM", __import__("re").compile(""))
    assert [prose_problems.problems(v) for v in values] == fast

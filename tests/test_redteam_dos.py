"""Red team: prose that makes Python-Markdown quadratic or recursive is refused by the check and
shown as plain text by the renderer, never slow and never a crash.

Python-Markdown splits a paragraph at each heading (``#`` or a setext underline) and definition
(``: ``) and reparses the rest: one paragraph of many of them is quadratic (2,000 setext
headings, 12 KB, took 1.8 s; a 256 KB Markdown file minutes), and definitions nest one Python
call per item (500 of them, 5.5 KB, ended the build in a ``RecursionError``).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import TEAMS_YAML, BuildFailed, build_site, service_yaml
from opsready.prose import problems as prose_problems
from opsready.prose import to_html as prose_html

CASES = {
    "definitions in one paragraph": "term\n: definition\n" * 600,
    "setext headings in one paragraph": "Title\n=====\n" * 2000,
    "setext '-' headings in one paragraph": "Title\n-----\n" * 2000,
    "ATX headings in one paragraph": "# Heading\n" * 3000,
}


@pytest.mark.parametrize("name", CASES)
def test_the_check_refuses_it(name: str) -> None:
    found = [p for p in prose_problems.problems(CASES[name]) if p.severity == "error"]
    assert found and "too complex to render" in found[0].message, name
    assert found[0].line == 0


@pytest.mark.parametrize("name", CASES)
def test_the_renderer_shows_it_as_text_quickly(name: str) -> None:
    start = time.perf_counter()
    html = prose_html.render(CASES[name])  # no RecursionError
    assert time.perf_counter() - start < 1.0, name
    assert "<h" not in html and "<dl" not in html


def test_headings_and_definitions_a_runbook_writes_still_render() -> None:
    text = ("Overview\n========\n\nSome text.\n\n## Steps\n\nTerm\n: its definition\n\n"
            + "# Heading\n" * 20 + "\n" + "".join(f"T{i}\n: d{i}\n" for i in range(20)))
    assert not [p for p in prose_problems.problems(text) if p.severity == "error"]
    html = prose_html.render(text)
    assert html.count("<h") == 22 and html.count("<dd>") == 21


def test_a_team_page_crowded_with_definitions_is_refused_with_its_line(tmp_path: Path) -> None:
    """Team pages go through the site's own Markdown: the same paragraph limit applies there."""
    crowded = "# Notes\n\nIntro.\n\n" + "term\n: definition\n" * 150
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path, {"teams.yaml": TEAMS_YAML, "svc.yaml": service_yaml("svc")},
                   opsready={"diagrams": False}, strict=False,
                   docs_files={"index.md": "# Home\n", "services/svc/notes.md": crowded},
                   mkdocs_extra={"markdown_extensions": ["def_list"]})
    text = "\n".join(failed.value.errors)
    assert "services/svc/notes.md:5: refused:" in text and "headings or definitions" in text

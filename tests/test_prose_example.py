"""The example site shows what its catalog says: no literal backtick outside code, no number
split by a YAML flow list, and the example catalog passes the prose checks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Comment
from mkdocs.commands.build import build
from mkdocs.config import load_config

from opsready.catalog.fleet import CatalogResult

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example-site")
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        build(load_config(str(REPO / "mkdocs.yml"), site_dir=str(out)))
    finally:
        os.chdir(cwd)
    return out


def _visible_text_outside_code(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article")
    if article is None:
        return []
    for tag in article.find_all(["code", "pre", "script", "style"]):
        tag.decompose()
    return [str(t) for t in article.find_all(string=True) if not isinstance(t, Comment)]


def test_no_literal_backtick_outside_code(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 50
    found = [f"{p.relative_to(site)}: {t.strip()[:80]!r}" for p in pages
             for t in _visible_text_outside_code(p.read_text("utf-8")) if "`" in t]
    assert not found, "\n".join(found)


def test_no_inline_code_holds_markdown_code(site: Path) -> None:
    """A Markdown value passed through a code filter shows its own backticks inside <code>.
    (Generated pages only: the user guide shows fences in code on purpose.)"""
    found = []
    generated = [p for folder in ("services", "runbooks", "architecture", "scorecard")
                 for p in sorted((site / folder).rglob("*.html"))]
    assert len(generated) > 50
    for page in generated:
        article = BeautifulSoup(page.read_text("utf-8"), "html.parser").find("article")
        for code in article.find_all("code") if article else []:
            if code.find_parent("pre") is None and "`" in code.get_text():
                found.append(f"{page.relative_to(site)}: {code.get_text()[:80]!r}")
    assert not found, "\n".join(found)


def test_example_catalog_has_no_prose_problem_and_no_split_number(
        example_catalog: CatalogResult) -> None:
    result = example_catalog
    assert not [d for d in result.diagnostics if d.code in ("prose", "split-number")]


def test_numbers_with_thousands_separators_show_whole(site: Path) -> None:
    soup = BeautifulSoup((site / "services" / "payments" / "service-guide" / "index.html")
                         .read_text("utf-8"), "html.parser")
    text = soup.find("article").get_text()
    assert "about 1,500 req/s" in text
    assert "about 1;" not in text and "500 req/s;" not in text


def test_inline_markdown_fields_render_their_code(site: Path) -> None:
    soup = BeautifulSoup((site / "services" / "payments" / "ops-guide" / "index.html")
                         .read_text("utf-8"), "html.parser")
    codes = {c.get_text() for c in soup.select("article li code")}
    assert {"level", "msg", "request_id"} <= codes

"""Accessibility of the built HTML, read with BeautifulSoup: every page of the example site has
one h1 and no skipped heading level, tables with header cells, a language, and the packaged
accessibility stylesheet and script (which the ``accessibility`` option turns off)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import build_site, build_site_cached, catalog_with, rich_catalog, service_yaml
from example_site import BuiltSite

A11Y_ASSETS = ("assets/opsready/a11y.css", "assets/opsready/a11y.js")


def _pages(site_dir: Path) -> dict[str, BeautifulSoup]:
    """Every HTML page of a built site (but the 404 page), parsed: site path -> soup."""
    return {html.relative_to(site_dir).as_posix():
            BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
            for html in sorted(site_dir.rglob("*.html")) if html.name != "404.html"}


@pytest.fixture(scope="module")
def pages(built: BuiltSite) -> dict[str, BeautifulSoup]:
    parsed = _pages(built.site)
    assert len(parsed) > 50
    return parsed


def _outline_problems(pages: dict[str, BeautifulSoup]) -> list[str]:
    """Pages without exactly one h1 first, or with a skipped heading level."""
    problems = []
    for page, soup in pages.items():
        article = soup.select_one("article.md-content__inner")
        if article is None:  # the search page has no content
            continue
        levels = [int(h.name[1]) for h in article.find_all(re.compile(r"^h[1-6]$"))]
        if levels.count(1) != 1 or levels[0] != 1:
            problems.append(f"{page}: headings start {levels[:3]}, {levels.count(1)} h1")
        problems += [f"{page}: h{a} followed by h{b}"
                     for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    return problems


def test_every_page_has_one_h1_and_no_skipped_heading_level(
        pages: dict[str, BeautifulSoup]) -> None:
    assert _outline_problems(pages) == []


def test_every_section_of_a_full_service_keeps_the_outline(tmp_path: Path) -> None:
    # Every section filled, readiness flags on the pages of a minimal tier-1 service.
    site = build_site_cached(tmp_path, rich_catalog(), strict=False,
                             opsready={"readiness": True, "enforce": False, "warn_gaps": "none"})
    assert site.exists("services/checkout/service-guide/")
    assert "Missing:" in site.html("services/ledger/runbook/")
    assert _outline_problems(_pages(site.site_dir)) == []


def test_every_table_has_header_cells_and_every_page_a_language(
        pages: dict[str, BeautifulSoup]) -> None:
    tables = 0
    for page, soup in pages.items():
        assert soup.html is not None and soup.html.get("lang"), f"{page}: no lang"
        for table in soup.select(".md-content table"):
            tables += 1
            head = table.select("thead th")
            assert head and all(th.get_text(strip=True) for th in head), \
                f"{page}: a table without named header cells: {str(table)[:200]}"
    assert tables > 100


def test_every_page_links_the_accessibility_assets(
        built: BuiltSite, pages: dict[str, BeautifulSoup]) -> None:
    for asset in A11Y_ASSETS:
        assert (built.site / asset).is_file(), asset
    css = (built.site / A11Y_ASSETS[0]).read_text(encoding="utf-8")
    assert ".md-copyright" in css and "text-decoration: underline" in css
    for page, soup in pages.items():
        if page.startswith("packs/"):
            continue  # runbook packs are self-contained files with their own styles (test_pack*)
        linked = {tag.get("href") or tag.get("src") for tag in soup.select("link, script")}
        assert all(any(str(u).endswith(asset) for u in linked) for asset in A11Y_ASSETS), page


def test_the_accessibility_option_turns_the_assets_off(tmp_path: Path) -> None:
    files = catalog_with(billing=service_yaml("billing"))
    on = build_site(tmp_path / "on", files, opsready={"diagrams": False}, strict=False,
                    expect_warnings=["diagrams are off"])
    off = build_site(tmp_path / "off", files, strict=False,
                     opsready={"diagrams": False, "accessibility": False},
                     expect_warnings=["diagrams are off"])
    for asset in A11Y_ASSETS:
        assert asset in on.html("services/billing/") and on.exists(asset)
        assert asset not in off.html("services/billing/") and not off.exists(asset)


def _luminance(colour: str) -> float:
    hexa = colour.lstrip("#")
    if len(hexa) == 3:
        hexa = "".join(c * 2 for c in hexa)
    channels = [int(hexa[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_matches_known_pairs() -> None:
    assert round(contrast("#000", "#fff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48  # the classic just-failing grey


def test_every_badge_colour_carries_white_text_at_aa_contrast(built: BuiltSite) -> None:
    import xml.etree.ElementTree as ET

    badges = sorted((built.site / "scorecard" / "badges").glob("*.svg"))
    assert len(badges) == len(built.catalog.services)
    seen = set()
    ns = "{http://www.w3.org/2000/svg}"
    for badge in badges:
        svg = ET.parse(badge).getroot()
        text = svg.find(f"{ns}g[@fill]")
        assert text is not None
        for rect in svg.iter(f"{ns}rect"):
            fill = rect.get("fill", "")
            if rect.get("x") is None and fill == "#fff":  # the clip path's shape
                continue
            seen.add(fill)
            assert contrast(fill, text.get("fill", "")) >= 4.5, (badge.name, fill)
    assert len(seen) >= 3  # the label and at least two level colours


def test_scorecard_level_colours_meet_aa_on_both_schemes() -> None:
    from opsready.scorecard import publish

    css = (Path(publish.__file__).parent.parent / "data" / "scorecard" / "scorecard.css"
           ).read_text(encoding="utf-8")
    backgrounds = {"": "#ffffff", '[data-md-color-scheme="slate"] ': "#1e2129"}
    for level in ("gold", "silver", "bronze"):
        for prefix, background in backgrounds.items():
            rule = re.search(re.escape(f'{prefix}td[data-opsready="{level}"]')
                             + r"\s*\{[^}]*color:\s*(#[0-9a-f]{6})", css)
            assert rule is not None, f"no {level} colour for {prefix or 'light'}"
            assert contrast(rule.group(1), background) >= 4.5, (level, prefix)


def test_scorecard_states_are_written_in_words(pages: dict[str, BeautifulSoup]) -> None:
    soup = pages["scorecard/index.html"]
    article = soup.select_one("article.md-content__inner")
    assert article is not None
    assert "A dash (—) means no rule of the policy applies" in article.get_text(" ")
    words = {"Achieved": {"gold", "silver", "bronze", "none"},
             "Required": {"gold", "silver", "bronze", "none"},
             "Status": {"meets", "below", "not enforced"}}
    matrix_words = {"pass", "fail", "stale", "n/a", "exempt", "expired", "next level", "—"}
    checked = 0
    for table in article.select("table"):
        head = [th.get_text(strip=True) for th in table.select("thead th")]
        is_matrix = head[0] == "Service" and "Tier" not in head
        for row in table.select("tbody tr"):
            for name, td in zip(head, row.select("td"), strict=True):
                text = td.get_text(strip=True)
                if is_matrix and name != "Service":
                    assert text in matrix_words, (name, text)
                    checked += 1
                elif name in words:
                    assert text in words[name], (name, text)
                    checked += 1
    assert checked > 50

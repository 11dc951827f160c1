"""Readable at 3 a.m. on any screen: the built example site in headless Chromium at 1440 and
390 CSS px wide (issue 23).

- Diagrams are legible where they are: the smallest text of every diagram on every architecture
  page and on the fleet map renders at 11 CSS px or more (an SVG shown with ``<img>`` is measured
  as its rendered width over its viewBox width times its smallest font size).
- Nothing in the article is wider than the screen or cut off: an element beyond the viewport
  must sit in a box that scrolls sideways and itself fits (a wide diagram, a wide table); the
  runbooks index has no such box at all on a phone.
- The runbooks index filter finds every alert by its name and by a word of its summary.
- Search finds every alert from its name lower-cased and run together (as chat and pager
  messages write it): the alert's page is the first result.

The site is the session's example site (``example_site.py``), built once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from example_site import BuiltSite, launched_chromium
from opsready.output.site_paths import SitePaths, url_of

pytestmark = [pytest.mark.build, pytest.mark.browser]

WIDTHS = {"desktop": (1440, 900), "phone": (390, 844)}
MIN_TEXT_PX = 11.0

# The smallest text of each diagram on the page, in CSS px: inline SVG text by its font size
# times the SVG's scale on screen; an SVG in <img> by its rendered width over its viewBox width
# times its smallest font size.
DIAGRAM_TEXT = """async () => {
  const found = [];
  const sizeOf = (el) => {
    for (let n = el; n && n.getAttribute; n = n.parentNode) {
      const v = n.getAttribute("font-size");
      if (v) return parseFloat(v);
    }
    return 16;
  };
  for (const svg of document.querySelectorAll("article svg")) {
    const texts = [...svg.querySelectorAll("text")];
    if (!texts.length) continue;
    const ctm = svg.getScreenCTM();
    const scale = ctm ? Math.hypot(ctm.a, ctm.b) : 1;
    found.push({src: "inline", loaded: true,
                px: Math.min(...texts.map(t => sizeOf(t) * scale))});
  }
  for (const img of document.querySelectorAll("article img")) {
    const src = img.currentSrc || img.src;
    if (!/\\.svg($|[?#])/.test(src)) continue;
    const doc = new DOMParser().parseFromString(await (await fetch(src)).text(),
                                                "image/svg+xml");
    const box = (doc.documentElement.getAttribute("viewBox") || "").split(/[\\s,]+/).map(Number);
    const texts = [...doc.querySelectorAll("text")];
    const width = img.getBoundingClientRect().width;
    found.push({src, loaded: img.complete && img.naturalWidth > 0,
                px: texts.length ? width / box[2] * Math.min(...texts.map(sizeOf)) : null});
  }
  return found;
}"""

# Elements of the article beyond the viewport that no sideways-scrolling box of their own holds,
# elements cut off by a box that hides its overflow, and boxes that scroll sideways.
OVERFLOW = """() => {
  const vw = document.documentElement.clientWidth;
  const article = document.querySelector("article");
  const hidden = (el) => {
    for (let n = el; n && n !== article; n = n.parentElement) {
      const cs = getComputedStyle(n);
      const r = n.getBoundingClientRect();
      if (cs.display === "none" || cs.visibility === "hidden" || n.hidden) return true;
      if (cs.position === "absolute" && r.width <= 1 && r.height <= 1) return true;  // sr-only
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (typeof el.className === "string" && el.className ? "." + el.className.split(" ")[0] : "") +
    " " + (el.textContent || "").trim().slice(0, 40);
  const beyond = [], cut = [], scrollers = [];
  for (const el of article.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || hidden(el)) continue;
    const cs = getComputedStyle(el);
    if (/(auto|scroll)/.test(cs.overflowX) && el.scrollWidth > el.clientWidth + 1) {
      let h = el;  // named after the heading above it
      while (h && !/^H[1-6]$/.test(h.tagName)) h = h.previousElementSibling || h.parentElement;
      scrollers.push(name(el) + " under " + (h ? h.textContent.trim() : "?"));
    }
    // Cut off: beyond the nearest box that hides its overflow (and does not scroll).
    for (let n = el.parentElement; n && n !== article.parentElement; n = n.parentElement) {
      const ox = getComputedStyle(n).overflowX;
      if (ox === "visible") continue;
      const h = n.getBoundingClientRect();
      if (/(hidden|clip)/.test(ox) && (r.right > h.right + 1 || r.left < h.left - 1)) {
        cut.push(name(el));
      }
      break;
    }
    // Beyond the screen is fine inside a box that scrolls sideways and fits the screen.
    let held = false;
    for (let n = el.parentElement; n && n !== article.parentElement; n = n.parentElement) {
      const h = n.getBoundingClientRect();
      if (/(auto|scroll)/.test(getComputedStyle(n).overflowX) && h.right <= vw + 1 &&
          h.left >= -1) { held = true; break; }
    }
    if (held) continue;
    if (r.right > vw + 1 || r.left < -1) beyond.push(name(el));
  }
  return {beyond: [...new Set(beyond)], cut: [...new Set(cut)],
          scrollers: [...new Set(scrollers)]};
}"""


# The rows of the runbooks index's alerts table (the first table after the "alerts" heading)
# that the filter shows: [alert, service, whole row text].
ALERT_ROWS = """() => {
  let n = document.getElementById("alerts").nextElementSibling;
  while (n && n.tagName !== "TABLE" && !n.querySelector("table")) n = n.nextElementSibling;
  const table = n.tagName === "TABLE" ? n : n.querySelector("table");
  return [...table.tBodies[0].rows].filter(r => !r.hidden).map(r =>
    [r.cells[0].textContent.trim(), r.cells[2].textContent.trim(), r.textContent]);
}"""


def _url(built: BuiltSite, src: str) -> str:
    return url_of(src, use_directory_urls=built.settings.use_directory_urls)


def _paths(built: BuiltSite) -> SitePaths:
    return SitePaths(built.settings.prefix)


def _architecture_pages(built: BuiltSite) -> list[str]:
    paths = _paths(built)
    return [_url(built, paths.document(sid, "architecture"))
            for sid, s in sorted(built.catalog.services.items()) if s.architecture is not None]


def _alerts(built: BuiltSite) -> list[tuple[str, str, str, str]]:
    """(service id, service name, alert name, summary) of every alert, by name."""
    return sorted(((sid, s.name, a.name, str(a.summary or ""))
                   for sid, s in built.catalog.services.items() for a in s.alerts),
                  key=lambda a: (a[2], a[0]))


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_chromium() as launched:
        yield launched


@pytest.fixture(params=sorted(WIDTHS), scope="module")
def screen(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    width, height = WIDTHS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        yield context.new_page()
    finally:
        context.close()


def test_every_diagram_is_legible_inline(built: BuiltSite, served: str, screen: Any) -> None:
    pages = [*_architecture_pages(built), _url(built, _paths(built).fleet_map())]
    measured: dict[str, list[dict[str, Any]]] = {}
    for page in pages:
        screen.goto(served + page)
        screen.wait_for_load_state("load")
        measured[page] = screen.evaluate(DIAGRAM_TEXT)
    assert sum(len(found) for found in measured.values()) >= len(pages) // 2  # diagrams shown
    small = {(page, d["src"].rsplit("/", 1)[-1], round(d["px"] or 0, 1))
             for page, found in measured.items() for d in found
             if not d["loaded"] or d["px"] is None or d["px"] < MIN_TEXT_PX}
    assert not small, f"diagram text below {MIN_TEXT_PX} px: {sorted(small)}"


def test_no_article_element_is_wider_than_the_screen_or_cut_off(
        built: BuiltSite, served: str, screen: Any) -> None:
    paths = _paths(built)
    sid, _, alert, _ = _alerts(built)[0]
    pages = ["", *_architecture_pages(built), _url(built, paths.fleet_map()),
             _url(built, paths.runbooks_index()), _url(built, paths.scorecard()),
             _url(built, paths.document(sid, "runbook")), _url(built, paths.alert(sid, alert)),
             _url(built, paths.document(sid, "ops-guide")),
             _url(built, paths.document(sid, "service-guide"))]
    problems = {}
    wide: dict[str, list[str]] = {}
    for page in pages:
        screen.goto(served + page)
        screen.wait_for_load_state("load")
        found = screen.evaluate(OVERFLOW)
        if found["beyond"] or found["cut"]:
            problems[page or "/"] = {"beyond": found["beyond"][:5], "cut": found["cut"][:5]}
        if page == _url(built, paths.runbooks_index()) and screen.viewport_size["width"] < 400:
            # On a phone the runbooks index does not scroll sideways anywhere.
            assert found["scrollers"] == [], found["scrollers"]
        if screen.viewport_size["width"] > 1000:
            # On a wide screen tables use the page's width: only the scorecard's deliverables
            # matrix (a column per deliverable) is wider than the page.
            wide[page or "/"] = [s for s in found["scrollers"] if "Deliverable" not in s]
    assert problems == {}
    assert {page: found for page, found in wide.items() if found} == {}


def test_runbooks_index_lists_alerts_first_and_every_alert_without_script(
        built: BuiltSite) -> None:
    index = _url(built, _paths(built).runbooks_index())
    html = built.site / (index + "index.html" if index.endswith("/") or not index else index)
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    alerts, services = soup.find(id="alerts"), soup.find(id="services")
    assert alerts is not None and services is not None
    assert alerts.find_next("table") is not services.find_next("table")
    assert alerts.sourceline < services.sourceline  # alerts first
    rows = alerts.find_next("table").select("tbody tr")
    assert [th.get_text(strip=True) for th in alerts.find_next("table").select("th")] == [
        "Alert", "Severity", "Service", "Summary"]
    listed = sorted((r.find("td").get_text(strip=True), r.select("td")[2].get_text(strip=True))
                    for r in rows)
    assert listed == sorted((name, service) for _, service, name, _ in _alerts(built))


def test_runbooks_index_filter_finds_every_alert_by_name_and_summary_word(
        built: BuiltSite, served: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(served + _url(built, _paths(built).runbooks_index()))
        box = page.locator("[data-opsready-filter='alerts'] input[type='search']")
        box.wait_for(timeout=10_000)

        def shown() -> list[tuple[str, str, str]]:
            """(alert, service, row text) of the rows the filter leaves."""
            return [tuple(r) for r in page.evaluate(ALERT_ROWS)]

        total = len(page.evaluate(ALERT_ROWS.replace("!r.hidden", "true")))
        assert total == len(_alerts(built))
        missed = []
        for _, service, name, summary in _alerts(built):
            words = [w for w in re.findall(r"[A-Za-z][A-Za-z-]{3,}", summary)]
            word = max(words, key=len) if words else name
            for query in (name, name.lower(), word.upper()):
                box.fill(query)
                found = shown()
                if (name, service) not in [(n, s) for n, s, _ in found]:
                    missed.append((query, name))
                # Every row left shows what was asked for.
                assert all(_squash(query) in _squash(text) for _, _, text in found), query
        assert missed == []
        box.fill("")
        assert len(shown()) == total
        severity = page.locator("[data-opsready-filter='alerts'] select").first
        level = _alerts(built)[0]
        wanted = next(a.severity for a in built.catalog.services[level[0]].alerts
                      if a.name == level[2])
        severity.select_option(wanted)
        expected = sorted((a.name, s.name) for s in built.catalog.services.values()
                          for a in s.alerts if a.severity == wanted)
        assert sorted((n, s) for n, s, _ in shown()) == expected
        status = page.locator("[data-opsready-filter='alerts'] [role='status']")
        assert status.inner_text().startswith(f"{len(expected)} of {total}")
    finally:
        context.close()


def test_search_finds_every_alert_by_its_name_lower_case_run_together(
        built: BuiltSite, served: str, browser: Any) -> None:
    pages: dict[str, set[str]] = {}
    for sid, _, name, _ in _alerts(built):
        pages.setdefault(name, set()).add(
            urlsplit(served + built.alert_path(sid, name)).path)
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    first_result = ("() => { const a = document.querySelector('.md-search-result__item a');"
                    " return a ? new URL(a.href).pathname : null; }")
    wrong = []
    try:
        page.goto(served)
        page.click(".md-search__input")
        for name, expected in sorted(pages.items()):
            for query in (_squash(name), " ".join(re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+",
                                                            name)).upper()):
                page.keyboard.press("Control+A")
                page.keyboard.press("Backspace")
                page.keyboard.type(query)
                try:
                    page.wait_for_function(
                        f"(want) => want.includes(({first_result})())", arg=sorted(expected),
                        timeout=8_000)
                except Exception:  # noqa: BLE001 - playwright's TimeoutError: report it below
                    wrong.append((query, page.evaluate(first_result)))
    finally:
        context.close()
    assert wrong == []


def test_home_page_opens_with_a_block_for_someone_just_paged(built: BuiltSite) -> None:
    if not built.example:
        pytest.skip("the repository's own home page")
    soup = BeautifulSoup((built.site / "index.html").read_text(encoding="utf-8"), "html.parser")
    h1 = soup.select_one("article h1")
    assert h1 is not None
    first = h1.find_next_sibling()
    assert first is not None and "admonition" in (first.get("class") or [])
    assert "paged" in first.get_text().lower() and "search" in first.get_text().lower()
    links = {a["href"].rstrip("/").rsplit("/", 1)[-1] or a["href"] for a in first.select("a[href]")}
    assert {"runbooks", "noc"} <= {link.split("#")[0].removesuffix(".html") for link in links}

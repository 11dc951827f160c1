"""Accessibility (WCAG 2.1 AA) of every page type of the built example site, in headless Chromium.

axe-core, the engine browser audits use, is loaded into each page from the copy that
``scripts/setup.sh --test`` installs from the npm registry into ``.venv/node`` (no network at run
time) and run with the WCAG 2 A and AA rule sets: no serious or critical violation is allowed,
in the light and the dark colour scheme. One test per page type, so a regression names the page.
Then a keyboard-only walk: from the home page to an alert's Mitigation section and to the
scorecard's filter with Tab and Enter, a visible focus outline at every stop.

Skipped when Chromium or axe-core is absent and ``CI`` is unset; in CI it always runs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from example_site import REPO, BuiltSite, launched_chromium
from opsready.output.site_paths import SitePaths, url_of

pytestmark = [pytest.mark.build, pytest.mark.browser]  # the built example site in Chromium

AXE_CANDIDATES = [Path(prefix) / "node" / "node_modules" / "axe-core" / "axe.min.js"
                  for prefix in (sys.prefix, REPO / ".venv")]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
SCHEMES = {"light": "default", "dark": "slate"}
"""Browser colour preference -> the Material scheme it must select."""

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' ') + ': '
                       + (n.any.concat(n.all, n.none)[0] || {message: ''}).message)}));
}"""


def _service(built: BuiltSite) -> str:
    """The example service with the most alerts (ties: the first id): every document of it is
    generated, with commands, tables and diagrams."""
    services = built.catalog.services
    return max(sorted(services), key=lambda sid: len(services[sid].alerts))


def _page(src: Callable[[SitePaths, BuiltSite, str], str]) -> Callable[[BuiltSite], str]:
    def url(built: BuiltSite) -> str:
        path = src(SitePaths(built.settings.prefix), built, _service(built))
        return url_of(path, use_directory_urls=built.settings.use_directory_urls)
    return url


def _alert_page(paths: SitePaths, built: BuiltSite, sid: str) -> str:
    return paths.alert(sid, built.catalog.services[sid].alerts[0].name)


PAGE_TYPES: dict[str, Callable[[BuiltSite], str]] = {
    "home": lambda built: "",
    "services-index": _page(lambda p, b, s: p.services_index()),
    "runbooks-index": _page(lambda p, b, s: p.runbooks_index()),
    "scorecard": _page(lambda p, b, s: p.scorecard()),
    "trends": _page(lambda p, b, s: p.scorecard().replace("index.md", "trends.md")),
    "campaigns": _page(lambda p, b, s: p.scorecard().replace("index.md", "campaigns.md")),
    "service-overview": _page(lambda p, b, s: p.document(s, "overview")),
    "noc-runbook": _page(lambda p, b, s: p.document(s, "runbook")),
    "alert-page": _page(_alert_page),
    "architecture": _page(lambda p, b, s: p.document(s, "architecture")),
    "fleet-map": _page(lambda p, b, s: p.fleet_map()),
    "operators-handbook": _page(lambda p, b, s: p.document(s, "operators-handbook")),
    "ops-guide": _page(lambda p, b, s: p.document(s, "ops-guide")),
    "service-guide": _page(lambda p, b, s: p.document(s, "service-guide")),
}


@pytest.fixture(scope="module")
def axe_script() -> str:
    found = next((p for p in AXE_CANDIDATES if p.is_file()), None)
    if found is None:
        message = ("axe-core is not installed (scripts/setup.sh --test installs it into "
                   f".venv/node); looked in {[str(p) for p in AXE_CANDIDATES]}")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def example(built: BuiltSite) -> BuiltSite:
    if not built.example:
        pytest.skip("the repository's example fleet has no alerts: its page types are absent")
    return built


def _offers_dark(built: BuiltSite) -> bool:
    home = (built.site / "index.html").read_text(encoding="utf-8")
    return 'data-md-color-scheme="slate"' in home


def _blocking_violations(browser: Any, url: str, axe_script: str, scheme: str,
                         width: int = 1280, search: str = "") -> str:
    """axe's serious and critical WCAG A/AA violations on the page at ``url`` (with the results
    of ``search`` open, if given), as a report (empty when there are none)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    try:
        if not search:
            # The search index is built in a worker on every page load: work these checks do
            # not need.
            context.route("**/search_index.json", lambda route: route.abort())
        page = context.new_page()
        response = page.goto(url)
        assert response is not None and response.ok, url
        page.wait_for_load_state("load")
        # The scheme the reader's preference selects is the one being checked.
        assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEMES[scheme]
        assert page.evaluate("document.documentElement.lang"), "no lang on <html>"
        if search:
            page.click(".md-search__input")
            page.keyboard.type(search)
            page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
        page.add_script_tag(content=axe_script)
        violations = page.evaluate(RUN_AXE, WCAG_TAGS)
    finally:
        context.close()
    return "\n".join(f"{v['impact']} {v['id']} ({v['help']}):\n    " + "\n    ".join(v["nodes"])
                     for v in violations if v["impact"] in BLOCKING)


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
def test_page_type_has_no_serious_wcag_aa_violation(
        example: BuiltSite, served: str, browser: Any, axe_script: str,
        page_type: str, scheme: str) -> None:
    if scheme == "dark" and not _offers_dark(example):
        pytest.skip("the site offers only the light colour scheme")
    url = served + PAGE_TYPES[page_type](example)
    report = _blocking_violations(browser, url, axe_script, scheme)
    assert not report, f"{page_type} ({scheme}) at {url}:\n{report}"


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_search_results_have_no_serious_wcag_aa_violation(
        example: BuiltSite, served: str, browser: Any, axe_script: str, scheme: str) -> None:
    if scheme == "dark" and not _offers_dark(example):
        pytest.skip("the site offers only the light colour scheme")
    alert = example.catalog.services[_service(example)].alerts[0].name
    report = _blocking_violations(browser, served, axe_script, scheme, search=alert)
    assert not report, f"search results ({scheme}):\n{report}"


@pytest.mark.parametrize("page_type", ["alert-page", "noc-runbook", "scorecard", "service-guide"])
def test_page_type_on_a_phone_has_no_serious_wcag_aa_violation(
        example: BuiltSite, served: str, browser: Any, axe_script: str, page_type: str) -> None:
    # 390 px wide: wide tables scroll sideways and must then be reachable by keyboard.
    url = served + PAGE_TYPES[page_type](example)
    report = _blocking_violations(browser, url, axe_script, "light", width=390)
    assert not report, f"{page_type} (phone) at {url}:\n{report}"


FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  // A visually hidden radio button (the colour-scheme toggle) shows its focus on the label
  // that follows it.
  const next = el.nextElementSibling;
  const hidden = el.getBoundingClientRect().width === 0 && next && next.tagName === 'LABEL';
  const shown = hidden ? next : el;
  const style = getComputedStyle(shown);
  const box = shown.getBoundingClientRect();
  return {tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || '').trim(),
          href: el.getAttribute('href') || '', cls: el.className || '',
          outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1,
          shown: box.width > 0 && box.height > 0};
}"""


class KeyboardWalk:
    """Tab through a page until the focused element is the one wanted, noting every stop whose
    focus is not visibly outlined."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.unmarked: list[str] = []
        self.stops = 0

    def tab_to(self, wanted: Callable[[dict[str, Any]], bool], what: str,
               limit: int = 400) -> dict[str, Any]:
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            self.stops += 1
            focused = self.page.evaluate(FOCUSED)
            if focused is None:
                continue
            if focused["shown"] and not focused["outline"]:
                self.unmarked.append(f"{self.page.url}: <{focused['tag']} class="
                                     f"{focused['cls']!r}> {focused['text'][:40]!r}")
            if wanted(focused):
                return focused
        raise AssertionError(f"{what}: not reached with {limit} Tabs from {self.page.url}")

    def enter(self) -> None:
        self.page.keyboard.press("Enter")


def test_keyboard_only_from_home_to_an_alerts_mitigation_and_the_scorecard_filter(
        example: BuiltSite, served: str, browser: Any) -> None:
    paths = SitePaths(example.settings.prefix)
    dirs = example.settings.use_directory_urls
    sid = _service(example)
    alert = example.catalog.services[sid].alerts[0].name
    alert_url = served + url_of(paths.alert(sid, alert), use_directory_urls=dirs)
    runbooks_url = served + url_of(paths.runbooks_index(), use_directory_urls=dirs)
    scorecard_url = served + url_of(paths.scorecard(), use_directory_urls=dirs)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(served)  # the only navigation not made with the keyboard
        walk = KeyboardWalk(page)

        walk.tab_to(lambda f: f["tag"] == "a" and f["text"] == "Runbooks", "Runbooks in the nav")
        walk.enter()
        page.wait_for_url(runbooks_url)
        walk.tab_to(lambda f: f["tag"] == "a" and f["text"] == alert
                    and sid in f["href"], f"{alert} in the runbooks index")
        walk.enter()
        page.wait_for_url(alert_url)
        walk.tab_to(lambda f: f["href"].endswith("#mitigation"), "Mitigation in the contents")
        walk.enter()
        page.wait_for_url(alert_url + "#mitigation")
        top = page.evaluate("document.getElementById('mitigation').getBoundingClientRect().top")
        assert 0 <= top < 900, "the Mitigation section is not scrolled into view"

        walk.tab_to(lambda f: f["tag"] == "a" and f["text"] == "Scorecard", "Scorecard in the nav")
        walk.enter()
        page.wait_for_url(scorecard_url)
        walk.tab_to(lambda f: "opsready-filter" in f["cls"], "the scorecard filter")
        count = page.locator(".opsready-count").first
        assert count.get_attribute("role") == "status"  # the new count is announced
        total = count.inner_text().split(" of ")[1]
        page.keyboard.type(example.catalog.services[sid].name)
        assert count.inner_text() == f"1 of {total}"
        # The table's headers sort with the keyboard too, and say how they sort.
        sort = walk.tab_to(lambda f: f["tag"] == "button" and "opsready-sort" in f["cls"]
                           and f["text"] == "Service", "the Service column's sort button")
        assert sort
        header = page.locator("th", has=page.locator("button:focus"))
        walk.enter()
        assert header.get_attribute("aria-sort") == "ascending"
        page.keyboard.press("Space")
        assert header.get_attribute("aria-sort") == "descending"
    finally:
        context.close()
    assert walk.unmarked == [], "focus without a visible outline"


def test_search_and_collapsed_sections_work_with_the_keyboard(
        example: BuiltSite, served: str, browser: Any) -> None:
    paths = SitePaths(example.settings.prefix)
    sid = _service(example)
    alert = example.catalog.services[sid].alerts[0].name
    alert_path = url_of(paths.alert(sid, alert),
                        use_directory_urls=example.settings.use_directory_urls)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(served)
        walk = KeyboardWalk(page)
        # Search: type into the box, Enter opens the first result (the theme's arrow keys pick
        # another).
        walk.tab_to(lambda f: "md-search__input" in f["cls"], "the search box")
        page.keyboard.type(alert)
        page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
        walk.enter()
        page.wait_for_url(lambda url: url.split("?")[0].startswith(served + alert_path),
                          timeout=15_000)
        # A collapsed section (``??? note`` on a team's page) opens and closes with Enter.
        page.evaluate("""() => document.querySelector('.md-content article').insertAdjacentHTML(
            'afterbegin', '<details class="note"><summary>More steps</summary><p>Hidden</p>'
                          + '</details>')""")
        walk.tab_to(lambda f: f["tag"] == "summary", "the collapsed section's summary")
        walk.enter()
        assert page.evaluate("document.querySelector('.md-content details').open") is True
        walk.enter()
        assert page.evaluate("document.querySelector('.md-content details').open") is False
    finally:
        context.close()
    assert walk.unmarked == [], "focus without a visible outline"

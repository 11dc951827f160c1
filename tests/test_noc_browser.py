"""The NOC experience in headless Chromium on the built example site (built once per session):
whom to call on every alert page, copy buttons, search by the words of an alert name, and no
page wider than a phone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from example_site import (
    REPO,
    ExampleSite,
    launched_chromium,
)
from opsready.output.site_paths import SitePaths, url_of

pytestmark = [pytest.mark.build, pytest.mark.browser]  # the built example site in Chromium

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
# The escalation section of an alert page: its heading up to the next heading of that level.
ESCALATION_LINKS = """() => {
  const out = []; let el = document.getElementById('escalation');
  for (el = el && el.nextElementSibling; el && el.tagName !== 'H2'; el = el.nextElementSibling)
    for (const a of el.querySelectorAll('a[href]')) out.push(a.getAttribute('href'));
  return out; }"""
ESCALATION_TEXTS = """() => [...document.querySelectorAll('.md-content h2, .md-content h3')]
  .filter(h => /escalation/i.test(h.textContent)).map(h => {
    let text = ''; for (let el = h.nextElementSibling; el && !/^H[23]$/.test(el.tagName);
      el = el.nextElementSibling) text += el.textContent + '\\n';
    return text; })"""
# Wait until material's search results stop changing (the search runs in a web worker).
SETTLE = """() => new Promise(resolve => {
  const list = document.querySelector('.md-search-result__list'); let timer;
  const observer = new MutationObserver(() => {
    clearTimeout(timer); timer = setTimeout(done, 200); });
  function done() { observer.disconnect(); resolve(); }
  observer.observe(list, {childList: true, subtree: true}); timer = setTimeout(done, 400); })"""


def _words(name: str) -> str:
    """The words of an alert name, lower case: LedgerReplicationLag -> ledger replication lag."""
    return " ".join(w.lower() for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", name))


def _alerts(site: ExampleSite) -> list[tuple[str, str, str]]:
    """(service id, service name, alert name) for every alert of the fleet."""
    return sorted((sid, s.name, a.name) for sid, s in site.catalog.services.items()
                  for a in s.alerts)


def _patterns() -> list[str]:
    """The fixed start of the chat and pager URL patterns the example site configures."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    options = next(p["opsready"] for p in config["plugins"]
                   if isinstance(p, dict) and "opsready" in p)
    found = [options[k].split("{")[0] for k in ("chat_url", "chat_user_url", "pager_url")
             if options.get(k)]
    assert found, "the example site configures chat and pager links"
    return found


@pytest.fixture(scope="module")
def browser(example_site: ExampleSite) -> Iterator[Any]:
    assert example_site.example, "these tests are about the repository's example fleet"
    with launched_chromium() as chromium:
        yield chromium


def _page(browser: Any, viewport: dict[str, int]) -> Any:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors  # checked by the tests that load pages
    return page


def test_alert_pages_on_a_phone_say_whom_to_call_and_show_every_command(
        example_site: ExampleSite, example_served: str, browser: Any) -> None:
    """One pass over every alert page at 390 px: a working contact link under Escalation and
    none "Not documented yet" there; a summary with whom to call and a link to Mitigation;
    a copy button on every command, none cut off; no page-level horizontal scroll."""
    patterns = _patterns()
    page = _page(browser, PHONE)
    with_commands = 0
    for sid, _, name in _alerts(example_site):
        where = f"{sid}/{name}"
        page.goto(example_served + example_site.alert_path(sid, name))
        hrefs = page.evaluate(ESCALATION_LINKS)
        working = [h for h in hrefs
                   if re.fullmatch(r"tel:\+?[0-9*#]{3,}", h)
                   or re.fullmatch(r"mailto:[^@\s]+@[^@\s]+\.[a-z]+", h)
                   or any(h.startswith(p) and len(h) > len(p) for p in patterns)]
        assert working, f"{where}: no tel:, mailto:, chat or pager link under Escalation"
        for text in page.evaluate(ESCALATION_TEXTS):
            assert "Not documented yet" not in text, where
        summary = page.evaluate("""() => { const ul = document.querySelector(
              '.md-content article > ul');
            const call = [...ul.children].find(li => /^Call now:/.test(li.textContent.trim()));
            return {mitigation: ul.querySelectorAll('a[href="#mitigation"]').length,
                    callLinks: call ? call.querySelectorAll('a[href]').length : -1}; }""")
        assert summary["mitigation"] == 1 and summary["callLinks"] >= 1, (where, summary)
        blocks = page.evaluate("""() => [...document.querySelectorAll('.md-content pre > code')]
            .map(code => ({copy: !!code.parentElement.querySelector(
                               'button[title="Copy to clipboard"]'),
                           hidden: code.scrollWidth - code.clientWidth}))""")
        with_commands += bool(blocks)
        for block in blocks:
            assert block["copy"], f"{where}: a command without a copy button"
            assert block["hidden"] <= 1, f"{where}: a command is cut off ({block})"
        width = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
        assert width[0] <= width[1], f"{where} at 390 px: {width}"
    assert with_commands >= 10
    assert page.errors == []


def test_search_puts_the_alert_first_by_name_by_words_and_by_service(
        example_site: ExampleSite, example_served: str, browser: Any) -> None:
    page = _page(browser, DESKTOP)
    page.goto(example_served)
    misses = []
    for sid, service, name in _alerts(example_site):
        expected = urlsplit(example_served + example_site.alert_path(sid, name)).path
        for query in (name, _words(name), f"{service.lower()} {_words(name)}"):
            page.click(".md-search__input")
            page.fill(".md-search__input", query)
            page.press(".md-search__input", "End")  # material searches on key events
            page.evaluate(SETTLE)
            first = page.locator(".md-search-result__item a").first
            first.wait_for(timeout=15_000)
            href = urlsplit(first.get_attribute("href") or "").path
            if href != expected:
                misses.append((query, href))
    assert misses == []


def test_search_finds_an_alert_by_its_aliases(
        example_site: ExampleSite, example_served: str, browser: Any) -> None:
    aliased = [(sid, a) for sid, s in example_site.catalog.services.items() for a in s.alerts
               if a.aliases]
    assert aliased
    page = _page(browser, DESKTOP)
    page.goto(example_served)
    for sid, alert in aliased:
        for alias in alert.aliases:
            page.click(".md-search__input")
            page.fill(".md-search__input", alias)
            page.press(".md-search__input", "End")
            page.evaluate(SETTLE)
            first = page.locator(".md-search-result__item a").first
            first.wait_for(timeout=15_000)
            href = urlsplit(first.get_attribute("href") or "").path
            assert href.endswith(example_site.alert_path(sid, alert.name)), (alias, href)


def test_no_page_is_wider_than_the_screen(
        example_site: ExampleSite, example_served: str, browser: Any) -> None:
    """Alert pages at 1440 px (390 px: the test above); every service's NOC runbook, the
    runbooks index and the scorecard at both."""
    paths = SitePaths(example_site.settings.prefix)
    directory = example_site.settings.use_directory_urls
    indexes = [url_of(paths.runbooks_index(), use_directory_urls=directory),
               url_of(paths.scorecard(), use_directory_urls=directory)]
    indexes += [url_of(paths.document(sid, "runbook"), use_directory_urls=directory)
                for sid in sorted(example_site.catalog.services)]
    alerts = [example_site.alert_path(sid, name) for sid, _, name in _alerts(example_site)]
    for viewport, pages in ((PHONE, indexes), (DESKTOP, indexes + alerts)):
        page = _page(browser, viewport)
        for path in pages:
            page.goto(example_served + path)
            width = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
            assert width[0] <= width[1], f"{path} at {viewport['width']} px: {width}"
        assert page.errors == []


def test_escalation_tables_stack_on_a_phone_and_stay_tables_on_a_desktop(
        example_site: ExampleSite, example_served: str, browser: Any) -> None:
    sid, _, name = next(a for a in _alerts(example_site) if a[2] == "PaymentsHighErrorRate")
    url = example_served + example_site.alert_path(sid, name)
    probe = """() => { const t = document.querySelector('.opsready-stack table');
        const td = t.querySelector('tbody td');
        return {row: getComputedStyle(t.querySelector('tbody tr')).display,
                label: td.getAttribute('data-label'),
                before: getComputedStyle(td, '::before').content}; }"""
    phone = _page(browser, PHONE)
    phone.goto(url)
    stacked = phone.evaluate(probe)
    assert stacked["row"] == "block" and stacked["label"] == "When"
    assert stacked["before"] == '"When: "'
    desktop = _page(browser, DESKTOP)
    desktop.goto(url)
    assert desktop.evaluate(probe)["row"] == "table-row"


def test_scorecard_matrix_scrolls_in_its_box_with_a_sticky_first_column(
        example_site: ExampleSite, example_served: str, browser: Any) -> None:
    path = url_of(SitePaths(example_site.settings.prefix).scorecard(),
                  use_directory_urls=example_site.settings.use_directory_urls)
    page = _page(browser, PHONE)
    page.goto(example_served + path)
    box = page.evaluate("""() => { const t = document.querySelector('table.opsready-matrix');
        const box = t.closest('.opsready-scroll');
        const first = t.querySelector('tbody td');
        const before = first.getBoundingClientRect().left;
        box.scrollLeft = 400;
        return {inner: box.scrollWidth, outer: box.clientWidth, scrolled: box.scrollLeft,
                position: getComputedStyle(first).position,
                moved: first.getBoundingClientRect().left - before,
                next: [...t.querySelectorAll('td')].filter(
                    td => td.textContent.trim() === 'next level').length,
                nextStyle: [...t.querySelectorAll('td[data-opsready="next"]')].length}; }""")
    assert box["inner"] > box["outer"] and box["scrolled"] > 0  # the matrix scrolls in its box
    assert box["position"] == "sticky" and abs(box["moved"]) < 1  # the service stays in view
    assert box["next"] > 0 and box["nextStyle"] == box["next"]
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")

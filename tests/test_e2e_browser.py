"""End to end: build the example site, check its links, serve it on 127.0.0.1 and drive Debian's
headless Chromium through what the NOC does at 3 a.m.

The browser part needs ``/usr/bin/chromium`` (``scripts/setup.sh --test`` installs it) and the
``playwright`` package (the ``test`` extra; no browser download). It is skipped only when
Chromium is absent *and* ``CI`` is unset: in CI it always runs.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from example_site import CHROMIUM, LAUNCH_ARGS, BuiltSite, chromium_or_skip
from opsready.guard.linkcheck import check_site
from opsready.integrations.alert_rules.urls import same_page
from opsready.output.site_paths import SitePaths, url_of

pytestmark = pytest.mark.build  # every test uses the built example site

# The ``built`` and ``served`` fixtures (the example site, built once per session) come from
# example_site.py through conftest.py.
SECTIONS = ("meaning", "impact", "diagnosis", "mitigation", "escalation")


def _alerts(built: BuiltSite) -> list[tuple[str, str]]:
    return sorted((sid, a.name) for sid, s in built.catalog.services.items() for a in s.alerts)


def test_link_check_over_the_whole_built_site(built: BuiltSite) -> None:
    report = check_site(built.site)
    assert [d.text() for d in report.diagnostics] == []
    assert report.pages > 5


def test_every_alert_has_its_page_at_its_runbook_url(built: BuiltSite) -> None:
    alerts = _alerts(built)
    assert alerts
    for sid, name in alerts:
        path = built.alert_path(sid, name)
        html = built.site / (path + "index.html" if path.endswith("/") else path)
        assert html.is_file(), f"no page for {sid}/{name} at {path}"
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        h1 = soup.select_one(".md-content h1")
        assert h1 is not None
        for permalink in h1.select(".headerlink"):
            permalink.decompose()
        assert h1.get_text(strip=True) == name
        ids = {tag.get("id") for tag in soup.select(".md-content [id]")}
        assert set(SECTIONS) <= ids, f"{path}: missing {set(SECTIONS) - ids}"


def _pick_alert(built: BuiltSite) -> tuple[str, str]:
    """An alert whose name only one service uses, so that one page answers the search."""
    alerts = _alerts(built)
    names = [n for _, n in alerts]
    unique = [(sid, n) for sid, n in alerts if names.count(n) == 1]
    # The longest name: the most CamelCase words for the search to keep together.
    return max(unique, key=lambda a: (len(a[1]), a))


def test_noc_finds_opens_and_prints_an_alert_runbook_offline(
        built: BuiltSite, served: str, tmp_path: Path) -> None:
    sync_playwright = chromium_or_skip()
    service_id, alert = _pick_alert(built)
    alert_url = served + built.alert_path(service_id, alert)
    index_url = served + url_of(SitePaths(built.settings.prefix).runbooks_index(),
                                use_directory_urls=built.settings.use_directory_urls)
    requests: list[str] = []
    failures: list[str] = []

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.on("request", lambda r: requests.append(r.url))
            context.on("requestfailed", lambda r: failures.append(f"failed {r.url}"))
            context.on("response", lambda r: failures.append(f"{r.status} {r.url}")
                       if r.status >= 400 else None)
            page = context.new_page()
            page.on("pageerror", lambda e: failures.append(f"script error: {e}"))

            # 1. Search the exact alert name from the home page; the first result is its page.
            page.goto(served)
            page.click(".md-search__input")
            page.keyboard.type(alert)
            first = page.locator(".md-search-result__item").first
            first.wait_for(timeout=15_000)
            href = first.locator("a").first.get_attribute("href") or ""
            assert urlsplit(href).path == urlsplit(alert_url).path, (alert, href)
            first.locator("a").first.click()
            # search.highlight adds ?h=<terms>: compare the page, not the query.
            page.wait_for_url(lambda url: same_page(url, alert_url), timeout=15_000)

            # 2. It is that alert's runbook, with its sections.
            title = page.locator(".md-content h1").first.evaluate(
                "h => [...h.childNodes].filter(n => !(n.classList && "
                "n.classList.contains('headerlink'))).map(n => n.textContent).join('').trim()")
            assert title == alert
            for section in SECTIONS:
                assert page.locator(f".md-content #{section}").is_visible(), section

            # 3. It prints: no navigation, collapsed sections open, link URLs written out, and
            #    a PDF without errors. A closed <details> is added to probe the print styles.
            page.evaluate("""() => document.querySelector('.md-content article')
                .insertAdjacentHTML('beforeend', '<details class="note"><summary>More</summary>'
                                    + '<p id="print-probe">Hidden on screen</p></details>')""")
            # checkVisibility() is false inside a closed <details> (content-visibility: hidden).
            probe = "() => document.getElementById('print-probe').checkVisibility()"
            assert page.evaluate(probe) is False
            assert page.locator(".md-sidebar--primary").is_visible()
            page.emulate_media(media="print")
            assert page.evaluate(probe) is True
            for chrome in (".md-sidebar--primary", ".md-header", ".md-search", ".md-footer"):
                assert not page.locator(chrome).first.is_visible(), chrome
            after = page.evaluate("""() => [...document.querySelectorAll('.md-content a[href]')]
                .map(a => getComputedStyle(a, '::after').content)
                .filter(c => c.includes('http'))""")
            assert after, "the print stylesheet writes no link URL"
            pdf = page.pdf(format="A4")
            assert pdf.startswith(b"%PDF") and len(pdf) > 2_000
            page.emulate_media(media="screen")

            # 4. The runbooks index lists the alert; its entry opens the same page.
            page.goto(index_url)
            shot = tmp_path / "runbooks-index.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.read_bytes().startswith(b"\x89PNG")
            entry = page.locator(".md-content a", has_text=alert).first
            entry.click()
            page.wait_for_url(lambda url: same_page(url, alert_url), timeout=15_000)
        finally:
            browser.close()

    assert failures == []
    origin = urlsplit(served).netloc
    outside = sorted({u for u in requests
                      if urlsplit(u).scheme not in ("data", "blob")
                      and urlsplit(u).netloc != origin})
    assert outside == [], "requests left 127.0.0.1"
    assert any(u.endswith("search_index.json") for u in requests)  # search ran on the site

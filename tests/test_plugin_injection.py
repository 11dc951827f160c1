"""YAML values are data: template code and HTML in them appear as text on the built page, also
when mkdocs-macros renders pages after opsready."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import TEAMS_YAML, BuiltSite
from conftest import build_site_cached as build_site

pytestmark = pytest.mark.build  # every test builds a site

PAYLOADS = ["{{ 7*7 }}", "{% raw %}", "<script>alert(1)</script>"]
LINE = " ".join(PAYLOADS)

SERVICE = f"""\
id: evil
name: "Evil <script>alert(2)</script> {{{{ 6*6 }}}}"
description: {{file: description.md}}
tier: 3
lifecycle: experimental
owner: platform
alerts:
  - name: EvilAlert
    severity: SEV-2
    summary: '{LINE}'
    meaning: '{LINE}'
runbook:
  on_call: '{LINE}'
  routine_checks:
    - title: '{LINE}'
      command: 'echo "{{{{ 7*7 }}}}" <b>'
"""
INLINE = f"""\
id: inline
name: Inline
description: '{LINE} [x](https://example.com/5)'
tier: 3
lifecycle: experimental
owner: platform
"""
# javascript: links are refused by the check (tests/test_prose_check.py, test_prose_hostile.py);
# the raw HTML here only draws warnings, so the site builds and is checked for inertness.
DESCRIPTION = f"Inline: {LINE}\n\n<img src=x onerror=alert(3)>\n\n[x](https://example.com/4)\n"
MACROS = {"plugins": ["search", "opsready",
                      {"macros": {"modules": ["opsready.mkdocs_plugin.macros"],
                                  "on_undefined": "strict"}}]}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    catalog = {"teams.yaml": TEAMS_YAML, "evil/service.yaml": SERVICE,
               "evil/description.md": DESCRIPTION, "inline.yaml": INLINE}
    return build_site(tmp_path_factory.mktemp("evil"), catalog, MACROS, strict=False,
                      expect_warnings=[r"raw HTML '<.*' shows as text"])


def assert_inert(site: BuiltSite, url: str) -> None:
    soup = site.soup(url)
    for script in soup.find_all("script"):
        assert "alert(" not in script.get_text(), url
    for tag in soup.find_all(True):
        assert not any(attr.startswith("on") for attr in tag.attrs), (url, tag)
        href = tag.get("href") or tag.get("src") or ""
        assert not href.lower().startswith("javascript"), (url, tag)
    assert not soup.find("img", src="x")


@pytest.mark.parametrize("url", ["services/evil/", "services/evil/runbook/",
                                 "runbooks/evil/EvilAlert/", "services/", "runbooks/"])
def test_no_value_becomes_live_html(site: BuiltSite, url: str) -> None:
    assert_inert(site, url)


def test_template_code_and_html_in_a_yaml_description_show_as_text(site: BuiltSite) -> None:
    identity = site.section_text("services/evil/", "identity")
    assert f"Inline: {LINE}" in identity
    assert "<img src=x onerror=alert(3)>" in identity
    assert "49" not in identity


def test_template_code_and_html_in_an_inline_yaml_description_show_as_text(
        site: BuiltSite) -> None:
    identity = site.section_text("services/inline/", "identity")
    assert f"{LINE} x" in identity
    assert "49" not in identity
    assert_inert(site, "services/inline/")


@pytest.mark.parametrize("url,anchor", [("services/evil/runbook/", "on-call"),
                                        ("services/evil/runbook/", "routine-checks"),
                                        ("runbooks/evil/EvilAlert/", "meaning")])
def test_template_code_in_yaml_strings_shows_as_text(site: BuiltSite, url: str,
                                                     anchor: str) -> None:
    text = site.section_text(url, anchor)
    assert LINE in text
    assert "49" not in text


def test_commands_keep_their_braces_and_brackets(site: BuiltSite) -> None:
    code = site.article("services/evil/runbook/").find("pre").get_text()
    assert code.strip() == 'echo "{{ 7*7 }}" <b>'


def test_a_hostile_service_name_is_text_in_title_nav_and_heading(site: BuiltSite) -> None:
    name = "Evil <script>alert(2)</script> {{ 6*6 }}"
    soup = site.soup("services/evil/runbook/")
    assert soup.title.get_text().startswith(f"{name}: NOC runbook")
    assert soup.find("h1").get_text(strip=True) == f"{name}: NOC runbook"
    labels = site.nav_labels("services/evil/runbook/")
    assert name in labels
    rows = site.article("services/").find(id="all-services").find_next("table")
    assert rows.select_one("tbody td").get_text() == name


def test_no_page_of_the_site_runs_catalog_values(site: BuiltSite) -> None:
    # Every HTML file, navigation included (themes print nav titles unescaped).
    pages = sorted(site.site_dir.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        assert_inert(site, page.relative_to(site.site_dir).as_posix())


def test_the_nav_label_of_a_lone_service_is_text(tmp_path: Path) -> None:
    # One service, readiness on: the overview is labelled by the service name in the
    # navigation, a title themes print unescaped (a raw <script> once reached the page).
    catalog = tmp_path / "cat"
    (catalog / "evil").mkdir(parents=True)
    (catalog / "teams.yaml").write_text(TEAMS_YAML, encoding="utf-8")
    (catalog / "evil" / "service.yaml").write_text(SERVICE, encoding="utf-8")
    (catalog / "evil" / "description.md").write_text(DESCRIPTION, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: inj\ntheme: {name: material, font: false}\nplugins:\n  - search\n"
        "  - opsready: {catalog_dir: cat, enforce: false, diagrams: false}\n",
        encoding="utf-8")
    build(load_config(str(tmp_path / "mkdocs.yml")))
    pages = sorted((tmp_path / "site").rglob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<script>alert(2)" not in html, page
        soup = BeautifulSoup(html, "html.parser")
        assert not any("alert(" in s.get_text() for s in soup.find_all("script")), page

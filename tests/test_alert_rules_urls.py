"""Runbook URLs: the same URL MkDocs gives the page, mkdocs.yml settings, `opsready alerts urls`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from mkdocs.structure.files import File

from opsready.catalog.load import load_catalog
from opsready.cli.main import main
from opsready.integrations.alert_rules.urls import (
    SiteConfigError,
    SiteSettings,
    read_site_settings,
    runbook_path,
    runbook_url,
    same_page,
    url_map,
)
from opsready.output.site_paths import SitePaths

FIXTURES = Path(__file__).parent / "fixtures" / "alert_rules"


@pytest.mark.parametrize("directory_urls", [True, False])
@pytest.mark.parametrize("prefix", ["", "ops"])
@pytest.mark.parametrize("alert", ["HighErrorRate", "job:Slow_Requests", "KubePodCrashLooping"])
def test_runbook_path_is_the_url_mkdocs_gives_the_page(tmp_path: Path, directory_urls: bool,
                                                       prefix: str, alert: str) -> None:
    src = SitePaths(prefix).alert("checkout", alert)
    page = File(src, str(tmp_path / "docs"), str(tmp_path / "site"), directory_urls)
    assert runbook_path("checkout", alert, prefix=prefix,
                        use_directory_urls=directory_urls) == page.url


def test_runbook_url_joins_the_site_url() -> None:
    assert runbook_url(SiteSettings("https://ops.example.com"), "api", "ApiDown") == \
        "https://ops.example.com/runbooks/api/ApiDown/"
    assert runbook_url(SiteSettings("https://example.com/docs/", False, "ops"), "api",
                       "ApiDown") == "https://example.com/docs/ops/runbooks/api/ApiDown.html"
    assert runbook_url(SiteSettings(), "api", "ApiDown") == "runbooks/api/ApiDown/"


def test_same_page() -> None:
    assert same_page("https://x.example/runbooks/a/B", "https://x.example/runbooks/a/B/")
    assert same_page("https://x.example/a%3AB/", "https://x.example/a:B/")
    assert not same_page("https://y.example/runbooks/a/B/", "https://x.example/runbooks/a/B/")
    assert same_page("https://y.example/base/runbooks/a/B/", "runbooks/a/B/")
    assert not same_page("https://y.example/runbooks/a/BB/", "runbooks/a/B/")


def test_url_map_of_the_fixture_catalog() -> None:
    catalog = load_catalog(FIXTURES / "catalog").catalog
    urls = url_map(catalog, SiteSettings("https://ops.example.com/"))
    assert list(urls) == ["checkout", "ledger"]
    assert urls["ledger"] == {
        "LedgerDiskFull": "https://ops.example.com/runbooks/ledger/LedgerDiskFull/",
        "LedgerReplicationLag": "https://ops.example.com/runbooks/ledger/LedgerReplicationLag/"}
    assert list(url_map(catalog, SiteSettings(), services=["ledger"])) == ["ledger"]


def test_read_site_settings_without_running_tags(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "ran"
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: Ops\n"
        "site_url: !ENV [OPS_SITE_URL, 'https://fallback.example/']\n"
        "use_directory_urls: !ENV OPS_DIR_URLS\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        f"  - evil: !!python/object/apply:os.system ['touch {marker}']\n"
        "plugins:\n  - search\n  - opsready:\n      catalog_dir: fleet\n      prefix: ops\n",
        encoding="utf-8")
    monkeypatch.delenv("OPS_SITE_URL", raising=False)
    monkeypatch.setenv("OPS_DIR_URLS", "false")
    settings = read_site_settings(config)
    assert settings == SiteSettings("https://fallback.example/", False, "ops",
                                    str(tmp_path / "fleet"))
    assert not marker.exists()
    monkeypatch.setenv("OPS_SITE_URL", "https://ops.example.com/")
    assert read_site_settings(config).site_url == "https://ops.example.com/"


def test_read_site_settings_errors(tmp_path: Path) -> None:
    bad = tmp_path / "mkdocs.yml"
    bad.write_text("site_name: [unclosed\n", encoding="utf-8")
    with pytest.raises(SiteConfigError, match="not valid YAML"):
        read_site_settings(bad)
    with pytest.raises(SiteConfigError, match="cannot read"):
        read_site_settings(tmp_path / "absent.yml")
    assert read_site_settings(_write(tmp_path / "plain.yml", "site_name: x\n")) == SiteSettings()
    # The plugin with its defaults: the catalog is service_catalog beside mkdocs.yml.
    default = read_site_settings(_write(tmp_path / "d.yml", "plugins: [search, opsready]\n"))
    assert default.catalog == str(tmp_path / "service_catalog") and default.prefix == ""


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- the command line ----------------------------------------------------------------------------


@pytest.fixture
def in_fixtures(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(FIXTURES)
    return FIXTURES


BASE = ["alerts", "urls", "--catalog", "catalog", "--site-url", "https://ops.example.com/"]


def test_cli_urls_json_and_yaml(in_fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(BASE) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["checkout"]["CheckoutHighErrorRate"] == \
        "https://ops.example.com/runbooks/checkout/CheckoutHighErrorRate/"
    assert main([*BASE, "--format", "yaml"]) == 0
    assert yaml.safe_load(capsys.readouterr().out) == data


def test_cli_urls_prometheus_annotations_form(in_fixtures: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*BASE, "--format", "prometheus-annotations", "--service-label", "app"]) == 0
    entries = yaml.safe_load(capsys.readouterr().out)
    assert {"alert": "LedgerDiskFull", "labels": {"app": "ledger"},
            "annotations": {"runbook_url":
                            "https://ops.example.com/runbooks/ledger/LedgerDiskFull/"}} in entries
    assert len(entries) == 5


def test_cli_urls_needs_a_site_url(in_fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["alerts", "urls", "--catalog", "catalog"]) == 2
    assert "give --site-url" in capsys.readouterr().err


def test_cli_urls_write_flags_need_rules(in_fixtures: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*BASE, "--in-place"]) == 2
    assert "need --rules FILE" in capsys.readouterr().err
    assert main([*BASE, "--rules", "rules.yml", "--in-place", "--write-to", "x.yml"]) == 2
    assert "not allowed with argument" in capsys.readouterr().err

"""Any alert name Prometheus accepts can be documented (issue 14): its page URL is a documented,
stable slug, collisions are check errors naming both alerts, and the name is shown as plain
text everywhere."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import BuiltSite, catalog_with, service_yaml
from conftest import build_site_cached as build_site
from opsready.catalog.load import load_catalog
from opsready.cli.main import main
from opsready.output.site_paths import SitePaths, alert_slug


@pytest.mark.parametrize(("name", "slug"), [
    ("HighErrorRate", "HighErrorRate"),
    ("job:Slow_Requests", "job:Slow_Requests"),
    ("MysqlTooManyConnections(>80%)", "MysqlTooManyConnections-80"),
    ("JvmNon-heapMemoryFillingUp", "JvmNon-heapMemoryFillingUp"),
    ("PveVm/ctDown", "PveVm-ctDown"),
    ("OracleDbHighWaitTime(userI/o)", "OracleDbHighWaitTime-userI-o"),
    ("Disk usage over 90%", "Disk-usage-over-90"),
    ("Größe über 90%", "Größe-über-90"),
    ("ディスク満杯", "ディスク満杯"),
    ("../../etc/passwd", "etc-passwd"),
    ("!!!", "alert-e84c538e7f"),
])
def test_the_documented_slug_examples(name: str, slug: str) -> None:
    assert alert_slug(name) == slug
    guide = (Path(__file__).parents[1] / "docs" / "guide" / "alerts.md").read_text("utf-8")
    if slug not in ("job:Slow_Requests", "etc-passwd", "ディスク満杯"):
        assert f"`{slug}`" in guide


def _catalog(tmp_path: Path, *names: str) -> Path:
    alerts = "".join(f"  - name: {json.dumps(n)}\n    severity: SEV-2\n    summary: fires\n"
                     for n in names)
    for rel, text in catalog_with(disk=service_yaml("disk", extra="alerts:\n" + alerts)).items():
        (tmp_path / rel).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("first", "second"), [
    ("DiskFull(>90%)", "DiskFull-90"),
    ("Disk Full", "Disk/Full"),
    ("HighLoad", "highload"),
])
def test_two_names_with_one_page_url_are_a_check_error_naming_both(
        tmp_path: Path, first: str, second: str) -> None:
    result = load_catalog(_catalog(tmp_path, "Other", first, second))
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert len(errors) == 1, [d.text() for d in errors]
    error = errors[0]
    assert (error.file.endswith("disk.yaml"), error.yaml_path, error.line) == (
        True, "alerts[2].name", 14)
    assert f"alert '{second}' would get the same runbook page" in error.message
    assert f"as alert '{first}' (alerts[1].name)" in error.message


def test_a_repeated_name_is_reported_once_as_a_duplicate(tmp_path: Path) -> None:
    result = load_catalog(_catalog(tmp_path, "A(1)", "A(1)"))
    assert [d.message for d in result.diagnostics if d.severity == "error"] == [
        "duplicate alert 'A(1)' (also at alerts[0].name)"]


def test_a_blank_name_is_refused_with_what_to_write(tmp_path: Path) -> None:
    result = load_catalog(_catalog(tmp_path, "   "))
    assert any("must be an alert name as the alerting rule writes it: any text with at least "
               "one visible character" in d.message for d in result.diagnostics)


# --- a real build with awkward names --------------------------------------------------------------

AWKWARD = [
    "MysqlTooManyConnections(>80%)",
    "PveVm/ctDown",
    "JvmNon-heapMemoryFillingUp",
    "Größe über 90%",
    "ディスク満杯",
    "Disk *full* <b>now</b> [x](javascript:alert(1))",
    "job:Slow_Requests",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    alerts = "".join(f"  - name: {json.dumps(n)}\n    severity: SEV-2\n    summary: fires\n"
                     for n in AWKWARD)
    return build_site(tmp_path_factory.mktemp("names"),
                      catalog_with(disk=service_yaml("disk", extra="alerts:\n" + alerts)),
                      {"site_url": "https://ops.example.com/"})


def test_every_awkward_name_has_its_page_titled_with_the_name_as_text(site: BuiltSite) -> None:
    for name in AWKWARD:
        src = SitePaths().alert("disk", name)
        page = site.site_dir / src[: -len(".md")] / "index.html"
        assert page.is_file(), src
        article = site.article(str(page.relative_to(site.site_dir).parent) + "/")
        h1 = article.find("h1")
        assert h1 is not None and h1.get_text().strip().rstrip("¶").strip() == name
        assert article.find("b") is None or "now" not in article.find("b").get_text()
        assert site.soup(str(page.relative_to(site.site_dir).parent) + "/").title.get_text(
        ).startswith(name)


def test_the_runbooks_index_links_resolve_to_each_page(site: BuiltSite) -> None:
    article = site.article("runbooks/")
    found = {}
    for link in article.find_all("a", href=True):
        text = link.get_text()
        if text in AWKWARD:
            target = (site.site_dir / "runbooks" / unquote(link["href"])).resolve()
            found[text] = target / "index.html" if target.is_dir() else target
    assert sorted(found) == sorted(AWKWARD)
    for name, target in found.items():
        assert target.is_file(), (name, target)
        assert target.parent.name == alert_slug(name)
    assert article.find("a", href=lambda h: h and h.startswith("javascript")) is None


def test_alerts_urls_point_at_the_built_pages(site: BuiltSite,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["alerts", "urls", "--catalog", str(site.root / "service_catalog"),
                 "--config", str(site.root / "mkdocs.yml")]) == 0
    urls = json.loads(capsys.readouterr().out)["disk"]
    assert sorted(urls) == sorted(AWKWARD)
    for name, url in urls.items():
        path = unquote(url.removeprefix("https://ops.example.com/"))
        assert (site.site_dir / path / "index.html").is_file(), (name, url)
    assert urls["PveVm/ctDown"] == "https://ops.example.com/runbooks/disk/PveVm-ctDown/"
    assert urls["job:Slow_Requests"] == "https://ops.example.com/runbooks/disk/job%3ASlow_Requests/"


def test_no_page_turns_a_name_into_markup(site: BuiltSite) -> None:
    hostile = AWKWARD[5]
    pages = sorted(site.site_dir.rglob("*.html"))
    shown = 0
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert not [b for b in soup.find_all(["b", "em"]) if b.get_text() in ("now", "full")], page
        assert soup.find(href=lambda h: h and h.lower().startswith("javascript")) is None, page
        shown += hostile in soup.get_text()
    # The alert page, the runbooks index, the service's overview, runbook and ops guide.
    assert shown >= 5


def test_snippets_for_users_to_paste_quote_names_only_where_yaml_needs_it(
        site: BuiltSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    catalog = str(site.root / "service_catalog")
    assert main(["alerts", "urls", "--catalog", catalog, "--site-url", "https://ops.example.com/",
                 "--format", "prometheus-annotations"]) == 0
    snippet = yaml.safe_load(capsys.readouterr().out)
    assert sorted(rule["alert"] for rule in snippet) == sorted(AWKWARD)
    rules = tmp_path / "rules.yml"
    rules.write_text('groups:\n  - name: g\n    rules:\n      - alert: "Disk: full #1"\n'
                     "        expr: up\n        labels: {service: disk}\n", encoding="utf-8")
    assert main(["alerts", "check", "--catalog", catalog, str(rules)]) == 1
    out = capsys.readouterr().out
    assert "alert 'Disk: full #1' of service 'disk' has no runbook entry" in out
    assert 'add `- name: "Disk: full #1"` under `alerts:`' in out


def test_a_rule_name_that_yaml_reads_as_a_number_is_the_text_prometheus_sees(
        tmp_path: Path) -> None:
    from opsready.integrations.alert_rules.annotate import annotate_text
    from opsready.integrations.alert_rules.rules import parse_rule_text

    text = ("groups:\n- name: g\n  rules:\n  - alert: 404\n    expr: up\n  - alert: 1e3\n"
            "    expr: up\n  - alert: yes\n    expr: up\n")
    assert [r.alert for r in parse_rule_text(text, "r.yml").rules.rules] == ["404", "1e3", "yes"]
    edited = annotate_text(text, lambda alert, labels: f"https://x.example/{alert}/")
    assert edited.changed == ["404", "1e3", "yes"]
    assert '      runbook_url: "https://x.example/1e3/"' in edited.text

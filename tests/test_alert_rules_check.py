"""The cross-check of alerting rules against runbook entries, and `opsready alerts check`."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from opsready.catalog.fleet import Catalog
from opsready.catalog.load import load_catalog
from opsready.cli.main import main
from opsready.integrations.alert_rules.crosscheck import UNATTRIBUTED, cross_check, owners_of
from opsready.integrations.alert_rules.rules import AlertRule, read_rule_files
from opsready.integrations.alert_rules.urls import SiteSettings

FIXTURES = Path(__file__).parent / "fixtures" / "alert_rules"
SITE = SiteSettings(site_url="https://ops.example.com/")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    result = load_catalog(FIXTURES / "catalog")
    assert result.ok, result.diagnostics
    return result.catalog


def rule(alert: str, labels: dict[str, str] | None = None, url: str | None = None) -> AlertRule:
    annotations = {"runbook_url": url} if url is not None else {}
    return AlertRule(alert=alert, expr="vector(1)", group="g", file="r.yml", line=3, column=5,
                     yaml_path="groups[0].rules[0]", labels=labels or {},
                     annotations=annotations, runbook_url_position=(9, 24) if url else None)


def codes(result) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(d.code, d.severity) for d in result.diagnostics]


def test_fixture_rules_report_the_missing_and_the_extra_alert(catalog: Catalog) -> None:
    rules = read_rule_files([FIXTURES / "rules.yml"]).rules
    result = cross_check(catalog, rules, SITE)
    assert not result.ok
    checkout = result.services["checkout"]
    assert checkout.missing_runbook == ["CheckoutPodCrashLooping"]
    assert checkout.unmatched_entries == ["CheckoutCertificateExpiry"]
    assert checkout.url_mismatches == ["CheckoutLatencyHigh"]
    assert checkout.matched == {"CheckoutHighErrorRate", "CheckoutLatencyHigh"}
    ledger = result.services["ledger"]
    assert ledger.ok and sorted(ledger.url_missing) == ["LedgerDiskFull", "LedgerReplicationLag"]
    by_code = {d.code: d for d in result.diagnostics}
    missing = by_code["missing-runbook"]
    assert (missing.line, missing.column, missing.yaml_path) == (39, 16, "groups[1].rules[2]")
    assert missing.file.endswith("rules.yml")
    assert "CheckoutPodCrashLooping" in missing.message and "checkout.yaml" in missing.hint
    extra = by_code["unmatched-runbook"]
    assert extra.file.endswith("checkout.yaml") and (extra.line, extra.column) == (21, 11)
    assert extra.yaml_path == "alerts[2].name"
    wrong = by_code["runbook-url-mismatch"]
    assert (wrong.line, wrong.column) == (37, 24)
    assert "https://ops.example.com/runbooks/checkout/CheckoutLatencyHigh/" in wrong.message
    assert wrong.yaml_path == "groups[1].rules[1].annotations.runbook_url"


def test_all_rules_with_right_urls_pass(catalog: Catalog) -> None:
    rules = [rule(a.name, {"service": sid},
                  f"https://ops.example.com/runbooks/{sid}/{a.name}/")
             for sid, s in catalog.services.items() for a in s.alerts]
    result = cross_check(catalog, rules, SITE)
    assert result.ok and result.diagnostics == []
    assert all(r.ok for r in result.services.values())


def test_url_spellings_that_open_the_same_page_are_accepted(catalog: Catalog) -> None:
    for url in ("https://OPS.example.com/runbooks/ledger/LedgerDiskFull",
                "https://ops.example.com/runbooks/ledger/LedgerDiskFull/index.html",
                "https://ops.example.com/runbooks/{{ $labels.service }}/LedgerDiskFull/"):
        result = cross_check(catalog, [rule("LedgerDiskFull", {"service": "ledger"}, url)], SITE,
                             services=["ledger"])
        assert "runbook-url-mismatch" not in {c for c, _ in codes(result)}, url
    for url in ("http://ops.example.com/runbooks/ledger/LedgerDiskFull/",
                "https://ops.example.com/runbooks/checkout/LedgerDiskFull/",
                "https://ops.example.com/runbooks/ledger/ledgerdiskfull/"):
        result = cross_check(catalog, [rule("LedgerDiskFull", {"service": "ledger"}, url)], SITE,
                             services=["ledger"])
        assert ("runbook-url-mismatch", "error") in codes(result), url


def test_url_templated_with_series_labels_is_a_notice(catalog: Catalog) -> None:
    url = "https://ops.example.com/runbooks/ledger/{{ $labels.alertname }}"
    result = cross_check(catalog, [rule("LedgerDiskFull", {"service": "ledger"}, url)], SITE,
                         services=["ledger"])
    assert ("runbook-url-templated", "notice") in codes(result)
    assert result.services["ledger"].url_mismatches == []


def test_without_a_site_url_only_the_path_is_compared(catalog: Catalog) -> None:
    rel = SiteSettings()
    good = rule("LedgerDiskFull", {"service": "ledger"},
                "https://anything.example.org/docs/runbooks/ledger/LedgerDiskFull/")
    bad = rule("LedgerDiskFull", {"service": "ledger"}, "https://wiki.example.org/LedgerDiskFull")
    assert "runbook-url-mismatch" not in dict(codes(cross_check(catalog, [good], rel)))
    result = cross_check(catalog, [bad], rel)
    mismatch = [d for d in result.diagnostics if d.code == "runbook-url-mismatch"]
    assert mismatch and "only the path was compared" in mismatch[0].message


def test_service_label_wins_over_the_alert_name(catalog: Catalog) -> None:
    # The rule says it is the checkout's, but only the ledger documents this alert.
    result = cross_check(catalog, [rule("LedgerDiskFull", {"service": "checkout"})], SITE)
    assert result.services["checkout"].missing_runbook == ["LedgerDiskFull"]
    assert sorted(result.services["ledger"].unmatched_entries) == ["LedgerDiskFull",
                                                                    "LedgerReplicationLag"]
    missing = next(d for d in result.diagnostics if d.code == "missing-runbook")
    assert "services ledger have an entry of that name" in missing.message
    extra = next(d for d in result.diagnostics if d.code == "unmatched-runbook"
                 and "LedgerDiskFull" in d.message)
    assert "`service: checkout`" in extra.hint  # points at the mislabelled rule


def test_configurable_service_label(catalog: Catalog) -> None:
    r = rule("LedgerDiskFull", {"app": "checkout"})
    assert cross_check(catalog, [r], SITE, service_label="app",
                       services=["checkout"]).services["checkout"].missing_runbook
    # With the default label the `app` label means nothing: matched by name to the ledger.
    assert "LedgerDiskFull" in cross_check(catalog, [r], SITE).services["ledger"].matched


def test_unknown_service_label_falls_back_to_the_name_and_warns_once(catalog: Catalog) -> None:
    rules = [rule("LedgerDiskFull", {"service": "ledger-db"}),
             rule("LedgerReplicationLag", {"service": "ledger-db"})]
    result = cross_check(catalog, rules, SITE, services=["ledger"])
    assert result.services["ledger"].matched == {"LedgerDiskFull", "LedgerReplicationLag"}
    warnings = [d for d in result.diagnostics if d.code == "unknown-service-label"]
    assert len(warnings) == 1 and "(and 1 more rules)" in warnings[0].message


def test_rule_that_no_service_knows_is_unattributed(catalog: Catalog) -> None:
    result = cross_check(catalog, [rule("NobodyKnowsMe")], SITE)
    assert result.services[UNATTRIBUTED].missing_runbook == ["NobodyKnowsMe"]
    assert ("missing-runbook", "error") in codes(result)


def test_ambiguous_alert_name_warns_unless_the_url_decides(tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(FIXTURES / "catalog", root)
    text = (root / "ledger.yaml").read_text(encoding="utf-8")
    (root / "ledger.yaml").write_text(text + "  - name: CheckoutLatencyHigh\n    severity: SEV-3\n"
                                      "    summary: Slow checkout calls into the ledger.\n",
                                      encoding="utf-8")
    loaded = load_catalog(root)
    assert loaded.ok, loaded.diagnostics
    cat = loaded.catalog
    assert owners_of(cat, "CheckoutLatencyHigh", {}) == ["checkout", "ledger"]
    assert owners_of(cat, "CheckoutLatencyHigh", {"service": "ledger"}) == ["ledger"]
    plain = cross_check(cat, [rule("CheckoutLatencyHigh")], SITE,
                        services=["checkout", "ledger"])
    assert ("ambiguous-alert", "warning") in codes(plain)
    decided = cross_check(
        cat, [rule("CheckoutLatencyHigh", {},
                   "https://ops.example.com/runbooks/ledger/CheckoutLatencyHigh/")], SITE)
    assert "ambiguous-alert" not in dict(codes(decided))
    assert "CheckoutLatencyHigh" in decided.services["checkout"].unmatched_entries


def test_scope_limits_the_report_to_some_services(catalog: Catalog) -> None:
    rules = read_rule_files([FIXTURES / "rules.yml"]).rules
    result = cross_check(catalog, rules, SITE, services=["ledger"])
    assert set(result.services) == {"ledger"}
    assert result.ok


# --- the command line ----------------------------------------------------------------------------


@pytest.fixture
def in_fixtures(monkeypatch: pytest.MonkeyPatch) -> Path:
    # No mkdocs.yml here: the command must not pick up the repository's own.
    monkeypatch.chdir(FIXTURES)
    return FIXTURES


def test_cli_text_report_per_service_and_exit_code(in_fixtures: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["alerts", "check", "rules.yml", "--catalog", "catalog",
                 "--site-url", "https://ops.example.com/"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "rules.yml:39:16: error [missing-runbook]" in out
    assert "catalog/checkout.yaml:21:11: error [unmatched-runbook]" in out
    assert "rules.yml:37:24: error [runbook-url-mismatch]" in out
    summary = out[out.index("per service:"):]
    assert "checkout" in summary and "1 without runbook entry" in summary
    assert "1 runbook entry without rule" in summary
    assert "3 errors, 2 warnings: FAILED" in err


def test_cli_json_report(in_fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["alerts", "check", "rules.yml", "prometheusrule.yaml", "--catalog", "catalog",
                 "--site-url", "https://ops.example.com/", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1 and data["ok"] is False
    assert data["services"]["checkout"]["missing_runbook"] == ["CheckoutPodCrashLooping"]
    assert data["services"]["checkout"]["unmatched_runbook_entries"] == [
        "CheckoutCertificateExpiry"]
    assert data["files"] == ["rules.yml", "prometheusrule.yaml"]
    assert {d["code"] for d in data["diagnostics"]} >= {"missing-runbook", "unmatched-runbook"}


def test_cli_github_and_junit_formats(in_fixtures: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    main(["alerts", "check", "rules.yml", "--catalog", "catalog", "--format", "github",
          "--site-url", "https://ops.example.com/"])
    out = capsys.readouterr().out
    assert "::error file=rules.yml,line=39,col=16" in out
    main(["alerts", "check", "rules.yml", "--catalog", "catalog", "--format", "junit",
          "--site-url", "https://ops.example.com/"])
    suite = ET.fromstring(capsys.readouterr().out)
    assert suite.get("failures") == "3"


def test_cli_passes_on_a_clean_scope_and_strict_fails_on_warnings(
        in_fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["alerts", "check", "prometheusrule.yaml", "--catalog", "catalog", "--service",
            "ledger", "--site-url", "https://ops.example.com/"]
    assert main(args) == 0
    assert main(["alerts", "check", "rules.yml", "--catalog", "catalog", "--service", "ledger",
                 "--site-url", "https://ops.example.com/"]) == 0
    assert main(["alerts", "check", "rules.yml", "--catalog", "catalog", "--service", "ledger",
                 "--site-url", "https://ops.example.com/", "--strict"]) == 1
    capsys.readouterr()


def test_cli_broken_rules_file_is_a_clear_error(in_fixtures: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["alerts", "check", "broken/typo-annotations.yml", "--catalog", "catalog",
                 "--service", "ledger"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "broken/typo-annotations.yml:9:9: error: groups[0].rules[0].anotations: unknown key " \
           "'anotations'" in out
    assert "did you mean 'annotations'?" in out
    assert "Traceback" not in out + err


@pytest.mark.parametrize(("args", "message"), [
    (["missing.yml", "--catalog", "catalog"], "rules file 'missing.yml' does not exist"),
    (["rules.yml", "--catalog", "nowhere"], "catalog folder 'nowhere' does not exist"),
    (["rules.yml", "--catalog", "catalog", "--site-url", "ops.example.com"],
     "not an absolute http(s) URL"),
    (["rules.yml", "--catalog", "catalog", "--service", "nope"], "'nope' is not a service"),
    (["rules.yml", "--catalog", "catalog", "--config", "none.yml"], "'none.yml' does not exist"),
])
def test_cli_usage_errors_exit_2(in_fixtures: Path, capsys: pytest.CaptureFixture[str],
                                 args: list[str], message: str) -> None:
    assert main(["alerts", "check", *args]) == 2
    assert message in capsys.readouterr().err


def test_cli_catalog_errors_stop_the_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(FIXTURES / "catalog", root)
    (root / "ledger.yaml").write_text("id: ledger\nname: Ledger\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = main(["alerts", "check", str(FIXTURES / "rules.yml"), "--catalog", "catalog"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "catalog/ledger.yaml" in out and "fix them first (opsready check)" in err


def test_cli_reads_site_url_and_catalog_from_mkdocs_yml(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(FIXTURES / "catalog", tmp_path / "fleet")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Ops\nsite_url: https://ops.example.com/\n"
        "plugins:\n  - search\n  - opsready:\n      catalog_dir: fleet\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = main(["alerts", "check", str(FIXTURES / "prometheusrule.yaml"), "--service", "ledger"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "no site URL" not in err
    # The templated URL resolved against the site URL read from mkdocs.yml.
    assert "runbook-url" not in out


def test_cli_reads_a_folder_of_rule_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules"
    (rules / "ledger").mkdir(parents=True)
    (rules / ".git").mkdir()
    shutil.copy(FIXTURES / "prometheusrule.yaml", rules / "ledger" / "alerts.yaml")
    (rules / ".git" / "junk.yml").write_text("not: rules\n", encoding="utf-8")
    (rules / "README.md").write_text("# rules\n", encoding="utf-8")
    monkeypatch.chdir(FIXTURES)
    code = main(["alerts", "check", str(rules), "--catalog", "catalog", "--service", "ledger",
                 "--site-url", "https://ops.example.com/", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [Path(f).name for f in data["files"]] == ["alerts.yaml"]
    assert data["services"]["ledger"]["matched"] == ["LedgerDiskFull", "LedgerReplicationLag"]
    assert main(["alerts", "check", str(rules / "ledger" / "empty"), "--catalog", "catalog"]) == 2
    (rules / "ledger" / "alerts.yaml").unlink()
    assert main(["alerts", "check", str(rules), "--catalog", "catalog"]) == 2
    assert "no .yml or .yaml file" in capsys.readouterr().err

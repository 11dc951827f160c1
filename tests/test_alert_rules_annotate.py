"""Setting runbook_url annotations: only the annotation changes, writes are safe and explicit."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from opsready.catalog.load import load_catalog
from opsready.cli.main import main
from opsready.integrations.alert_rules.annotate import AnnotateError, annotate_text
from opsready.integrations.alert_rules.crosscheck import cross_check
from opsready.integrations.alert_rules.files import annotate_file
from opsready.integrations.alert_rules.rules import read_rule_file, read_rule_files
from opsready.integrations.alert_rules.urls import SiteSettings

FIXTURES = Path(__file__).parent / "fixtures" / "alert_rules"
SITE = "https://ops.example.com/"


def url_for(alert: str, labels: dict[str, str]) -> str | None:
    if alert == "CheckoutPodCrashLooping":
        return None  # no runbook entry
    service = labels.get("service", "ledger")
    return f"{SITE}runbooks/{service}/{alert}/"


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines())
            if line.startswith(("- ", "+ "))]


def test_only_runbook_url_lines_change_in_a_groups_file() -> None:
    before = (FIXTURES / "rules.yml").read_text(encoding="utf-8")
    result = annotate_text(before, url_for)
    assert result.changed == ["CheckoutLatencyHigh", "LedgerReplicationLag", "LedgerDiskFull"]
    assert result.unchanged == ["CheckoutHighErrorRate"]
    assert result.skipped == [("CheckoutPodCrashLooping", "no runbook entry matches it")]
    assert changed_lines(before, result.text) == [
        "-           runbook_url: https://wiki.example.com/display/OPS/Checkout+latency",
        '+           runbook_url: "https://ops.example.com/runbooks/checkout/CheckoutLatencyHigh/"',
        '+           runbook_url: "https://ops.example.com/runbooks/ledger/LedgerReplicationLag/"',
        '-         annotations: {summary: "Ledger volume above 90%"}',
        '+         annotations: {runbook_url: "https://ops.example.com/runbooks/ledger/'
        'LedgerDiskFull/", summary: "Ledger volume above 90%"}',
    ]
    # A second run has nothing left to do.
    again = annotate_text(result.text, url_for)
    assert again.changed == [] and again.text == result.text


def test_missing_annotations_block_is_added_under_the_rule() -> None:
    text = ("groups:\n- name: g\n  rules:\n  - alert: A   # the A alert\n    expr: up == 0\n"
            "  - alert: B\n    expr: up == 1\n    annotations:\n    labels: {service: s}\n"
            "  - {alert: C, expr: up}\n")
    result = annotate_text(text, lambda alert, labels: f"https://x.example/{alert}/")
    assert result.text == (
        "groups:\n- name: g\n  rules:\n  - alert: A   # the A alert\n"
        "    annotations:\n      runbook_url: \"https://x.example/A/\"\n    expr: up == 0\n"
        "  - alert: B\n    expr: up == 1\n    annotations:\n"
        "      runbook_url: \"https://x.example/B/\"\n    labels: {service: s}\n"
        "  - {alert: C, expr: up}\n")
    assert result.skipped == [("C", "the rule is written in flow style {...}")]


def test_windows_line_ends_and_block_scalars_are_kept() -> None:
    text = ("groups:\r\n  - name: g\r\n    rules:\r\n      - alert: A\r\n        expr: up\r\n"
            "        annotations:\r\n          runbook_url: >-\r\n            https://old/\r\n"
            "          summary: s\r\n      - alert: B\r\n        expr: up\r\n")
    result = annotate_text(text, lambda alert, labels: f"https://x.example/{alert}/")
    assert "\n" not in result.text.replace("\r\n", "")
    assert result.text == (
        "groups:\r\n  - name: g\r\n    rules:\r\n      - alert: A\r\n        expr: up\r\n"
        "        annotations:\r\n          runbook_url: \"https://x.example/A/\"\r\n"
        "          summary: s\r\n      - alert: B\r\n        annotations:\r\n"
        "          runbook_url: \"https://x.example/B/\"\r\n        expr: up\r\n")


def test_templated_url_that_opens_the_right_page_is_left_alone() -> None:
    text = (FIXTURES / "prometheusrule.yaml").read_text(encoding="utf-8")
    result = annotate_text(text, url_for)
    assert result.changed == [] and result.text == text


def test_write_to_a_new_file_fixes_the_cross_check(tmp_path: Path) -> None:
    target = tmp_path / "rules.fixed.yml"
    source = FIXTURES / "rules.yml"
    original = source.read_bytes()
    result = annotate_file(source, url_for, target=target)
    assert source.read_bytes() == original  # the source is never touched
    assert result.changed and target.read_text(encoding="utf-8") == result.text
    catalog = load_catalog(FIXTURES / "catalog").catalog
    check = cross_check(catalog, read_rule_files([target]).rules,
                        SiteSettings(SITE))
    assert {d.code for d in check.diagnostics} == {"missing-runbook", "unmatched-runbook"}
    with pytest.raises(AnnotateError, match="exists"):
        annotate_file(source, url_for, target=target)
    annotate_file(source, url_for, target=target, overwrite=True)


def test_in_place_keeps_a_backup_and_never_overwrites_one(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yml"
    shutil.copy(FIXTURES / "rules.yml", rules)
    original = rules.read_bytes()
    with pytest.raises(AnnotateError, match="without a backup"):
        annotate_file(rules, url_for)
    result = annotate_file(rules, url_for, backup=True)
    assert result.changed
    assert (tmp_path / "rules.yml.bak").read_bytes() == original
    assert rules.read_text(encoding="utf-8") == result.text
    with pytest.raises(AnnotateError, match="already exists"):
        annotate_file(rules, url_for, backup=True)
    assert (tmp_path / "rules.yml.bak").read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rules.yml", "rules.yml.bak"]


def test_nothing_to_change_writes_nothing(tmp_path: Path) -> None:
    rules = tmp_path / "r.yaml"
    shutil.copy(FIXTURES / "prometheusrule.yaml", rules)
    assert annotate_file(rules, url_for, backup=True).changed == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.yaml"]


def test_broken_rules_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AnnotateError, match="has errors"):
        annotate_file(FIXTURES / "broken" / "typo-annotations.yml", url_for,
                      target=tmp_path / "out.yml")
    assert not (tmp_path / "out.yml").exists()


def test_cli_prints_writes_and_edits_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(FIXTURES / "catalog", tmp_path / "catalog")
    shutil.copy(FIXTURES / "rules.yml", tmp_path / "rules.yml")
    monkeypatch.chdir(tmp_path)
    base = ["alerts", "urls", "--catalog", "catalog", "--site-url", SITE, "--rules", "rules.yml"]
    assert main(base) == 0
    out, err = capsys.readouterr()
    assert "runbook_url set on 3 rules, 1 already right, 1 left alone" in err
    assert "left alone: CheckoutPodCrashLooping" in err
    assert read_rule_file(tmp_path / "rules.yml").rules[1].runbook_url.startswith("https://wiki")
    assert '"https://ops.example.com/runbooks/checkout/CheckoutLatencyHigh/"' in out
    assert main([*base, "--write-to", "new.yml"]) == 0
    assert (tmp_path / "new.yml").read_text(encoding="utf-8") == out
    assert main([*base, "--write-to", "new.yml"]) == 2
    assert "exists" in capsys.readouterr().err
    assert main([*base, "--in-place"]) == 0
    assert (tmp_path / "rules.yml").read_text(encoding="utf-8") == out
    assert (tmp_path / "rules.yml.bak").read_bytes() == (FIXTURES / "rules.yml").read_bytes()
    capsys.readouterr()
    assert main(["alerts", "urls", "--catalog", "catalog", "--site-url", SITE, "--rules",
                 str(FIXTURES / "broken" / "missing-expr.yml")]) == 1
    assert "has no `expr`" in capsys.readouterr().out


def test_empty_runbook_url_value_is_filled(tmp_path: Path) -> None:
    path = tmp_path / "r.yml"
    path.write_text("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n"
                    "        annotations:\n          runbook_url:\n          summary: s\n",
                    encoding="utf-8")
    result = annotate_file(path, lambda alert, labels: f"https://x.example/{alert}/",
                           target=tmp_path / "out.yml")
    assert result.changed == ["A"]
    assert '          runbook_url: "https://x.example/A/"\n          summary: s\n' in \
        (tmp_path / "out.yml").read_text(encoding="utf-8")
    assert read_rule_file(tmp_path / "out.yml").rules[0].runbook_url == "https://x.example/A/"

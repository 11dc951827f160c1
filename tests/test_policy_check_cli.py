"""``opsready check`` (readiness part) and ``opsready scorecard`` on small hand-made catalogs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opsready.cli.main import main
from test_policy_support import two_service_catalog


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPSREADY_TODAY", "2026-06-01")


@pytest.fixture()
def catalog(tmp_path: Path) -> Path:
    return two_service_catalog(tmp_path / "catalog")


def test_check_fails_on_a_service_below_its_level(catalog: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code = main(["check", str(catalog)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "broken.yaml" in out and "runbook.escalation" in out and "[runbook-escalation]" in out
    assert "service 'broken' (tier 1) is at none, below the required gold" in out
    assert "redundancy" not in out  # not blocking: only with --all-gaps
    assert "FAILED" in err and "1 below the required level" in err


def test_check_all_gaps_json_and_no_readiness(catalog: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["check", str(catalog), "--format", "json", "--all-gaps"]) == 1
    diags = json.loads(capsys.readouterr().out)
    by_code = {(d["code"], d["severity"]) for d in diags}
    assert ("runbook-escalation", "error") in by_code
    assert ("readiness-level", "error") in by_code
    assert ("arch-redundancy", "notice") in by_code
    assert main(["check", str(catalog), "--no-readiness"]) == 0


def test_check_reports_policy_errors_with_file_and_line(catalog: Path, tmp_path: Path,
                                                        capsys) -> None:  # type: ignore[no-untyped-def]
    policy = tmp_path / "policy.yaml"
    policy.write_text("disable: [runbook-escalaton]\n", encoding="utf-8")
    assert main(["check", str(catalog), "--policy", str(policy)]) == 1
    out = capsys.readouterr().out
    assert "policy.yaml:1:" in out and "unknown rule 'runbook-escalaton'" in out


def test_check_passes_when_the_policy_lets_it(catalog: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    policy = tmp_path / "policy.yaml"
    policy.write_text("required_levels: {1: bronze}\ndisable: [runbook-escalation]\n",
                      encoding="utf-8")
    assert main(["check", str(catalog), "--policy", str(policy)]) == 0


def test_bad_today_is_a_usage_error(catalog: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("OPSREADY_TODAY", "tomorrow")
    assert main(["check", str(catalog)]) == 2
    assert "OPSREADY_TODAY" in capsys.readouterr().err


def test_scorecard_formats_and_exit_codes(catalog: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["scorecard", str(catalog)]) == 0
    table = capsys.readouterr().out
    assert "broken" in table and "BELOW" in table
    assert main(["scorecard", str(catalog), "--fail-below"]) == 1
    capsys.readouterr()
    out = tmp_path / "sc.json"
    assert main(["scorecard", str(catalog), "--format", "json", "-o", str(out)]) == 0
    sc = json.loads(out.read_text(encoding="utf-8"))
    assert {s["id"]: s["achieved"] for s in sc["services"]} == {"broken": "none",
                                                                "small": "silver"}
    assert main(["scorecard", str(catalog), "--format", "markdown"]) == 0
    assert "### Readiness scorecard" in capsys.readouterr().out


def test_scorecard_compare(catalog: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    old = tmp_path / "old.json"
    assert main(["scorecard", str(catalog), "--format", "json", "-o", str(old)]) == 0
    data = json.loads(old.read_text(encoding="utf-8"))
    data["services"][0]["rules"]["runbook-escalation"] = "pass"
    data["services"][0]["achieved"] = "gold"
    old.write_text(json.dumps(data), encoding="utf-8")
    assert main(["scorecard", str(catalog), "--compare", str(old), "--format", "json"]) == 0
    cmp = json.loads(capsys.readouterr().out)
    assert cmp["regressed"] == ["broken"]
    (change,) = cmp["services"]
    assert change["worse"] == [{"rule": "runbook-escalation", "old": "pass", "new": "fail"}]
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    assert main(["scorecard", str(catalog), "--compare", str(bad)]) == 2
    assert "not an opsready scorecard" in capsys.readouterr().err

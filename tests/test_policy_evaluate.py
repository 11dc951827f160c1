"""Evaluation on hand-made services: presence, N/A, exemptions, staleness, levels as gates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from opsready.catalog.load import load_catalog
from opsready.policy.engine import Evaluation, evaluate, today_from_env
from opsready.policy.levels import Level, gate_level
from opsready.policy.load import load_policy
from opsready.policy.report import below_required_summary, readiness_diagnostics
from test_policy_support import TODAY, complete_service, write_catalog

DEFAULT = load_policy().policy


def _evaluate(tmp_path: Path, services: list[dict[str, Any]], policy_text: str | None = None,
              files: dict[str, str] | None = None, today: dt.date = TODAY) -> Evaluation:
    root = write_catalog(tmp_path / "catalog", services, files)
    result = load_catalog(root)
    assert result.ok, [d.text() for d in result.diagnostics]
    policy = DEFAULT
    if policy_text is not None:
        (tmp_path / "policy.yaml").write_text(policy_text, encoding="utf-8")
        loaded = load_policy(tmp_path / "policy.yaml")
        assert loaded.ok, [d.text() for d in loaded.diagnostics]
        policy = loaded.policy
    assert policy is not None
    return evaluate(result.catalog, policy, today)


def _result(ev: Evaluation, sid: str, rule_id: str):  # type: ignore[no-untyped-def]
    return next(r for r in ev.services[sid].results if r.rule.id == rule_id)


def test_gate_level_on_hand_made_outcomes() -> None:
    B, S, G = Level.BRONZE, Level.SILVER, Level.GOLD
    assert gate_level([]) is Level.GOLD  # nothing applies: nothing holds it back
    assert gate_level([(B, True), (S, True), (G, True)]) is Level.GOLD
    assert gate_level([(B, True), (S, False), (G, True)]) is Level.BRONZE
    assert gate_level([(B, False), (S, True), (G, True)]) is Level.NONE
    assert gate_level([(B, True), (S, True), (G, False)]) is Level.SILVER
    assert gate_level([(B, True), (B, False), (S, True)]) is Level.NONE


GATE_POLICY = """
extends: none
rules:
  - {id: b, title: Description, section: overview#identity, level: bronze, paths: [description]}
  - {id: s, title: On-call, section: runbook#on-call, level: silver, paths: [runbook.on_call]}
  - {id: g, title: Redundancy, section: architecture#resilience, level: gold,
     paths: [architecture.redundancy]}
"""


def test_gold_rule_passing_does_not_lift_a_failing_silver(tmp_path: Path) -> None:
    service = complete_service("svc", tier=2)
    del service["runbook"]["on_call"]
    ev = _evaluate(tmp_path, [service], GATE_POLICY)
    r = ev.services["svc"]
    assert [(x.rule.id, x.status) for x in r.results] == [("b", "pass"), ("s", "fail"),
                                                           ("g", "pass")]
    assert r.achieved is Level.BRONZE
    assert r.required is Level.SILVER and r.below_required
    assert r.percent == pytest.approx(66.7)


def test_complete_service_reaches_gold(tmp_path: Path) -> None:
    ev = _evaluate(tmp_path, [complete_service("svc")])
    r = ev.services["svc"]
    assert r.achieved is Level.GOLD and r.meets_required and not r.gaps
    assert r.percent == 100.0
    assert ev.ok


def test_removing_a_required_section_fails_the_service_with_a_located_gap(tmp_path: Path) -> None:
    service = complete_service("svc")
    del service["runbook"]
    ev = _evaluate(tmp_path, [service])
    r = ev.services["svc"]
    assert r.achieved is Level.NONE and r.below_required and not ev.ok
    gaps = ev.gaps_for("svc", "runbook#escalation")
    assert [(g.rule_id, g.status, g.yaml_path) for g in gaps] == [
        ("runbook-escalation", "missing", "runbook")]
    assert gaps[0].file.endswith("svc.yaml") and gaps[0].line == 1  # nearest existing ancestor
    assert gaps[0].hint
    summary = below_required_summary(ev)
    assert "svc (tier 1" in summary and "none, requires gold" in summary
    assert "[runbook-escalation] runbook" in summary


def test_placeholder_counts_as_missing_and_points_at_its_line(tmp_path: Path) -> None:
    service = complete_service("svc")
    service["runbook"]["on_call"] = "TODO: ask the team lead"
    ev = _evaluate(tmp_path, [service])
    (gap,) = ev.gaps_for("svc", "runbook#on-call")
    assert (gap.rule_id, gap.status, gap.yaml_path) == ("runbook-on-call", "placeholder",
                                                        "runbook.on_call")
    text = (tmp_path / "catalog" / "svc.yaml").read_text().splitlines()
    assert "on_call:" in text[gap.line - 1]
    assert ev.services["svc"].achieved is Level.BRONZE


def test_placeholder_in_a_referenced_file(tmp_path: Path) -> None:
    service = complete_service("svc")
    service["operations"]["degradation"] = {"file": "degradation.md"}
    ev = _evaluate(tmp_path, [service], files={"degradation.md": "# Degradation\n\nTBD\n"})
    (gap,) = ev.gaps_for("svc", "operators-handbook#degradation")
    assert gap.status == "placeholder" and "degradation.md" in gap.message


def test_empty_referenced_file_is_missing(tmp_path: Path) -> None:
    service = complete_service("svc")
    service["operations"]["degradation"] = {"file": "degradation.md"}
    ev = _evaluate(tmp_path, [service], files={"degradation.md": "# Degradation\n"})
    (gap,) = ev.gaps_for("svc", "operators-handbook#degradation")
    assert gap.status == "missing" and "has no content" in gap.message


def test_not_applicable_with_a_reason_passes_where_allowed(tmp_path: Path) -> None:
    service = complete_service("svc")
    service["operations"]["failover"] = {
        "not_applicable": "A nightly batch job: a failed run is simply re-run"}
    ev = _evaluate(tmp_path, [service])
    for rule_id in ("ops-failover", "ops-failover-tested"):
        result = _result(ev, "svc", rule_id)
        assert result.status == "na" and "nightly batch" in result.note
    assert ev.services["svc"].achieved is Level.GOLD


def test_a_single_key_declared_not_applicable_passes_where_allowed(tmp_path: Path) -> None:
    service = complete_service("svc")
    del service["service_guide"]["api_reference"]
    service["service_guide"]["not_applicable_parts"] = {
        "api_reference": "A queue consumer: it has no API of its own."}
    ev = _evaluate(tmp_path, [service])
    result = _result(ev, "svc", "guide-api-reference")
    assert result.status == "na" and "no API of its own" in result.note
    assert ev.services["svc"].achieved is Level.GOLD
    # the same declaration does not excuse a rule that does not accept "not applicable"
    del service["service_guide"]["installation"]
    service["service_guide"]["not_applicable_parts"]["installation"] = "Installed by others."
    ev = _evaluate(tmp_path / "again", [service])
    assert _result(ev, "svc", "guide-installation").status == "fail"


def test_not_applicable_parts_name_keys_of_the_section_with_reasons(tmp_path: Path) -> None:
    service = complete_service("svc")
    service["service_guide"]["not_applicable_parts"] = {"biling": "Nobody pays for it at all.",
                                                        "billing": "free"}
    root = write_catalog(tmp_path, [service])
    messages = [d.message for d in load_catalog(root).diagnostics]
    assert any("'biling' is not a key of this section" in m and "billing" in m
               for m in messages), messages


def test_not_applicable_on_a_rule_that_does_not_allow_it_fails_clearly(tmp_path: Path) -> None:
    service = complete_service("svc")
    service["operations"] = {"not_applicable": "We think operations are somebody else's job"}
    ev = _evaluate(tmp_path, [service])
    result = _result(ev, "svc", "ops-health-checks")
    assert result.status == "fail"
    (gap,) = result.gaps
    assert "declared not applicable" in gap.message
    assert "does not accept" in gap.message and "ops-health-checks" in gap.message


def test_not_applicable_without_a_reason_is_rejected_by_the_schema(tmp_path: Path) -> None:
    service = complete_service("svc")
    service["operations"]["failover"] = {"not_applicable": True}
    root = write_catalog(tmp_path / "catalog", [service])
    result = load_catalog(root)
    assert not result.ok
    (diag,) = [d for d in result.diagnostics if d.severity == "error"]
    assert diag.yaml_path == "operations.failover.not_applicable"
    assert "needs a written reason" in diag.message


def test_valid_exemption_passes_and_expired_one_fails(tmp_path: Path) -> None:
    exempt = complete_service("exempt")
    expired = complete_service("expired")
    for svc, expires in ((exempt, "2026-12-31"), (expired, "2026-05-31")):
        del svc["security"]["secrets"]["rotation"]
        svc["exemptions"] = [{"rule": "sec-secret-rotation", "reason": "Vault migration",
                              "approved_by": "CISO", "expires": expires}]
    ev = _evaluate(tmp_path, [exempt, expired])
    ok = _result(ev, "exempt", "sec-secret-rotation")
    assert ok.status == "exempt" and ok.passed and "Vault migration" in ok.note
    assert ev.services["exempt"].achieved is Level.GOLD

    bad = _result(ev, "expired", "sec-secret-rotation")
    assert bad.status == "expired-exemption" and not bad.passed
    (gap,) = bad.gaps
    assert gap.status == "expired-exemption" and "expired on 2026-05-31" in gap.message
    assert ev.services["expired"].achieved is Level.SILVER


def test_exemption_of_an_unknown_rule_is_reported(tmp_path: Path) -> None:
    service = complete_service("svc")
    service["exemptions"] = [{"rule": "sec-secret-rotaton", "reason": "x", "approved_by": "y",
                              "expires": "2027-01-01"}]
    ev = _evaluate(tmp_path, [service])
    (diag,) = ev.diagnostics
    assert diag.yaml_path == "exemptions[0].rule" and diag.file.endswith("svc.yaml")
    assert "unknown rule 'sec-secret-rotaton'" in diag.message
    assert "sec-secret-rotation" in diag.hint


def test_review_date_older_than_the_tier_limit_is_stale(tmp_path: Path) -> None:
    tier1 = complete_service("tier-one", tier=1)
    tier2 = complete_service("tier-two", tier=2)
    for svc in (tier1, tier2):
        svc["runbook"]["last_reviewed"] = "2025-11-01"  # 212 days before TODAY
    ev = _evaluate(tmp_path, [tier1, tier2])
    stale = _result(ev, "tier-one", "runbook-escalation")
    assert stale.status == "stale"
    (gap,) = stale.gaps
    assert gap.yaml_path == "runbook.last_reviewed" and "180 days" in gap.message
    assert _result(ev, "tier-two", "runbook-escalation").status == "pass"
    assert ev.services["tier-one"].achieved is Level.NONE


def test_service_review_date_applies_below_it_and_a_newer_section_date_wins(
        tmp_path: Path) -> None:
    service = complete_service("svc", tier=3)
    service["last_reviewed"] = "2024-01-01"
    service["architecture"]["last_reviewed"] = "2026-04-01"
    ev = _evaluate(tmp_path, [service])
    assert _result(ev, "svc", "identity-description").status == "stale"
    assert _result(ev, "svc", "arch-overview").status == "pass"


def test_recent_check_on_dates(tmp_path: Path) -> None:
    service = complete_service("svc")
    service["operations"]["failover"]["last_tested"] = "2025-01-01"
    del service["operations"]["backup"]["last_restore_test"]
    ev = _evaluate(tmp_path, [service])
    failover = _result(ev, "svc", "ops-failover-tested")
    assert failover.status == "stale" and "2025-01-01" in failover.gaps[0].message
    restore = _result(ev, "svc", "ops-restore-rehearsed")
    assert restore.status == "fail"
    assert restore.gaps[0].yaml_path == "operations.backup.last_restore_test"


def test_only_paging_alerts_need_a_runbook_entry(tmp_path: Path) -> None:
    service = complete_service("svc")
    service["alerts"] = [
        {"name": "DiskFilling", "severity": "SEV-3", "summary": "Disk"},
        {"name": "Down", "severity": "SEV-1", "summary": "Down", "diagnosis": [{"title": "x"}],
         "mitigation": [{"title": "y"}]},
        {"name": "Quiet", "severity": "SEV-3", "summary": "q", "pages": True,
         "meaning": "m", "impact": "i", "diagnosis": [{"title": "x"}]},
    ]
    ev = _evaluate(tmp_path, [service])
    gaps = ev.gaps_for("svc", "runbook#alerts")
    assert [(g.yaml_path, g.status) for g in gaps] == [("alerts[1]", "missing"),
                                                      ("alerts[2].mitigation", "missing")]
    assert gaps[0].message == "alerts[1] (Down): meaning and impact are missing"


def test_value_checks(tmp_path: Path) -> None:
    service = complete_service("svc")
    service["testing"]["approach"]["unit"] = {"coverage": 55, "in_ci": False}
    unwritten = complete_service("unwritten")
    unwritten["testing"]["approach"]["unit"] = {"coverage": 90}
    ev = _evaluate(tmp_path, [service, unwritten])
    coverage = _result(ev, "svc", "testing-unit-coverage")
    assert coverage.gaps[0].message == ("testing.approach.unit.coverage is 55, below the "
                                        "minimum 60")
    in_ci = _result(ev, "svc", "testing-unit-ci")
    assert "in_ci is false; expected true" in in_ci.gaps[0].message
    (gap,) = _result(ev, "unwritten", "testing-unit-ci").gaps
    assert (gap.status, gap.message) == ("missing", "testing.approach.unit.in_ci is missing")


def test_a_list_the_author_did_not_write_is_missing(tmp_path: Path) -> None:
    service = complete_service("svc")
    del service["runbook"]["escalation"]
    service["runbook"]["maintenance"] = []
    ev = _evaluate(tmp_path, [service])
    (gap,) = ev.gaps_for("svc", "runbook#escalation")
    assert gap.message == "runbook.escalation is missing"
    (gap,) = ev.gaps_for("svc", "runbook#maintenance")
    assert gap.message == "runbook.maintenance is an empty list"


def test_signoffs_need_each_role_approving(tmp_path: Path) -> None:
    service = complete_service("svc")
    service["release"]["signoffs"][2]["decision"] = "rejected"
    ev = _evaluate(tmp_path, [service])
    (gap,) = _result(ev, "svc", "release-signoff").gaps
    assert gap.status == "incomplete" and "role pm" in gap.message


def test_applicability_by_flags_tier_and_lifecycle(tmp_path: Path) -> None:
    plain = complete_service("plain", stateful=False, personal_data=False, public=False,
                             billed=False, regulated=False)
    for key in ("backup",):
        del plain["operations"][key]
    del plain["service_guide"]["billing"]
    lab = complete_service("lab", tier=3)
    lab["lifecycle"] = "experimental"
    del lab["runbook"]
    ev = _evaluate(tmp_path, [plain, lab])
    rule_ids = {r.rule.id for r in ev.services["plain"].results}
    assert {"ops-backup", "guide-billing", "sec-personal-data"}.isdisjoint(rule_ids)
    assert ev.services["plain"].achieved is Level.GOLD
    lab_r = ev.services["lab"]
    assert lab_r.achieved is Level.NONE and not lab_r.enforced and not lab_r.below_required
    assert ev.ok  # the experimental service is scored but never fails the build


def test_check_diagnostics_blocking_gaps_are_errors_others_notices(tmp_path: Path) -> None:
    tier1 = complete_service("tier-one")
    del tier1["runbook"]["escalation"]
    tier3 = complete_service("tier-three", tier=3)
    del tier3["architecture"]["redundancy"]  # a gold gap: tier 3 only needs bronze
    ev = _evaluate(tmp_path, [tier1, tier3])
    errors = readiness_diagnostics(ev)
    assert {(d.code, d.severity) for d in errors} == {("runbook-escalation", "error"),
                                                      ("readiness-level", "error")}
    every = readiness_diagnostics(ev, all_gaps=True)
    notice = [d for d in every if d.severity == "notice"]
    assert [(d.code, d.yaml_path) for d in notice] == [("arch-redundancy",
                                                        "architecture.redundancy")]


def test_today_from_env() -> None:
    assert today_from_env({"OPSREADY_TODAY": "2026-02-03"}) == dt.date(2026, 2, 3)
    assert today_from_env({}) == dt.date.today()
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        today_from_env({"OPSREADY_TODAY": "yesterday"})

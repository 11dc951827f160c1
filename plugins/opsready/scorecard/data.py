"""Scorecard data: one plain, JSON-ready structure built from an evaluation.

Everything published (the page, ``scorecard.json``, the badges, ``opsready scorecard``) is made
from this one structure, so they cannot disagree. Its shape is versioned by ``schema`` and
documented in the policy guide (``docs/guide/policy.md``).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..catalog.fleet import Catalog
from ..model.document_sections import SECTIONS, SECTIONS_BY_KEY
from ..output.site_paths import SitePaths, url_of
from ..policy.engine import Evaluation, RuleResult, ServiceReadiness
from ..policy.levels import Level

SCHEMA = "opsready-scorecard/1"
FAILING = ("fail", "expired-exemption", "stale")


def deliverables() -> list[tuple[str, list[str]]]:
    """The white paper's deliverables in page order, each with its section keys."""
    out: dict[str, list[str]] = {}
    for section in SECTIONS:
        out.setdefault(section.deliverable, []).append(section.key)
    return list(out.items())


def combine_status(statuses: list[str]) -> str:
    """One status for several rules: the worst failure, else exempt, else N/A, else pass."""
    for status in FAILING:
        if status in statuses:
            return status
    if "exempt" in statuses:
        return "exempt"
    if statuses and all(s == "na" for s in statuses):
        return "na"
    return "pass" if statuses else "none"


def _gap_dict(gap: Any) -> dict[str, Any]:
    return {"rule": gap.rule_id, "title": gap.title, "section": gap.section,
            "status": gap.status, "level": gap.level, "severity": gap.severity,
            "yaml_path": gap.yaml_path, "file": gap.file, "line": gap.line,
            "message": gap.message, "hint": gap.hint}


def _cell_debt(evaluation: Evaluation, r: ServiceReadiness, keys: list[str],
               failing: list[RuleResult]) -> dict[str, Any] | None:
    """The readiness baseline's word on a deliverable cell, from the gaps' own entries
    (``Evaluation.gaps_for``: ``Gap.debt``, as the service's pages flag them): when every
    failing rule that flags the cell (those at or below the required level, else all of them)
    has an entry: whether a due date has passed, and the earliest (passed) due date."""
    if not failing or not r.debt:
        return None
    flagging = {f.rule.id for f in failing if f.level <= r.required} or {
        f.rule.id for f in failing}
    gaps = [g for key in keys for g in evaluation.gaps_for(r.id, key) if g.rule_id in flagging]
    debts = [g.debt for g in gaps if g.debt is not None]
    if not debts or len(debts) != len(gaps) or {g.rule_id for g in gaps} != flagging:
        return None
    overdue = [d.due for d in debts if d.overdue]
    return {"due": min(overdue or [d.due for d in debts]), "overdue": bool(overdue)}


def _matrix_cell(results: list[RuleResult], required: Level,
                 debt: dict[str, Any] | None = None) -> dict[str, Any]:
    status = combine_status([r.status for r in results])
    target = next((r for r in results if r.status == status), results[0])
    failing = [r for r in results if not r.passed]
    # Failing only rules above the required level: what the next level asks, not a gap.
    next_level = bool(failing) and all(r.level > required for r in failing)
    return {"status": status, "section": target.rule.section,
            "rules": [r.rule.id for r in results], "next_level": next_level, "debt": debt}


def _service(evaluation: Evaluation, r: ServiceReadiness, catalog: Catalog, paths: SitePaths,
             use_directory_urls: bool) -> dict[str, Any]:
    service = r.service
    team = catalog.teams.get(service.owner)
    by_deliverable: dict[str, dict[str, Any]] = {}
    for name, keys in deliverables():
        results = [res for res in r.results if res.rule.section in keys]
        if results:
            failing = [res for res in results if not res.passed]
            by_deliverable[name] = _matrix_cell(results, r.required,
                                                _cell_debt(evaluation, r, keys, failing))
    return {
        "id": service.id,
        "name": service.name,
        "tier": service.tier,
        "team": service.owner,
        "team_name": team.name if team else service.owner,
        "lifecycle": service.lifecycle.value,
        "enforced": r.enforced,
        "required": r.required.label,
        "achieved": r.achieved.label,
        "meets_required": r.meets_required,
        "below_required": r.below_required,
        "percent": r.percent,
        "passed": r.passed_count,
        "applicable": len(r.results),
        "gap_count": r.gap_count,
        "url": url_of(paths.document(service.id, "overview"),
                      use_directory_urls=use_directory_urls),
        "badge": paths.badge(service.id),
        "rules": {res.rule.id: res.status for res in r.results},
        "notes": {res.rule.id: res.note for res in r.results if res.note},
        "deliverables": by_deliverable,
        "gaps": [_gap_dict(g) for g in r.gaps],
        "in_debt": r.in_debt,
        "debt": [{"rule": e.rule, "level": e.level, "owner": e.owner, "due": e.due.isoformat(),
                  "overdue": e.rule not in r.accepted} for e in r.debt],
    }


def _teams(services: list[dict[str, Any]]) -> list[dict[str, Any]]:
    teams: dict[str, dict[str, Any]] = {}
    for s in services:
        team = teams.setdefault(s["team"], {"id": s["team"], "name": s["team_name"],
                                            "services": 0, "meets_required": 0,
                                            "below_required": 0, "gaps": 0,
                                            "levels": Counter(), "_percents": []})
        team["services"] += 1
        team["meets_required"] += s["meets_required"]
        team["below_required"] += s["below_required"]
        team["gaps"] += s["gap_count"]
        team["levels"][s["achieved"]] += 1
        team["_percents"].append(s["percent"])
    out = []
    for team in sorted(teams.values(), key=lambda t: t["id"]):
        percents = team.pop("_percents")
        team["levels"] = {lv.label: team["levels"].get(lv.label, 0) for lv in Level}
        team["percent"] = round(sum(percents) / len(percents), 1)
        out.append(team)
    return out


def build_scorecard(evaluation: Evaluation, catalog: Catalog, paths: SitePaths | None = None,
                    *, use_directory_urls: bool = True) -> dict[str, Any]:
    """The scorecard of an evaluation (see the policy guide for the shape)."""
    paths = paths or SitePaths()
    policy = evaluation.policy
    services = [_service(evaluation, r, catalog, paths, use_directory_urls)
                for r in evaluation.services.values()]
    levels = Counter(s["achieved"] for s in services)
    rules = []
    for rule in policy.rules:
        section = SECTIONS_BY_KEY[rule.section]
        rules.append({"id": rule.id, "title": rule.title, "section": rule.section,
                      "deliverable": section.deliverable, "level": rule.level,
                      "severity": rule.severity, "check": rule.check,
                      "paths": list(rule.path_texts), "na_allowed": rule.na_allowed})
    return {
        "schema": SCHEMA,
        "date": evaluation.today.isoformat(),
        "policy": {
            "name": policy.name,
            "sources": list(policy.sources),
            "required_levels": {str(t): lv.label
                                for t, lv in sorted(policy.required_levels.items())},
            "not_enforced_lifecycles": sorted(policy.not_enforced_lifecycles),
        },
        "summary": {
            "services": len(services),
            "levels": {lv.label: levels.get(lv.label, 0) for lv in Level},
            "meets_required": sum(s["meets_required"] for s in services),
            "below_required": sum(s["below_required"] for s in services),
            "not_enforced": sum(not s["enforced"] for s in services),
            "gaps": sum(s["gap_count"] for s in services),
            "in_debt": sum(s["in_debt"] for s in services),
            "debt": sum(len(s["debt"]) for s in services),
            "percent": round(sum(s["percent"] for s in services) / len(services), 1)
            if services else 100.0,
        },
        "deliverables": [{"name": name, "sections": keys} for name, keys in deliverables()],
        "rules": rules,
        "services": services,
        "teams": _teams(services),
    }

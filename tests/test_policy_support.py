"""Shared helpers for the readiness tests: a complete service as data and a catalog writer.

No tests here; the test modules of the policy and the scorecard import these helpers.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import yaml

TODAY = dt.date(2026, 6, 1)
RECENT = "2026-05-01"

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_text(data: Any) -> str:
    """``data`` as YAML text, keys in their order: what ``yaml.safe_dump`` writes, with
    libyaml's emitter when PyYAML has it (the same text, six times faster)."""
    return yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True)


def yaml_data(text: str) -> Any:
    """The data of YAML ``text``: what ``yaml.safe_load`` reads, with libyaml's parser when
    PyYAML has it (the same data, ten times faster)."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader


_STEP = [{"title": "Do the thing", "command": "make thing"}]
_TEXT = "Written down, reviewed and kept up to date by the owning team."


def complete_service(sid: str = "complete", tier: int = 1, owner: str = "team-a",
                     **flags: bool) -> dict[str, Any]:
    """A service that passes every rule of the default policy (gold), all flags set."""
    all_flags = {"stateful": True, "personal_data": True, "public": True, "billed": True,
                 "regulated": True}
    all_flags.update(flags)
    return copy.deepcopy({
        "id": sid, "name": sid.replace("-", " ").title(), "description": "Moves money.",
        "tier": tier, "lifecycle": "production", "owner": owner,
        "repository": "https://git.example/" + sid, "flags": all_flags,
        "architecture": {
            "overview": _TEXT,
            "zones": [{"id": "edge", "name": "Edge", "trust": "dmz"}],
            "components": [{"id": "api", "name": "API", "kind": "web", "zone": "edge"}],
            "dependencies": [{"external": "bank", "name": "Bank", "purpose": "Settles",
                              "failure_impact": "Payments queue up."}],
            "interactions": [{"from": "api", "to": "bank", "data": "settlements",
                              "protocol": "HTTPS", "encrypted": True}],
            "redundancy": "Two zones.",
        },
        "security": {
            "review": {"reviewer": "Sam Sec", "date": RECENT},
            "roles": [{"role": "operator", "responsibilities": "Runs it", "access": "read"}],
            "access_control": {"policy": "Need to know.", "logging": "Audit log.",
                               "review_cadence": "quarterly", "least_privilege": True},
            "break_glass": {"criteria": "Outage.", "approval": "Duty manager.",
                            "logging": "Vault audit.", "post_event_review": "Within 2 days."},
            "authentication": "OIDC with MFA.", "authorization": "RBAC.",
            "data_in_transit": {"method": "TLS 1.3"}, "data_at_rest": {"method": "AES-256"},
            "network": {"exposure": "internet", "segmentation": "Own VPC."},
            "secrets": {"management": "Vault", "rotation": "90 days"},
            "data_classification": {"classification": "restricted",
                                    "personal_data": "Names.", "retention": "7 years"},
            "security_logs": ["auth log"],
        },
        "business": {
            "features": [{"id": "pay", "title": "Pay", "user_stories": ["As a user I pay"],
                          "acceptance_criteria": ["Paid within 2 s"]}],
            "kpis": [{"name": "Conversion", "target": ">= 3%"}],
            "hours_of_operation": "24x7",
        },
        "ops_requirements": {
            "monitoring": _TEXT, "logging": _TEXT, "maintenance": _TEXT,
            "slos": [{"name": "Availability", "sli": "2xx share", "objective": "99.9%",
                      "owner": owner}],
            "error_budget_policy": "Freeze releases.",
            "expected_load": {"peak": "500 rps", "normal": "100 rps"},
            "environment_differences": "Staging is smaller.",
        },
        "service_guide": {
            "installation": _STEP, "client_account_setup": _STEP, "billing": "Per call.",
            "configuration": [{"name": "PORT", "description": "Listen port"}],
            "api_reference": {"title": "API", "url": "https://api.example/docs"},
        },
        "testing": {
            "approach": {"unit": {"in_ci": True, "coverage": 80},
                         "integration": {"strategy": "Contract tests."},
                         "end_to_end": {"strategy": "Nightly journey."}},
            "performance": {"kpis": [{"name": "p99", "target": "< 300 ms"}],
                            "load": {"scenario": "Peak x2", "result": "OK"},
                            "stress": {"result": "Breaks at 4x"},
                            "endurance": {"result": "24 h stable"}},
            "security": {"pen_test": {"date": RECENT},
                         "vulnerability_scanning": {"tools": ["trivy"], "cadence": "daily",
                                                    "remediation": "Critical in 7 days."},
                         "compliance": [{"standard": "GDPR", "status": "compliant"}]},
            "results": [{"date": RECENT, "kind": "load", "outcome": "pass", "summary": "Fine",
                         "evidence": [{"title": "Report", "url": "https://ci.example/1"}]}],
        },
        "operations": {
            "capacity_plan": _TEXT,
            "resources": [{"component": "api", "minimum": 2, "maximum": 8}],
            "manual_scaling": _STEP,
            "autoscaling": {"enabled": True, "metric": "CPU 70%"},
            "failover": {"strategy": "Promote replica.", "procedure": _STEP,
                         "last_tested": RECENT},
            "backup": {"schedule": "hourly", "retention": "30 days",
                       "restore_procedure": _STEP, "last_restore_test": RECENT},
            "health_checks": [{"name": "live", "check": "/healthz", "expected": "200"}],
            "degradation": "Read-only mode.",
        },
        "observability": {
            "logs": [{"name": "app", "location": "loki", "format": "JSON",
                      "parsing_rules": ["level field"]}],
            "tools": [{"name": "Grafana", "purpose": "Dashboards"}],
            "dashboards": [{"title": "Main", "url": "https://grafana.example/d/1"}],
            "alert_routing": "Critical pages, warnings open tickets.",
            "tracing": "OpenTelemetry to Tempo.",
            "security_monitoring": {"ids_ips": "Suricata.",
                                    "log_rules": [{"name": "brute", "detects": "Logins"}],
                                    "alerts": [{"name": "Brute", "severity": "SEV-2",
                                                "escalation": "SOC in 15 min"}]},
        },
        "alerts": [{"name": "HighErrorRate", "severity": "SEV-1", "summary": "Errors",
                    "meaning": "Many 5xx.", "impact": "Users cannot pay.",
                    "diagnosis": _STEP, "mitigation": _STEP}],
        "runbook": {
            "escalation": [{"level": 1, "contact": owner, "when": "Always", "how": "Pager"}],
            "on_call": "Weekly rotation.", "routine_checks": _STEP,
            "maintenance": [{"id": "certs", "task": "Renew certs", "schedule": "monthly"}],
        },
        "incident_response": {
            "assessment": _TEXT, "containment": _TEXT, "escalation": _TEXT,
            "communication": _TEXT, "forensics": _TEXT, "post_incident_review": _TEXT,
        },
        "release": {
            "debrief": {"scope": "All of it.", "objectives": ["Ship"], "risks": ["Late"]},
            "tickets": [{"id": "PAY-1", "title": "Ship it"}],
            "deployment_plan": {"steps": _STEP, "rollback": _STEP},
            "staging": {"automated": True, "pipeline": "https://ci.example/p",
                        "verified_by": "QA", "verified_on": RECENT},
            "monitoring_setup": "Dashboards and alerts before launch.",
            "process_checks": [{"kind": k, "date": RECENT, "outcome": "pass"}
                               for k in ("capacity", "functional", "chaos")],
            "signoffs": [{"role": r, "name": "A Person", "date": RECENT, "decision": "approved"}
                         for r in ("ops", "qa", "pm")],
        },
    })


def write_catalog(root: Path, services: list[dict[str, Any]],
                  files: dict[str, str] | None = None) -> Path:
    """Write teams.yaml and one ``<id>.yaml`` per service (plus extra files) under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    teams = sorted({s["owner"] for s in services} | {"team-a"})
    (root / "teams.yaml").write_text(yaml_text(
        {"teams": [{"id": t, "name": t.replace("-", " ").title()} for t in teams]}),
        encoding="utf-8")
    for service in services:
        (root / f"{service['id']}.yaml").write_text(yaml_text(service), encoding="utf-8")
    for name, text in (files or {}).items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def two_service_catalog(folder: Path) -> Path:
    """A catalog of two services with gaps: ``broken`` (tier 1) lacks its escalation, ``small``
    (tier 3, team-b) its redundancy (a gold gap: tier 3 needs bronze only)."""
    broken = complete_service("broken")
    del broken["runbook"]["escalation"]
    small = complete_service("small", tier=3, owner="team-b")
    del small["architecture"]["redundancy"]
    return write_catalog(folder, [broken, small])

"""Generate synthetic catalogs of any size for benchmarks (never used by the test suite's speed).

Each service is complete (every section of the model filled), so files have the size of a real
tier-1 service; dependencies point at earlier services, so the graph is valid.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path
from typing import Any

import yaml

TEAMS = ["platform", "payments", "customer", "logistics", "internal-tools"]


def _steps(prefix: str, n: int = 3) -> list[dict[str, str]]:
    return [{"title": f"{prefix} step {k}", "description": f"Do the {prefix.lower()} step {k}.",
             "command": f"kubectl get pods -l step={k}"} for k in range(1, n + 1)]


def _links(name: str) -> list[dict[str, str]]:
    return [{"title": f"{name} dashboard", "url": f"https://grafana.example.test/d/{name}"}]


def synthetic_service(i: int, rng: random.Random) -> dict[str, Any]:
    """A complete service description numbered ``i``."""
    sid = f"svc-{i:05d}"
    tier = 1 + i % 3
    deps = sorted({f"svc-{rng.randrange(i):05d}" for _ in range(min(i, 3))})
    tracked = {"last_reviewed": "2026-11-01", "evidence": _links(f"{sid}-evidence")}
    alerts = [{
        "name": f"Svc{i:05d}Alert{k}", "severity": f"SEV-{1 + k % 4}",
        "summary": f"Alert {k} of {sid} fired", "meaning": "The error rate is over the SLO.",
        "impact": "Users see failed requests.", "diagnosis": _steps("Diagnose", 2),
        "mitigation": _steps("Mitigate", 2), "escalation": [{"after": "15m", "to": TEAMS[i % 5]}],
        "dashboards": _links(sid), "logs": _links(f"{sid}-logs"),
    } for k in range(4)]
    return {
        "id": sid, "name": f"Service {i}", "description": f"Synthetic service number {i}.",
        "tier": tier, "lifecycle": "production", "owner": TEAMS[i % len(TEAMS)],
        "repository": f"https://git.example.test/{sid}", "links": _links(sid),
        "flags": {"stateful": i % 2 == 0, "personal_data": i % 3 == 0, "public": i % 4 == 0},
        "architecture": {
            **tracked, "overview": "A web tier in front of a worker and a database.",
            "zones": [{"id": "dmz", "name": "DMZ", "trust": "dmz"},
                      {"id": "core", "name": "Core", "trust": "internal"}],
            "components": [
                {"id": "web", "name": "Web", "kind": "web", "zone": "dmz", "replicas": 3},
                {"id": "worker", "name": "Worker", "kind": "worker", "zone": "core"},
                {"id": "db", "name": "Database", "kind": "sql", "zone": "core",
                 "single_point_of_failure": True},
            ],
            "dependencies": [{"service": d, "purpose": "upstream data", "critical": True,
                              "failure_impact": "Requests fail."} for d in deps] or [
                {"external": "object-store", "name": "Object store", "kind": "object_storage",
                 "purpose": "archives", "failure_impact": "Archiving pauses."}],
            "interactions": [
                {"from": "web", "to": "worker", "data": "jobs", "protocol": "AMQP",
                 "encrypted": True, "encryption": "TLS 1.3"},
                {"from": "worker", "to": "db", "data": "rows", "protocol": "PostgreSQL",
                 "encrypted": False},
            ] + [{"from": "web", "to": d, "data": "calls", "protocol": "HTTPS",
                  "encrypted": True} for d in deps],
            "redundancy": "Three web replicas; database with a hot standby.",
        },
        "security": {
            **tracked,
            "review": {"reviewer": "Sec Team", "date": "2026-10-01", "outcome": "approved"},
            "roles": [{"role": "operator", "responsibilities": "Runs the service",
                       "access": "read-write", "holders": [TEAMS[i % 5]]}],
            "access_control": {"policy": "Need to know.", "logging": "Audit log.",
                               "review_cadence": "quarterly", "least_privilege": True},
            "break_glass": {"criteria": "SEV-1 only.", "approval": "Incident commander.",
                            "logging": "Vault audit log.", "post_event_review": "Within 48h."},
            "authentication": "OIDC with MFA.", "authorization": "RBAC.",
            "data_in_transit": {"method": "TLS 1.3"}, "data_at_rest": {"method": "AES-256"},
            "network": {"exposure": "internal", "firewall": "Deny by default.",
                        "segmentation": "Own namespace."},
            "secrets": {"management": "Vault", "rotation": "90 days"},
            "data_classification": {"classification": "confidential",
                                    "personal_data": "Names and addresses of recipients.",
                                    "retention": "13 months"},
            "security_logs": ["auth log", "audit log"],
        },
        "business": {**tracked, "features": [{
            "id": "feature-1", "title": "Feature one", "description": "The main feature.",
            "user_stories": ["As a user I want things"], "acceptance_criteria": ["Things work"]}],
            "kpis": [{"name": "orders", "target": "> 100/min"}], "hours_of_operation": "24x7"},
        "ops_requirements": {
            **tracked, "monitoring": "Golden signals.", "logging": "JSON logs.",
            "maintenance": "Monthly patching.",
            "slos": [{"name": "availability", "sli": "2xx ratio", "objective": "99.9%",
                      "owner": TEAMS[i % 5]}],
            "error_budget_policy": "Freeze on exhaustion.",
            "expected_load": {"peak": "500 rps", "normal": "100 rps", "quiet": "5 rps"},
            "environment_differences": "Staging has one replica.",
        },
        "service_guide": {**tracked, "installation": _steps("Install"),
                          "configuration": [{"name": "PORT", "description": "Listen port",
                                             "default": 8080}],
                          "client_account_setup": _steps("Setup", 2), "billing": "Per order.",
                          "api_reference": {"title": "API", "url": "https://api.example.test"}},
        "testing": {
            "approach": {"unit": {"strategy": "pytest", "in_ci": True, "coverage": 85},
                         "integration": {"strategy": "docker compose", "in_ci": True},
                         "end_to_end": {"strategy": "playwright", "cases": ["checkout"]}},
            "performance": {"kpis": [{"name": "p99", "target": "< 300 ms"}],
                            "load": {"scenario": "2x peak", "result": "ok", "date": "2026-10-02"},
                            "stress": {"scenario": "5x peak", "result": "ok"},
                            "endurance": {"scenario": "24h", "result": "ok"}},
            "security": {"pen_test": {"date": "2026-09-01", "performed_by": "Acme"},
                         "vulnerability_scanning": {"tools": ["trivy"], "cadence": "daily",
                                                    "remediation": "Critical in 7 days."},
                         "compliance": [{"standard": "GDPR", "status": "compliant"}]},
            "results": [{"date": "2026-10-02", "kind": "load", "outcome": "pass",
                         "summary": "Held 2x peak.", "risks": ["db CPU"],
                         "mitigations": ["bigger db"], "evidence": _links(f"{sid}-load")}],
        },
        "operations": {
            **tracked, "capacity_plan": "Scale web on CPU.",
            "resources": [{"component": "web", "cpu": "500m", "memory": "512Mi",
                           "minimum": 3, "maximum": 12}],
            "manual_scaling": _steps("Scale", 2),
            "autoscaling": {"enabled": True, "metric": "CPU 70%", "minimum": 3, "maximum": 12},
            "failover": {"strategy": "Promote standby.", "procedure": _steps("Failover", 2),
                         "last_tested": "2026-10-15"},
            "backup": {"schedule": "hourly", "retention": "30d",
                       "restore_procedure": _steps("Restore", 2),
                       "last_restore_test": "2026-10-20"},
            "health_checks": [{"name": "http", "check": "GET /healthz", "expected": "200"}],
            "degradation": "Serve cached data.",
            "benchmarks": [{"name": "throughput", "value": "800 rps"}],
        },
        "observability": {
            **tracked,
            "logs": [{"name": "app", "location": "loki {app=\"x\"}", "format": "JSON lines",
                      "parsing_rules": ["level field"]}],
            "tools": [{"name": "Grafana", "purpose": "dashboards"}], "dashboards": _links(sid),
            "alert_routing": "critical -> pager, warning -> ticket.", "tracing": "OpenTelemetry.",
            "security_monitoring": {"ids_ips": "Falco.", "log_rules": [
                {"name": "brute force", "detects": "5 failed logins"}],
                "alerts": [{"name": "AuthFailures", "severity": "SEV-2",
                            "escalation": "security on-call"}]},
        },
        "alerts": alerts,
        "runbook": {
            **tracked,
            "escalation": [{"level": 1, "contact": TEAMS[i % 5], "when": "first",
                            "how": "pager"}],
            "on_call": "Weekly rotation.", "routine_checks": _steps("Check", 2),
            "maintenance": [{"id": "patching", "task": "OS patching", "schedule": "monthly",
                             "procedure": _steps("Patch", 2)}],
        },
        "incident_response": {
            **tracked, "assessment": "Assess.", "containment": "Contain.",
            "escalation": "Escalate.", "communication": "Tell legal.",
            "forensics": "Snapshot disks.", "post_incident_review": "Blameless review.",
        },
        "release": {
            **tracked,
            "debrief": {"scope": "v2", "objectives": ["faster"], "risks": ["migration"]},
            "tickets": [{"id": f"OPS-{i}", "title": "Release"}],
            "deployment_plan": {"steps": _steps("Deploy"), "rollback": _steps("Rollback", 2)},
            "staging": {"automated": True, "verified_by": "QA", "verified_on": "2026-11-01",
                        "pipeline": f"https://ci.example.test/{sid}"},
            "monitoring_setup": "Dashboards and alerts before launch.",
            "process_checks": [{"kind": k, "date": "2026-11-02", "outcome": "pass"}
                               for k in ("capacity", "functional", "chaos")],
            "signoffs": [{"role": r, "name": f"{r} lead", "date": "2026-11-03",
                          "decision": "approved"} for r in ("ops", "qa", "pm")],
        },
    }


# What a realistic fleet leaves out below tier 1: tier-2 services stop at silver-level
# documentation, tier-3 services at bronze (READINESS.md). Keeps file sizes honest.
_DROP_TIER2 = (("testing", "performance", "stress"), ("testing", "performance", "endurance"),
               ("testing", "security", "pen_test"), ("release", "process_checks"),
               ("operations", "benchmarks"), ("ops_requirements", "error_budget_policy"))
_DROP_TIER3 = _DROP_TIER2 + (
    ("testing", "performance"), ("testing", "results"), ("operations", "failover"),
    ("operations", "resources"), ("security", "break_glass"),
    ("observability", "security_monitoring"), ("release", "debrief"),
    ("release", "tickets"), ("business", "kpis"), ("service_guide", "client_account_setup"),
    ("ops_requirements", "expected_load"),
)


def _drop(data: dict[str, Any], path: tuple[str, ...]) -> None:
    for key in path[:-1]:
        data = data.get(key) or {}
    data.pop(path[-1], None)


def realistic_service(i: int, rng: random.Random) -> dict[str, Any]:
    """A service documented as far as its tier needs: tier 1 complete, tiers 2-3 less so."""
    data = synthetic_service(i, rng)
    drops = {1: (), 2: _DROP_TIER2, 3: _DROP_TIER3}[data["tier"]]
    for path in drops:
        _drop(data, path)
    if data["tier"] == 3:
        data["alerts"] = data["alerts"][:2]
    return data


def write_fleet(root: Path, count: int, seed: int = 7, *, complete: bool = False) -> Path:
    """Write a catalog of ``count`` services (and its teams.yaml) into ``root``."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    teams = {"teams": [{"id": t, "name": t.title()} for t in TEAMS]}
    (root / "teams.yaml").write_text(yaml.safe_dump(teams, sort_keys=False), encoding="utf-8")
    make = synthetic_service if complete else realistic_service
    for i in range(count):
        data = make(i, rng)
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        (root / f"{data['id']}.yaml").write_text(text, encoding="utf-8")
    return root


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="write a synthetic catalog")
    parser.add_argument("target", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--complete", action="store_true",
                        help="document every service completely (tier-1 size)")
    ns = parser.parse_args()
    write_fleet(ns.target, ns.count, complete=ns.complete)
    print(f"wrote {ns.count} services to {ns.target}")


def clone_example(source: Path, root: Path, count: int) -> Path:
    """Write a catalog of ``count`` services into ``root``: copies of the example catalog in
    ``source`` (its services in id order, again and again), copy ``k`` of service ``x`` named
    ``x-ck``; every reference to a catalog service (dependencies, interactions, steps) points at
    the same copy, and alert names get a ``Ck`` suffix so runbook URLs stay unique. Copy 0 keeps
    the original ids, so hand-written pages naming them still resolve."""
    from opsready.catalog.load import load_catalog
    from opsready.catalog.references import iter_refs
    from opsready.model import Service

    catalog = load_catalog(source).catalog
    ids = list(catalog.services)
    alerts = {a.name for s in catalog.services.values() for a in s.alerts}
    if count < len(ids):
        raise ValueError(f"at least one copy of the example's {len(ids)} services is needed "
                         "(they depend on each other)")
    root.mkdir(parents=True, exist_ok=True)
    for name in ("teams.yaml", "organisation.yaml"):
        if (source / name).exists():
            shutil.copyfile(source / name, root / name)
    for i in range(count):
        k, sid = divmod(i, len(ids))
        sid = ids[sid]
        src = catalog.sources[sid].loaded.path
        data = yaml.safe_load(Path(src).read_text(encoding="utf-8"))
        # The last, partial copy points at the originals of services it does not have.
        renamed = {x: x if k == 0 or k * len(ids) + j >= count else f"{x}-c{k}"
                   for j, x in enumerate(ids)}
        data["id"] = renamed[sid]
        for path, kind, ref in list(iter_refs(Service, data)):
            if kind == "service" and ref in renamed:
                _set(data, path, renamed[ref])
        arch = data.get("architecture") or {}
        for flow in arch.get("interactions") or []:
            for end in ("from", "to"):
                if flow.get(end) in renamed:
                    flow[end] = renamed[flow[end]]
        if k:
            for alert in data.get("alerts") or []:
                if alert.get("name") in alerts:
                    alert["name"] = f"{alert['name']}C{k}"
            _rename_alert_refs(data, alerts, f"C{k}")
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        if Path(src).name == "service.yaml":  # a folder: copy the Markdown beside it too
            folder = root / data["id"]
            shutil.copytree(Path(src).parent, folder)
            (folder / "service.yaml").write_text(text, encoding="utf-8")
        else:
            (root / f"{data['id']}.yaml").write_text(text, encoding="utf-8")
    return root


def _rename_alert_refs(data: Any, alerts: set[str], suffix: str) -> None:
    """Every ``alert: <name>`` reference (runbook steps pointing at another alert)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "alert" and value in alerts:
                data[key] = value + suffix
            else:
                _rename_alert_refs(value, alerts, suffix)
    elif isinstance(data, list):
        for item in data:
            _rename_alert_refs(item, alerts, suffix)


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value

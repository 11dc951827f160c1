"""``opsready new``: start a service file that validates, every section sketched in comments."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path

from .model_base import SLUG_RE

_SKELETON = """\
{schema_line}
id: {id}
name: {name}
description: {description}
tier: {tier}
lifecycle: {lifecycle}
owner: {owner}
# repository: https://git.example.com/{owner}/{id}

# Fill in the sections below; `opsready check` lists what tier {tier} still needs, with the YAML
# path of each gap. The format reference in the docs lists every key.
#
# architecture:          components, dependencies, interactions (data flows), zones
# security:              review, roles, access_control, break_glass, authentication, ...
# business:              features (user stories, acceptance criteria), kpis, hours_of_operation
# ops_requirements:      monitoring, logging, maintenance, slos, expected_load
# service_guide:         installation, configuration, client_account_setup, billing
# testing:               approach (unit, integration, end_to_end), performance, security, results
# operations:            capacity_plan, resources, manual_scaling, autoscaling, failover, backup
# observability:         logs, tools, dashboards, alert_routing, tracing, security_monitoring
# alerts:                one entry per alerting rule: meaning, impact, diagnosis, mitigation
# runbook:               escalation, on_call, routine_checks, maintenance
# incident_response:     assessment, containment, escalation, communication, forensics, ...
# release:               debrief, tickets, deployment_plan, staging, process_checks, signoffs
"""


ACRONYMS = frozenset({
    "ai", "api", "apis", "aws", "cd", "cdn", "ci", "cms", "cpu", "crm", "csv", "db", "dns", "erp",
    "etl", "faq", "gcp", "gpu", "grpc", "http", "iam", "id", "io", "ip", "json", "jwt", "k8s",
    "kms", "ldap", "ml", "mq", "noc", "oauth", "pdf", "pki", "qa", "rest", "s3", "saml", "sdk",
    "sftp", "sla", "slo", "sms", "smtp", "sql", "sre", "sso", "ssh", "tcp", "tls", "ui", "url",
    "ux", "vpn", "xml",
})


def display_name(slug: str) -> str:
    """A name from an id: ``billing-api`` -> ``Billing API``, ``order-history`` -> ``Order
    history`` (sentence case; known acronyms in capitals)."""
    words = [w for w in slug.replace("_", "-").split("-") if w]
    out = [w.upper() if w.lower() in ACRONYMS else w.lower() for w in words]
    if out and not out[0].isupper():
        out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out) or slug


@dataclass(frozen=True)
class NewService:
    """What ``opsready new`` needs to write a service file."""

    id: str
    name: str
    tier: int
    owner: str
    lifecycle: str = "development"
    description: str = ""
    folder: bool = False


def new_service_path(catalog: Path, spec: NewService) -> Path:
    """Where the new service's YAML file goes."""
    if spec.folder:
        return catalog / spec.id / "service.yaml"
    return catalog / f"{spec.id}.yaml"


def check_new(catalog: Path, spec: NewService, known_teams: set[str]) -> list[str]:
    """Problems that stop the file from being written (empty when it can be)."""
    problems = []
    if not SLUG_RE.match(spec.id) or len(spec.id) > 63:
        problems.append(f"'{spec.id}' is not a valid id: use a-z, 0-9 and single hyphens")
    if spec.tier not in (1, 2, 3):
        problems.append("tier must be 1, 2 or 3")
    if known_teams and spec.owner not in known_teams:
        close = difflib.get_close_matches(spec.owner, sorted(known_teams), n=1, cutoff=0.6)
        problems.append(f"unknown team '{spec.owner}'" + (
            f": did you mean '{close[0]}'?" if close else "")
            + f" (known teams: {', '.join(sorted(known_teams))})")
    existing = [p for p in (catalog / f"{spec.id}.yaml", catalog / spec.id / "service.yaml")
                if p.exists()]
    if existing:
        problems.append(f"service '{spec.id}' already exists: {existing[0]} (nothing written)")
    return problems


def render_new(catalog: Path, spec: NewService) -> str:
    """The text of the new service file."""
    path = new_service_path(catalog, spec)
    depth = len(path.relative_to(catalog).parts)
    if (catalog.parent / "schema" / "service.schema.json").is_file():
        schema_line = ("# yaml-language-server: $schema=" + "../" * depth
                       + "schema/service.schema.json")
    else:
        schema_line = ("# Editor completion: `opsready schema -o schema/service.schema.json`,"
                       "\n# then: yaml-language-server: $schema=<relative path to that file>")
    description = spec.description or f"What {spec.name} does, for whom, and why it matters."
    return _SKELETON.format(
        schema_line=schema_line, id=spec.id, name=json.dumps(spec.name, ensure_ascii=False),
        description=json.dumps(description, ensure_ascii=False), tier=spec.tier,
        lifecycle=spec.lifecycle, owner=spec.owner)


def write_new(catalog: Path, spec: NewService) -> Path:
    """Write the file (never over an existing one) and return its path."""
    path = new_service_path(catalog, spec)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": fail rather than overwrite
        handle.write(render_new(catalog, spec))
    return path

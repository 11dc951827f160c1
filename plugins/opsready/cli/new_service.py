"""``opsready new``: start a service file that validates, with every key its tier's level asks
for and a one-line TODO in each (``policy.skeleton``)."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..model.base import SLUG_RE

_HEADER = """\
{schema_line}
# A tier {tier} service must reach {level} under the readiness policy. Every key below is one it
# asks for, in the right shape: replace each "TODO: ..." with what it says, and adjust the other
# values (the owner team stands in for people and teams, "app" for the component name).
# `opsready explain RULE` tells what a rule asks and why; `opsready check` lists what is left.
# {lifecycle_note}
"""

EXAMPLE_SERVICE = (Path(__file__).resolve().parent.parent / "data" / "examples"
                   / "complete-service.yaml")
"""A complete service (the example fleet's api-gateway, gold), shipped for ``new --example``."""

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
    lifecycle: str = "experimental"
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


def render_new(catalog: Path, spec: NewService, *, policy_path: str | None = None,
               today: dt.date | None = None) -> str:
    """The text of the new service file: the identity and the skeleton of its tier's level."""
    from ..policy.engine import today_from_env
    from ..policy.load import load_policy
    from ..policy.skeleton import skeleton_data

    path = new_service_path(catalog, spec)
    depth = len(path.relative_to(catalog).parts)
    if (catalog.parent / "schema" / "service.schema.json").is_file():
        schema_line = ("# yaml-language-server: $schema=" + "../" * depth
                       + "schema/service.schema.json")
    else:
        schema_line = ("# Editor completion: `opsready schema -o schema/service.schema.json`,"
                       "\n# then: yaml-language-server: $schema=<relative path to that file>")
    policy = load_policy(policy_path).policy
    if policy is None:
        raise ValueError("the readiness policy has errors: run `opsready check` to see them")
    identity = {"id": spec.id, "name": spec.name,
                "description": spec.description or f"TODO: what {spec.name} does, for whom, "
                "and why it matters", "tier": spec.tier, "lifecycle": spec.lifecycle,
                "owner": spec.owner}
    data = skeleton_data(policy, identity, today or today_from_env(), _severity(catalog))
    enforced = policy.enforced(spec.lifecycle)
    note = (f"Lifecycle {spec.lifecycle}: scored, but it does not fail the build; set "
            "'production' when the service goes live." if not enforced else
            f"Lifecycle {spec.lifecycle} is enforced: the build fails until it reaches the "
            "level (or its gaps are in the readiness baseline).")
    header = _HEADER.format(schema_line=schema_line, tier=spec.tier,
                            level=policy.required_level(spec.tier).label, lifecycle_note=note)
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100,
                          default_flow_style=False)
    # values that cannot hold a TODO text get one as a comment
    body = "\n".join(line + "  # TODO: the real link" if line.endswith(STAND_IN_URL)
                     else line + "  # TODO: the system's id" if line.endswith(STAND_IN_SYSTEM)
                     else line for line in body.splitlines())
    return header + body + "\n"


STAND_IN_URL = "https://example.com/todo"
STAND_IN_SYSTEM = "external: external-system"


def _severity(catalog: Path) -> str:
    """A severity id of the organisation's scale (its second level: not the worst)."""
    from ..catalog.load import ORGANISATION_FILE
    from ..catalog.yaml_loader import load_yaml

    path = catalog / ORGANISATION_FILE
    loaded = load_yaml(path)[0] if path.is_file() else None
    scale = loaded.data.get("severity_scale") if loaded is not None and isinstance(
        loaded.data, dict) else None
    ids = [str(s["id"]) for s in scale or [] if isinstance(s, dict) and "id" in s]
    return ids[min(1, len(ids) - 1)] if ids else "SEV-2"


def write_new(catalog: Path, spec: NewService, *, policy_path: str | None = None) -> Path:
    """Write the file (never over an existing one) and return its path."""
    path = new_service_path(catalog, spec)
    text = render_new(catalog, spec, policy_path=policy_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": fail rather than overwrite
        handle.write(text)
    return path

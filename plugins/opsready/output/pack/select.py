"""Which packs to write and which services each holds: one per on-call rotation (escalation
team), one per tier, one for the whole fleet, or those asked for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...catalog.fleet import Catalog
from ...model import Service


@dataclass(frozen=True)
class PackSpec:
    """One pack: its file name stem, its title and its services (ids, in catalog order)."""

    name: str
    title: str
    services: tuple[str, ...]


def parties(service: Service) -> set[str]:
    """Every team or contact an alert of ``service`` escalates to, and its owner."""
    found = {service.owner}
    if service.runbook is not None:
        found |= {level.contact for level in service.runbook.escalation}
    for alert in service.alerts:
        found |= {step.to for step in alert.escalation}
    return found


def team_services(catalog: Catalog, team_id: str) -> tuple[str, ...]:
    """Services a team is on call for: those it owns and those whose escalation names the team
    or one of its members."""
    team = catalog.teams[team_id]
    names = {team_id, *team.members}
    return tuple(sid for sid, s in catalog.services.items() if parties(s) & names)


def default_specs(catalog: Catalog) -> list[PackSpec]:
    """One pack per team that is on call for a service, one per tier in use, and the fleet."""
    specs = []
    for team_id, team in catalog.teams.items():
        services = team_services(catalog, team_id)
        if services:
            specs.append(PackSpec(f"team-{team_id}", f"On-call rotation: {team.name}", services))
    for tier in sorted({s.tier for s in catalog.services.values()}):
        specs.append(PackSpec(f"tier-{tier}", f"Tier {tier} services", tuple(
            sid for sid, s in catalog.services.items() if s.tier == tier)))
    specs.append(PackSpec("fleet", "The whole fleet", tuple(catalog.services)))
    return specs


def select_specs(catalog: Catalog, *, teams: Sequence[str] = (), tiers: Sequence[int] = (),
                 services: Sequence[str] = (), fleet: bool = False,
                 everything: bool = False) -> list[PackSpec]:
    """The packs asked for: nothing named gives the default set; ``everything`` gives the
    default set and one pack per service. Raises ``ValueError`` naming an unknown id."""
    for team_id in teams:
        if team_id not in catalog.teams:
            raise ValueError(f"no team '{team_id}' in the catalog (teams: "
                             f"{', '.join(sorted(catalog.teams)) or 'none'})")
    for sid in services:
        if sid not in catalog.services:
            raise ValueError(f"no service '{sid}' in the catalog")
    named = teams or tiers or services or fleet
    specs = default_specs(catalog) if everything or not named else []
    if fleet:
        specs.append(PackSpec("fleet", "The whole fleet", tuple(catalog.services)))
    for team_id in teams:
        specs.append(PackSpec(f"team-{team_id}",
                              f"On-call rotation: {catalog.teams[team_id].name}",
                              team_services(catalog, team_id)))
    for tier in tiers:
        specs.append(PackSpec(f"tier-{tier}", f"Tier {tier} services", tuple(
            sid for sid, s in catalog.services.items() if s.tier == tier)))
    ids = list(services) + (list(catalog.services) if everything else [])
    for sid in ids:
        specs.append(PackSpec(f"service-{sid}", catalog.services[sid].name, (sid,)))
    unique: dict[str, PackSpec] = {}
    for spec in specs:
        unique.setdefault(spec.name, spec)
    return list(unique.values())

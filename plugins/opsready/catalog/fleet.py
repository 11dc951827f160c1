"""A loaded catalog as data: ``Catalog`` (organisation, teams, contacts, services by id),
where each service came from (``ServiceSource``), and the outcome of loading (``CatalogResult``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic
from ..model import Contact, Organisation, Service, Team
from .positions import Positions
from .yaml_loader import LoadedFile


@dataclass(frozen=True)
class ServiceSource:
    """Where a service came from: its YAML file (as shown in messages, and loaded) and the
    positions of its values."""

    display: str
    loaded: LoadedFile

    @property
    def path(self) -> Path:
        """The file's path."""
        return self.loaded.path

    @property
    def positions(self) -> Positions:
        """Where each value and key of the file was written (immutable)."""
        return self.loaded.positions

    def position(self, path: tuple[str | int, ...]) -> tuple[int, int]:
        """Line and column of ``path`` in the file, or of its nearest existing ancestor."""
        return self.loaded.positions.position(path)


def team_services(services: Mapping[str, Service], team_id: str) -> list[Service]:
    """Services owned by a team, sorted by id."""
    return sorted((s for s in services.values() if s.owner == team_id), key=lambda s: s.id)


@dataclass(frozen=True)
class Catalog:
    """A validated catalog: the organisation, teams, contacts and services, by id."""

    root: Path
    organisation: Organisation
    teams: Mapping[str, Team]
    contacts: Mapping[str, Contact]
    services: Mapping[str, Service]
    sources: Mapping[str, ServiceSource] = field(repr=False)
    files: tuple[Path, ...] = ()
    reads: Mapping[str, str] = field(default_factory=dict, repr=False)
    """What each service was made of: service id -> hash of the bytes of every file read to
    build it (its YAML file, its ``{file: ...}`` Markdown); ``SHARED_READS`` -> the same for
    ``teams.yaml`` and ``organisation.yaml`` (which every service's outcome and pages may read).
    Cache keys are made of these (``cache.reads``); a service without an entry is never cached."""

    def team_services(self, team_id: str) -> list[Service]:
        """Services owned by a team, sorted by id."""
        return team_services(self.services, team_id)

    def party_name(self, party_id: str) -> str:
        """Display name of a team or contact id (the id itself when unknown)."""
        party = self.teams.get(party_id) or self.contacts.get(party_id)
        return party.name if party else party_id


@dataclass
class CatalogResult:
    """The outcome of loading a catalog: the catalog (possibly partial) and every problem."""

    catalog: Catalog
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool:
        """True when no error was found."""
        return not any(d.severity == "error" for d in self.diagnostics)

"""What a service's pages read of the rest of the fleet, recorded while they render.

A service page reads its own service, the organisation, teams and contacts; and, through
templates and helpers, other services (a dependency's name, a step's link to another service's
alert) and readiness gaps. Which ones depends on the templates, and a site may override them.
So instead of guessing, the renderer hands each service's pages a view of the fleet's services
and of the gaps that records every read; the page cache keeps that record beside the pages and
uses them again only while every recorded read gives the same answer (``output/page_reuse``).
Every file the pages opened while rendering is recorded too (``cache.reads``), with the hash of
its bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..model import Service
from ..output.site_files import Gap, GapLookup


def gaps_digest(gaps: list[Gap]) -> str:
    """A digest of a list of gaps (their public data, in order)."""
    return hashlib.sha256(repr(gaps).encode("utf-8")).hexdigest()  # a dataclass repr: all fields


@dataclass
class Reads:
    """Everything a service's pages read beyond their own inputs."""

    services: set[str] = field(default_factory=set)
    """Service ids looked up (present or not: an absent one may appear later)."""
    all_services: bool = False
    """The whole list of services was read (iterated or counted)."""
    gaps_for: dict[tuple[str, str], str] = field(default_factory=dict)
    """``(service id, section)`` -> digest of the gaps returned."""
    next_level: dict[str, tuple[str, dict[str, Any], bool]] = field(default_factory=dict)
    """``repr`` of ``(service id, gap)`` -> the service id, the gap's fields and the answer
    of ``is_next_level``."""
    opaque: bool = False
    """Something was read that cannot be checked again (such pages are never cached)."""
    files: dict[str, str] = field(default_factory=dict)
    """Files opened while rendering: path -> SHA-256 of the bytes read (``cache.reads``)."""

    def to_data(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {"services": sorted(self.services), "all": self.all_services,
                "gaps_for": [[s, sec, d] for (s, sec), d in sorted(self.gaps_for.items())],
                "next_level": [list(v) for _, v in sorted(self.next_level.items())],
                "opaque": self.opaque, "files": dict(sorted(self.files.items()))}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Reads:
        """The record ``to_data`` wrote (raises ``KeyError``/``TypeError``/``ValueError`` on
        anything else)."""
        next_level = {repr((sid, dict(gap))): (str(sid), dict(gap), bool(answer))
                      for sid, gap, answer in data["next_level"]}
        return cls({str(s) for s in data["services"]}, bool(data["all"]),
                   {(str(s), str(sec)): str(d) for s, sec, d in data["gaps_for"]},
                   next_level, bool(data["opaque"]),
                   {str(p): str(h) for p, h in data["files"].items()})


class TrackedServices(Mapping[str, Service]):
    """The fleet's services as a read-only mapping that records every read in ``reads``."""

    def __init__(self, services: Mapping[str, Service], reads: Reads) -> None:
        self._services = services
        self._reads = reads

    def __getitem__(self, key: str) -> Service:
        self._reads.services.add(str(key))
        return self._services[key]

    def __contains__(self, key: object) -> bool:
        self._reads.services.add(str(key))
        return key in self._services

    def __iter__(self) -> Iterator[str]:
        self._reads.all_services = True
        return iter(self._services)

    def __len__(self) -> int:
        self._reads.all_services = True
        return len(self._services)


class TrackedGaps:
    """A ``GapLookup`` that records the questions asked and the answers given in ``reads``."""

    def __init__(self, lookup: GapLookup, reads: Reads) -> None:
        self._lookup = lookup
        self._reads = reads

    def gaps_for(self, service_id: str, section: str) -> list[Gap]:
        """Gaps of ``service_id`` in ``section`` (recorded)."""
        gaps = self._lookup.gaps_for(service_id, section)
        self._reads.gaps_for[(service_id, section)] = gaps_digest(gaps)
        return gaps

    def is_next_level(self, service_id: str, gap: Gap) -> bool:
        """Whether ``gap`` belongs to a level above the service's required one (recorded)."""
        ask = getattr(self._lookup, "is_next_level", None)
        answer = bool(ask(service_id, gap)) if ask is not None else False
        fields = dataclasses.asdict(gap)  # plain data (its debt too), kept as JSON
        self._reads.next_level[repr((service_id, fields))] = (service_id, fields, answer)
        return answer

    def __getattr__(self, name: str) -> Any:
        # Anything else a site template reads of the evaluation cannot be replayed.
        self._reads.opaque = True
        return getattr(self._lookup, name)


def still_valid(reads: Reads, services: Mapping[str, Any], lookup: GapLookup | None,
                recorded: Mapping[str, str | None], service_digest: Any,
                fleet_digest: str, file_digest: Any = None) -> bool:
    """Whether every read recorded for a cached page gives the same answer now.

    ``recorded`` holds the digest each read service had (None: absent), and ``"*"`` the
    fleet digest when the whole list was read; ``service_digest(id)`` gives today's digest,
    ``file_digest(path)`` today's SHA-256 of a file (None: unreadable).
    """
    if reads.opaque:
        return False
    if reads.files and (file_digest is None or any(
            file_digest(path) != digest for path, digest in reads.files.items())):
        return False
    if reads.all_services and recorded.get("*") != fleet_digest:
        return False
    for sid in reads.services:
        now = service_digest(sid) if sid in services else None
        if recorded.get(sid) != now:
            return False
    if reads.gaps_for or reads.next_level:
        if lookup is None:
            return False
        for (sid, section), digest in reads.gaps_for.items():
            if gaps_digest(lookup.gaps_for(sid, section)) != digest:
                return False
        ask = getattr(lookup, "is_next_level", None)
        for sid, gap, answer in reads.next_level.values():
            if (bool(ask(sid, Gap.from_fields(gap))) if ask is not None else False) != answer:
                return False
    return True

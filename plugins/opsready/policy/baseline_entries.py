"""The entries of a readiness baseline file: the file format and what an evaluation records of
them (``baseline`` reads, applies and writes them; the engine only holds them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field

from ..model.base import NonEmptyStr, Slug, Strict
from .file_format import LevelName


class BaselineEntryModel(Strict):
    """One accepted gap: a rule a service fails today, who fixes it and by when."""

    service: Slug = Field(description="The service id.")
    rule: Slug = Field(description="The id of the rule it fails.")
    level: LevelName = Field(description="The level the rule belongs to (information).")
    owner: NonEmptyStr = Field(description="Who fixes it: a team or contact id.")
    due: dt.date = Field(description="The date by which it is fixed (YYYY-MM-DD); after it, "
                         "the gap fails the build again.")
    note: str | None = Field(None, description="Why the gap is accepted, or a ticket.")


class BaselineFile(Strict):
    """A readiness baseline file (see the policy guide, 'Adopting with a baseline')."""

    version: int = Field(1, ge=1, le=1, description="Format version of the baseline file.")
    entries: list[BaselineEntryModel] = Field(default_factory=list,
                                              description="The accepted gaps.")


@dataclass(frozen=True)
class BaselineEntry:
    """An entry of the baseline file, with where it is written."""

    service: str
    rule: str
    level: str
    owner: str
    due: dt.date
    file: str = ""
    line: int = 0
    note: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        """(service, rule): what the entry accepts."""
        return (self.service, self.rule)

    def overdue(self, today: dt.date) -> bool:
        """Whether its due date has passed."""
        return today > self.due


@dataclass(frozen=True)
class Baseline:
    """The entries of one baseline file (``path`` None: no baseline)."""

    entries: tuple[BaselineEntry, ...] = ()
    path: Path | None = None
    display: str = ""

    def by_key(self) -> dict[tuple[str, str], BaselineEntry]:
        """Entries by (service, rule); the first of duplicates."""
        out: dict[tuple[str, str], BaselineEntry] = {}
        for e in self.entries:
            out.setdefault(e.key, e)
        return out


@dataclass
class BaselineOutcome:
    """What comparing the evaluation with the baseline found."""

    accepted: list[BaselineEntry] = field(default_factory=list)
    """Entries covering a gap, before their due date: debt."""
    overdue: list[BaselineEntry] = field(default_factory=list)
    """Entries covering a gap, past their due date: the gap fails the build again."""
    removable: list[BaselineEntry] = field(default_factory=list)
    """Entries whose gap is fixed (or whose service or rule is gone)."""

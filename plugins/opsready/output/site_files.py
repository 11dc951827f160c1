"""The hand-off between the core and the site adapters: pages and files to publish, and gaps.

The core produces ``GeneratedFile`` objects; the MkDocs plugin turns them into MkDocs files
(another site generator could write them to disk). ``Gap`` is what the readiness engine reports
for a section so that templates can flag it where readers look.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class GeneratedFile:
    """A page or asset of the site that does not exist on disk in ``docs_dir``.

    ``src_path`` is relative to ``docs_dir`` with forward slashes (``services/x/index.md``).
    Exactly one of ``content`` (text or bytes) and ``abs_path`` (a file to copy, e.g. a cached
    diagram) is set. ``origin`` is the catalog file the page came from: "edit this page" opens
    it, and ``mkdocs serve`` watches it.
    """

    src_path: str
    content: str | bytes | None = None
    abs_path: str | None = None
    origin: str | None = None


@dataclass(frozen=True)
class Debt:
    """A readiness baseline entry that accepts a gap, as its flag shows it (plain data: the
    page cache records it with the gap)."""

    owner: str
    """Who fixes it: a team or contact id, or any text (the baseline file's ``owner``)."""
    due: str
    """The due date, ``YYYY-MM-DD``."""
    overdue: bool = False
    """The due date has passed: the entry no longer accepts the gap."""
    fails_build: bool = False
    """Overdue, and the gap keeps an enforced service below its required level again."""
    note: str = ""
    """Why the gap is accepted, or a ticket (the entry's ``note``)."""


@dataclass(frozen=True)
class Gap:
    """A readiness rule a service does not meet, placed where it must be fixed."""

    rule_id: str
    title: str
    section: str
    """``document#anchor`` of ``sections.SECTIONS``."""
    status: str
    """``missing``, ``placeholder``, ``stale``, ``incomplete``, ``expired-exemption``."""
    level: str
    """``bronze``, ``silver`` or ``gold``: the level this gap blocks."""
    severity: str
    yaml_path: str
    file: str
    line: int
    message: str
    hint: str
    debt: Debt | None = None
    """The baseline entry that accepts this gap as debt (``Evaluation.gaps_for``), if any."""

    @classmethod
    def from_fields(cls, fields: dict[str, Any]) -> Gap:
        """The gap of ``dataclasses.asdict(gap)`` (as JSON keeps it)."""
        debt = fields.get("debt")
        return cls(**{**fields, "debt": Debt(**debt) if debt else None})


class GapLookup(Protocol):
    """What templates need from a readiness evaluation: the gaps of one section."""

    def gaps_for(self, service_id: str, section: str) -> list[Gap]:
        """Gaps of ``service_id`` in ``section`` (``document#anchor``), most severe first."""
        ...


@dataclass(frozen=True)
class DiagramRef:
    """A diagram to show on a page: an image already published at ``src_path``.

    ``table_markdown`` is the same information as a Markdown table (for screen readers and
    search), placed below the image. It is inserted as Markdown: whoever builds it escapes the
    catalog values in it (``opsready.prose.escape.md_text``).
    """

    title: str
    src_path: str
    alt: str
    table_markdown: str = ""
    parts: tuple[DiagramRef, ...] = ()
    """Further maps shown after this one under their own ``title`` heading (the fleet map of
    a large fleet: the overview, then one map per team)."""
    anchor: str = ""
    """Id of a part's heading on its page (``team-<team id>``: stable when the team is renamed)."""

"""What a section of a service holds: data, nothing, or a declared "not applicable".

Templates use this to decide between the section's body, a "Not documented yet" line and the
written reason of a "not applicable" declaration, so no heading is ever left empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ..model import Service
from ..model.base import BOOKKEEPING, FileRef, Tracked
from ..model.document_sections import Section


@dataclass(frozen=True)
class SectionState:
    """The content state of one section of one service."""

    section: Section
    has_data: bool
    not_applicable: str | None
    """The written reason(s) when every path of the section is declared not applicable."""
    tracked: tuple[Tracked, ...]
    """The readiness bookkeeping objects at the section's paths (evidence, review date)."""


def resolve(root: Any, dotted: str) -> tuple[Any, str | None]:
    """Value at a dotted path, and the reason if an object on the way is not applicable."""
    value = root
    for part in dotted.split("."):
        if isinstance(value, Tracked):
            if value.not_applicable:
                return None, value.not_applicable
            if part in value.not_applicable_parts:
                return None, value.not_applicable_parts[part]
        value = getattr(value, part, None)
        if value is None:
            return None, None
    if isinstance(value, Tracked) and value.not_applicable:
        return value, value.not_applicable
    return value, None


def is_empty(value: Any) -> bool:
    """True for None, empty strings, lists and files, and objects holding only bookkeeping."""
    if value is None:
        return True
    if isinstance(value, FileRef):
        return not value.text.strip()
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        return len(value) == 0
    if isinstance(value, Tracked):
        # Only what the YAML file states counts: a field left at its default says nothing.
        stated = value.model_fields_set - BOOKKEEPING
        return not value.evidence and all(is_empty(getattr(value, n)) for n in stated)
    return False


def section_state(service: Service, section: Section) -> SectionState:
    """Compute the state of ``section`` for ``service``."""
    has_data = False
    reasons: list[str] = []
    tracked: list[Tracked] = []
    for path in section.paths:
        if path == "organisation":  # the organisation's severity scale always exists
            has_data = True
            continue
        value, reason = resolve(service, path)
        if reason:
            reasons.append(reason)
            continue
        if isinstance(value, Tracked):
            tracked.append(value)
        if not is_empty(value):
            has_data = True
    for path in section.pack_paths:  # shown when written; never decide "not applicable"
        value, reason = resolve(service, path)
        if not reason and not is_empty(value):
            has_data = True
    not_applicable = None
    if not has_data and reasons and len(reasons) == len(section.paths):
        unique = list(dict.fromkeys(reasons))
        sep = " " if all(r.rstrip().endswith((".", "!", "?")) for r in unique) else "; "
        not_applicable = sep.join(unique)
    return SectionState(section, has_data, not_applicable, tuple(tracked))


def present(value: Any) -> bool:
    """Jinja helper: the value holds something worth rendering (see ``is_empty``)."""
    if isinstance(value, BaseModel) and not isinstance(value, (Tracked, FileRef)):
        return True
    return not is_empty(value)

"""The deliverable -> document -> section map as a Markdown table, built from ``SECTIONS``."""

from __future__ import annotations

from markupsafe import Markup

from ..sections import SECTIONS
from ..text_escape import code_span, md_text
from .plan import DOCUMENT_TITLES


def deliverables_markdown() -> Markup:
    """One row per section, grouped by white-paper deliverable in the order they first appear.

    Every deliverable lives in exactly one document; the table shows which, in which section
    (with the anchor policy rules use, ``document#anchor``) and from which YAML paths.
    """
    order: dict[str, int] = {}
    for sec in SECTIONS:
        order.setdefault(sec.deliverable, len(order))
    rows = sorted(SECTIONS, key=lambda s: order[s.deliverable])
    lines = ["| Deliverable | Document | Section | Key | YAML paths |",
             "|---|---|---|---|---|"]
    for sec in rows:
        deliverable = md_text(sec.deliverable)
        paths = Markup(", ").join(code_span(p) for p in sec.paths)
        lines.append(f"| {deliverable} | {md_text(DOCUMENT_TITLES[sec.document])} | "
                     f"{md_text(sec.title)} | {code_span(sec.key)} | {paths} |")
    return Markup("\n".join(lines))


def documents_of_deliverables() -> dict[str, set[str]]:
    """Deliverable -> the documents its sections are in (one document each, by design)."""
    out: dict[str, set[str]] = {}
    for sec in SECTIONS:
        out.setdefault(sec.deliverable, set()).add(sec.document)
    return out

"""The deliverable -> document -> section map as a Markdown table, built from ``SECTIONS``."""

from __future__ import annotations

from markupsafe import Markup

from ..model.document_sections import SECTIONS, Section
from ..prose.escape import code_span, md_text
from .plan import DOCUMENT_TITLES


def deliverables_markdown(heading_level: int = 0) -> Markup:
    """One row per section, grouped by white-paper deliverable in the order they first appear.

    Every deliverable lives in exactly one document; the table shows which, in which section
    (with the anchor policy rules use, ``document#anchor``) and from which YAML paths. With a
    ``heading_level`` (2 to 6), one heading per document (id: the document's key) and a table of
    its deliverables under it: shorter sections for search and for the reader.
    """
    order: dict[str, int] = {}
    for sec in SECTIONS:
        order.setdefault(sec.deliverable, len(order))
    rows = sorted(SECTIONS, key=lambda s: order[s.deliverable])
    if not heading_level:
        return Markup("\n".join(_table(rows, with_document=True)))
    if not 2 <= heading_level <= 6:
        raise ValueError(f"heading_level must be 2 to 6, not {heading_level!r}")
    blocks = []
    for document, title in DOCUMENT_TITLES.items():
        mine = [sec for sec in rows if sec.document == document]
        if mine:
            blocks.append(f"{'#' * heading_level} {md_text(title)} {{ #{document} }}\n\n"
                          + "\n".join(_table(mine, with_document=False)))
    return Markup("\n\n".join(blocks))


def _table(rows: list[Section], *, with_document: bool) -> list[str]:
    head = ["Deliverable", "Document", "Section", "Key", "YAML paths"]
    if not with_document:
        head.remove("Document")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for sec in rows:
        cells = [str(md_text(sec.deliverable)), str(md_text(DOCUMENT_TITLES[sec.document])),
                 str(md_text(sec.title)), str(code_span(sec.key)),
                 str(Markup(", ").join(code_span(p) for p in sec.paths))]
        if not with_document:
            del cells[1]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def documents_of_deliverables() -> dict[str, set[str]]:
    """Deliverable -> the documents its sections are in (one document each, by design)."""
    out: dict[str, set[str]] = {}
    for sec in SECTIONS:
        out.setdefault(sec.deliverable, set()).add(sec.document)
    return out

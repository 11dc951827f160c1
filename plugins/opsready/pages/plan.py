"""The page plan: which pages a catalog produces, where they live and which template draws them.

The plan is computed from the catalog alone (no rendering), so the navigation, the clash check
against hand-written pages and the renderer all agree on the same list.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..catalog.fleet import Catalog
from ..output.site_files import DiagramRef
from ..output.site_paths import DOCUMENTS, SitePaths

DOCUMENT_TITLES: dict[str, str] = dict(DOCUMENTS)

__all__ = ["DOCUMENT_TITLES", "DiagramRef", "PlannedPage", "plan_pages", "template_for"]


@dataclass(frozen=True)
class PlannedPage:
    """One page to generate."""

    src_path: str
    template: str
    title: str
    """The full title (browser tab, search)."""
    nav_title: str
    """The short label used in the navigation, under its service."""
    kind: str
    """``document``, ``alert``, ``services-index``, ``runbooks-index``, ``fleet-map`` or
    ``format-reference``."""
    service_id: str | None = None
    document: str | None = None
    alert: str | None = None


def template_for(document: str) -> str:
    """Template name of a service document."""
    return f"{document}.md.j2"


def plan_pages(catalog: Catalog, paths: SitePaths, *, fleet_map: bool = False,
               format_reference: bool = False) -> list[PlannedPage]:
    """Every generated page of the site, services in id order, documents in reading order."""
    plan = [
        PlannedPage(paths.services_index(), "services-index.md.j2", "Services", "Services",
                    "services-index"),
        PlannedPage(paths.runbooks_index(), "runbooks-index.md.j2", "Runbooks", "Runbooks",
                    "runbooks-index"),
    ]
    if fleet_map:
        plan.append(PlannedPage(paths.fleet_map(), "fleet-map.md.j2", "Fleet map", "Fleet map",
                                "fleet-map"))
    if format_reference:
        plan.append(PlannedPage(paths.format_reference(), "", "Service file format",
                                "Service file format", "format-reference"))
    for sid, service in catalog.services.items():
        for doc, doc_title in DOCUMENTS:
            # The overview is the service section's index page: it is labelled by the service.
            label = service.name if doc == "overview" else doc_title
            plan.append(PlannedPage(paths.document(sid, doc), template_for(doc),
                                    f"{service.name}: {doc_title}", label, "document", sid, doc))
        for alert in sorted(service.alerts, key=lambda a: a.name):
            plan.append(PlannedPage(paths.alert(sid, alert.name), "alert.md.j2",
                                    f"{alert.name} ({service.name})", alert.name, "alert", sid,
                                    "runbook", alert.name))
    return plan

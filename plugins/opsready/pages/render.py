"""Render the page plan into Markdown pages (``GeneratedFile``) with the site's templates.

Inputs other engineers fill: ``gaps`` (readiness flags per section, from the policy engine),
``diagrams`` (per service, from the diagram engine) and ``fleet_map``. All are optional; a page
renders the same with or without them, minus the flags and images.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..catalog.fleet import Catalog, team_services
from ..model import Alert, Contact, Organisation, Service, Team
from ..output.site_files import GapLookup, GeneratedFile
from ..output.site_paths import DOCUMENTS, SitePaths, url_of
from ..prose.escape import html_text
from .contacts import ContactLinks
from .helpers import template_globals
from .plan import DOCUMENT_TITLES, DiagramRef, PlannedPage
from .templates import TemplateError, TemplateSet


@dataclass(frozen=True)
class Fleet:
    """What templates see of the catalog: the organisation, teams, contacts and services."""

    organisation: Organisation
    teams: Mapping[str, Team]
    contacts: Mapping[str, Contact]
    services: Mapping[str, Service]

    def team_services(self, team_id: str) -> list[Service]:
        """Services owned by a team, by id."""
        return team_services(self.services, team_id)


@dataclass(frozen=True)
class ExtraPage:
    """A hand-written page of a service (``docs/services/<id>/*.md``)."""

    title: str
    src_path: str


@dataclass
class RenderInputs:
    """Everything the renderer needs besides the templates."""

    catalog: Catalog
    paths: SitePaths = field(default_factory=SitePaths)
    gaps: GapLookup | None = None
    diagrams: Mapping[str, Sequence[DiagramRef]] = field(default_factory=dict)
    fleet_map: DiagramRef | None = None
    extra_pages: Mapping[str, Sequence[ExtraPage]] = field(default_factory=dict)
    format_reference: Callable[[], str] | None = None
    """Returns the Markdown of the YAML format reference (published when given)."""
    contact_links: ContactLinks = field(default_factory=ContactLinks)
    """The site's chat and pager URL patterns (contacts become links)."""
    runbook_packs: str = ""
    """The folder of the runbook packs from the site root (``packs/``) when the build publishes
    them, else "": NOC runbooks link their team's pack."""
    use_directory_urls: bool = True
    """MkDocs' URL style (how deep a page's URL is, for links to files no page converts)."""
    trends: Mapping[str, str] = field(default_factory=dict)
    """Per service: the Markdown of its small readiness trend (from the site's history file),
    shown in the overview's ``readiness`` block; empty without a history."""


def front_matter(title: str) -> str:
    """Front matter of a generated page: its title, and no second template pass.

    ``render_macros: false`` stops mkdocs-macros from evaluating ``{{ ... }}`` that came from
    YAML values. The title is HTML-escaped because themes print it unescaped.
    """
    return (f"---\ntitle: {json.dumps(str(html_text(title)))}\n"
            "render_macros: false\n---\n\n")


def make_environment(site_templates: Path | None) -> TemplateSet:
    """A template set with every helper templates can call."""
    return TemplateSet(site_templates, template_globals())


def origin_of(catalog: Catalog, service_id: str | None) -> str | None:
    """The absolute path of a service's YAML file (None for fleet-wide pages)."""
    if service_id is None or service_id not in catalog.sources:
        return None
    return str(Path(catalog.sources[service_id].path).resolve())


def source_file_of(catalog: Catalog, service_id: str) -> str:
    """The service's YAML file relative to the folder holding the catalog (not to the working
    directory, which would make the page depend on where the build was started)."""
    origin = origin_of(catalog, service_id)
    if origin is None:
        return ""
    try:
        return Path(origin).relative_to(catalog.root.resolve().parent).as_posix()
    except ValueError:
        return Path(origin).name


def _runbook_entries(fleet: Fleet) -> list[tuple[Alert, Service]]:
    entries = [(a, s) for s in fleet.services.values() for a in s.alerts]
    return sorted(entries, key=lambda e: (e[0].name.lower(), e[0].name, e[1].id))


def render_page(templates: TemplateSet, page: PlannedPage, inputs: RenderInputs,
                fleet: Fleet) -> GeneratedFile:
    """Render one planned page."""
    if page.kind == "format-reference":
        assert inputs.format_reference is not None
        body = inputs.format_reference()
        return GeneratedFile(page.src_path, front_matter(page.title) + body)
    context: dict[str, Any] = {
        "fleet": fleet, "organisation": fleet.organisation, "paths": inputs.paths,
        "gaps": inputs.gaps, "page_path": page.src_path, "planned": page,
        "documents": DOCUMENTS, "document_titles": DOCUMENT_TITLES, "document": page.document,
        "contact_links": inputs.contact_links,
        "runbook_packs": _from_page(inputs, page.src_path, inputs.runbook_packs),
    }
    if page.service_id is not None:
        service = fleet.services[page.service_id]
        context.update(
            service=service,
            source_file=source_file_of(inputs.catalog, service.id),
            diagrams=list(inputs.diagrams.get(service.id, ())),
            extra_pages=list(inputs.extra_pages.get(service.id, ())),
            readiness_trend=Markup(inputs.trends.get(service.id, "")),
        )
    if page.alert is not None:
        context["alert"] = next(a for a in context["service"].alerts if a.name == page.alert)
    if page.kind == "runbooks-index":
        context["entries"] = _runbook_entries(fleet)
    if page.kind == "fleet-map":
        context["diagram"] = inputs.fleet_map
    try:
        body = templates.render(page.template, context)
    except TemplateError as exc:
        raise TemplateError(f"rendering {page.src_path}: {exc}") from None
    return GeneratedFile(page.src_path, front_matter(page.title) + body.strip() + "\n",
                         origin=origin_of(inputs.catalog, page.service_id))


def _from_page(inputs: RenderInputs, src_path: str, target: str) -> str:
    """``target`` (a folder from the site root) as a URL relative to the page's own URL, or ""
    when ``target`` is ""."""
    if not target:
        return ""
    depth = url_of(src_path, use_directory_urls=inputs.use_directory_urls).count("/")
    return "../" * depth + target


def render_fragment(templates: TemplateSet, catalog: Catalog, paths: SitePaths, name: str,
                    service: Service | None, page_path: str,
                    contact_links: ContactLinks | None = None) -> str:
    """Render one template (e.g. a partial) for a page that is not generated, such as a
    hand-written page calling a macro."""
    fleet = Fleet(catalog.organisation, catalog.teams, catalog.contacts, catalog.services)
    context = {"fleet": fleet, "organisation": fleet.organisation, "paths": paths, "gaps": None,
               "page_path": page_path, "service": service, "document": None,
               "documents": DOCUMENTS, "document_titles": DOCUMENT_TITLES,
               "contact_links": contact_links or ContactLinks()}
    return templates.render(name, context)


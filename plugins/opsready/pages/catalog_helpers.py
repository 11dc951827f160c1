"""The catalog helpers of hand-written pages: ``service_owner``, ``service_link``, ...

One implementation for both ways a hand-written page is rendered: mkdocs-macros for the pages of
the platform team (``opsready.mkdocs_plugin.macros``) and opsready's own sandbox for team pages
(``team_render``). Every helper returns ``Markup``: Markdown in which catalog values are escaped.
Unknown ids raise ``ValueError`` naming the id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..catalog.fleet import Catalog
from ..output.site_paths import DOCUMENTS, SitePaths
from ..prose import escape
from .contacts import ContactLinks
from .deliverables import deliverables_markdown
from .helpers import relative
from .render import render_fragment
from .templates import TemplateSet


@dataclass(frozen=True)
class CatalogMacros:
    """The helpers for one page (``page_path``, its source path under ``docs/``)."""

    catalog: Catalog
    paths: SitePaths
    page_path: str
    templates: Callable[[], TemplateSet]
    contact_links: ContactLinks | None = None

    def _service(self, service_id: str) -> Any:
        try:
            return self.catalog.services[service_id]
        except KeyError:
            raise ValueError(f"opsready: no service '{service_id}' in the catalog") from None

    def _link(self, title: object, target: str) -> Markup:
        return Markup(f"[{escape.md_text(title)}]"
                      f"({escape.url(relative(self.page_path, target))})")

    def service_owner(self, service_id: str) -> Markup:
        """The display name of the team owning a service."""
        owner = self._service(service_id).owner
        team = self.catalog.teams.get(owner)
        return escape.md_text(team.name if team else owner)

    def service_link(self, service_id: str, document: str = "overview") -> Markup:
        """A link to one of a service's documents (overview, service-guide, runbook, ...)."""
        service = self._service(service_id)
        documents = dict(DOCUMENTS)
        if document not in documents:
            raise ValueError(f"opsready: unknown document '{document}'; one of "
                             f"{', '.join(documents)}")
        title = service.name if document == "overview" else f"{service.name}: {documents[document]}"
        return self._link(title, self.paths.document(service_id, document))

    def alert_link(self, service_id: str, alert_name: str) -> Markup:
        """A link to the runbook page of one alert."""
        service = self._service(service_id)
        if not any(a.name == alert_name for a in service.alerts):
            raise ValueError(f"opsready: service '{service_id}' has no alert '{alert_name}'")
        return self._link(alert_name, self.paths.alert(service_id, alert_name))

    def team_services(self, team_id: str) -> Markup:
        """A Markdown list of the services a team owns, linked to their overviews."""
        if team_id not in self.catalog.teams:
            raise ValueError(f"opsready: no team '{team_id}' in teams.yaml")
        items = [f"- {self._link(s.name, self.paths.document(s.id, 'overview'))}"
                 f" (tier {s.tier}, {s.lifecycle.value})"
                 for s in self.catalog.team_services(team_id)]
        return Markup("\n".join(items) if items else "_No services._")

    def escalation_table(self, service_id: str) -> Markup:
        """The service's escalation contacts (who, how to reach them, when) as a table."""
        service = self._service(service_id)
        return Markup(render_fragment(self.templates(), self.catalog, self.paths,
                                      "partials/escalation-table.md.j2", service,
                                      self.page_path, self.contact_links))

    def severity_scale(self) -> Markup:
        """The organisation's severity scale as a table."""
        return Markup(render_fragment(self.templates(), self.catalog, self.paths,
                                      "partials/severity-scale.md.j2", None, self.page_path,
                                      self.contact_links))

    def deliverables_table(self, heading_level: int = 0) -> Markup:
        """The white-paper deliverable -> document -> section map: one table, or with a
        ``heading_level`` one heading and table per document."""
        return deliverables_markdown(heading_level)

    def services(self) -> list[dict[str, Any]]:
        """Every service as plain data (id, name, tier, lifecycle, owner), by id."""
        return [{"id": s.id, "name": escape.md_text(s.name), "tier": s.tier,
                 "lifecycle": s.lifecycle.value, "owner": s.owner}
                for s in self.catalog.services.values()]

    def teams(self) -> list[dict[str, Any]]:
        """Every team as plain data (id, name), by id."""
        return [{"id": t.id, "name": escape.md_text(t.name)}
                for t in sorted(self.catalog.teams.values(), key=lambda t: t.id)]


MACRO_NAMES = ("service_owner", "service_link", "alert_link", "team_services",
               "escalation_table", "severity_scale", "deliverables_table")
"""The helpers a page calls by name."""

"""mkdocs-macros module: the catalog for hand-written pages.

Enable it in ``mkdocs.yml``::

    plugins:
      - opsready
      - macros:
          modules: [opsready.macros]
          on_undefined: strict

Then a page can write ``{{ service_owner("payments") }}``, ``{{ team_services("platform") }}``,
``{{ escalation_table("payments") }}``, ``{{ service_link("payments", "runbook") }}``,
``{{ alert_link("payments", "PaymentsHighErrorRate") }}``, ``{{ severity_scale() }}`` or
``{{ deliverables_table() }}``, and
read ``opsready.services`` / ``opsready.teams`` (plain data: id, name, tier, ...).

Every macro returns Markdown in which catalog values are escaped: a value shows as text, never as
HTML or template code. Unknown ids fail the page with a message naming the id.
"""

from __future__ import annotations

from typing import Any

from .pages import escape
from .pages.deliverables import deliverables_markdown
from .pages.helpers import relative
from .site_paths import DOCUMENTS


class _Catalog:
    """Read access to the catalog the opsready plugin loaded for this build."""

    def __init__(self, env: Any) -> None:
        self._env = env

    @property
    def plugin(self) -> Any:
        plugin = self._env.conf.plugins.get("opsready")
        if plugin is None or not hasattr(plugin, "catalog"):
            raise RuntimeError("opsready macros need the opsready plugin, listed before macros "
                               "in mkdocs.yml")
        return plugin

    def service(self, service_id: str) -> Any:
        try:
            return self.plugin.catalog.services[service_id]
        except KeyError:
            raise ValueError(f"opsready: no service '{service_id}' in the catalog") from None

    def link(self, title: object, target: str) -> str:
        here = self._env.page.file.src_uri
        return f"[{escape.md_text(title)}]({escape.url(relative(here, target))})"

    @property
    def services(self) -> list[dict[str, Any]]:
        """Every service as plain data, by id."""
        return [{"id": s.id, "name": str(escape.md_text(s.name)), "tier": s.tier,
                 "lifecycle": s.lifecycle.value, "owner": s.owner}
                for s in self.plugin.catalog.services.values()]

    @property
    def teams(self) -> list[dict[str, Any]]:
        """Every team as plain data, by id."""
        return [{"id": t.id, "name": str(escape.md_text(t.name))}
                for t in sorted(self.plugin.catalog.teams.values(), key=lambda t: t.id)]


def define_env(env: Any) -> None:
    """Register opsready's macros and the ``opsready`` variable with mkdocs-macros."""
    cat = _Catalog(env)
    env.variables["opsready"] = cat
    documents = dict(DOCUMENTS)
    # The readiness policy's tables (default_policy_table), rendered from the policy data.
    from .policy.macros import define_env as define_policy_macros

    define_policy_macros(env)

    @env.macro
    def service_owner(service_id: str) -> str:
        """The display name of the team owning a service."""
        owner = cat.service(service_id).owner
        team = cat.plugin.catalog.teams.get(owner)
        return str(escape.md_text(team.name if team else owner))

    @env.macro
    def service_link(service_id: str, document: str = "overview") -> str:
        """A link to one of a service's documents (overview, service-guide, runbook, ...)."""
        service = cat.service(service_id)
        if document not in documents:
            raise ValueError(f"opsready: unknown document '{document}'; one of "
                             f"{', '.join(documents)}")
        title = service.name if document == "overview" else f"{service.name}: {documents[document]}"
        return cat.link(title, cat.plugin.paths.document(service_id, document))

    @env.macro
    def alert_link(service_id: str, alert_name: str) -> str:
        """A link to the runbook page of one alert."""
        service = cat.service(service_id)
        if not any(a.name == alert_name for a in service.alerts):
            raise ValueError(f"opsready: service '{service_id}' has no alert '{alert_name}'")
        return cat.link(alert_name, cat.plugin.paths.alert(service_id, alert_name))

    @env.macro
    def team_services(team_id: str) -> str:
        """A Markdown list of the services a team owns, linked to their overviews."""
        catalog = cat.plugin.catalog
        if team_id not in catalog.teams:
            raise ValueError(f"opsready: no team '{team_id}' in teams.yaml")
        items = [f"- {cat.link(s.name, cat.plugin.paths.document(s.id, 'overview'))}"
                 f" (tier {s.tier}, {s.lifecycle.value})" for s in catalog.team_services(team_id)]
        return "\n".join(items) if items else "_No services._"

    @env.macro
    def escalation_table(service_id: str) -> str:
        """The service's escalation contacts (who, how to reach them, when) as a table."""
        service = cat.service(service_id)
        return cat.plugin.render_partial("partials/escalation-table.md.j2", service,
                                         env.page.file.src_uri)

    @env.macro
    def severity_scale() -> str:
        """The organisation's severity scale as a table."""
        return cat.plugin.render_partial("partials/severity-scale.md.j2", None,
                                         env.page.file.src_uri)

    @env.macro
    def deliverables_table() -> str:
        """The white-paper deliverable -> document -> section map."""
        return str(deliverables_markdown())

"""Cross-reference checks over a validated catalog: ids that must resolve and must be unique."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ..diagnostics import Diagnostic, format_path
from ..guard.bounds import DIAGRAM_HINT, diagram_size_problem
from ..model import Service, TeamsFile
from ..model.base import RefTo
from ..output.site_paths import alert_slug
from .kind_check import check_kinds
from .model_walk import iter_marked
from .step_refs import check_step_refs

if TYPE_CHECKING:
    from .fleet import Catalog, ServiceSource

Path_ = tuple[str | int, ...]


def iter_refs(cls: type[BaseModel], data: Any,
              path: Path_ = ()) -> Iterator[tuple[Path_, str, str]]:
    """Yield (yaml path, kind, referenced id) for every ``RefTo`` field in raw ``data``.

    Walks the plain data guided by the model class, so references are checked even in a file
    that failed schema validation elsewhere: the user sees all problems in one run.
    """
    for found in iter_marked(cls, data, RefTo, path):
        yield found.path, str(found.marker.kind), found.value


def _did_you_mean(value: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


class _Reporter:
    def __init__(self, source: ServiceSource) -> None:
        self.source = source
        self.diags: list[Diagnostic] = []

    def error(self, path: Path_, message: str, hint: str = "") -> None:
        line, col = self.source.position(path)
        self.diags.append(Diagnostic(self.source.display, line, col, format_path(path),
                                     message, hint))


def _unique(report: _Reporter, items: Iterable[tuple[Path_, str]], what: str) -> set[str]:
    seen: dict[str, Path_] = {}
    for path, value in items:
        if value in seen:
            report.error(path, f"duplicate {what} '{value}' (also at {format_path(seen[value])})",
                         f"give each {what} its own id")
        else:
            seen[value] = path
    return set(seen)


def _check_teams(catalog: Catalog, source: ServiceSource) -> list[Diagnostic]:
    report = _Reporter(source)
    raw = source.loaded.data if isinstance(source.loaded.data, dict) else {}
    team_ids = _unique(report, ((("teams", i, "id"), t.get("id", "")) for i, t in
                                enumerate(raw.get("teams") or []) if isinstance(t, dict)), "team")
    contact_ids = _unique(report, ((("contacts", i, "id"), c.get("id", "")) for i, c in
                                   enumerate(raw.get("contacts") or []) if isinstance(c, dict)),
                          "contact")
    for i, c in enumerate(raw.get("contacts") or []):
        if isinstance(c, dict) and c.get("id") in team_ids:
            report.error(("contacts", i, "id"), f"'{c['id']}' is both a team and a contact id",
                         "references must be unambiguous: rename one of them")
    for path, kind, ref in iter_refs(TeamsFile, raw):
        if kind == "contact" and ref not in contact_ids:
            report.error(path, f"unknown contact '{ref}'",
                         _did_you_mean(ref, contact_ids) or "define it under contacts:")
    return report.diags


def _check_architecture(service: Service, report: _Reporter) -> None:
    arch = service.architecture
    if arch is None:
        return
    zones = _unique(report, ((("architecture", "zones", i, "id"), z.id)
                             for i, z in enumerate(arch.zones)), "zone")
    nodes = _unique(report, ((("architecture", "components", i, "id"), c.id)
                             for i, c in enumerate(arch.components)), "component")
    for i, comp in enumerate(arch.components):
        if comp.zone is not None and comp.zone not in zones:
            report.error(("architecture", "components", i, "zone"), f"unknown zone '{comp.zone}'",
                         _did_you_mean(comp.zone, zones) or "define it under architecture.zones")
    for i, dep in enumerate(arch.dependencies):
        path: Path_ = ("architecture", "dependencies", i)
        if (dep.service is None) == (dep.external is None):
            report.error(path, "a dependency names exactly one of 'service' or 'external'",
                         "service: <catalog id> for our services, external: <id> for others")
            continue
        if dep.service == service.id:
            report.error((*path, "service"), "a service cannot depend on itself")
        if dep.service is not None and (dep.name or dep.kind):
            report.error(path, "'name' and 'kind' describe external systems only",
                         "remove them: the catalog service has its own name")
        if dep.ref in nodes:
            report.error(path, f"'{dep.ref}' is both a component and a dependency id",
                         "rename one so interactions are unambiguous")
    deps = {d.ref for d in arch.dependencies if d.ref}
    endpoints = nodes | deps
    # Graphviz takes minutes on large diagrams: refused here, so check and build agree.
    too_big = diagram_size_problem(len(arch.components) + len(arch.dependencies), 0)
    if too_big:
        report.error(("architecture", "components"), too_big, DIAGRAM_HINT)
    too_big = diagram_size_problem(0, len(arch.interactions))
    if too_big:
        report.error(("architecture", "interactions"), too_big, DIAGRAM_HINT)
    for i, flow in enumerate(arch.interactions):
        for key, value in (("from", flow.source), ("to", flow.target)):
            if value not in endpoints:
                report.error(("architecture", "interactions", i, key),
                             f"unknown component or dependency '{value}'",
                             _did_you_mean(value, endpoints)
                             or "name a component id or a dependency's service/external id")


def _check_resources(service: Service, report: _Reporter) -> None:
    # Resource allocation names components: keep it in step with the architecture.
    if service.operations is None or service.architecture is None:
        return
    components = {c.id for c in service.architecture.components}
    for i, res in enumerate(service.operations.resources):
        if components and res.component not in components:
            report.error(("operations", "resources", i, "component"),
                         f"unknown component '{res.component}'",
                         _did_you_mean(res.component, components)
                         or "name a component id from architecture.components")


def _check_service_refs(catalog: Catalog, service_ids: set[str],
                        source: ServiceSource) -> list[Diagnostic]:
    report = _Reporter(source)
    severities = {s.id for s in catalog.organisation.severity_scale}
    parties = set(catalog.teams) | set(catalog.contacts)
    known = {
        "team": (set(catalog.teams), "a team id from teams.yaml"),
        "party": (parties, "a team or contact id from teams.yaml"),
        "contact": (set(catalog.contacts), "a contact id from teams.yaml"),
        "service": (service_ids, "the id of a service in the catalog"),
        "severity": (severities, f"one of {', '.join(sorted(severities))}"),
    }
    for path, kind, ref in iter_refs(Service, source.loaded.data):
        options, expected = known[kind]
        if ref not in options:
            label = {"party": "team or contact"}.get(kind, kind)
            # A severity scale is short: listing it beats guessing the closest id.
            hint = "" if kind == "severity" else _did_you_mean(ref, options)
            report.error(path, f"unknown {label} '{ref}'", hint or f"expected {expected}")
    return report.diags


def _check_alert_slugs(service: Service, report: _Reporter) -> None:
    """Two alerts whose names give one page URL (ignoring case, as some file systems do)."""
    seen: dict[str, tuple[int, str]] = {}
    for i, alert in enumerate(service.alerts):
        slug = alert_slug(alert.name)
        first = seen.setdefault(slug.lower(), (i, alert.name))
        if first[1] != alert.name:
            report.error(("alerts", i, "name"),
                         f"alert '{alert.name}' would get the same runbook page "
                         f"(runbooks/{service.id}/{slug}) as alert '{first[1]}' "
                         f"(alerts[{first[0]}].name)",
                         "their names differ only in characters a URL leaves out or in letter "
                         "case: rename one of them, in its alerting rule and here")


def _check_service(service: Service, source: ServiceSource) -> list[Diagnostic]:
    report = _Reporter(source)
    _check_architecture(service, report)
    _check_resources(service, report)
    _unique(report, ((("alerts", i, "name"), a.name) for i, a in enumerate(service.alerts)),
            "alert")
    _check_alert_slugs(service, report)
    if service.business:
        _unique(report, ((("business", "features", i, "id"), f.id)
                         for i, f in enumerate(service.business.features)), "feature")
    if service.runbook:
        _unique(report, ((("runbook", "maintenance", i, "id"), t.id)
                         for i, t in enumerate(service.runbook.maintenance)), "maintenance task")
    return report.diags


def check_references(catalog: Catalog, teams_source: ServiceSource | None,
                     loaded: Iterable[ServiceSource], *,
                     teams_file_present: bool) -> list[Diagnostic]:
    """Every cross-reference problem of the catalog.

    ``loaded`` holds every service file that parsed, valid or not: references are checked in
    all of them, structure checks only in the services that validated.
    """
    diags: list[Diagnostic] = []
    if teams_source is not None:
        diags += _check_teams(catalog, teams_source)
    if not teams_file_present and catalog.services:
        diags.append(Diagnostic(str(catalog.root / "teams.yaml"), 1, 1, "",
                                "teams.yaml is missing: services name owner teams that must be "
                                "defined there", "create teams.yaml with a 'teams:' list"))
    sources = list(loaded)
    ids = (s.loaded.data.get("id") for s in sources if isinstance(s.loaded.data, dict))
    service_ids = {i for i in ids if isinstance(i, str)}
    for source in sources:
        diags += _check_service_refs(catalog, service_ids, source)
    diags += check_kinds(Service, sources)
    for sid, service in catalog.services.items():
        source = catalog.sources[sid]
        diags += _check_service(service, source)
        diags += check_step_refs(service, catalog.services, source.display, source.position)
    return diags

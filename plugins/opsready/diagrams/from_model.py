"""Diagram specs from the catalog model: per service a component and a data-flow diagram, and the
fleet dependency map, each with its alt text and the same information as a Markdown table.

Pure: no drawing and no MkDocs. Where a value is already diagnosed by `opsready check` (an
unknown kind, an interaction naming an unknown part), the diagram still draws what it can: a
generic icon, or no edge, rather than a second error for the same mistake.

Links inside an SVG resolve against the SVG's own URL when it is shown with `<object>`, so node
URLs are made relative to the image, from the site URLs MkDocs gives the target pages. Table
links are relative `.md` paths from the page showing the table, so MkDocs checks them.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..catalog.fleet import Catalog
from ..model import Component, Dependency, Interaction, Service, Zone
from ..model import component_kinds as kinds
from ..output.site_paths import SitePaths, url_of
from ..prose.escape import code_span, link, md_text
from .spec import ClusterSpec, DiagramSpec, EdgeSpec, NodeSpec

SERVICE_CLUSTER = "service"
FALLBACK_KIND = "service"
# Kinds of the people and programs that call a service: drawn outside the service's box unless
# the YAML puts them in a zone.
CLIENT_KINDS = frozenset({"user", "users", "browser", "mobile"})
CLIENT_PREFIXES = ("onprem.client.", "generic.device.")
TIER_TITLES: dict[int, str] = {
    1: "Tier 1: business-critical",
    2: "Tier 2: important",
    3: "Tier 3: internal or experimental",
}
LIST_LIMIT = 6  # names spelled out in an alt text before "and N more"


@dataclass(frozen=True)
class SiteDiagram:
    """A diagram of the site: what to draw, where the image goes, and how to describe it.

    ``alt`` is plain text (escape it for its context); ``table_markdown`` is safe Markdown with
    every catalog value escaped and links relative to ``page``.
    """

    spec: DiagramSpec
    name: str
    """``components``, ``interactions``, ``fleet-map``, ``fleet-overview`` or ``fleet-team``."""
    src_path: str
    """Where the image is published, relative to ``docs_dir``."""
    page: str
    """Source path of the page that shows it."""
    alt: str
    table_markdown: str
    service_id: str | None = None
    team_id: str | None = None
    """The team of a ``fleet-team`` map."""
    title: str = ""
    """Heading of a ``fleet-team`` map on the fleet map page (plain text)."""


# --- shared helpers -------------------------------------------------------------------------


def image_path(paths: SitePaths, service_id: str, name: str) -> str:
    """Where a service's diagram image is published: ``services/<id>/diagrams/<name>.svg``."""
    return f"{paths.service_dir(service_id)}/diagrams/{name}.svg"


def fleet_image_path(paths: SitePaths, name: str = "fleet-map") -> str:
    """Where a fleet map image is published: next to the fleet map page."""
    folder = posixpath.dirname(paths.fleet_map())
    return posixpath.join(folder, "diagrams", f"{name}.svg")


def url_from_image(image_src: str, target_src: str, *, use_directory_urls: bool = True) -> str:
    """The URL of page ``target_src`` relative to the URL of the image ``image_src``."""
    target = url_of(target_src, use_directory_urls=use_directory_urls)
    rel = posixpath.relpath(target or ".", posixpath.dirname(image_src) or ".")
    return rel + "/" if target.endswith("/") and not rel.endswith("/") else rel


def md_link_path(from_src: str, to_src: str) -> str:
    """Relative path of source page ``to_src`` seen from source page ``from_src``."""
    rel = posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")
    return rel if rel.startswith("../") else "./" + rel


def drawable_kind(kind: str | None, default: str = FALLBACK_KIND) -> str:
    """``kind`` when it is known, else ``default`` (`opsready check` reports unknown kinds)."""
    return kind if kind and kinds.is_known_kind(kind) else default


def is_client(component: Component) -> bool:
    """Whether a component is a caller of the service (a user, browser, mobile app...)."""
    kind = component.kind
    return kind in CLIENT_KINDS or kind.startswith(CLIENT_PREFIXES)


def _names(items: Sequence[str]) -> str:
    shown = list(items[:LIST_LIMIT])
    if len(items) > LIST_LIMIT:
        shown.append(f"and {len(items) - LIST_LIMIT} more")
    return ", ".join(shown)


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell or "-" for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


# --- one service ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Parts:
    """What the diagrams of one service are drawn from, looked up once."""

    service: Service
    zones: dict[str, Zone]
    components: dict[str, Component]
    dependencies: dict[str, Dependency]

    @classmethod
    def of(cls, service: Service) -> _Parts:
        arch = service.architecture
        if arch is None:
            return cls(service, {}, {}, {})
        # First definition wins: duplicates are reported by the reference checks.
        zones: dict[str, Zone] = {}
        for zone in arch.zones:
            zones.setdefault(zone.id, zone)
        components: dict[str, Component] = {}
        for comp in arch.components:
            components.setdefault(comp.id, comp)
        deps: dict[str, Dependency] = {}
        for dep in arch.dependencies:
            if dep.ref and dep.ref not in components:
                deps.setdefault(dep.ref, dep)
        return cls(service, zones, components, deps)

    def zone_of(self, component: Component) -> Zone | None:
        return self.zones.get(component.zone) if component.zone else None

    def outside(self, node_id: str) -> bool:
        """Dependencies and zone-less callers sit outside the service's own box."""
        if node_id in self.dependencies:
            return True
        comp = self.components.get(node_id)
        return comp is not None and self.zone_of(comp) is None and is_client(comp)

    def interactions(self) -> list[Interaction]:
        """Interactions whose two ends exist (others are reported by the reference checks)."""
        arch = self.service.architecture
        known = self.components.keys() | self.dependencies.keys()
        return [f for f in (arch.interactions if arch else [])
                if f.source in known and f.target in known]


def _dependency_label(dep: Dependency, catalog: Catalog) -> str:
    if dep.service is not None:
        other = catalog.services.get(dep.service)
        return other.name if other else dep.service
    return dep.name or dep.external or ""


def _component_node(parts: _Parts, comp: Component) -> NodeSpec:
    zone = parts.zone_of(comp)
    if zone is not None:
        cluster: str | None = f"zone-{zone.id}"
    else:
        cluster = None if parts.outside(comp.id) else SERVICE_CLUSTER
    marks = {"spof"} if comp.single_point_of_failure else set()
    return NodeSpec(comp.id, comp.name, drawable_kind(comp.kind), cluster, None,
                    frozenset(marks))


def _dependency_node(dep: Dependency, catalog: Catalog, paths: SitePaths, image: str,
                     use_directory_urls: bool) -> NodeSpec:
    marks = set()
    url = None
    if dep.service is not None:
        kind = FALLBACK_KIND
        if dep.service in catalog.services:
            url = url_from_image(image, paths.document(dep.service, "architecture"),
                                 use_directory_urls=use_directory_urls)
    else:
        kind = drawable_kind(dep.kind, "external")
        marks.add("external")
    if dep.critical:
        marks.add("critical")
    return NodeSpec(dep.ref, _dependency_label(dep, catalog), kind, None, url, frozenset(marks))


def _clusters(parts: _Parts, nodes: Sequence[NodeSpec]) -> tuple[ClusterSpec, ...]:
    """The service's box and one box per zone that holds a drawn node (no empty boxes)."""
    used = {n.cluster for n in nodes}
    zones = [z for z in parts.zones.values() if f"zone-{z.id}" in used]
    if not zones and SERVICE_CLUSTER not in used:
        return ()
    service = ClusterSpec(SERVICE_CLUSTER, parts.service.name)
    return (service, *(ClusterSpec(f"zone-{z.id}", f"{z.name} ({z.trust})", SERVICE_CLUSTER,
                                   z.trust) for z in zones))


def _nodes(parts: _Parts, ids: Iterable[str] | None, catalog: Catalog, paths: SitePaths,
           image: str, use_directory_urls: bool) -> list[NodeSpec]:
    wanted = set(ids) if ids is not None else None
    nodes = [_component_node(parts, c) for c in parts.components.values()
             if wanted is None or c.id in wanted]
    nodes += [_dependency_node(d, catalog, paths, image, use_directory_urls)
              for d in parts.dependencies.values() if wanted is None or d.ref in wanted]
    return nodes


def _is_critical_end(parts: _Parts, flow: Interaction) -> bool:
    return any(parts.dependencies[end].critical for end in (flow.source, flow.target)
               if end in parts.dependencies)


def flow_numbers(service: Service) -> dict[int, int]:
    """The number of each interaction (by ``id()``): its place in the YAML list, from 1, as the
    architecture page's flows table numbers them (a flow with an unknown end keeps its number
    and is not drawn)."""
    arch = service.architecture
    return {id(f): n for n, f in enumerate(arch.interactions if arch else [], start=1)}


def flow_marks(parts: _Parts, flow: Interaction) -> frozenset[str]:
    """``unencrypted``, ``cross-boundary`` and ``critical`` marks of an interaction."""
    marks = set()
    if not flow.encrypted:
        marks.add("unencrypted")
    if _crosses_boundary(parts, flow.source, flow.target):
        marks.add("cross-boundary")
    if _is_critical_end(parts, flow):
        marks.add("critical")
    return frozenset(marks)


def _crosses_boundary(parts: _Parts, a: str, b: str) -> bool:
    # Into or out of the service (a dependency, an outside caller), or between zones whose
    # trust differs. A component without a zone has no known trust: no claim either way.
    if parts.outside(a) != parts.outside(b):
        return True
    za = parts.zone_of(parts.components[a]) if a in parts.components else None
    zb = parts.zone_of(parts.components[b]) if b in parts.components else None
    return za is not None and zb is not None and za.trust != zb.trust


def _component_rows(parts: _Parts, nodes: Sequence[NodeSpec], catalog: Catalog, page: str,
                    paths: SitePaths) -> list[list[str]]:
    rows = []
    for node in nodes:
        comp = parts.components.get(node.id)
        if comp is not None:
            zone = parts.zone_of(comp)
            where = (f"zone {md_text(zone.name)} ({zone.trust} trust)" if zone
                     else "outside the service (caller)" if parts.outside(comp.id)
                     else "service")
            notes = []
            if comp.replicas is not None:
                notes.append(_count(comp.replicas, "replica"))
            if comp.single_point_of_failure:
                notes.append("**single point of failure**")
            rows.append([md_text(comp.name), code_span(comp.kind), where, "; ".join(notes)])
            continue
        dep = parts.dependencies[node.id]
        name: str = md_text(node.label)
        if dep.service is not None and dep.service in catalog.services:
            name = link(node.label, md_link_path(page, paths.document(dep.service,
                                                                      "architecture")))
        where = ("dependency: catalog service" if dep.service is not None
                 else "dependency: external system")
        notes = [md_text(dep.purpose)]
        if dep.critical:
            notes.insert(0, "**critical**")
        rows.append([name, code_span(dep.kind or "service"), where, "; ".join(notes)])
    return rows


def component_diagram(service: Service, catalog: Catalog, paths: SitePaths, *,
                      use_directory_urls: bool = True) -> SiteDiagram | None:
    """The component diagram of a service; None when it names no component or dependency."""
    parts = _Parts.of(service)
    if not parts.components and not parts.dependencies:
        return None
    image = image_path(paths, service.id, "components")
    page = paths.document(service.id, "architecture")
    nodes = _nodes(parts, None, catalog, paths, image, use_directory_urls)
    edges: dict[tuple[str, str], EdgeSpec] = {}
    for flow in parts.interactions():
        key = (flow.source, flow.target)
        if key not in edges and flow.source != flow.target:
            marks = {"critical"} if _is_critical_end(parts, flow) else set()
            edges[key] = EdgeSpec(flow.source, flow.target, "", frozenset(marks))
    spec = DiagramSpec(f"{service.id}/components", f"{service.name}: components", "TB",
                       nodes=tuple(nodes), clusters=_clusters(parts, nodes),
                       edges=tuple(edges.values()))
    rows = _component_rows(parts, nodes, catalog, page, paths)
    table = _table(["Part", "Kind", "Where", "Notes"], rows)
    return SiteDiagram(spec, "components", image, page, component_alt(parts, catalog), table,
                       service.id)


def component_alt(parts: _Parts, catalog: Catalog) -> str:
    """Alt text of a component diagram: what a sighted reader takes from it at a glance."""
    name = parts.service.name
    comps = list(parts.components.values())
    zones = [z.name for z in parts.zones.values() if any(c.zone == z.id for c in comps)]
    text = f"Component diagram of {name}: {_count(len(comps), 'component')}"
    if zones:
        text += f" in {_count(len(zones), 'zone')} ({_names(zones)})"
    deps = list(parts.dependencies.values())
    if deps:
        text += (f", depending on {_count(len(deps), 'system')} "
                 f"({_names([_dependency_label(d, catalog) for d in deps])})")
    text += "."
    spofs = [c.name for c in comps if c.single_point_of_failure]
    if spofs:
        text += f" Single points of failure: {_names(spofs)}."
    critical = [_dependency_label(d, catalog) for d in deps if d.critical]
    if critical:
        text += f" Critical dependencies: {_names(critical)}."
    return text + " The table below lists the same information."


def interaction_diagram(service: Service, catalog: Catalog, paths: SitePaths, *,
                        use_directory_urls: bool = True) -> SiteDiagram | None:
    """The data-flow diagram of a service; None when it has no interaction to draw."""
    parts = _Parts.of(service)
    flows = parts.interactions()
    if not flows:
        return None
    image = image_path(paths, service.id, "interactions")
    page = paths.document(service.id, "architecture")
    ends = {end for f in flows for end in (f.source, f.target)}
    nodes = _nodes(parts, ends, catalog, paths, image, use_directory_urls)
    numbers = flow_numbers(service)
    # Each arrow carries the number of its row in the flows table: a data-flow diagram with its
    # labels spelled out was metres wide, and its text unreadable at the width of a page.
    edges = [EdgeSpec(f.source, f.target, str(numbers[id(f)]), flow_marks(parts, f))
             for f in flows]
    spec = DiagramSpec(f"{service.id}/interactions", f"{service.name}: data flows", "TB",
                       nodes=tuple(nodes), clusters=_clusters(parts, nodes), edges=tuple(edges))
    labels = {n.id: n.label for n in nodes}
    rows = []
    for flow, edge in zip(flows, edges, strict=True):
        encryption = (md_text(flow.encryption or "yes") if flow.encrypted
                      else "**no (unencrypted)**")
        rows.append([edge.label, md_text(labels[flow.source]), md_text(labels[flow.target]),
                     md_text(flow.data), md_text(flow.protocol), encryption,
                     ", ".join(sorted(edge.marks - {"unencrypted"}))])
    table = _table(["#", "From", "To", "Data", "Protocol", "Encryption", "Marks"], rows)
    return SiteDiagram(spec, "interactions", image, page, interaction_alt(parts, flows, edges,
                                                                          labels), table,
                       service.id)


def interaction_alt(parts: _Parts, flows: Sequence[Interaction], edges: Sequence[EdgeSpec],
                    labels: Mapping[str, str]) -> str:
    """Alt text of a data-flow diagram: counts, and the flows a reviewer must not miss."""
    text = (f"Data-flow diagram of {parts.service.name}: {_count(len(flows), 'flow')} between "
            f"{_count(len(labels), 'part')}.")

    def named(mark: str) -> list[str]:
        return [f"{labels[e.src]} to {labels[e.dst]}" for e in edges if mark in e.marks]

    unencrypted = named("unencrypted")
    text += (f" Unencrypted: {_names(unencrypted)}." if unencrypted
             else " Every flow is encrypted.")
    crossing = named("cross-boundary")
    if crossing:
        text += f" {_count(len(crossing), 'flow crosses', 'flows cross')} a trust boundary."
    return text + " The table below lists every flow."


def service_diagrams(service: Service, catalog: Catalog, paths: SitePaths, *,
                     use_directory_urls: bool = True) -> list[SiteDiagram]:
    """The diagrams of one service's architecture page, in page order."""
    made = (component_diagram(service, catalog, paths, use_directory_urls=use_directory_urls),
            interaction_diagram(service, catalog, paths, use_directory_urls=use_directory_urls))
    return [d for d in made if d is not None]


# --- the fleet ------------------------------------------------------------------------------

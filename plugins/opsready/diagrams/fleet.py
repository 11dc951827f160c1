"""The fleet map: one map of every service for a small fleet; for a large one an overview by
team (one box per team, edges weighted by the dependencies between teams) and one map per team,
so that drawing stays linear and each map readable. Also the list of every diagram of a site."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..catalog.fleet import Catalog
from ..model import Dependency, Service
from ..output.site_paths import SitePaths
from ..prose.escape import link, md_text
from .from_model import (
    FALLBACK_KIND,
    TIER_TITLES,
    SiteDiagram,
    _count,
    _table,
    fleet_image_path,
    md_link_path,
    service_diagrams,
    url_from_image,
)
from .spec import ClusterSpec, DiagramSpec, EdgeSpec, NodeSpec

# Above this many services the fleet map is split: an overview of the teams and one map per team
# (a graph of hundreds of boxes is unreadable, and Graphviz's layout time grows faster than N).
FLEET_SPLIT_MINIMUM = 40
TEAM_NODE = "team:"  # node id prefix of a team's box on the overview


def fleet_map(catalog: Catalog, paths: SitePaths, *, levels: Mapping[str, str] | None = None,
              use_directory_urls: bool = True) -> SiteDiagram | None:
    """Every service and the dependencies between them, grouped by tier.

    ``levels`` (service id -> readiness level label such as ``gold`` or ``none``) adds the
    level to each box's label and colour. Each box links to the service's overview page.
    """
    services = list(catalog.services.values())
    if not services:
        return None
    image = fleet_image_path(paths)
    page = paths.fleet_map()
    services = fleet_order(services)
    clusters = _tier_clusters(services)
    nodes = [_service_node(svc, image, paths, levels, use_directory_urls) for svc in services]
    edges = [EdgeSpec(svc.id, target, "", frozenset({"critical"} if dep.critical else ()))
             for svc, dep, target in _fleet_dependencies(catalog)]
    spec = DiagramSpec("fleet-map", "Fleet dependency map", "BT", tuple(nodes), clusters,
                       tuple(edges))
    return SiteDiagram(spec, "fleet-map", image, page, fleet_alt(catalog, edges, levels),
                       fleet_table(catalog, paths, levels))


def fleet_order(services: Iterable[Service]) -> list[Service]:
    """Services as the fleet map lists them: tier 1 first, then by team, then by name."""
    return sorted(services, key=lambda s: (s.tier, s.owner, s.name.casefold(), s.id))


def _tier_clusters(services: Iterable[Service]) -> tuple[ClusterSpec, ...]:
    tiers = sorted({s.tier for s in services})
    return tuple(ClusterSpec(f"tier-{t}", TIER_TITLES.get(t, f"Tier {t}"), None, f"tier-{t}")
                 for t in tiers)


def _service_node(svc: Service, image: str, paths: SitePaths,
                  levels: Mapping[str, str] | None, use_directory_urls: bool) -> NodeSpec:
    """A service's box on a fleet map: its name (and level), in its tier, linking its page."""
    level = levels.get(svc.id) if levels else None
    label = f"{svc.name} ({level_label(level)})" if level else svc.name
    marks = {f"tier-{svc.tier}"} | ({f"level-{level}"} if level else set())
    url = url_from_image(image, paths.document(svc.id, "overview"),
                         use_directory_urls=use_directory_urls)
    return NodeSpec(svc.id, label, FALLBACK_KIND, f"tier-{svc.tier}", url, frozenset(marks))


def level_label(level: str) -> str:
    """How a readiness level reads in a label: ``gold``, or ``no level`` for ``none``."""
    return "no level" if level == "none" else level


def _fleet_dependencies(catalog: Catalog) -> list[tuple[Service, Dependency, str]]:
    """(service, dependency, target id) for every dependency on another catalog service, once
    per pair."""
    found: dict[tuple[str, str], tuple[Service, Dependency, str]] = {}
    for svc in catalog.services.values():
        for dep in svc.architecture.dependencies if svc.architecture else []:
            target = dep.service
            if target and target != svc.id and target in catalog.services:
                found.setdefault((svc.id, target), (svc, dep, target))
    return list(found.values())


def fleet_alt(catalog: Catalog, edges: Sequence[EdgeSpec],
              levels: Mapping[str, str] | None) -> str:
    """Alt text of the fleet map."""
    services = list(catalog.services.values())
    by_tier = {t: sum(s.tier == t for s in services) for t in sorted({s.tier for s in services})}
    tiers = ", ".join(f"{n} in tier {t}" for t, n in by_tier.items())
    text = (f"Fleet dependency map: {_count(len(services), 'service')} ({tiers}) and "
            f"{_count(len(edges), 'dependency', 'dependencies')} between them")
    critical = sum("critical" in e.marks for e in edges)
    text += f", {critical} of them critical." if edges else "."
    if levels:
        text += " Each box shows the service's readiness level."
    return text + " The table below lists every service and what it depends on."


def fleet_table(catalog: Catalog, paths: SitePaths,
                levels: Mapping[str, str] | None = None, *,
                services: Iterable[Service] | None = None,
                dependencies: Sequence[tuple[Service, Dependency, str]] | None = None) -> str:
    """Every service (or those of ``services``) with its tier, level and dependencies, as a
    Markdown table."""
    page = paths.fleet_map()
    depends: dict[str, list[str]] = {}
    used_by: dict[str, list[str]] = {}
    if dependencies is None:
        dependencies = _fleet_dependencies(catalog)
    for svc, dep, target_id in dependencies:
        target = catalog.services[target_id]
        note = " (critical)" if dep.critical else ""
        depends.setdefault(svc.id, []).append(str(md_text(target.name)) + note)
        used_by.setdefault(target.id, []).append(str(md_text(svc.name)))
    header = ["Service", "Tier"] + (["Readiness"] if levels else []) + ["Depends on", "Used by"]
    rows = []
    for svc in fleet_order(catalog.services.values() if services is None else services):
        row = [link(svc.name, md_link_path(page, paths.document(svc.id, "overview"))),
               str(svc.tier)]
        if levels:
            level = levels.get(svc.id)
            row.append(md_text(level_label(level)) if level else "")
        row += [", ".join(depends.get(svc.id, [])), ", ".join(used_by.get(svc.id, []))]
        rows.append(row)
    return _table(header, rows)


def site_diagrams(catalog: Catalog, paths: SitePaths, *,
                  levels: Mapping[str, str] | None = None,
                  use_directory_urls: bool = True) -> list[SiteDiagram]:
    """Every diagram of the site: each service's, in id order, then the fleet map(s)."""
    found: list[SiteDiagram] = []
    for service in catalog.services.values():
        found += service_diagrams(service, catalog, paths, use_directory_urls=use_directory_urls)
    found += fleet_maps(catalog, paths, levels=levels, use_directory_urls=use_directory_urls)
    return found


# --- a large fleet: an overview by team and one map per team ----------------------------------


def fleet_maps(catalog: Catalog, paths: SitePaths, *, levels: Mapping[str, str] | None = None,
               use_directory_urls: bool = True,
               split_minimum: int | None = None) -> list[SiteDiagram]:
    """The fleet's diagrams: one map of every service up to ``split_minimum`` services
    (default ``FLEET_SPLIT_MINIMUM``); above,
    an overview of the teams (``fleet-overview``) then one map per team (``fleet-team``), in
    team order. Every part is linear in the services and dependencies it shows."""
    if len(catalog.services) <= (FLEET_SPLIT_MINIMUM if split_minimum is None else split_minimum):
        single = fleet_map(catalog, paths, levels=levels, use_directory_urls=use_directory_urls)
        return [single] if single is not None else []
    by_team: dict[str, list[Service]] = {}
    for svc in catalog.services.values():
        by_team.setdefault(svc.owner, []).append(svc)
    deps = _fleet_dependencies(catalog)
    made = [fleet_overview(catalog, paths, by_team, deps)]
    deps_of: dict[str, list[tuple[Service, Dependency, str]]] = {}
    for item in deps:
        deps_of.setdefault(item[0].owner, []).append(item)
        target_team = catalog.services[item[2]].owner
        if target_team != item[0].owner:
            deps_of.setdefault(target_team, []).append(item)
    for team_id in sorted(by_team):
        made.append(team_map(catalog, paths, team_id, by_team[team_id],
                             deps_of.get(team_id, []), levels=levels,
                             use_directory_urls=use_directory_urls))
    return made


def _team_node_id(team_id: str) -> str:
    return TEAM_NODE + team_id


def fleet_overview(catalog: Catalog, paths: SitePaths, by_team: Mapping[str, Sequence[Service]],
                   deps: Sequence[tuple[Service, Dependency, str]]) -> SiteDiagram:
    """One box per team and one edge per pair of teams, labelled with how many dependencies
    lead from one team's services to the other's (thick when one of them is critical)."""
    image = fleet_image_path(paths, "fleet-overview")
    between: dict[tuple[str, str], list[bool]] = {}
    inside: dict[str, int] = {}
    for svc, dep, target in deps:
        pair = (svc.owner, catalog.services[target].owner)
        if pair[0] == pair[1]:
            inside[pair[0]] = inside.get(pair[0], 0) + 1
        else:
            between.setdefault(pair, []).append(bool(dep.critical))
    teams = sorted(by_team)
    nodes = tuple(NodeSpec(_team_node_id(t),
                           f"{catalog.party_name(t)} ({_count(len(by_team[t]), 'service')})",
                           FALLBACK_KIND) for t in teams)
    edges = tuple(EdgeSpec(_team_node_id(a), _team_node_id(b), str(len(crit)),
                           frozenset({"critical"} if any(crit) else ()))
                  for (a, b), crit in sorted(between.items()))
    spec = DiagramSpec("fleet-overview", "Fleet overview by team", "LR", nodes, (), edges)
    services = sum(len(v) for v in by_team.values())
    text = (f"Fleet overview: {_count(services, 'service')} in {_count(len(teams), 'team')}, "
            f"{_count(len(deps), 'dependency', 'dependencies')} between services: "
            f"{sum(inside.values())} inside a team, "
            f"{sum(len(c) for c in between.values())} between teams, drawn as "
            f"{_count(len(edges), 'arrow')} labelled with their number. The table below lists "
            "every team and the teams it depends on; each team's own map follows.")
    header = ["Team", "Services", "Dependencies inside", "Depends on", "Used by"]
    depends: dict[str, list[str]] = {}
    used_by: dict[str, list[str]] = {}
    for (a, b), crit in sorted(between.items()):
        depends.setdefault(a, []).append(f"{md_text(catalog.party_name(b))} ({len(crit)})")
        used_by.setdefault(b, []).append(f"{md_text(catalog.party_name(a))} ({len(crit)})")
    rows = [[str(md_text(catalog.party_name(t))), str(len(by_team[t])), str(inside.get(t, 0)),
             ", ".join(depends.get(t, [])), ", ".join(used_by.get(t, []))] for t in teams]
    return SiteDiagram(spec, "fleet-overview", image, paths.fleet_map(), text,
                       _table(header, rows), title="Overview by team")


def team_map(catalog: Catalog, paths: SitePaths, team_id: str, services: Sequence[Service],
             deps: Sequence[tuple[Service, Dependency, str]], *,
             levels: Mapping[str, str] | None = None,
             use_directory_urls: bool = True) -> SiteDiagram:
    """One team's services grouped by tier with the dependencies between them. Dependencies
    on (or from) other teams' services are counted in the alt text and listed in the table, not
    drawn: the overview shows them between teams, and a few boxes with hundreds of arrows each
    made Graphviz's layout 150 times slower (16 s instead of 0.1 s for 200 services)."""
    image = fleet_image_path(paths, f"fleet-map-{team_id}")
    nodes = [_service_node(s, image, paths, levels, use_directory_urls)
             for s in fleet_order(services)]
    ours = {s.id for s in services}
    edges: list[EdgeSpec] = []
    out_n = in_n = 0
    other_teams: set[str] = set()
    for svc, dep, target in deps:
        if svc.id in ours and target in ours:
            crit = frozenset({"critical"} if dep.critical else ())
            edges.append(EdgeSpec(svc.id, target, "", crit))
        elif svc.id in ours:
            out_n += 1
            other_teams.add(catalog.services[target].owner)
        else:
            in_n += 1
            other_teams.add(svc.owner)
    name = catalog.party_name(team_id)
    spec = DiagramSpec(f"fleet-map/{team_id}", f"Services of {name}", "BT", tuple(nodes),
                       _tier_clusters(services), tuple(edges))
    text = (f"Dependency map of {name}: {_count(len(services), 'service')} and "
            f"{_count(len(edges), 'dependency', 'dependencies')} between them. Not drawn: "
            f"{out_n} on and {in_n} from the services of "
            f"{_count(len(other_teams), 'other team')} (see the overview).")
    if levels:
        text += " Each box shows the service's readiness level."
    text += " The table below lists the team's services and what they depend on."
    return SiteDiagram(spec, "fleet-team", image, paths.fleet_map(), text,
                       fleet_table(catalog, paths, levels, services=services, dependencies=deps),
                       team_id=team_id, title=name)

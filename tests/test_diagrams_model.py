"""Diagram specs from hand-made catalogs: clusters, marks, links, alt texts and tables."""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from opsready.catalog.fleet import Catalog
from opsready.diagrams.fleet import fleet_map, fleet_maps, site_diagrams
from opsready.diagrams.from_model import component_diagram, interaction_diagram, service_diagrams
from opsready.diagrams.publish import progress_reporter
from opsready.diagrams.spec import DiagramSpec, EdgeSpec, NodeSpec, validate_spec
from opsready.model import Organisation, Service
from opsready.output.site_paths import SitePaths, url_of

SITE = "https://docs.example.test/"


def service(sid: str, tier: int = 2, name: str | None = None, **arch: Any) -> Service:
    data: dict[str, Any] = {"id": sid, "name": name or sid.title(), "description": "d",
                            "tier": tier, "lifecycle": "production", "owner": "core"}
    if arch:
        data["architecture"] = arch
    return Service.model_validate(data)


def catalog(*services: Service) -> Catalog:
    return Catalog(Path("/nowhere"), Organisation(), {}, {},
                   {s.id: s for s in sorted(services, key=lambda s: s.id)}, {})


def flow(src: str, dst: str, encrypted: bool = True, **more: Any) -> dict[str, Any]:
    return {"from": src, "to": dst, "data": f"{src} data", "protocol": "HTTPS",
            "encrypted": encrypted, **more}


CHECKOUT = dict(
    zones=[{"id": "edge", "name": "Edge", "trust": "dmz"},
           {"id": "core", "name": "Core", "trust": "internal"},
           {"id": "vault", "name": "Card vault", "trust": "restricted"},
           {"id": "empty", "name": "Nothing here", "trust": "public"}],
    components=[
        {"id": "shoppers", "name": "Shoppers", "kind": "users"},
        {"id": "lb", "name": "Edge LB", "kind": "load_balancer", "zone": "edge"},
        {"id": "api", "name": "Checkout API", "kind": "web", "zone": "core", "replicas": 3},
        {"id": "jobs", "name": "Jobs", "kind": "worker"},
        {"id": "db", "name": "Orders DB", "kind": "sql", "zone": "core",
         "single_point_of_failure": True},
        {"id": "cards", "name": "Card store", "kind": "aws.database.RDS", "zone": "vault"},
        {"id": "odd", "name": "Typo", "kind": "cahce", "zone": "core"},
    ],
    dependencies=[
        {"service": "payments", "purpose": "Charges cards.", "critical": True},
        {"service": "ghost", "purpose": "Not in the catalog."},
        {"external": "mailer", "name": "Mailer SaaS", "kind": "email", "purpose": "Receipts."},
        {"external": "geo", "purpose": "Geo lookups.", "critical": True},
    ],
    interactions=[
        flow("shoppers", "lb"),
        flow("lb", "api", encrypted=False),
        flow("api", "db", encryption="TLS 1.3"),
        flow("api", "cards", encryption="mTLS"),
        flow("api", "payments", encryption="mTLS"),
        flow("jobs", "mailer"),
        flow("api", "geo"),
        flow("jobs", "db"),
        flow("api", "db", data="second flow, same pair"),
        flow("api", "nowhere"),
    ],
)


@pytest.fixture(scope="module")
def fleet() -> Catalog:
    return catalog(
        service("checkout", 1, "Checkout", **CHECKOUT),
        service("payments", 1, "Payments", components=[{"id": "p", "name": "P", "kind": "web"}],
                dependencies=[{"service": "ledger", "purpose": "Books.", "critical": True}]),
        service("ledger", 2, "Ledger"),
        service("wiki", 3, "Wiki", dependencies=[{"service": "checkout", "purpose": "Odd."},
                                                 {"service": "gone", "purpose": "Removed."}]),
    )


def node(spec: DiagramSpec, ident: str) -> NodeSpec:
    return next(n for n in spec.nodes if n.id == ident)


def edges(spec: DiagramSpec) -> dict[tuple[str, str], EdgeSpec]:
    return {(e.src, e.dst): e for e in spec.edges}


def resolve(image_src: str, href: str) -> str:
    """The site path a browser opens for a link found in an SVG served at ``image_src``."""
    return urljoin(SITE + image_src, href).removeprefix(SITE)


def test_component_diagram_clusters_and_marks(fleet: Catalog) -> None:
    d = component_diagram(fleet.services["checkout"], fleet, SitePaths())
    assert d is not None and validate_spec(d.spec) == []
    assert d.src_path == "services/checkout/diagrams/components.svg"
    assert d.page == "services/checkout/architecture.md"
    clusters = {c.id: c for c in d.spec.clusters}
    assert set(clusters) == {"service", "zone-edge", "zone-core", "zone-vault"}  # no empty box
    assert clusters["service"].label == "Checkout" and clusters["service"].parent is None
    assert clusters["zone-vault"].style == "restricted"
    assert clusters["zone-edge"].style == "dmz" and clusters["zone-edge"].parent == "service"
    spec = d.spec
    assert node(spec, "shoppers").cluster is None  # callers stand outside the service
    assert node(spec, "jobs").cluster == "service"
    assert node(spec, "db").cluster == "zone-core" and node(spec, "db").marks == {"spof"}
    assert node(spec, "cards").kind == "aws.database.RDS"
    assert node(spec, "odd").kind == "service"  # unknown kind: generic icon, check reports it
    payments = node(spec, "payments")
    assert payments.cluster is None and payments.marks == {"critical"}
    assert node(spec, "ghost").url is None and node(spec, "ghost").label == "ghost"
    assert node(spec, "mailer").marks == {"external"} and node(spec, "mailer").kind == "email"
    geo = node(spec, "geo")
    assert geo.marks == {"external", "critical"} and geo.kind == "external"
    assert geo.label == "geo"
    # One plain edge per pair of parts; flows to a critical dependency are marked.
    pairs = edges(spec)
    assert len(spec.edges) == len(pairs) == 8
    assert pairs[("api", "payments")].marks == {"critical"} and not pairs[("api", "db")].label
    assert ("api", "nowhere") not in pairs


@pytest.mark.parametrize("directory_urls", [True, False])
def test_dependency_links_open_the_service_architecture_page(fleet: Catalog,
                                                             directory_urls: bool) -> None:
    paths = SitePaths("catalog")
    d = component_diagram(fleet.services["checkout"], fleet, paths,
                          use_directory_urls=directory_urls)
    assert d is not None and d.src_path == "catalog/services/checkout/diagrams/components.svg"
    href = node(d.spec, "payments").url
    assert href is not None and not href.startswith("/")
    target = url_of(paths.document("payments", "architecture"), use_directory_urls=directory_urls)
    assert resolve(d.src_path, href) == target


def test_interaction_diagram_labels_and_marks(fleet: Catalog) -> None:
    d = interaction_diagram(fleet.services["checkout"], fleet, SitePaths())
    assert d is not None and validate_spec(d.spec) == []
    assert d.src_path == "services/checkout/diagrams/interactions.svg"
    spec = d.spec
    assert {n.id for n in spec.nodes} == {"shoppers", "lb", "api", "db", "cards", "payments",
                                          "jobs", "mailer", "geo"}
    assert "zone-vault" in {c.id for c in spec.clusters}
    assert len(spec.edges) == 9  # every flow, the one to an unknown part left out
    by_pair = {(e.src, e.dst): e for e in spec.edges}  # last of the two api->db flows
    # Each arrow carries the number of its flow in the YAML list (the page's flows table rows).
    flows = fleet.services["checkout"].architecture.interactions
    for edge in spec.edges:
        flow = flows[int(edge.label) - 1]
        assert (flow.source, flow.target) == (edge.src, edge.dst)
    assert flows[int(spec.edges[2].label) - 1].data == "api data"
    assert flows[int(by_pair[("api", "db")].label) - 1].data == "second flow, same pair"
    assert spec.edges[2].marks == set()  # same zone
    assert by_pair[("shoppers", "lb")].marks == {"cross-boundary"}  # a caller comes in
    assert by_pair[("lb", "api")].marks == {"unencrypted", "cross-boundary"}  # dmz -> internal
    assert by_pair[("api", "cards")].marks == {"cross-boundary"}  # internal -> restricted
    assert by_pair[("api", "payments")].marks == {"cross-boundary", "critical"}
    assert by_pair[("api", "geo")].marks == {"cross-boundary", "critical"}
    assert by_pair[("jobs", "mailer")].marks == {"cross-boundary"}
    assert by_pair[("jobs", "db")].marks == set()  # no zone, no claim


def test_tables_hold_what_the_diagrams_show(fleet: Catalog) -> None:
    comp, flows = service_diagrams(fleet.services["checkout"], fleet, SitePaths())
    rows = comp.table_markdown.strip().splitlines()
    assert rows[0] == "| Part | Kind | Where | Notes |" and len(rows) == 2 + 11
    assert "| Orders DB | `sql` | zone Core (internal trust) | **single point of failure** |" \
        in comp.table_markdown
    assert "[Payments](../payments/architecture.md)" in comp.table_markdown
    assert "**critical**; Charges cards." in comp.table_markdown
    assert "3 replicas" in comp.table_markdown
    assert "outside the service (caller)" in comp.table_markdown
    frows = flows.table_markdown.strip().splitlines()
    assert frows[0] == "| # | From | To | Data | Protocol | Encryption | Marks |"
    assert len(frows) == 2 + 9
    unencrypted = ("| Edge LB | Checkout API | lb data | HTTPS | **no (unencrypted)** "
                   "| cross-boundary |")
    assert f"| 2 {unencrypted}" in frows


def test_alt_texts(fleet: Catalog) -> None:
    comp, flows = service_diagrams(fleet.services["checkout"], fleet, SitePaths())
    assert comp.alt.startswith("Component diagram of Checkout: 7 components in 3 zones "
                               "(Edge, Core, Card vault), depending on 4 systems")
    assert "Single points of failure: Orders DB." in comp.alt
    assert "Critical dependencies: Payments, geo." in comp.alt
    assert flows.alt.startswith("Data-flow diagram of Checkout: 9 flows between 9 parts.")
    assert "Unencrypted: Edge LB to Checkout API." in flows.alt
    assert "6 flows cross a trust boundary." in flows.alt


def test_catalog_values_are_escaped_in_tables_and_kept_plain_in_alt() -> None:
    evil = "<script>alert(1)</script> | {{ config }} *x*"
    svc = service("s", name=evil,
                  components=[{"id": "a", "name": evil, "kind": "web"}],
                  dependencies=[{"external": "e", "name": evil, "purpose": evil}],
                  interactions=[flow("a", "e", data=evil, protocol=evil)])
    cat = catalog(svc)
    comp, flows = service_diagrams(svc, cat, SitePaths())
    for table in (comp.table_markdown, flows.table_markdown):
        assert "<script>" not in table and "{{" not in table
        assert "&lt;script&gt;" in table and "\\|" in table and "\\*x\\*" in table
        for row in table.strip().splitlines():  # escaped pipes never add a column
            assert row.replace("\\|", "").count("|") == table.splitlines()[0].count("|")
    assert evil in comp.alt  # plain text: whoever places it escapes it for its context
    assert node(comp.spec, "a").label == evil  # the renderer escapes labels itself
    fleet_ = fleet_map(cat, SitePaths())
    assert fleet_ is not None and "<script>" not in fleet_.table_markdown


def test_no_architecture_no_diagram() -> None:
    bare = service("bare")
    only_deps = service("deps", dependencies=[{"external": "x", "purpose": "y"}])
    cat = catalog(bare, only_deps)
    assert service_diagrams(bare, cat, SitePaths()) == []
    made = service_diagrams(only_deps, cat, SitePaths())
    assert [d.name for d in made] == ["components"]
    assert made[0].spec.clusters == ()  # nothing of the service's own to box
    assert validate_spec(made[0].spec) == []


def test_fleet_map(fleet: Catalog) -> None:
    d = fleet_map(fleet, SitePaths(), levels={"checkout": "gold", "ledger": "none"})
    assert d is not None and validate_spec(d.spec) == []
    assert d.src_path == "architecture/diagrams/fleet-map.svg"
    assert d.page == SitePaths().fleet_map() and d.service_id is None
    spec = d.spec
    # Tier 1 first, then by team, then by name (the map's order and its table's).
    ordered = sorted(fleet.services.values(), key=lambda s: (s.tier, s.owner, s.name.casefold()))
    assert [n.id for n in spec.nodes] == [s.id for s in ordered]
    assert [fleet.services[n.id].tier for n in spec.nodes] == sorted(
        s.tier for s in fleet.services.values())
    table_order = [line.split("](")[0].split("[")[-1]
                   for line in d.table_markdown.splitlines()[2:]]
    assert table_order == [s.name for s in ordered]
    assert {c.id: c.style for c in spec.clusters} == {"tier-1": "tier-1", "tier-2": "tier-2",
                                                     "tier-3": "tier-3"}
    assert node(spec, "checkout").label == "Checkout (gold)"
    assert node(spec, "checkout").marks == {"tier-1", "level-gold"}
    assert node(spec, "ledger").label == "Ledger (no level)"
    assert node(spec, "payments").marks == {"tier-1"}  # no level known
    assert node(spec, "wiki").cluster == "tier-3"
    assert edges(spec) == {
        ("checkout", "payments"): EdgeSpec("checkout", "payments", "", frozenset({"critical"})),
        ("payments", "ledger"): EdgeSpec("payments", "ledger", "", frozenset({"critical"})),
        ("wiki", "checkout"): EdgeSpec("wiki", "checkout"),
    }
    for n in spec.nodes:
        assert n.url is not None
        assert resolve(d.src_path, n.url) == url_of(SitePaths().document(n.id, "overview"))
    rows = d.table_markdown.strip().splitlines()
    assert rows[0] == "| Service | Tier | Readiness | Depends on | Used by |"
    assert "| [Checkout](../services/checkout/index.md) | 1 | gold | Payments (critical) | Wiki |"\
        in rows
    assert "| [Ledger](../services/ledger/index.md) | 2 | no level | - | Payments |" in rows
    for sid in fleet.services:  # the table links every service's overview page
        target = posixpath.normpath(posixpath.join(
            posixpath.dirname(d.page), f"../services/{sid}/index.md"))
        assert target == SitePaths().document(sid, "overview")
        assert f"(../services/{sid}/index.md)" in d.table_markdown
    assert d.alt.startswith("Fleet dependency map: 4 services (2 in tier 1, 1 in tier 2, 1 in "
                            "tier 3) and 3 dependencies between them, 2 of them critical.")
    assert "readiness level" in d.alt


def test_fleet_map_without_levels(fleet: Catalog) -> None:
    d = fleet_map(fleet, SitePaths())
    assert d is not None and "Readiness" not in d.table_markdown
    assert not any(m.startswith("level-") for n in d.spec.nodes for m in n.marks)
    assert fleet_map(catalog(), SitePaths()) is None


def two_teams(base: Catalog) -> Catalog:
    """The fleet with checkout and wiki moved to a team 'shop' (ledger, payments stay 'core')."""
    moved = {sid: s.model_copy(update={"owner": "shop"}) if sid in ("checkout", "wiki") else s
             for sid, s in base.services.items()}
    return Catalog(base.root, base.organisation, base.teams, base.contacts, moved, {})


def test_a_small_fleet_keeps_one_map(fleet: Catalog) -> None:
    assert [d.name for d in fleet_maps(fleet, SitePaths())] == ["fleet-map"]


def test_a_large_fleet_gets_an_overview_and_a_map_per_team(fleet: Catalog) -> None:
    cat = two_teams(fleet)
    made = fleet_maps(cat, SitePaths(), levels={"checkout": "gold"}, split_minimum=3)
    assert [(d.name, d.team_id, d.spec.id) for d in made] == [
        ("fleet-overview", None, "fleet-overview"), ("fleet-team", "core", "fleet-map/core"),
        ("fleet-team", "shop", "fleet-map/shop")]
    assert all(validate_spec(d.spec) == [] for d in made)
    assert len({d.src_path for d in made}) == 3
    overview, core, shop = made
    # One box per team; checkout -> payments is the one dependency between the teams.
    assert [n.label for n in overview.spec.nodes] == ["core (2 services)", "shop (2 services)"]
    assert edges(overview.spec) == {
        ("team:shop", "team:core"): EdgeSpec("team:shop", "team:core", "1",
                                             frozenset({"critical"}))}
    assert overview.alt.startswith("Fleet overview: 4 services in 2 teams, 3 dependencies "
                                   "between services: 2 inside a team, 1 between teams")
    assert "| shop | 2 | 1 | core (1) | - |" in overview.table_markdown
    # The team's own services in their tiers and the dependencies between them; those with
    # other teams are counted (the overview draws them) and listed in the table.
    assert {n.id for n in shop.spec.nodes} == {"checkout", "wiki"}
    assert node(shop.spec, "checkout").label == "Checkout (gold)"
    assert set(edges(shop.spec)) == {("wiki", "checkout")}
    assert set(edges(core.spec)) == {("payments", "ledger")}
    assert shop.title == "shop"
    assert "Not drawn: 1 on and 0 from the services of 1 other team" in shop.alt
    assert "Not drawn: 0 on and 1 from the services of 1 other team" in core.alt
    assert "| [Payments](../services/payments/index.md) | 1 | - | Ledger (critical) | Checkout |"\
        in core.table_markdown
    shop_rows = shop.table_markdown.splitlines()
    assert len(shop_rows) == 4 and "Payments (critical)" in shop.table_markdown
    # Every service appears on exactly one team map: linear in the fleet.
    assert sorted(n.id for d in made[1:] for n in d.spec.nodes) == sorted(cat.services)


def test_site_diagrams_have_unique_ids_and_paths(fleet: Catalog) -> None:
    made = site_diagrams(fleet, SitePaths())
    assert [d.spec.id for d in made] == ["checkout/components", "checkout/interactions",
                                         "payments/components", "wiki/components", "fleet-map"]
    assert len({d.src_path for d in made}) == len(made)


def test_sixty_components_make_a_valid_spec() -> None:
    comps = [{"id": f"c{i}", "name": f"component {i}", "kind": ("web", "sql", "queue")[i % 3],
              "zone": f"z{i % 4}"} for i in range(60)]
    zones = [{"id": f"z{i}", "name": f"Zone {i}", "trust": t}
             for i, t in enumerate(("public", "dmz", "internal", "restricted"))]
    svc = service("big", components=comps, zones=zones,
                  interactions=[flow(f"c{i}", f"c{(i * 7 + 1) % 60}") for i in range(60)])
    comp, flows = service_diagrams(svc, catalog(svc), SitePaths())
    assert len(comp.spec.nodes) == 60 and validate_spec(comp.spec) == []
    assert len(flows.spec.edges) == 60 and validate_spec(flows.spec) == []


def test_progress_reporter_speaks_only_when_many_are_drawn() -> None:
    lines: list[str] = []
    report = progress_reporter(lines.append, minimum=20, steps=4)
    report(10, 50)  # 10 came from the cache, 40 to draw
    for done in range(11, 51):
        report(done, 50)
    assert lines == ["diagrams: 10/40 rendered (10 from the cache)",
                     "diagrams: 20/40 rendered (10 from the cache)",
                     "diagrams: 30/40 rendered (10 from the cache)",
                     "diagrams: 40/40 rendered (10 from the cache)"]
    quiet: list[str] = []
    few = progress_reporter(quiet.append, minimum=20)
    few(0, 5)
    for done in range(1, 6):
        few(done, 5)
    assert quiet == []

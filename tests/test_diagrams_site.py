"""Diagrams in real MkDocs builds: the example fleet's architecture pages and fleet map, the cache
across builds, the option to build without diagrams, and every failure reported."""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin

import diagrams
import pytest

from conftest import BuildFailed, BuiltSite, build_site, rich_catalog
from opsready.cache.folder import default_cache_dir
from opsready.cache.store import Store
from opsready.catalog.load import load_catalog
from opsready.diagrams import render, tools
from opsready.diagrams.publish import render_site_diagrams
from opsready.diagrams.render import RenderError
from opsready.output.reuse import drawn_diagrams
from opsready.output.site_paths import SitePaths
from opsready.policy.build_readiness import site_readiness
from opsready.policy.engine import today_from_env

pytestmark = pytest.mark.skipif(not tools.graphviz_available(), reason="needs Graphviz")

REPO = Path(__file__).parents[1]
EXAMPLE = REPO / "service_catalog"
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
SITE = "https://docs.example.test/"


def cache_of(root: Path) -> Path:
    """The diagram cache of a test site: the default, in the user cache folder."""
    return default_cache_dir(root / "service_catalog") / "diagrams"


# The rich test catalog does not meet every readiness rule; these tests are about diagrams.
RELAXED = {"readiness": False}


def example_files() -> dict[str, str]:
    return {p.relative_to(EXAMPLE).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(EXAMPLE.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    if not (EXAMPLE / "teams.yaml").is_file():
        pytest.skip("no example catalog")
    # With readiness on, as the project's own site: the fleet map shows each service's level.
    return build_site(tmp_path_factory.mktemp("example"), example_files(),
                      opsready={"readiness": True})


def site_url(page_url: str, href: str) -> str:
    """The site path a link on (or in an image served at) ``page_url`` opens."""
    return unquote(urljoin(SITE + page_url, href).removeprefix(SITE).split("#")[0])


def forbidden_paths(site: BuiltSite) -> list[str]:
    return [str(Path(diagrams.__file__).resolve().parent.parent), str(render.icon_root()),
            sys.prefix, str(site.root), str(REPO), "file://", "/resources/"]


def check_svg(site: BuiltSite, path: Path) -> ET.Element:
    """An image file of the site: exists, non-empty, valid SVG, self-contained."""
    assert path.is_file(), path
    data = path.read_bytes()
    assert data, path
    text = data.decode("utf-8")
    for forbidden in forbidden_paths(site):
        assert forbidden not in text, (path, forbidden)
    root = ET.fromstring(data)
    assert root.tag == f"{SVG}svg"
    for image in root.iter(f"{SVG}image"):
        assert image.get(XLINK, "").startswith("data:image/png;base64,")
    return root


def architecture_services(site: BuiltSite) -> list[str]:
    catalog = load_catalog(site.root / "service_catalog").catalog
    return [sid for sid, s in catalog.services.items()
            if s.architecture and (s.architecture.components or s.architecture.dependencies)]


def test_architecture_pages_show_their_diagrams(example: BuiltSite) -> None:
    services = architecture_services(example)
    assert len(services) >= 3
    for sid in services:
        url = f"services/{sid}/architecture/"
        article = example.article(url)
        images = article.select("img[src$='.svg']")
        assert 1 <= len(images) <= 2, url
        # Each diagram opens its own section, in a frame that scrolls rather than shrinks it.
        assert {img.find_previous("h2").get("id") for img in images} <= {"components",
                                                                          "data-flows"}, url
        assert all(img.find_parent(class_="opsready-diagram") for img in images), url
        for img in images:
            assert len(img.get("alt", "")) > 40, url
            src = site_url(url, img["src"])
            assert src.startswith(f"services/{sid}/diagrams/"), src
            check_svg(example, example.site_dir / src)
            # A link under the image opens it on its own, where its links work.
            opener = img.find_next("a", string="Open the image on its own")
            assert opener is not None and site_url(url, opener["href"]) == src
            # The same information as a table follows the image.
            table = img.find_next("table")
            assert table is not None and table.find_previous("img") is img
            assert len(table.select("tbody tr")) >= 2


def test_links_inside_the_diagrams_open_existing_pages(example: BuiltSite) -> None:
    links = 0
    for sid in architecture_services(example):
        for svg in sorted((example.site_dir / "services" / sid / "diagrams").glob("*.svg")):
            image_url = svg.relative_to(example.site_dir).as_posix()
            for a in check_svg(example, svg).iter(f"{SVG}a"):
                href = a.get(XLINK)
                if not href:
                    continue
                target = site_url(image_url, href)
                assert re.fullmatch(r"services/[a-z0-9-]+/architecture/", target), target
                assert example.exists(target), target
                assert a.get("target") == "_top"
                links += 1
    assert links > 0  # the example fleet's services depend on each other


def test_fleet_map(example: BuiltSite) -> None:
    catalog = load_catalog(example.root / "service_catalog").catalog
    url = "architecture/fleet-map/"
    assert example.exists(url)
    article = example.article(url)
    img = article.select_one("img")
    assert img is not None and "Fleet dependency map" in img["alt"]
    src = site_url(url, img["src"])
    root = check_svg(example, example.site_dir / src)
    # One link per service in the table and in the image, each to that service's overview.
    table_targets = {site_url(url, a["href"]) for a in article.select("table a")}
    svg_targets = {site_url(src, a.get(XLINK, "")) for a in root.iter(f"{SVG}a") if a.get(XLINK)}
    expected = {f"services/{sid}/" for sid in catalog.services}
    assert table_targets == expected and svg_targets == expected
    assert all(example.exists(t) for t in expected)
    assert len(article.select("table tbody tr")) == len(catalog.services)
    # Readiness levels: a column of the table, and in each box's label.
    assert [th.get_text() for th in article.select("table th")][2] == "Readiness"
    levels = {tr.select("td")[2].get_text() for tr in article.select("table tbody tr")}
    assert levels and levels <= {"gold", "silver", "bronze", "no level"}
    labels = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert all(f"({level})" in labels for level in levels)


def test_a_large_fleet_map_is_an_overview_and_a_map_per_team(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from opsready.diagrams import fleet

    monkeypatch.setattr(fleet, "FLEET_SPLIT_MINIMUM", 3)  # the example fleet counts as large
    site = build_site(tmp_path, example_files(), opsready={"readiness": False})
    catalog = load_catalog(tmp_path / "service_catalog").catalog
    url = "architecture/fleet-map/"
    article = site.article(url)
    teams = sorted({s.owner for s in catalog.services.values()})
    names = [catalog.party_name(t) for t in teams]
    # The tables list pages search finds on their own: their sections are left out of search
    # (a team's table at 1,000 services is larger than Zensical accepts for one section).
    assert [h.get_text().strip("¶") for h in article.select("h2")] == [
        "Teams and their dependencies", *names]
    assert [h["id"] for h in article.select("h2")] == ["teams", *(f"team-{t}" for t in teams)]
    assert all(h.has_attr("data-search-exclude") for h in article.select("h2"))
    index = json.loads((site.site_dir / "search/search_index.json").read_text())["docs"]
    sections = [d["location"] for d in index if d["location"].startswith(url)]
    assert sections == [url]  # the page and its overview stay findable
    imgs = article.select("img")
    assert [site_url(url, i["src"]) for i in imgs] == [
        "architecture/diagrams/fleet-overview.svg"] + [
        f"architecture/diagrams/fleet-map-{t}.svg" for t in teams]
    assert imgs[0]["alt"].startswith(f"Fleet overview: {len(catalog.services)} services in "
                                     f"{len(teams)} teams")
    overview = check_svg(site, site.site_dir / "architecture/diagrams/fleet-overview.svg")
    labels = " ".join(t.text or "" for t in overview.iter(f"{SVG}text"))
    assert all(name in labels for name in names)
    # Each team's map: its own services, each linking its overview page; a table below it.
    seen: list[str] = []
    for img, team in zip(imgs[1:], teams, strict=True):
        assert img["alt"].startswith(f"Dependency map of {catalog.party_name(team)}:")
        src = site_url(url, img["src"])
        root = check_svg(site, site.site_dir / src)
        targets = {site_url(src, a.get(XLINK, "")) for a in root.iter(f"{SVG}a") if a.get(XLINK)}
        own = {f"services/{s.id}/" for s in catalog.services.values() if s.owner == team}
        assert targets == own
        seen += sorted(own)
        table = img.find_next("table")
        assert {site_url(url, a["href"]) for a in table.select("tbody tr td:first-child a")} \
            == own
    assert sorted(seen) == sorted(f"services/{sid}/" for sid in catalog.services)


def _svgs(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*") if p.is_file())


def test_second_build_draws_nothing(example: BuiltSite) -> None:
    cache = cache_of(example.root)
    drawn = len(_svgs(cache))
    assert drawn > 0
    first = [m for m in example.infos if "diagrams: " in m]
    assert first == [f"opsready: diagrams: {drawn} drawn, 0 from the cache in {cache}"]
    before = {p.name: p.stat().st_mtime_ns for p in _svgs(cache)}
    again = build_site(example.root, example_files(), opsready={"readiness": True})
    summary = [m for m in again.infos if "diagrams: " in m]
    assert summary == [f"opsready: diagrams: 0 drawn, {drawn} from the cache in {cache}"]
    assert {p.name for p in _svgs(cache)} == set(before)
    # The orchestration says the same: nothing to draw for an unchanged catalog.
    catalog = load_catalog(example.root / "service_catalog").catalog
    evaluation = site_readiness(catalog, None, today_from_env()).evaluation
    assert evaluation is not None
    levels = {sid: r.achieved.label for sid, r in evaluation.services.items()}
    report = drawn_diagrams(Store(cache.parent), catalog, SitePaths(), levels=levels,
                            use_directory_urls=True).report
    assert report is not None and report.rendered == [] and len(report.cached) >= drawn


def test_build_without_diagrams(tmp_path: Path) -> None:
    site = build_site(tmp_path, rich_catalog(), strict=False,
                      opsready={"diagrams": False, **RELAXED},
                      expect_warnings=[r"diagrams are off \(diagrams: false\)"])
    assert site.exists("services/checkout/architecture/")
    assert site.article("services/checkout/architecture/").find(id="diagrams") is None
    assert not site.exists("architecture/fleet-map/")
    assert not list(site.site_dir.glob("**/diagrams/*.svg")) and not cache_of(tmp_path).exists()


def test_graphviz_missing_is_one_clear_error(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    tools.graphviz_version.cache_clear()
    try:
        with pytest.raises(BuildFailed) as info:
            build_site(tmp_path, rich_catalog(), opsready=RELAXED)
    finally:
        tools.graphviz_version.cache_clear()
    assert len(info.value.errors) == 1  # one error, not one per diagram
    message = info.value.errors[0]
    assert "Graphviz" in message and "apt-get install graphviz" in message
    assert "diagrams: false" in message
    assert "Traceback" not in message


def test_hand_written_file_at_a_diagram_path_is_kept(tmp_path: Path) -> None:
    mine = '<svg xmlns="http://www.w3.org/2000/svg"><title>mine</title></svg>'
    site = build_site(tmp_path, rich_catalog(), strict=False, opsready=RELAXED,
                      docs_files={"index.md": "# Home\n",
                                  "services/checkout/diagrams/components.svg": mine},
                      expect_warnings=[r"components\.svg is the path of a generated diagram"])
    published = site.site_dir / "services/checkout/diagrams/components.svg"
    assert published.read_text(encoding="utf-8") == mine
    assert (site.site_dir / "services/checkout/diagrams/interactions.svg").is_file()


# --- the core call, without MkDocs ---------------------------------------------------------


def write_catalog(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_failed_diagrams_are_all_reported_with_their_file(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = load_catalog(write_catalog(tmp_path / "catalog", rich_catalog())).catalog
    real = render.render_svg

    def flaky(spec, timeout=render.DEFAULT_TIMEOUT):  # type: ignore[no-untyped-def]
        if spec.id.startswith("checkout/"):
            raise RenderError(spec.id, "Graphviz failed (1): simulated")
        return real(spec, timeout)

    monkeypatch.setattr(render, "render_svg", flaky)
    result = render_site_diagrams(catalog, SitePaths(), concurrency=2)
    assert not result.ok
    assert {d.message for d in result.diagnostics} == {
        "diagram 'checkout/components': Graphviz failed (1): simulated",
        "diagram 'checkout/interactions': Graphviz failed (1): simulated"}
    for d in result.diagnostics:
        assert d.file.endswith("checkout/service.yaml") and d.yaml_path == "architecture"
        assert d.line == catalog.sources["checkout"].position(("architecture",))[0] > 1
    assert "checkout" not in result.by_service  # no image for a failed diagram
    assert result.fleet_map is not None and len(result.files) == 1


def test_sixty_component_service_renders(tmp_path: Path) -> None:
    comps = "".join(f"    - {{id: c{i}, name: component {i}, kind: "
                    f"{('web', 'sql', 'queue', 'aws.compute.Lambda')[i % 4]}, zone: z{i % 3}}}\n"
                    for i in range(60))
    flows = "".join(f"    - {{from: c{i}, to: c{(i * 7 + 1) % 60}, data: d{i}, protocol: gRPC, "
                    f"encrypted: {str(i % 5 != 0).lower()}}}\n" for i in range(60))
    zones = "".join(f"    - {{id: z{i}, name: Zone {i}, trust: {t}}}\n"
                    for i, t in enumerate(("dmz", "internal", "restricted")))
    big = ("id: big\nname: Big\ndescription: Many parts.\ntier: 2\nlifecycle: production\n"
           f"owner: core\narchitecture:\n  zones:\n{zones}  components:\n{comps}"
           f"  interactions:\n{flows}")
    root = write_catalog(tmp_path / "catalog", {"teams.yaml": "teams: [{id: core, name: C}]\n",
                                                "big.yaml": big})
    loaded = load_catalog(root)
    assert loaded.ok, loaded.diagnostics
    result = render_site_diagrams(loaded.catalog, SitePaths())
    assert result.ok and [r.title for r in result.by_service["big"]] == [
        "Components and dependencies", "Data flows"]
    for generated in result.files[:2]:
        svg = ET.fromstring(generated.content)
        nodes = [g for g in svg.iter(f"{SVG}g") if "component" in (g.get("class") or "")]
        assert len(nodes) == 60
    flows_svg = ET.fromstring(result.files[1].content)
    assert len([g for g in flows_svg.iter(f"{SVG}g")
                if "mark-unencrypted" in (g.get("class") or "")]) == 12


def test_paths_follow_the_prefix_option(tmp_path: Path) -> None:
    catalog = load_catalog(write_catalog(tmp_path / "catalog", rich_catalog())).catalog
    result = render_site_diagrams(catalog, SitePaths("catalog"))
    # The ledger of the rich catalog has no architecture: no diagram of its own.
    assert sorted(g.src_path for g in result.files) == [
        "catalog/architecture/diagrams/fleet-map.svg",
        "catalog/services/checkout/diagrams/components.svg",
        "catalog/services/checkout/diagrams/interactions.svg",
    ]
    assert all(isinstance(g.content, bytes) and g.abs_path is None for g in result.files)

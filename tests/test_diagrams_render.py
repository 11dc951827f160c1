"""Rendering with real Graphviz: self-contained SVGs, styles from marks, links, no stray files."""

from __future__ import annotations

import base64
import sys
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import diagrams
import pytest

from opsready.diagrams import render, tools
from opsready.diagrams.render import RenderError, SpecError, render_svg
from opsready.diagrams.spec import ClusterSpec, DiagramSpec, EdgeSpec, NodeSpec

NS = {"svg": "http://www.w3.org/2000/svg"}
HREF = "{http://www.w3.org/1999/xlink}href"


def M(*marks: str) -> frozenset[str]:
    return frozenset(marks)


pytestmark = pytest.mark.skipif(not tools.graphviz_available(), reason="needs Graphviz")


def checkout() -> DiagramSpec:
    return DiagramSpec(
        id="checkout",
        title="Checkout",
        clusters=(
            ClusterSpec("pub", "Public", style="public"),
            ClusterSpec("int", "Internal", style="internal"),
            ClusterSpec("res", "Restricted", parent="int", style="restricted"),
        ),
        nodes=(
            NodeSpec("user", "Customer", "user", cluster="pub"),
            NodeSpec("lb", "Edge LB", "load_balancer", cluster="pub", marks=frozenset({"spof"})),
            NodeSpec("api", "Checkout API", "web", "int", "/services/checkout/", M("critical")),
            NodeSpec("db", "Orders", "aws.database.RDS", cluster="res"),
            NodeSpec("psp", "Payments", "saas", marks=frozenset({"external", "tier-1"})),
        ),
        edges=(
            EdgeSpec("user", "lb", "HTTPS"),
            EdgeSpec("lb", "api", "HTTP", frozenset({"unencrypted", "cross-boundary"})),
            EdgeSpec("api", "db", "SQL", frozenset({"critical"})),
            EdgeSpec("api", "psp", "", frozenset({"unencrypted"})),
        ),
    )


def parse(svg: bytes) -> ET.Element:
    return ET.fromstring(svg)


def by_id(root: ET.Element, ident: str) -> ET.Element:
    found = [el for el in root.iter() if el.get("id") == ident]
    assert len(found) == 1, ident
    return found[0]


def styled(group: ET.Element, tag: str) -> ET.Element:
    return next(group.iter(f"{{{NS['svg']}}}{tag}"))


@pytest.fixture(scope="module")
def svg() -> bytes:
    return render_svg(checkout())


def test_icons_are_inline_pngs(svg: bytes) -> None:
    root = parse(svg)
    images = list(root.iter(f"{{{NS['svg']}}}image"))
    symbols = {el.get("id") for el in root.iter(f"{{{NS['svg']}}}symbol")}
    uses = list(root.iter(f"{{{NS['svg']}}}use"))
    assert images and len(uses) == len(checkout().nodes)
    for image in images:
        href = image.get(HREF, "")
        assert href.startswith("data:image/png;base64,")
        assert base64.b64decode(href.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    for use in uses:
        assert use.get(HREF, "").lstrip("#") in symbols


def test_no_filesystem_path(svg: bytes) -> None:
    text = svg.decode()
    site_packages = str(Path(diagrams.__file__).resolve().parent.parent)
    for path in (site_packages, str(render.icon_root()), sys.prefix, "/resources/", ".png"):
        assert path not in text
    assert "<!--" not in text


def test_marks_become_styles(svg: bytes) -> None:
    root = parse(svg)
    unencrypted = by_id(root, "edge-1")  # lb -> api: unencrypted + cross-boundary
    path = styled(unencrypted, "path")
    assert path.get("stroke-dasharray") and path.get("stroke") == "#d63031"
    assert path.get("stroke-width") == "2"  # bold
    assert "mark-unencrypted" in (unencrypted.get("class") or "")
    assert "HTTP (unencrypted)" in "".join(unencrypted.itertext())
    assert styled(by_id(root, "edge-2"), "path").get("stroke-width") == "3.5"  # critical
    assert "(unencrypted)" in "".join(by_id(root, "edge-3").itertext())
    plain = styled(by_id(root, "edge-0"), "path")
    assert not plain.get("stroke-dasharray") and not plain.get("stroke-width")

    spof = by_id(root, "node-lb")
    assert styled(spof, "path").get("stroke") == "#d63031"
    assert "(SPOF)" in "".join(spof.itertext())
    assert "mark-spof" in (spof.get("class") or "")
    external = by_id(root, "node-psp")
    assert styled(external, "path").get("stroke-dasharray")
    assert "mark-tier-1" in (external.get("class") or "")


def test_node_url_is_a_link(svg: bytes) -> None:
    link = next(by_id(root := parse(svg), "node-api").iter(f"{{{NS['svg']}}}a"))
    assert link.get(HREF) == "/services/checkout/"
    assert link.get("target") == "_top"
    assert not [a for a in by_id(root, "node-db").iter(f"{{{NS['svg']}}}a") if a.get(HREF)]


def test_clusters(svg: bytes) -> None:
    root = parse(svg)
    restricted = by_id(root, "cluster-res")
    assert "zone-restricted" in (restricted.get("class") or "")
    assert styled(restricted, "path").get("fill") == "#f4ecf7"
    assert "Restricted" in "".join(restricted.itertext())


def test_labels_are_literal() -> None:
    tricky = 'a <b>bold</b> & "q" \\N ünï'
    spec = DiagramSpec(
        "tricky",
        "<title> \\G",
        nodes=(NodeSpec("node", tricky), NodeSpec("a:b", "port-like id")),
        clusters=(),
        edges=(EdgeSpec("node", "a:b", "<x>"),),
    )
    root = parse(render_svg(spec))
    text = " ".join(" ".join(root.itertext()).split())
    assert 'a <b>bold</b> & "q" \\N ünï' in text
    assert "<title> \\G" in text and "<x>" in text


def test_sixty_nodes_render() -> None:
    zones = ("public", "dmz", "internal", "restricted")
    kinds_ = ("web", "worker", "queue", "cache", "sql", "saas", "onprem.queue.Kafka")
    nodes = [
        NodeSpec(f"s{i}", f"service-{i}", kinds_[i % len(kinds_)], zones[i % 4],
                 marks=frozenset({"spof"} if i % 9 == 0 else ()))
        for i in range(60)
    ]  # fmt: skip
    edges = [EdgeSpec(f"s{i}", f"s{(i * 7 + 3) % 60}", f"e{i}") for i in range(60)]
    spec = DiagramSpec(
        "fleet", "Fleet", "TB", tuple(nodes), tuple(ClusterSpec(z, z, style=z) for z in zones),
        tuple(edges),
    )  # fmt: skip
    svg = render_svg(spec)
    root = parse(svg)
    assert len([g for g in root.iter() if (g.get("class") or "").startswith("node")]) == 60
    # One inline copy per distinct icon, however many nodes use it.
    assert len(list(root.iter(f"{{{NS['svg']}}}image"))) == len(kinds_)
    assert len(svg) < 2_000_000


def test_invalid_spec_raises_with_id() -> None:
    spec = DiagramSpec("broken", "B", nodes=(NodeSpec("a", "A"),), edges=(EdgeSpec("a", "zz"),))
    with pytest.raises(SpecError, match=r"'broken'.*unknown node 'zz'"):
        render_svg(spec)


def test_writes_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    render_svg(checkout())
    assert list(tmp_path.iterdir()) == []


def test_output_is_deterministic_and_thread_safe(svg: bytes) -> None:
    specs = [checkout(), *(DiagramSpec(f"d{i}", f"D{i}", nodes=(NodeSpec("x", f"X{i}"),))
                           for i in range(6))]  # fmt: skip
    serial = [render_svg(s) for s in specs]
    assert serial[0] == svg
    results: dict[int, bytes] = {}

    def work(i: int) -> None:
        results[i] = render_svg(specs[i % len(specs)])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(21)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(results[i] == serial[i % len(specs)] for i in range(21))
    assert diagrams.getdiagram() is None and diagrams.getcluster() is None


def test_graphviz_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    tools.graphviz_version.cache_clear()
    try:
        assert not tools.graphviz_available()
        with pytest.raises(tools.GraphvizMissing, match="apt-get install graphviz") as info:
            render_svg(checkout())
        assert "brew install graphviz" in str(info.value)
        assert "dnf install graphviz" in str(info.value)
    finally:
        tools.graphviz_version.cache_clear()


def test_timeout_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="longer than"):
        render_svg(checkout(), timeout=1e-6)


def test_long_flow_labels_wrap_and_keep_every_word() -> None:
    label = "Payment intents, wallets and billing settings (PostgreSQL wire protocol, TLS 1.3)"
    spec = DiagramSpec("wrap", "Wrap", nodes=(NodeSpec("a", "A"), NodeSpec("b", "B")),
                       edges=(EdgeSpec("a", "b", label, M("unencrypted")),))
    edge = by_id(parse(render_svg(spec)), "edge-0")
    lines = [t.text or "" for t in edge.iter(f"{{{NS['svg']}}}text")]
    assert len(lines) >= 3 and all(len(line) <= render.EDGE_LABEL_WIDTH for line in lines[:-1])
    assert " ".join(lines).split() == f"{label} (unencrypted)".split()
    assert label in (next(edge.iter(f"{{{NS['svg']}}}a")).get(HREF.replace("href", "title"))
                     or "")


def test_tier_clusters_and_level_fills() -> None:
    spec = DiagramSpec(
        "fleet", "Fleet",
        clusters=(ClusterSpec("t1", "Tier 1", style="tier-1"),),
        nodes=(NodeSpec("gold", "Gold (gold)", cluster="t1", marks=M("tier-1", "level-gold")),
               NodeSpec("none", "None (no level)", marks=M("level-none", "spof")),
               NodeSpec("plain", "Plain", marks=M("tier-3"))),
    )  # fmt: skip
    root = parse(render_svg(spec))
    assert styled(by_id(root, "cluster-t1"), "path").get("fill") == "#fdf2e9"
    gold = styled(by_id(root, "node-gold"), "path")
    assert gold.get("fill") == "#fcf3cf" and gold.get("stroke") == "#b7950b"
    none = styled(by_id(root, "node-none"), "path")
    assert none.get("fill") == "#fadbd8" and none.get("stroke") == "#d63031"  # SPOF border wins
    assert not list(by_id(root, "node-plain").iter(f"{{{NS['svg']}}}path"))


def test_svg_is_sized_so_its_smallest_text_is_legible(svg: bytes) -> None:
    root = ET.fromstring(svg)
    box = [float(v) for v in root.get("viewBox", "").split()]
    width, height = root.get("width", ""), root.get("height", "")
    assert width.endswith("px") and height.endswith("px")  # CSS px, not Graphviz's points
    sizes = [float(t.get("font-size", "0")) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    # Shown at its own size, the smallest text is LEGIBLE_TEXT_PX (12) CSS px.
    smallest = float(width[:-2]) / box[2] * min(sizes)
    assert abs(smallest - render.LEGIBLE_TEXT_PX) < 0.1
    assert abs(float(width[:-2]) / float(height[:-2]) - box[2] / box[3]) < 0.01


def test_long_zone_titles_and_labels_wrap_between_words() -> None:
    title = "Cardholder data environment (restricted network)"
    spec = DiagramSpec("wrap", "Wrap", nodes=(
        NodeSpec("a", "payments.events topic", "kafka", "z"),), clusters=(
        ClusterSpec("z", title, style="restricted"),))
    root = ET.fromstring(render_svg(spec))
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert max(len(t) for t in texts) <= render.CLUSTER_LABEL_WIDTH
    assert " ".join(t for t in texts if t in title) == title  # every word, in order
    assert "payments.events" in texts  # a long word stays whole

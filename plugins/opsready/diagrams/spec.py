"""Library-independent description of a diagram, its validation and its content hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..model import component_kinds as kinds
from . import tools

# Bump whenever render.py's output changes for the same spec, so cached SVGs are redrawn.
RENDER_REVISION = 3

DIRECTIONS = ("LR", "RL", "TB", "BT")

# Marks the renderer styles; any other mark (tier-1, level-gold...) still reaches the SVG
# as a CSS class `mark-<name>` and in the tooltip.
NODE_MARKS: dict[str, str] = {
    "spof": "single point of failure: red border and '(SPOF)' after the label",
    "critical": "critical component: thick orange border",
    "external": "outside our control: dashed grey border",
    "level-gold": "readiness level gold: pale gold box (also level-silver, -bronze, -none)",
}
EDGE_MARKS: dict[str, str] = {
    "unencrypted": "dashed red line, '(unencrypted)' after the label",
    "cross-boundary": "bold line: the flow crosses a trust boundary",
    "critical": "thicker line: a critical dependency",
}

# Anything else (javascript:, data:, file:) could run or leak when the SVG is inlined.
_URL_SCHEMES = {"", "http", "https", "mailto"}


def _marks(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):  # a lone string would become a set of letters
        return frozenset([value])
    return frozenset(value)


@dataclass(frozen=True)
class NodeSpec:
    """One box of a diagram; `kind` is an alias or a dotted `diagrams` class name."""

    id: str
    label: str
    kind: str = "service"
    cluster: str | None = None
    url: str | None = None
    marks: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "marks", _marks(self.marks))


@dataclass(frozen=True)
class ClusterSpec:
    """A box around nodes (e.g. a trust zone); `parent` nests it in another cluster."""

    id: str
    label: str
    parent: str | None = None
    style: str | None = None


@dataclass(frozen=True)
class EdgeSpec:
    """A directed flow from node `src` to node `dst`."""

    src: str
    dst: str
    label: str = ""
    marks: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "marks", _marks(self.marks))


@dataclass(frozen=True)
class DiagramSpec:
    """A whole diagram. Order of nodes, clusters and edges is kept: it steers the layout."""

    id: str
    title: str
    direction: str = "LR"
    nodes: tuple[NodeSpec, ...] = ()
    clusters: tuple[ClusterSpec, ...] = ()
    edges: tuple[EdgeSpec, ...] = ()

    def __post_init__(self) -> None:
        # Accept lists from callers but keep the spec hashable.
        for name in ("nodes", "clusters", "edges"):
            object.__setattr__(self, name, tuple(getattr(self, name)))


def validate_spec(spec: DiagramSpec) -> list[str]:
    """Return every problem of `spec` (unknown references, duplicates, bad kinds...); [] if none."""
    problems: list[str] = []
    if not spec.id:
        problems.append("diagram id is empty")
    if spec.direction not in DIRECTIONS:
        problems.append(f"direction {spec.direction!r} is not one of {', '.join(DIRECTIONS)}")

    clusters: dict[str, ClusterSpec] = {}
    for cluster in spec.clusters:
        if not cluster.id:
            problems.append("a cluster has an empty id")
        elif cluster.id in clusters:
            problems.append(f"cluster {cluster.id!r} is defined twice")
        clusters[cluster.id] = cluster
    for cluster in spec.clusters:
        if cluster.parent is not None and cluster.parent not in clusters:
            problems.append(f"cluster {cluster.id!r}: unknown parent cluster {cluster.parent!r}")
    problems.extend(_cluster_cycles(clusters))

    node_ids: set[str] = set()
    for node in spec.nodes:
        where = f"node {node.id!r}"
        if not node.id:
            problems.append("a node has an empty id")
        elif node.id in node_ids:
            problems.append(f"{where} is defined twice")
        node_ids.add(node.id)
        if node.cluster is not None and node.cluster not in clusters:
            problems.append(f"{where}: unknown cluster {node.cluster!r}")
        if not kinds.is_known_kind(node.kind):
            hint = ", ".join(kinds.suggest_kinds(node.kind)) or "see the list of kinds"
            problems.append(f"{where}: unknown kind {node.kind!r} (did you mean: {hint}?)")
        if node.url is not None and urlsplit(node.url).scheme.lower() not in _URL_SCHEMES:
            problems.append(f"{where}: url {node.url!r} must be relative, http(s) or mailto")

    for index, edge in enumerate(spec.edges):
        for end in (edge.src, edge.dst):
            if end not in node_ids:
                problems.append(f"edge #{index} {edge.src!r} -> {edge.dst!r}: unknown node {end!r}")
    return problems


def _cluster_cycles(clusters: dict[str, ClusterSpec]) -> list[str]:
    problems = []
    for start in clusters:
        seen = {start}
        parent = clusters[start].parent
        while parent is not None and parent in clusters:
            if parent in seen:
                problems.append(f"cluster {start!r} is nested in itself")
                break
            seen.add(parent)
            parent = clusters[parent].parent
    return problems


def spec_to_dict(spec: DiagramSpec) -> dict[str, Any]:
    """Return `spec` as plain JSON-ready data (marks sorted, so the result is canonical)."""
    return {
        "id": spec.id,
        "title": spec.title,
        "direction": spec.direction,
        "nodes": [
            {
                "id": n.id,
                "label": n.label,
                "kind": n.kind,
                "cluster": n.cluster,
                "url": n.url,
                "marks": sorted(n.marks),
            }
            for n in spec.nodes
        ],
        "clusters": [
            {"id": c.id, "label": c.label, "parent": c.parent, "style": c.style}
            for c in spec.clusters
        ],
        "edges": [
            {"src": e.src, "dst": e.dst, "label": e.label, "marks": sorted(e.marks)}
            for e in spec.edges
        ],
    }


def spec_from_dict(data: dict[str, Any]) -> DiagramSpec:
    """Build a DiagramSpec from the output of `spec_to_dict`."""
    return DiagramSpec(
        id=data["id"],
        title=data["title"],
        direction=data.get("direction", "LR"),
        nodes=tuple(NodeSpec(**n) for n in data.get("nodes", ())),
        clusters=tuple(ClusterSpec(**c) for c in data.get("clusters", ())),
        edges=tuple(EdgeSpec(**e) for e in data.get("edges", ())),
    )


def tool_versions() -> dict[str, str]:
    """Versions that change the drawing of a spec: renderer revision, diagrams, Graphviz."""
    try:
        graphviz = tools.graphviz_version()
    except tools.GraphvizMissing:
        graphviz = "missing"
    return {
        "opsready-render": str(RENDER_REVISION),
        "diagrams": tools.diagrams_version(),
        "graphviz": graphviz,
    }


def spec_hash(spec: DiagramSpec) -> str:
    """Return a stable sha256 hex digest of what is drawn and of the tools drawing it.

    The spec's `id` is left out (it is not drawn): equal diagrams share one cached file.
    """
    drawn = spec_to_dict(spec)
    del drawn["id"]
    payload = {"spec": drawn, "tools": tool_versions()}
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

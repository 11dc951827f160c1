"""Draw a DiagramSpec with the `diagrams` library and Graphviz into a self-contained SVG."""

from __future__ import annotations

import base64
import contextvars
import functools
import hashlib
import html
import re
import subprocess
import textwrap
from pathlib import Path

import diagrams
import graphviz

from ..guard.bounds import DIAGRAM_TIMEOUT
from ..guard.svg import svg_problems
from ..model import component_kinds as kinds
from . import tools
from .spec import ClusterSpec, DiagramSpec, EdgeSpec, NodeSpec, validate_spec

DEFAULT_TIMEOUT = DIAGRAM_TIMEOUT  # one `dot` run; the check bounds diagram size (guard.bounds)
LABEL_WIDTH = 13  # characters per label line: icon nodes are a fixed ICON_INCHES wide
EDGE_LABEL_WIDTH = 30  # long flow labels on one line made data-flow diagrams metres wide
CLUSTER_LABEL_WIDTH = 24  # characters per line of a zone's title
# Icons of 0.8 inch (the library draws 1.4) with the label below: a diagram of a dozen parts fits
# the width of a page's text column at a legible size.
ICON_INCHES = 0.8
LABEL_LINE_INCHES = 0.2
CHAR_INCHES = 0.1  # an average character of a 13 pt label
# The SVG's own size: the smallest text shows at this many CSS px (the page shows the diagram at
# this size, scrolling sideways inside its frame when it is wider than the column).
LEGIBLE_TEXT_PX = 12.0

RED, ORANGE, GREY, EDGE_GREY = "#D63031", "#E17055", "#636E72", "#7B8894"

# Trust-zone looks for ClusterSpec.style; any other style gets the library's default colours.
CLUSTER_STYLES: dict[str, dict[str, str]] = {
    "public": {"bgcolor": "#FDEDEC", "pencolor": "#E17055"},
    "dmz": {"bgcolor": "#FEF5E7", "pencolor": "#F0A500"},
    "internal": {"bgcolor": "#EAF2F8", "pencolor": "#74B9FF"},
    "restricted": {"bgcolor": "#F4ECF7", "pencolor": "#6C5CE7", "style": "rounded,bold"},
    # The fleet map groups services by tier.
    "tier-1": {"bgcolor": "#FDF2E9", "pencolor": "#D35400", "style": "rounded,bold"},
    "tier-2": {"bgcolor": "#EBF5FB", "pencolor": "#2E86C1"},
    "tier-3": {"bgcolor": "#F4F6F6", "pencolor": "#95A5A6"},
}

# Readiness-level marks fill a node's box (the label also names the level: colour is not
# the only cue). (fill, border)
LEVEL_FILLS: dict[str, tuple[str, str]] = {
    "level-gold": ("#FCF3CF", "#B7950B"),
    "level-silver": ("#EAEDED", "#717D7E"),
    "level-bronze": ("#F6DDCC", "#A04000"),
    "level-none": ("#FADBD8", "#C0392B"),
}

GRAPH_ATTR = {
    "pad": "0.3",
    "nodesep": "0.35",
    "ranksep": "0.45",
    "splines": "spline",  # "ortho" drops edge labels
    "fontsize": "18",
    "labelloc": "t",
    "newrank": "true",
    "outputorder": "edgesfirst",
    "bgcolor": "white",  # black line icons must stay visible on a dark page
}
EDGE_ATTR = {"color": EDGE_GREY, "arrowsize": "0.8"}


class SpecError(ValueError):
    """A spec that cannot be drawn; `problems` lists every reason."""

    def __init__(self, spec_id: str, problems: list[str]) -> None:
        self.spec_id = spec_id
        self.problems = problems
        super().__init__(f"diagram {spec_id!r}: " + "; ".join(problems))


class RenderError(RuntimeError):
    """Graphviz failed, timed out, or produced an SVG that is not self-contained."""

    def __init__(self, spec_id: str, message: str) -> None:
        self.spec_id = spec_id
        super().__init__(f"diagram {spec_id!r}: {message}")


def render_svg(spec: DiagramSpec, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Return `spec` drawn as a self-contained SVG (icons inlined, no filesystem path).

    Raises SpecError for an invalid spec, GraphvizMissing without `dot`, RenderError else.
    Writes no file: the DOT source goes to `dot` on stdin and the SVG comes back on stdout.
    """
    problems = validate_spec(spec)
    if problems:
        raise SpecError(spec.id, problems)
    raw = _run_dot(spec.id, build_dot(spec), timeout)
    svg = legible_size(inline_icons(spec.id, raw.decode("utf-8")))
    check_self_contained(spec.id, svg)
    return svg.encode("utf-8")


def build_dot(spec: DiagramSpec) -> str:
    """Return the Graphviz DOT source of a valid `spec`, built with the `diagrams` library."""
    # diagrams keeps the current diagram and cluster in context variables: a fresh Context
    # per build isolates concurrent builds in threads and leaves nothing behind on error.
    source: str = contextvars.Context().run(_build, spec)
    return source


def _build(spec: DiagramSpec) -> str:
    # We never enter `with Diagram(...)`: its exit renders next to the cwd and may open a
    # viewer. The name given as filename is never written.
    graph = diagrams.Diagram(
        name=_esc(spec.title),
        filename="opsready-diagram",
        direction=spec.direction,
        outformat="svg",
        show=False,
        graph_attr={**GRAPH_ATTR, "label": _esc(spec.title)},
        edge_attr=EDGE_ATTR,
    )
    diagrams.setdiagram(graph)
    children: dict[str | None, list[ClusterSpec]] = {}
    for cluster in spec.clusters:
        children.setdefault(cluster.parent, []).append(cluster)
    members: dict[str | None, list[tuple[int, NodeSpec]]] = {}
    for index, node in enumerate(spec.nodes):
        members.setdefault(node.cluster, []).append((index, node))
    numbers = {cluster.id: i for i, cluster in enumerate(spec.clusters)}
    made: dict[str, diagrams.Node] = {}

    def fill(parent: str | None) -> None:
        for index, node in members.get(parent, []):
            made[node.id] = _node(index, node)
        for cluster in children.get(parent, []):
            box = diagrams.Cluster(cluster.label, graph_attr=_cluster_attrs(cluster))
            # Unique subgraph names: Graphviz merges clusters that share a name (a label).
            box.dot.name = f"cluster_{numbers[cluster.id]}"
            with box:
                fill(cluster.id)

    fill(None)
    for index, edge in enumerate(spec.edges):
        graph.connect(made[edge.src], made[edge.dst], _edge(index, edge))
    return str(graph.dot.source)


def _classes(prefix: str, marks: frozenset[str]) -> str:
    names = sorted(re.sub(r"[^a-z0-9-]+", "-", mark.lower()) for mark in marks)
    return " ".join([prefix] + [f"mark-{name}" for name in names])


def _esc(text: str) -> str:
    # Graphviz expands backslash escapes (\N, \G...) and takes <...> as an HTML label; the
    # escaped value is a str subclass that the graphviz package quotes as plain text.
    escaped: str = graphviz.escape(text)
    return escaped


def _node(index: int, node: NodeSpec) -> diagrams.Node:
    label = "\n".join(textwrap.wrap(node.label, LABEL_WIDTH, break_long_words=False) or [""])
    attrs: dict[str, str] = {
        # The icon at the top of a fixed-size node, one line of height per label line below it.
        "width": str(ICON_INCHES),
        "height": f"{ICON_INCHES + 0.1 + LABEL_LINE_INCHES * (label.count(chr(10)) + 1):.2f}",
        "imagepos": "tc",
        "id": _esc(f"node-{node.id}"),
        "class": _classes("component", node.marks),
        "tooltip": _esc(" | ".join([node.label, node.kind, *sorted(node.marks)])),
    }
    styles, color, width = ["rounded"], "", 0.0
    if "external" in node.marks:
        styles, color, width = styles + ["dashed"], GREY, 1.5
    if "critical" in node.marks:
        color, width = ORANGE, 2.5
    if "spof" in node.marks:
        styles, color, width = styles + ["bold"], RED, 3.0
        label += "\n(SPOF)"
        attrs["height"] = f"{float(attrs['height']) + LABEL_LINE_INCHES:.2f}"
        attrs["fontcolor"] = RED
    level = next((LEVEL_FILLS[m] for m in sorted(node.marks) if m in LEVEL_FILLS), None)
    if level is not None:
        styles.append("filled")
        attrs["fillcolor"] = level[0]
        if not color:
            color, width = level[1], 1.5
    if color:  # icon nodes have no outline (shape none) unless a mark asks for one
        attrs.update(shape="box", style=",".join(styles), color=color, penwidth=str(width))
        # The outline goes round the label too: as wide as its longest line, and the icon
        # (scaled to the node's width) above the label.
        lines = label.split("\n")
        wide = max(ICON_INCHES, max(len(line) for line in lines) * CHAR_INCHES + 0.15)
        attrs.update(width=f"{wide:.2f}",
                     height=f"{wide + 0.1 + LABEL_LINE_INCHES * len(lines):.2f}")
    if node.url:
        attrs.update(URL=_esc(node.url), target="_top")
    cls = kinds.resolve_kind(node.kind)
    made: diagrams.Node = cls(_esc(label), nodeid=f"n{index}", **attrs)
    return made


def _cluster_attrs(cluster: ClusterSpec) -> dict[str, str]:
    attrs = {
        # Wrapped: a long zone name made its box, and the diagram, wider than a page column.
        "label": _esc("\n".join(textwrap.wrap(cluster.label, CLUSTER_LABEL_WIDTH,
                                               break_long_words=False) or [""])),
        "id": _esc(f"cluster-{cluster.id}"),
        "class": "zone" + (f" zone-{cluster.style}" if cluster.style else ""),
        "fontsize": "13",
    }
    attrs.update(CLUSTER_STYLES.get(cluster.style or "", {}))
    return attrs


def _edge(index: int, edge: EdgeSpec) -> diagrams.Edge:
    label = edge.label
    attrs: dict[str, str] = {
        "id": f"edge-{index}",
        "class": _classes("flow", edge.marks),
    }
    styles = []
    if "unencrypted" in edge.marks:
        label = f"{label} (unencrypted)" if label else "(unencrypted)"
        styles.append("dashed")
        attrs.update(color=RED, fontcolor=RED)
    if "cross-boundary" in edge.marks:
        styles.append("bold")
    if "critical" in edge.marks:
        attrs["penwidth"] = "3.5"
    if styles:
        attrs["style"] = ",".join(styles)
    attrs["tooltip"] = _esc(f"{edge.src} -> {edge.dst}" + (f": {label}" if label else ""))
    drawn = "\n".join(textwrap.wrap(label, EDGE_LABEL_WIDTH))
    return diagrams.Edge(label=_esc(drawn), forward=True, **attrs)


def _run_dot(spec_id: str, source: str, timeout: float) -> bytes:
    dot = tools.dot_executable()
    if dot is None:
        raise tools.GraphvizMissing("`dot` is not on PATH")
    try:
        done = subprocess.run(
            [dot, "-Tsvg"],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise RenderError(spec_id, f"Graphviz took longer than {timeout:g} s") from exc
    except OSError as exc:
        raise tools.GraphvizMissing(str(exc)) from exc
    if done.returncode != 0 or not done.stdout:
        err = done.stderr.decode("utf-8", "replace").strip()
        raise RenderError(spec_id, f"Graphviz failed ({done.returncode}): {err}")
    return done.stdout


@functools.lru_cache(maxsize=1)
def icon_root() -> Path:
    """Return the folder holding the `diagrams` icons (its top-level `resources` package)."""
    return Path(diagrams.__file__).resolve().parent.parent / "resources"


_IMAGE = re.compile(r"<image\b([^>]*?)/>")
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')
_COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)


@functools.lru_cache(maxsize=512)
def _icon(path: str) -> tuple[str, str, int, int]:
    # (symbol id, data URI, pixel width, height); the id hashes the content, so ids stay
    # equal for equal icons when several SVGs are inlined into one page.
    data = Path(path).read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"icon is not a PNG: {Path(path).name}")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    ident = "icon-" + hashlib.sha256(data).hexdigest()[:16]
    return ident, "data:image/png;base64," + base64.b64encode(data).decode("ascii"), width, height


def inline_icons(spec_id: str, svg: str) -> str:
    """Replace icon file references by `<use>` of one inline base64 PNG `<symbol>` per icon.

    Also drops XML comments (Graphviz writes node names and titles there).
    """
    root = icon_root()
    symbols: dict[str, str] = {}

    def swap(match: re.Match[str]) -> str:
        attrs = dict(_ATTR.findall(match.group(1)))
        path = Path(html.unescape(attrs.get("xlink:href", ""))).resolve()
        if not path.is_relative_to(root):
            raise RenderError(spec_id, f"icon outside the diagrams resources: {path.name}")
        try:
            ident, uri, width, height = _icon(str(path))
        except (OSError, ValueError) as exc:
            raise RenderError(spec_id, f"cannot read icon {path.name}: {exc}") from exc
        symbols[ident] = (
            f'<symbol id="{ident}" viewBox="0 0 {width} {height}" '
            f'preserveAspectRatio="{attrs.get("preserveAspectRatio", "xMidYMid meet")}">'
            f'<image width="{width}" height="{height}" xlink:href="{uri}"/></symbol>'
        )
        place = " ".join(f'{k}="{attrs[k]}"' for k in ("x", "y", "width", "height") if k in attrs)
        return f'<use xlink:href="#{ident}" {place}/>'

    svg = _IMAGE.sub(swap, _COMMENT.sub("", svg))
    if symbols:
        defs = "<defs>" + "".join(symbols.values()) + "</defs>\n"
        svg = re.sub(r"(<svg\b[^>]*>\n?)", lambda m: m.group(1) + defs, svg, count=1)
    return svg


_SVG_SIZE = re.compile(r'<svg\b[^>]*?\swidth="[\d.]+pt"\s+height="[\d.]+pt"\s+viewBox="([\d. ]+)"')
_FONT_SIZE = re.compile(r'font-size="([\d.]+)"')


def legible_size(svg: str) -> str:
    """Give the SVG the size at which its smallest text shows at ``LEGIBLE_TEXT_PX`` CSS px.

    Graphviz sizes an SVG in points (4/3 px per unit of its viewBox); a page that shrinks the
    image to its column made a wide diagram's labels 4 px tall. At this size a page shows the
    diagram as it is (its frame scrolls when the diagram is wider than the column).
    """
    match = _SVG_SIZE.search(svg)
    sizes = [float(v) for v in _FONT_SIZE.findall(svg)]
    if match is None or not sizes:
        return svg
    box = [float(v) for v in match.group(1).split()]
    scale = LEGIBLE_TEXT_PX / min(sizes)
    width, height = round(box[2] * scale), round(box[3] * scale)
    start, end = match.span()
    head = re.sub(r'\swidth="[\d.]+pt"\s+height="[\d.]+pt"',
                  f' width="{width}px" height="{height}px"', svg[start:end], count=1)
    return svg[:start] + head + svg[end:]


def check_self_contained(spec_id: str, svg: str) -> None:
    """Raise RenderError if ``svg`` holds active content, names a local path or refers to an
    external resource (the check of ``guard.svg``, also run on every cached SVG)."""
    problems = svg_problems(svg)
    if problems:
        raise RenderError(spec_id, "; ".join(dict.fromkeys(problems)))

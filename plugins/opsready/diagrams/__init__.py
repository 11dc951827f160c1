"""Diagram engine: library-independent specs -> self-contained SVGs, cached and drawn in parallel.

`spec` and `kinds` are light (no `diagrams` import); `render` and the drawing in `batch`
import the `diagrams` library only when something is drawn.
"""

from __future__ import annotations

from .batch import DiagramErrors, RenderReport, prune_cache, read_manifest, render_all
from .kinds import (
    ALIAS_DESCRIPTIONS,
    ALIASES,
    UnknownKind,
    all_dotted_kinds,
    is_known_kind,
    resolve_kind,
    suggest_kinds,
)
from .spec import (
    ClusterSpec,
    DiagramSpec,
    EdgeSpec,
    NodeSpec,
    spec_from_dict,
    spec_hash,
    spec_to_dict,
    validate_spec,
)
from .tools import GraphvizMissing, graphviz_available

__all__ = [
    "ALIASES",
    "ALIAS_DESCRIPTIONS",
    "ClusterSpec",
    "DiagramErrors",
    "DiagramSpec",
    "EdgeSpec",
    "GraphvizMissing",
    "NodeSpec",
    "RenderReport",
    "UnknownKind",
    "all_dotted_kinds",
    "graphviz_available",
    "is_known_kind",
    "prune_cache",
    "read_manifest",
    "render_all",
    "render_svg",
    "resolve_kind",
    "spec_from_dict",
    "spec_hash",
    "spec_to_dict",
    "suggest_kinds",
    "validate_spec",
]


def __getattr__(name: str) -> object:
    # render_svg lives in render.py, which imports the diagrams library: load it on first use.
    if name == "render_svg":
        from .render import render_svg

        return render_svg
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

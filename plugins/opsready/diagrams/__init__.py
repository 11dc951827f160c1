"""Diagram engine: library-independent specs -> self-contained SVGs, cached and drawn in parallel.

Names are loaded on first use, so the kind names re-exported from `opsready.model.component_kinds`
(what `opsready check` needs) cost a few milliseconds and never import the `diagrams` library;
`render` imports it when something is drawn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import lazy_getattr

if TYPE_CHECKING:
    from ..model.component_kinds import (
        ALIAS_DESCRIPTIONS,
        ALIASES,
        UnknownKind,
        all_dotted_kinds,
        is_known_kind,
        resolve_kind,
        suggest_kinds,
    )
    from .batch import DiagramErrors, RenderReport, render_all
    from .render import RenderError, SpecError, render_svg
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

_HOMES = {
    "batch": "DiagramErrors RenderReport render_all",
    ".model.component_kinds": "ALIAS_DESCRIPTIONS ALIASES UnknownKind all_dotted_kinds "
    "is_known_kind resolve_kind suggest_kinds",
    "render": "RenderError SpecError render_svg",
    "spec": "ClusterSpec DiagramSpec EdgeSpec NodeSpec spec_from_dict spec_hash spec_to_dict "
    "validate_spec",
    "tools": "GraphvizMissing graphviz_available",
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names.split()}

__all__ = [
    "ALIASES",
    "ALIAS_DESCRIPTIONS",
    "ClusterSpec",
    "DiagramErrors",
    "DiagramSpec",
    "EdgeSpec",
    "GraphvizMissing",
    "NodeSpec",
    "RenderError",
    "RenderReport",
    "SpecError",
    "UnknownKind",
    "all_dotted_kinds",
    "graphviz_available",
    "is_known_kind",
    "render_all",
    "render_svg",
    "resolve_kind",
    "spec_from_dict",
    "spec_hash",
    "spec_to_dict",
    "suggest_kinds",
    "validate_spec",
]


__getattr__ = lazy_getattr(__name__, _MODULE_OF)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

"""`opsready check`'s look at diagram kinds: every component kind must be one that can be drawn.

Which fields are kinds is declared once, in the model (``DiagramKind`` on ``ComponentKind``):
the check asks the model for them (``model_walk``) and the positions map for their place. It
reads the plain data of every file that parsed (valid or not), like the reference checks, so
one run shows every problem. The ``diagrams`` library is never imported on this path.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from pydantic import BaseModel

from ..diagnostics import Diagnostic, format_path
from ..model import Component
from ..model import component_kinds as kinds
from ..model.base import DiagramKind, RefTo
from .model_walk import field_marker, iter_marked

if TYPE_CHECKING:
    from .fleet import ServiceSource

CODE = "unknown-kind"
EXAMPLES = "web, worker, queue, cache, sql, saas, ..."


def _service_ref_keys(model: type[BaseModel]) -> tuple[str, ...]:
    """YAML keys of the fields of ``model`` that name a catalog service."""
    keys = []
    for name, info in model.model_fields.items():
        ref = field_marker(info, RefTo)
        if ref is not None and ref.kind == "service":
            keys.append(info.alias or name)
    return tuple(keys)


def kind_hint(kind: str) -> str:
    """The hint for an unknown kind: close matches, or what a kind looks like."""
    close = kinds.suggest_kinds(kind)
    if close:
        quoted = [f"'{c}'" for c in close]
        return "did you mean " + (", ".join(quoted[:-1]) + " or " if len(quoted) > 1 else "") \
            + quoted[-1] + "?"
    return (f"use a short alias ({EXAMPLES}) or a dotted `diagrams` class such as "
            "aws.database.RDS; the diagrams guide lists the aliases")


def check_kinds(model: type[BaseModel], sources: Iterable[ServiceSource]) -> list[Diagnostic]:
    """A diagnostic for every kind that cannot be drawn in files described by ``model`` (a
    service file, or ``organisation.yaml`` with its shared external systems)."""
    diags: list[Diagnostic] = []
    for source in sources:
        for found in iter_marked(model, source.loaded.data, DiagramKind):
            if kinds.is_known_kind(found.value):
                continue
            if any(found.holder.get(key) is not None for key in _service_ref_keys(found.model)):
                continue  # a catalog service has no kind of its own: the reference check says so
            line, col = source.position(found.path)
            what = "component" if found.model is Component else "external system"
            diags.append(Diagnostic(source.display, line, col, format_path(found.path),
                                    f"unknown {what} kind '{found.value}'",
                                    kind_hint(found.value), code=CODE))
    return diags

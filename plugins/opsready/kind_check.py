"""`opsready check`'s look at diagram kinds: every component kind must be one that can be drawn.

Runs on the plain data of every service file that parsed (valid or not), like the reference
checks, so one run shows every problem. Reads kinds from `kinds` only: the `diagrams` library
is never imported on this path.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from . import component_kinds as kinds
from .diagnostics import Diagnostic, format_path

if TYPE_CHECKING:
    from .catalog import ServiceSource

CODE = "unknown-kind"
EXAMPLES = "web, worker, queue, cache, sql, saas, ..."


def _kind_fields(data: Any) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """(YAML path, value) of every `kind` of a component or an external dependency (in a
    service file) or of a shared external system (in organisation.yaml)."""
    shared = data.get("external_systems") if isinstance(data, dict) else None
    for i, item in enumerate(shared if isinstance(shared, list) else ()):
        if isinstance(item, dict) and "kind" in item:
            yield ("external_systems", i, "kind"), item["kind"]
    arch = data.get("architecture") if isinstance(data, dict) else None
    if not isinstance(arch, dict):
        return
    for key in ("components", "dependencies"):
        items = arch.get(key)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            # A catalog service has no kind of its own: the reference check reports one.
            if isinstance(item, dict) and "kind" in item and "service" not in item:
                yield ("architecture", key, i, "kind"), item["kind"]


def kind_hint(kind: str) -> str:
    """The hint for an unknown kind: close matches, or what a kind looks like."""
    close = kinds.suggest_kinds(kind)
    if close:
        quoted = [f"'{c}'" for c in close]
        return "did you mean " + (", ".join(quoted[:-1]) + " or " if len(quoted) > 1 else "") \
            + quoted[-1] + "?"
    return (f"use a short alias ({EXAMPLES}) or a dotted `diagrams` class such as "
            "aws.database.RDS; the diagrams guide lists the aliases")


def check_kinds(sources: Iterable[ServiceSource]) -> list[Diagnostic]:
    """A diagnostic for every component or external-dependency kind that cannot be drawn."""
    diags: list[Diagnostic] = []
    for source in sources:
        for path, value in _kind_fields(source.loaded.data):
            if not isinstance(value, str) or kinds.is_known_kind(value):
                continue  # a non-string is a schema error, reported by validation
            line, col = source.position(path)
            what = "component" if "components" in path else "external system"
            diags.append(Diagnostic(source.display, line, col, format_path(path),
                                    f"unknown {what} kind '{value}'", kind_hint(value),
                                    code=CODE))
    return diags

"""The import graph of the package has no upward edge (docs/reference/architecture.md, "Layers").

Computed from the source with `ast` (every import, also those inside functions and under
TYPE_CHECKING), so a new module must be placed in a layer here before it can be imported.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "plugins" / "opsready"

# Lowest first. A module may import modules of its own layer and of the layers below it.
# The most specific entry wins: `backstage.detect` is part of loading, the rest of
# `backstage` is an output.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("leaf helpers", (
        "opsready", "_lazy", "diagnostics", "sections", "site_paths", "generated",
        "cache", "check_result_cache", "positions", "loader",
        "component_kinds", "prose_scan", "prose_html", "text_escape", "catalog_files",
        "rebuild_memo", "guard", "yaml_edit", "config_file",
    )),
    ("model", ("model_base", "model")),
    ("load and validate", (
        "validate", "model_walk", "references", "kind_check", "prose_check", "step_refs", "catalog",
        "schema", "schema_doc", "backstage.detect",
    )),
    ("policy", ("policy",)),
    ("outputs", (
        "pages", "diagrams", "scorecard", "alert_rules", "backstage", "linkcheck", "init_site",
        "scaffold", "team_pages", "output", "pack",
    )),
    ("adapters", ("plugin", "config", "mkdocs_config", "mkdocs_types", "cli", "macros",
                  "__main__", "render_cache", "render_convert", "render_workers", "search_cache")),
]
# Within the outputs, the diagram engine draws from the model and never reaches into pages.
FORBIDDEN_WITHIN = [("diagrams", "pages")]
# Only the MkDocs adapter imports MkDocs (and its plugins).
MKDOCS_ADAPTERS = {"plugin", "config", "mkdocs_config", "mkdocs_types", "render_cache",
                   "render_convert", "render_workers", "search_cache"}
MKDOCS_ROOTS = {"mkdocs", "material", "mkdocs_macros"}


def _modules() -> dict[str, Path]:
    mods = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts) or "opsready"] = path
    return mods


def _resolve(name: str, mods: dict[str, Path]) -> str:
    """The package module an imported name lives in (``policy.engine.X`` -> ``policy.engine``)."""
    while name not in mods and "." in name:
        name = name.rsplit(".", 1)[0]
    return name if name in mods else "opsready"


def _statements(tree: ast.AST) -> Iterator[ast.AST]:
    """Every statement of a module, nested ones included (an import is always a statement, so
    expressions, most of the tree, are not walked)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            children = getattr(node, name, None)
            if isinstance(children, list):
                stack.extend(children)


def _imports(module: str, path: Path, mods: dict[str, Path]) -> set[str]:
    """Package modules (without the ``opsready.`` prefix) and MkDocs roots ``module`` imports."""
    here = [] if module == "opsready" else module.split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found: set[str] = set()
    for node in _statements(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                stem = ".".join(["opsready", *base, *([node.module] if node.module else [])])
            else:
                stem = node.module or ""
            targets = [f"{stem}.{alias.name}" for alias in node.names] + [stem]
            if not node.level and stem.split(".")[0] in MKDOCS_ROOTS:
                found.add(stem.split(".")[0])
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
            found |= {t.split(".")[0] for t in targets if t.split(".")[0] in MKDOCS_ROOTS}
        for target in targets:
            if target == "opsready" or target.startswith("opsready."):
                inner = target.removeprefix("opsready").removeprefix(".")
                resolved = _resolve(inner, mods) if inner else "opsready"
                if resolved != module:
                    found.add(resolved)
    return found


def _layer_of(module: str) -> int:
    best: tuple[int, int] | None = None  # (length of the matching entry, layer)
    for index, (_, entries) in enumerate(LAYERS):
        for entry in entries:
            matches = module == entry or module.startswith(entry + ".")
            if matches and (best is None or len(entry) > best[0]):
                best = (len(entry), index)
    if best is None:
        raise AssertionError(f"module {module!r} is in no layer: add it to LAYERS")
    return best[1]


MODULES = _modules()
GRAPH = {m: _imports(m, p, MODULES) for m, p in sorted(MODULES.items())}


def _top(module: str) -> str:
    return module.split(".")[0]


def test_every_module_is_in_a_layer() -> None:
    for module in GRAPH:
        _layer_of(module)


def test_no_upward_import() -> None:
    upward = sorted(
        f"{m} ({LAYERS[_layer_of(m)][0]}) imports {t} ({LAYERS[_layer_of(t)][0]})"
        for m, targets in GRAPH.items() for t in targets
        if t not in MKDOCS_ROOTS and _layer_of(t) > _layer_of(m)
    )
    assert upward == []


@pytest.mark.parametrize(("lower", "upper"), FORBIDDEN_WITHIN)
def test_no_sideways_import(lower: str, upper: str) -> None:
    sideways = sorted(f"{m} imports {t}" for m, targets in GRAPH.items() if _top(m) == lower
                      for t in targets if _top(t) == upper)
    assert sideways == []


def test_only_the_mkdocs_adapter_imports_mkdocs() -> None:
    users = {m for m, targets in GRAPH.items() if targets & MKDOCS_ROOTS}
    assert users and users <= MKDOCS_ADAPTERS, users


def test_the_graph_sees_known_edges() -> None:
    # The scanner itself: relative, absolute and function-level imports are all seen.
    assert "model_base" in GRAPH["model.common"]
    assert "model.common" in GRAPH["model.service"]
    assert "kind_check" in GRAPH["catalog"]  # imported inside a function
    assert "component_kinds" in GRAPH["diagrams"]  # under TYPE_CHECKING
    assert "guard.html" in GRAPH["guard.front_matter"]
    assert "mkdocs" in GRAPH["plugin"]
    assert _layer_of("backstage.detect") < _layer_of("backstage.command")


def test_no_module_over_500_lines() -> None:
    # One job per module: a module that grows past this is split by concern (see model/).
    long = sorted(f"{m}: {n} lines" for m, p in MODULES.items()
                  if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500)
    assert long == []

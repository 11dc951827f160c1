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
        "opsready", "diagnostics", "guard", "cache", "prose", "catalog.positions",
        "catalog.yaml_loader", "catalog.files", "model.component_kinds",
        "model.document_sections", "output.site_paths", "output.site_files",
    )),
    ("model", (
        "model",
    )),
    ("load and validate", (
        "catalog", "prose.check",
    )),
    ("policy", (
        "policy",
    )),
    ("outputs", (
        "pages", "diagrams", "scorecard", "integrations", "output",
    )),
    ("adapters", (
        "mkdocs_plugin", "cli", "__main__",
    )),
]
# Within the outputs, the diagram engine draws from the model and never reaches into pages.
FORBIDDEN_WITHIN = [("diagrams", "pages")]
# Only the MkDocs adapter imports MkDocs (and its plugins).
MKDOCS_ADAPTERS = {"mkdocs_plugin.plugin", "mkdocs_plugin.config",
                   "mkdocs_plugin.mkdocs_additions", "mkdocs_plugin.mkdocs_types",
                   "mkdocs_plugin.html_cache",
                   "mkdocs_plugin.html_convert", "mkdocs_plugin.html_workers",
                   "mkdocs_plugin.search_cache"}
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
    assert "model.base" in GRAPH["model.common"]
    assert "model.common" in GRAPH["model.service"]
    assert "catalog.kind_check" in GRAPH["catalog.load"]  # imported inside a function
    assert "model.component_kinds" in GRAPH["diagrams"]  # under TYPE_CHECKING
    assert "guard.html" in GRAPH["guard.front_matter"]
    assert "mkdocs" in GRAPH["mkdocs_plugin.plugin"]
    assert _layer_of("catalog.backstage_detect") < _layer_of("cli.backstage")


def test_no_import_circle() -> None:
    # No two modules import each other, directly or through others. An edge from a module to
    # the package it is part of is the `from . import sibling` form, not a circle.
    graph = {m: {t for t in targets if t in GRAPH and not m.startswith(t + ".")}
             for m, targets in GRAPH.items()}
    state: dict[str, int] = {}
    circles: list[str] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                circles.append(" -> ".join([*path[path.index(target):], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_the_package_folder_shows_the_layers() -> None:
    # About a dozen entries at the top of the package, each a layer or a command group.
    top = sorted(p.name for p in PACKAGE.iterdir()
                 if (p.suffix == ".py" or (p / "__init__.py").exists())
                 and p.name not in {"__init__.py", "__main__.py", "data", "templates"})
    assert len(top) <= 14, top


def test_no_module_over_500_lines() -> None:
    # One job per module: a module that grows past this is split by concern (see model/).
    long = sorted(f"{m}: {n} lines" for m, p in MODULES.items()
                  if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500)
    assert long == []

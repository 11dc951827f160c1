"""The markers of the fast target, ``pytest -m "not build and not browser and not slow"``.

Every test that builds a site (``build``: MkDocs, Zensical or ``opsready generate``), drives a
browser (``browser``), or runs a process, reads the shared corpora, generates property-based cases
or is otherwise heavy (``slow``) is marked, judged from the source of the test, of its fixtures and
of the helpers they call (two levels deep). Running a process includes the opsready functions
that start one (``PROCESS_SIGNS``: Graphviz, Git, worker processes). A test or module can also
carry the marker itself (``@pytest.mark.slow``, ``pytestmark = pytest.mark.build``).

A module none of whose tests the ``-m`` expression can select is not even imported: what each
test is certain to be marked is read from the module's source (``certain_marks``: its
``pytestmark`` line, the test, the module's own fixtures and helpers it uses), so the fast target
does not pay for importing (and rewriting the asserts of) the heavy modules (MkDocs builds,
browsers, Hypothesis) it would deselect anyway. ``conftest.py`` imports the two hooks.
"""

from __future__ import annotations

import ast
import functools
import inspect
import itertools
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

KNOWN = ("build", "browser", "slow")
BROWSER_SIGNS = ("chromium_or_skip", "sync_playwright", "launched_chromium")
BUILD_SIGNS = ("build_site", "site_builder", "build(cfg", "build(config", "build(load_config",
               "\"mkdocs\"", "'mkdocs'", "zensical", "served", "built", "[\"generate\"")
PROCESS_SIGNS = ("render_svg(", "render_all(", "render_site_diagrams(",  # Graphviz's dot
                 "catalog_commit(", "[\"history\"",  # git
                 "map_processes(", "PARALLEL_THRESHOLD")  # forked workers
"""opsready functions (and a CLI command) that start a process, called by the tests directly. The
version probes (``dot -V`` once per session, cached) are not counted."""
SLOW_SIGNS = ("subprocess", "sys.executable", "@given(", "corpus(", *PROCESS_SIGNS)
SESSION_SITES = ("built", "served", "example_site", "example_served")
"""Fixtures of ``example_site.py`` that build the example site once per session."""

_MARK = r"pytest\.mark\.\w+"
_STATIC_MARKS = re.compile(
    rf"^pytestmark\s*=\s*\[?\s*({_MARK}(?:\s*,\s*{_MARK})*)\s*,?\s*\]?\s*(?:#.*)?$", re.MULTILINE)
_CALLED = re.compile(r"\b(_?[a-z]\w*)\(")


# --- skipping whole modules -------------------------------------------------------------------

def static_marks(path: Path) -> frozenset[str]:
    """The markers of a module's one-line ``pytestmark = pytest.mark.x`` (or a list of them),
    read without importing the module; empty when there is none or it is anything else."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return frozenset()
    found = _STATIC_MARKS.search(text)
    if found is None:
        return frozenset()
    return frozenset(re.findall(r"pytest\.mark\.(\w+)", found.group(1)))


@functools.cache
def can_select(expression: str, marks: frozenset[str]) -> bool:
    """Whether ``-m expression`` may select a test carrying ``marks`` (and any other known
    markers). True whenever the answer is not certain (an unknown name, marker arguments, a
    pytest without the expression module)."""
    try:
        from _pytest.mark.expression import Expression

        compiled = Expression.compile(expression)
    except Exception:  # noqa: BLE001 - an expression pytest will report itself
        return True
    unsure = False

    def matcher_for(present: frozenset[str]) -> Callable[..., bool]:
        def matcher(name: str, /, **kwargs: Any) -> bool:
            nonlocal unsure
            if kwargs or (name not in KNOWN and name not in marks):
                unsure = True
            return name in present
        return matcher

    others = [m for m in KNOWN if m not in marks]
    for extra in itertools.chain.from_iterable(
            itertools.combinations(others, n) for n in range(len(others) + 1)):
        if compiled.evaluate(matcher_for(marks | set(extra))) or unsure:
            return True
    return False


def certain_marks(path: Path) -> list[frozenset[str]] | None:
    """For each test of a module, the markers it is certain to get, read from the source without
    importing it: its ``pytestmark`` line, the signs in the test itself, in the module's fixtures
    it names as arguments and in the module's functions those call (what ``_marks`` reads too,
    less what only an import would show). None when the module has no test this can read, or
    defines tests some other way (classes, assigned or imported names)."""
    lines, tree = _parsed(str(path))
    if tree is None:
        return None
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions[node.name] = node
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            return None
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id.startswith("test") for t in targets):
                return None
        elif isinstance(node, ast.ImportFrom) and any(
                (alias.asname or alias.name).startswith("test") for alias in node.names):
            return None
    tests = [f for name, f in functions.items() if name.startswith("test")]
    if not tests:
        return None
    fixtures = {name for name, f in functions.items()
                if any("fixture" in ast.unparse(d) for d in f.decorator_list)}
    module = static_marks(path) | ({"slow"} if "pytestmark" in _corpus_names(str(path))
                                   else frozenset())
    found = []
    for test in tests:
        decorators = "\n".join(ast.unparse(d) for d in test.decorator_list)
        arguments = [a.arg for a in (*test.args.posonlyargs, *test.args.args,
                                     *test.args.kwonlyargs)]
        text = "\n".join([_text(lines, test), *(
            _text(lines, functions[a]) for a in arguments
            if a in fixtures and a not in decorators)])  # a parameter is not the fixture
        seen: set[str] = set()
        for _ in range(2):  # helpers two levels deep, as _helpers follows them
            called = [n for n in set(_CALLED.findall(text)) - seen
                      if n in functions and n not in fixtures]
            seen.update(called)
            text += "\n" + "\n".join(_text(lines, functions[n]) for n in sorted(called))
        hand = {d.attr for d in test.decorator_list  # not a mark of one parameter set
                if isinstance(d, ast.Attribute) and d.attr in KNOWN
                and ast.unparse(d.value) == "pytest.mark"}
        found.append(module | hand | _signs(text, _corpus_names(str(path))))
    return found


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Skip importing a test module none of whose tests ``-m`` can select (``certain_marks``)."""
    expression = config.getoption("markexpr", default="")
    if not expression or collection_path.suffix != ".py" \
            or not collection_path.name.startswith("test_"):
        return None
    per_test = certain_marks(collection_path)
    if per_test and not any(can_select(expression, marks) for marks in per_test):
        return True
    return None


def drop_unused_hypothesis_plugin(session: pytest.Session) -> None:
    """Without Hypothesis's pytest plugin when no collected module imported Hypothesis (no
    property-based test runs): the plugin imports Hypothesis at the end of every run to print
    its summary, about a second with pytest's assertion rewriting of its modules. Called when
    the collection is finished."""
    plugins = session.config.pluginmanager
    if "hypothesis" not in sys.modules and plugins.has_plugin("hypothesispytest"):
        plugins.unregister(name="hypothesispytest")


# --- marking tests ----------------------------------------------------------------------------

@functools.cache
def _parsed(filename: str) -> tuple[list[str], ast.Module | None]:
    """The lines of a source file and its syntax tree (None when it cannot be read)."""
    try:
        text = Path(filename).read_text(encoding="utf-8")
        return text.splitlines(keepends=True), ast.parse(text)
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return [], None


def _statements(tree: ast.AST) -> Iterator[ast.stmt]:
    """Every statement, nested ones included (functions are statements: expressions, most of
    the tree, are not walked)."""
    stack: list[Any] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.stmt):
            yield node
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            children = getattr(node, name, None)
            if isinstance(children, list):
                stack.extend(children)


def _text(lines: list[str], node: ast.stmt) -> str:
    """The source lines of a statement, decorators included."""
    decorators = getattr(node, "decorator_list", [])
    first = min([node.lineno, *(d.lineno for d in decorators)])
    return "".join(lines[first - 1:node.end_lineno or node.lineno])


@functools.cache
def _functions_of(filename: str) -> dict[int, str]:
    """For every function of a source file, its first line (the first decorator, as
    ``co_firstlineno`` gives it, and the ``def`` line) -> its source."""
    lines, tree = _parsed(filename)
    spans: dict[int, str] = {}
    for node in _statements(tree) if tree is not None else ():
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            text = _text(lines, node)
            spans.setdefault(node.lineno, text)
            spans.setdefault(min([node.lineno, *(d.lineno for d in node.decorator_list)]), text)
    return spans


@functools.cache
def _source(obj: Any) -> str:
    """The source of a function, decorators included ('' when it has none)."""
    func = inspect.unwrap(obj)
    code = getattr(func, "__code__", None)
    if code is not None:
        found = _functions_of(code.co_filename).get(code.co_firstlineno)
        if found is not None:
            return found
    try:
        return inspect.getsource(func)
    except (OSError, TypeError):
        return ""


@functools.cache
def _corpus_names(filename: str) -> frozenset[str]:
    """Module-level names bound to a shared corpus: ``X = corpus(...)``, and names bound to
    something made from such a name, directly or through a module function that reads one
    (``KUBE = _files("kube")``, ``needs_x = pytest.mark.skipif(X is None, ...)``). A module
    whose ``pytestmark`` is one of them needs the corpus in every test."""
    lines, tree = _parsed(filename)
    if tree is None or not any("corpus(" in line for line in lines):
        return frozenset()
    names: set[str] = set()
    readers: set[str] = set()  # module functions that read a corpus name
    changed = True
    while changed:
        changed = False
        for node in tree.body:
            segment = _text(lines, node)
            uses = "corpus(" in segment or any(
                re.search(rf"\b{n}\b", segment) for n in names | readers)
            if not uses:
                continue
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                bound = {node.name} - readers
                readers |= bound
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                bound = {t.id for t in targets if isinstance(t, ast.Name)} - names
                names |= bound
            else:
                continue
            changed = changed or bool(bound)
    return frozenset(names)


TESTS_DIR = Path(__file__).resolve().parent


def _helpers(module: ModuleType | None, text: str, depth: int = 2) -> Iterable[str]:
    """Sources of the functions that ``text`` calls, defined in ``module`` or imported by it from
    a support module of the tests folder, and of the functions those call, ``depth`` levels deep
    (``history_support.scripted_repo`` calls ``run_git``, which runs ``git``)."""
    for name in sorted(set(_CALLED.findall(text))):
        helper = getattr(module, name, None)
        if inspect.isfunction(helper) and (
                helper.__module__ == getattr(module, "__name__", None)
                or _in_tests(helper.__code__.co_filename)):
            yield _helper_text(helper, depth)


@functools.cache
def _helper_text(helper: Callable[..., Any], depth: int) -> str:
    """The source of ``helper`` and of the helpers it calls, ``depth - 1`` levels deeper."""
    source = _source(helper)
    if depth > 1:
        source = "\n".join([source, *_helpers(inspect.getmodule(helper), source, depth - 1)])
    return source


@functools.cache
def _in_tests(filename: str) -> bool:
    """Whether a source file is a module of the tests folder."""
    return Path(filename).resolve().parent == TESTS_DIR


@functools.cache
def _marks(func: Callable[..., Any], fixtures: tuple[Any, ...],
           session_site: bool) -> frozenset[str]:
    module = inspect.getmodule(func)
    sources = [_source(func), *(_source(f) for f in fixtures)] + (["built"] if session_site else [])
    text = "\n".join(sources)
    text += "\n" + "\n".join(_helpers(module, text))
    filename = getattr(module, "__file__", None)
    corpus = _corpus_names(filename) if filename else frozenset()
    return _signs(text, corpus) | ({"slow"} if "pytestmark" in corpus else frozenset())


def _signs(text: str, corpus: frozenset[str]) -> frozenset[str]:
    """The markers the source ``text`` shows; ``corpus`` are its module's corpus names."""
    marks = set()
    if any(sign in text for sign in BROWSER_SIGNS):
        marks.add("browser")
    if any(sign in text for sign in BUILD_SIGNS):
        marks.add("build")
    if any(sign in text for sign in SLOW_SIGNS) or any(
            re.search(rf"\b{name}\b", text) for name in corpus):
        marks.add("slow")
    return frozenset(marks)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test ``build``, ``browser`` and ``slow`` as its source says (module docstring)."""
    for item in items:
        func = getattr(item, "function", None)
        if func is None:
            continue
        info = getattr(item, "_fixtureinfo", None)
        names = tuple(getattr(item, "fixturenames", ()))
        fixtures = []
        for name in names:
            defs = info.name2fixturedefs.get(name) if info is not None else None
            if defs:
                fixtures.append(defs[-1].func)
        for mark in sorted(_marks(func, tuple(fixtures), any(n in SESSION_SITES for n in names))):
            item.add_marker(getattr(pytest.mark, mark))

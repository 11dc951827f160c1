"""Check-time diagnostics for catalog text: Markdown that would not render as written, and numbers
that YAML split at a comma in a flow list.

``opsready check`` and the build both get these from ``load_catalog``, so they always agree.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from ..catalog.yaml_loader import LoadedFile, YamlPath
from ..diagnostics import Diagnostic, format_path
from ..guard.includes import SiteReaders, inclusions, may_include
from ..model.base import FileRef, is_markdown, models_in
from .problems import problems
from .scan import MAX_REPORTED

_SCALARS = (str, int, float, bool, dt.date, Enum)


@cache
def _markdown_fields(cls: type[BaseModel]) -> frozenset[str]:
    return frozenset(n for n, f in cls.model_fields.items() if is_markdown(f))


@cache
def _holds_markdown(cls: type[BaseModel], seen: frozenset[type] = frozenset()) -> bool:
    """Whether objects of ``cls`` can contain Markdown (own fields or nested models)."""
    if issubclass(cls, FileRef) or _markdown_fields(cls):
        return True
    seen = seen | {cls}
    return any(not issubclass(m, tuple(seen)) and _holds_markdown(m, seen)
               for f in cls.model_fields.values() for m in models_in(f.annotation))


@cache
def _walked_fields(cls: type[BaseModel]) -> tuple[tuple[str, bool], ...]:
    """(field, holds Markdown itself) of the fields that can lead to Markdown: the walk's plan."""
    markdown = _markdown_fields(cls)
    return tuple((n, n in markdown) for n, f in cls.model_fields.items()
                 if n in markdown or any(_holds_markdown(m) for m in models_in(f.annotation)))


def markdown_values(obj: Any) -> list[tuple[YamlPath, str | FileRef]]:
    """Every Markdown value of a validated catalog object, with its YAML path."""
    out: list[tuple[YamlPath, str | FileRef]] = []
    _collect(obj, (), False, out)
    return out


def _collect(obj: Any, path: YamlPath, markdown: bool,
             out: list[tuple[YamlPath, str | FileRef]]) -> None:
    if isinstance(obj, FileRef) or (markdown and isinstance(obj, str)):
        out.append((path, obj))
    elif isinstance(obj, BaseModel):
        values = obj.__dict__
        for name, is_md in _walked_fields(type(obj)):
            value = values[name]
            if value is None or (not is_md and isinstance(value, _SCALARS)):
                continue
            _collect(value, (*path, name), is_md, out)
    elif isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            _collect(item, (*path, i), markdown, out)
    elif isinstance(obj, dict):
        for key, item in obj.items():
            _collect(item, (*path, str(key)), markdown, out)


def _first_content_line(loaded: LoadedFile, line: int, column: int) -> int:
    """The line where a scalar's text starts: the next line for a ``|``/``>`` block scalar."""
    lines = loaded.text.split("\n", line)
    if 0 < line <= len(lines):
        rest = lines[line - 1][column - 1:].lstrip()
        if rest[:1] in ("|", ">"):
            return line + 1
    return line


def check_prose(obj: BaseModel, display: str, loaded: LoadedFile,
                schemes: Iterable[str], site: SiteReaders | None = None) -> list[Diagnostic]:
    """Diagnostics for every Markdown value of ``obj`` (a service, or another catalog file).
    A ``{file: ...}`` Markdown file is checked for file inclusions here too (its text is not in
    the YAML that ``include_markers`` reads), with the markers ``site`` set."""
    allowed = frozenset(schemes)
    diags: list[Diagnostic] = []
    folder = ""
    for path, value in markdown_values(obj):
        if isinstance(value, FileRef):
            where = format_path(path)
            if not value.path:
                continue
            # Named like the YAML file that refers to it (relative to the same folder).
            folder = folder or str(loaded.path.resolve().parent)
            rel = os.path.relpath(value.path, folder)
            shown = (Path(display).parent / rel).as_posix()
            for p in problems(value.text, allowed):
                diags.append(Diagnostic(shown, p.line + 1, p.column + 1, where, p.message,
                                        p.hint, severity=p.severity,  # type: ignore[arg-type]
                                        code="prose"))
            for inc in inclusions(value.text, site)[:MAX_REPORTED]:
                diags.append(Diagnostic(shown, inc.line + 1, 1, where, inc.message, inc.hint,
                                        code="include"))
            continue
        found = problems(value, allowed)
        if not found:
            continue
        where = format_path(path)
        line, col = loaded.position(path)
        first = _first_content_line(loaded, line, col)
        for p in found:
            at_line = first + p.line
            diags.append(Diagnostic(display, at_line, col if at_line == line else 1, where,
                                    p.message, p.hint, severity=p.severity,  # type: ignore[arg-type]
                                    code="prose"))
    return diags


# --- file inclusion (pymdownx.snippets, markdown_include, ...) -----------------------------------


def _strings(data: Any, path: YamlPath) -> Iterator[tuple[YamlPath, str]]:
    stack: list[tuple[YamlPath, Any]] = [(path, data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            yield where, value
        elif isinstance(value, dict):
            stack.extend(((*where, str(k)), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*where, i), v) for i, v in enumerate(value))


def include_markers(loaded: LoadedFile, display: str,
                    site: SiteReaders | None = None) -> list[Diagnostic]:
    """An error for every line of a YAML string that a file-reading Markdown extension
    (``guard.includes.READERS``) would read as a file inclusion: with its default syntax, and
    with the markers the site that builds the catalog set for it (``site``, see
    ``guard.includes.configured``; None where no site is known). Commands are shown verbatim in
    fenced code, which these extensions read too: on a site that enables one, such a line would
    publish a file of the build machine."""
    diags: list[Diagnostic] = []
    # A value holds a marker only if the file's text does, or writes it with an escape
    # (``"\x38<-"``, a ``\``-joined line in a double-quoted scalar): most files skip the walk.
    if loaded.text and not may_include(loaded.text, site):
        return diags
    for path, value in _strings(loaded.data, ()):
        found = inclusions(value, site)
        if not found:
            continue
        line, col = loaded.position(path)
        first = _first_content_line(loaded, line, col)
        for inc in found[:MAX_REPORTED]:  # the first ones: fixing them shows more
            at_line = first + inc.line
            diags.append(Diagnostic(display, at_line, col if at_line == line else 1,
                                    format_path(path), inc.message, inc.hint, code="include"))
    return sorted(diags, key=lambda d: (d.line, d.column))


# --- numbers split by a flow list -----------------------------------------------------------------


_SCANNER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _three_digits(text: str) -> bool:
    return len(text) >= 3 and text[:3].isdigit() and (len(text) == 3 or not text[3].isdigit())


def split_numbers(loaded: LoadedFile, display: str) -> list[Diagnostic]:
    """Warn where a flow list (``[a, b]``) split a number such as ``1,500`` into two items."""
    text = loaded.text
    if not any(text[i - 1].isdigit() and text[i + 1:i + 4].isdigit()
               for i in _commas(text)) or not _comma_digits_in_flow(text):
        return []
    diags: list[Diagnostic] = []
    depth = 0
    previous: Any = None
    last_entry: Any = None
    try:
        # libyaml's scanner gives the same tokens and marks 6x faster than the pure-Python one,
        # which took 13% of a 250-service build (bench/site_scale.py profile).
        for token in yaml.scan(text, Loader=_SCANNER):
            if isinstance(token, yaml.FlowSequenceStartToken):
                depth += 1
            elif isinstance(token, yaml.FlowSequenceEndToken):
                depth -= 1
            elif depth and isinstance(token, yaml.FlowEntryToken):
                last_entry = token
                continue
            elif (depth and isinstance(token, yaml.ScalarToken) and token.plain
                  and last_entry is not None and isinstance(previous, yaml.ScalarToken)
                  and previous.plain and token.start_mark.index == last_entry.end_mark.index
                  and previous.value[-1:].isdigit() and _three_digits(token.value)):
                line, col = token.start_mark.line + 1, token.start_mark.column + 1
                at = loaded.positions.path_at(line, col)
                where = format_path(at) if at is not None else ""
                number = f"{previous.value.split()[-1]},{token.value.split()[0]}"
                diags.append(Diagnostic(
                    display, line, col, where, f"'{number}' was split into two list items at its "
                    f"comma ('{previous.value}' and '{token.value}')",
                    f"quote the item: \"{previous.value},{token.value}\"", severity="warning",
                    code="split-number"))
            previous = token if isinstance(token, yaml.ScalarToken) else None
            last_entry = None
    except yaml.YAMLError:
        return []  # the loader has reported the syntax error already
    return diags


def _comma_digits_in_flow(text: str) -> bool:
    """Whether some comma followed by three digits comes after a ``[``: a split needs both (the
    item after the comma starts with the digits, inside a flow list opened earlier), so a file
    without one is not scanned (prose such as "11,400 clients" is common, flow lists rare)."""
    start = text.find("[")
    if start < 0:
        return False
    at = text.find(",", start)
    while at >= 0:
        if text[at + 1:at + 4].isdigit():
            return True
        at = text.find(",", at + 1)
    return False


def _commas(text: str) -> Iterator[int]:
    at = text.find(",", 1)
    while 0 < at < len(text) - 3:
        yield at
        at = text.find(",", at + 1)

"""File-including syntax: the Markdown extensions that read files of the build machine into a
page, and where a text holds what one of them would read.

A team's text (catalog values, commands shown verbatim in fences, team pages after the sandbox
rendered them) must never ask the converter for a file: ``--8<-- ".git/config"`` with
``pymdownx.snippets`` or ``{!.git/config!}`` with ``markdown_include`` publishes the CI's
credentials. Each extension of ``READERS`` says what its syntax is; a text is checked against
every one of them (a catalog is checked before anyone knows which site will build it), and
against the syntax a site configured for one (``mdx_include``'s ``syntax_left`` and
``syntax_right``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Inclusion:
    """One place where a text asks an extension for a file. ``line`` is 0-based."""

    line: int
    extension: str
    message: str
    hint: str


def snippet_lines(text: str, limit: int | None = None) -> list[int]:
    """Lines (0-based) that ``pymdownx.snippets`` reads as a file inclusion: after spaces or
    tabs, one or more ``-``, ``8<`` and one or more ``-``. It reads them inside fenced code too.
    A ``;`` before the marker is its escape."""
    found: list[int] = []
    if "8<-" not in text:
        return found
    for n, line in enumerate(text.split("\n")):
        stripped = line.lstrip(" \t")
        dashes = len(stripped) - len(stripped.lstrip("-"))
        if dashes and stripped[dashes:dashes + 3] == "8<-":
            found.append(n)
            if len(found) == limit:
                break
    return found


def bracket_lines(text: str, left: str = "{!", rights: tuple[str, ...] = ("!}", "!lines="),
                  limit: int | None = None) -> list[int]:
    """Lines (0-based) where ``left`` opens a ``left ... right`` pair, as ``markdown_include``
    reads it (``{!file!}`` or ``{!file!lines=1-3}``, anywhere in a line, fenced code included)
    and ``mdx_include`` (``{! file !}``). Linear: one ``find`` per opening, one ``rfind`` per
    closing marker. A pair is looked for across lines too (stricter than either extension: a
    text that needs the characters can separate them)."""
    found: list[int] = []
    at = text.find(left)
    last = max((text.rfind(right) for right in rights), default=-1)  # one scan, not per opening
    line = counted = 0
    while at >= 0:
        if last < at + len(left):
            break
        line += text.count("\n", counted, at)  # counted once, from the previous opening on
        counted = at
        if not found or found[-1] != line:
            found.append(line)
            if len(found) == limit:
                break
        at = text.find(left, at + len(left))
    return found


def _mdx_syntax(config: Mapping[str, Any]) -> tuple[str, str] | None:
    """The (left, right) markers a site configured for ``mdx_include``, as plain text (its
    options are regular expressions; only literal ones, escapes removed, are understood)."""
    left, right = config.get("syntax_left"), config.get("syntax_right")
    if not isinstance(left, str) and not isinstance(right, str):
        return None
    plain = [re.sub(r"\\(.)", r"\1", str(v)) if isinstance(v, str) else d
             for v, d in ((left, "{!"), (right, "!}"))]
    return plain[0], plain[1]


@dataclass(frozen=True)
class Reader:
    """A Markdown extension that reads files, and how to find its syntax in a text."""

    names: tuple[str, ...]
    """Its names in ``markdown_extensions`` (module paths included)."""
    syntax: str
    lines: Callable[[str, Mapping[str, Any], int | None], list[int]]
    """The first lines (0-based, at most ``limit``) where the text holds the syntax."""
    hint: str


READERS: tuple[Reader, ...] = (
    Reader(("pymdownx.snippets",), "a line starting with '--8<--'",
           lambda text, _config, limit: snippet_lines(text, limit),
           "remove the line, or write it with something before the marker (echo '--8<--')"),
    Reader(("markdown_include.include", "markdown_include"), "'{!' ... '!}'",
           lambda text, _config, limit: bracket_lines(text, limit=limit),
           "remove it, or separate the characters ('{ !' or '! }')"),
    Reader(("mdx_include",), "'{!' ... '!}'",
           lambda text, config, limit: sorted(set(bracket_lines(text, limit=limit)) | set(
               bracket_lines(text, syntax[0], (syntax[1],), limit)
               if (syntax := _mdx_syntax(config)) else ()))[:limit],
           "remove it, or separate the characters ('{ !' or '! }')"),
)
"""Every extension opsready knows to read files of the build machine into a page."""

READS_FILES = frozenset(name for reader in READERS for name in reader.names)
"""Their names: a page converted with one of them depends on other files (never cached)."""

DEFAULT_MARKS = ("8<-", "{!")
"""What every default syntax of ``READERS`` holds: a text without any of them (and without a
``\\`` that could write one as an escape in YAML) includes nothing, so it needs no scan."""


def may_include(text: str) -> bool:
    """Whether ``text`` could hold a file inclusion of a default syntax (a cheap pre-check)."""
    return "\\" in text or any(mark in text for mark in DEFAULT_MARKS)


def configured(extensions: Iterable[Any], configs: Mapping[str, Any] | None = None
               ) -> dict[str, Mapping[str, Any]]:
    """The options of every file-reading extension among a site's ``markdown_extensions`` (a
    list of names or ``{name: options}`` items, as in ``mkdocs.yml``); ``configs``: MkDocs'
    ``mdx_configs``."""
    found: dict[str, Mapping[str, Any]] = {}
    for item in extensions:
        entries = item.items() if isinstance(item, Mapping) else [(item, None)]
        for name, options in entries:
            if isinstance(name, str) and name in READS_FILES:
                given = options if isinstance(options, Mapping) else (configs or {}).get(name)
                found[name] = given if isinstance(given, Mapping) else {}
    return found


def inclusions(text: str, site: Mapping[str, Mapping[str, Any]] | None = None,
               limit: int = 20) -> list[Inclusion]:
    """The first ``limit`` places in ``text`` where one of the file-reading extensions would
    read a file, whether the site enables it or not (with its default syntax), and with the
    syntax ``site`` (see ``configured``) gives it. Sorted by line, one per line and syntax."""
    site = site or {}
    found: dict[tuple[int, str], Inclusion] = {}
    for reader in READERS:
        config: Mapping[str, Any] = next((site[n] for n in reader.names if n in site), {})
        lines = reader.lines(text, config, limit)
        if not lines:
            continue
        names = " or ".join(reader.names[:1] + tuple(
            r.names[0] for r in READERS if r is not reader and r.syntax == reader.syntax))
        message = (f"{reader.syntax} includes a file of the build machine into the page on a "
                   f"site that enables {names}")
        for line in lines:
            found.setdefault((line, reader.syntax),
                             Inclusion(line, reader.names[0], message, reader.hint))
    return sorted(found.values(), key=lambda i: (i.line, i.extension))[:limit]

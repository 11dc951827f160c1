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


def snippet_lines(text: str) -> list[int]:
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
    return found


def bracket_lines(text: str, left: str = "{!", right: str = "!}") -> list[int]:
    """Lines (0-based) where ``left`` opens a ``left ... right`` pair, as ``markdown_include``
    (``{!file!}``, anywhere in a line, fenced code included) and ``mdx_include`` read it. Linear:
    one ``find`` per opening. The pair is looked for across lines too (a stricter reading than
    either extension's: a text that needs it can separate the characters)."""
    found: list[int] = []
    at = text.find(left)
    while at >= 0:
        close = text.find(right, at + len(left))
        if close < 0:
            break
        line = text.count("\n", 0, at)
        if not found or found[-1] != line:
            found.append(line)
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
    lines: Callable[[str, Mapping[str, Any]], list[int]]
    hint: str


READERS: tuple[Reader, ...] = (
    Reader(("pymdownx.snippets",), "a line starting with '--8<--'",
           lambda text, _config: snippet_lines(text),
           "remove the line, or write it with something before the marker (echo '--8<--')"),
    Reader(("markdown_include.include", "markdown_include"), "'{!' ... '!}'",
           lambda text, _config: bracket_lines(text),
           "remove it, or separate the characters ('{ !' or '! }')"),
    Reader(("mdx_include",), "'{!' ... '!}'",
           lambda text, config: sorted(set(bracket_lines(text)) | set(
               bracket_lines(text, *syntax) if (syntax := _mdx_syntax(config)) else ())),
           "remove it, or separate the characters ('{ !' or '! }')"),
)
"""Every extension opsready knows to read files of the build machine into a page."""

READS_FILES = frozenset(name for reader in READERS for name in reader.names)
"""Their names: a page converted with one of them depends on other files (never cached)."""


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


def inclusions(text: str, site: Mapping[str, Mapping[str, Any]] | None = None
               ) -> list[Inclusion]:
    """Every place in ``text`` where one of the file-reading extensions would read a file,
    whether the site enables it or not (with its default syntax), and with the syntax ``site``
    (see ``configured``) gives it. Sorted by line, one per line and extension syntax."""
    site = site or {}
    found: dict[tuple[int, str], Inclusion] = {}
    for reader in READERS:
        config: Mapping[str, Any] = next((site[n] for n in reader.names if n in site), {})
        for line in reader.lines(text, config):
            key = (line, reader.syntax)
            if key not in found:
                names = " or ".join(reader.names[:1] + tuple(
                    r.names[0] for r in READERS if r is not reader and r.syntax == reader.syntax))
                found[key] = Inclusion(line, reader.names[0],
                                       f"{reader.syntax} includes a file of the build machine "
                                       f"into the page on a site that enables {names}",
                                       reader.hint)
    return sorted(found.values(), key=lambda i: (i.line, i.extension))

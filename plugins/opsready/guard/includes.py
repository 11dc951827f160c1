"""File-including syntax: the Markdown extensions and builder plugins that read files of the
build machine into a page, and where a text holds what one of them would read.

A team's text (catalog values, commands shown verbatim in fences, team pages after the sandbox
rendered them) must never ask the converter for a file: ``--8<-- ".git/config"`` with
``pymdownx.snippets``, ``{!.git/config!}`` with ``markdown_include`` or
``{% include-markdown ".git/config" %}`` with the ``include-markdown`` plugin publishes the CI's
credentials. Each reader of ``READERS`` says what its syntax is; a text is checked against
every one of them (a catalog is checked before anyone knows which site will build it), and
against the syntax a site configured for one (``mdx_include``'s ``syntax_left`` and
``syntax_right``; ``include-markdown``'s ``opening_tag`` and ``directives``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

SiteReaders = Mapping[str, Mapping[str, Any]]
"""The file-reading extensions and plugins a site configured, by name, with their options
(``configured``)."""
MDX_INCLUDE = ("mdx_include", "mdx_include.mdx_include")
"""``mdx_include``'s names in ``markdown_extensions`` (its package and its module)."""
INCLUDE_MARKDOWN = ("include-markdown", "zensical.extensions.include_markdown")
"""The include-markdown reader: the plugin's name under ``plugins:`` (mkdocs-include-markdown-plugin
in MkDocs; Zensical runs its own implementation for the same entry) and Zensical's Markdown
extension of it (``markdown_extensions``)."""
PLUGIN_READERS = frozenset(INCLUDE_MARKDOWN[:1])
"""The file-reading readers a site configures under ``plugins:``."""
DIRECTIVES = ("include", "include-markdown")
"""include-markdown's directive names (a site may rename them: its ``directives`` option)."""


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


def _pair_starts(text: str, left: re.Pattern[str],
                 right: re.Pattern[str] | None) -> Iterator[int]:
    """Offsets of the matches of ``left`` that a match of ``right`` follows (every match of
    ``left`` when ``right`` is None)."""
    last = len(text)
    if right is not None:
        last = -1
        for m in right.finditer(text):
            last = m.start()
    for m in left.finditer(text):
        if last < m.end():
            return
        yield m.start()


_SPACES = re.compile(r"\s+")


def pattern_lines(text: str, left: re.Pattern[str], right: re.Pattern[str] | None,
                  limit: int | None = None, folded: bool = True) -> list[int]:
    """``bracket_lines`` for markers given as regular expressions (a site's ``mdx_include``
    markers): lines where a match of ``left`` has a match of ``right`` after it (``right``
    None: every match of ``left``), across lines too, and also once every run of white space is
    one space (as plain text shows a value: a marker with a space in it can be written across a
    line break; ``folded`` False when no such marker can be: the patterns already take any white
    space where they have some). Linear for the markers a site writes: a few passes per
    pattern."""
    newlines = [m.start() for m in re.finditer("\n", text)]
    found = {bisect.bisect_right(newlines, at) for at in _pair_starts(text, left, right)}
    runs = [m.span() for m in _SPACES.finditer(text)] if folded else []
    if runs:
        # Offsets in the collapsed text -> offsets in ``text``: each kept piece's start in both.
        pieces: list[tuple[int, int]] = []
        parts: list[str] = []
        at = size = 0
        for begin, finish in [*runs, (len(text), len(text))]:
            piece = text[at:begin] + (" " if begin < finish else "")
            pieces.append((size, at))
            parts.append(piece)
            size += len(piece)
            at = finish
        collapsed = "".join(parts)
        starts = [p[0] for p in pieces]
        for short in _pair_starts(collapsed, left, right):
            first, origin = pieces[bisect.bisect_right(starts, short) - 1]
            found.add(bisect.bisect_right(newlines, origin + short - first))
    return sorted(found)[:limit]


@dataclass(frozen=True)
class SiteSyntax:
    """Markers a site set for an extension (``mdx_include``'s ``syntax_left`` and
    ``syntax_right``; ``include-markdown``'s opening tag and directive names), as the extension
    reads them: regular expressions."""

    extension: str
    left: re.Pattern[str]
    right: re.Pattern[str] | None
    """None: ``left`` alone is refused (include-markdown's closing tag may come from anywhere
    later in the page: another value, the template's text)."""
    shown: str
    """The markers as a message shows them (``'@@' ... '@@'``)."""
    hint: str = "remove it, or separate the characters of the markers"
    folded: bool = True
    """Whether a marker may hold white space that plain text shows folded (``pattern_lines``)."""


def _pattern(regex: str) -> re.Pattern[str]:
    # mdx_include puts the option into its own regular expression; one that does not compile
    # on its own is read as the literal text (a site's markers are plain in practice).
    # It matches line by line: '^' and '$' mean a line's start and end.
    try:
        return re.compile(regex, re.MULTILINE)
    except re.error:
        return re.compile(re.escape(regex))


def _plain(regex: str) -> str:
    return re.sub(r"\\(.)", r"\1", regex)


def directive_pattern(opening: str = "{%", names: Iterable[str] = DIRECTIVES) -> re.Pattern[str]:
    """Where include-markdown reads a directive: ``opening`` (its ``opening_tag``), any white
    space (line breaks too), one of the directive ``names`` and a white space character. Both
    implementations (mkdocs-include-markdown-plugin 7.3.0 and Zensical's) need all of it, and
    then a quoted path and the closing tag; the closing tag is not looked for (``SiteSyntax``).
    ``{%- include`` or ``{% if %}`` are not directives."""
    alternatives = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))
    return re.compile(rf"{re.escape(opening)}\s*(?:{alternatives})(?=\s)")


DEFAULT_DIRECTIVE = directive_pattern()


def directive_lines(text: str, limit: int | None = None) -> list[int]:
    """Lines (0-based) where include-markdown's default syntax opens a directive
    (``directive_pattern``: ``{% include-markdown`` or ``{% include`` and a white space)."""
    found: list[int] = []
    if "{%" not in text:
        return found
    # No white space in '{%', any white space after it: folding white space finds nothing more.
    line = counted = 0
    for m in DEFAULT_DIRECTIVE.finditer(text):
        line += text.count("\n", counted, m.start())
        counted = m.start()
        if not found or found[-1] != line:
            found.append(line)
            if len(found) == limit:
                break
    return found


_DIRECTIVE_HINT = ("remove it, or write the tag another way ('{%- include' or '{ % include': "
                   "neither is a directive)")


def _directive_syntax(name: str, config: Mapping[str, Any]) -> SiteSyntax | None:
    """The syntax a site set for include-markdown (``opening_tag``, ``directives``), or None
    when it kept the default opening tag and names (``READERS`` refuses them everywhere). The
    closing tag is not needed: the opening and a name are refused on their own."""
    opening = config.get("opening_tag")
    opening = opening if isinstance(opening, str) and opening else "{%"
    directives = config.get("directives")
    names = set(DIRECTIVES)
    if isinstance(directives, Mapping):
        names |= {v for k, v in directives.items() if k != "__default" and isinstance(v, str)}
    if opening == "{%" and names == set(DIRECTIVES):
        return None
    closing = config.get("closing_tag")
    closing = closing if isinstance(closing, str) and closing else "%}"
    shown = f"'{opening}' {' or '.join(sorted(names - {''}))} ... '{closing}'"
    return SiteSyntax(name, directive_pattern(opening, names), None, shown,
                      "remove it, or put something other than white space between the opening "
                      "tag and the directive name",
                      folded=any(c.isspace() for c in opening + "".join(names)))


def site_syntaxes(site: SiteReaders | None) -> list[SiteSyntax]:
    """The markers ``site`` (see ``configured``) set for an extension that lets a site choose
    them: ``mdx_include``'s ``syntax_left`` / ``syntax_right`` (regular expressions; the one
    not set keeps its default), ``include-markdown``'s ``opening_tag`` and ``directives``
    (plain text). Empty when the site kept the defaults."""
    found: list[SiteSyntax] = []
    for name in INCLUDE_MARKDOWN:
        config = (site or {}).get(name)
        syntax = _directive_syntax(name, config) if isinstance(config, Mapping) else None
        if syntax is not None:
            found.append(syntax)
    for name in MDX_INCLUDE:
        config = (site or {}).get(name)
        if config is None:
            continue
        left, right = config.get("syntax_left"), config.get("syntax_right")
        if not isinstance(left, str) and not isinstance(right, str):
            continue
        left = left if isinstance(left, str) else r"\{!"
        right = right if isinstance(right, str) else r"!\}"
        found.append(SiteSyntax(name, _pattern(left), _pattern(right),
                                f"'{_plain(left)}' ... '{_plain(right)}'"))
    return found


@dataclass(frozen=True)
class Reader:
    """A Markdown extension that reads files, and how to find its default syntax in a text."""

    names: tuple[str, ...]
    """Its names in ``markdown_extensions`` (module paths included)."""
    syntax: str
    lines: Callable[[str, int | None], list[int]]
    """The first lines (0-based, at most ``limit``) where the text holds the syntax."""
    hint: str


_BRACKET_HINT = "remove it, or separate the characters ('{ !' or '! }')"
READERS: tuple[Reader, ...] = (
    Reader(("pymdownx.snippets",), "a line starting with '--8<--'", snippet_lines,
           "remove the line, or write it with something before the marker (echo '--8<--')"),
    Reader(("markdown_include.include", "markdown_include"), "'{!' ... '!}'",
           lambda text, limit: bracket_lines(text, limit=limit), _BRACKET_HINT),
    Reader(MDX_INCLUDE, "'{!' ... '!}'",
           lambda text, limit: bracket_lines(text, limit=limit), _BRACKET_HINT),
    Reader(INCLUDE_MARKDOWN, "'{% include-markdown' or '{% include' (a directive)",
           directive_lines, _DIRECTIVE_HINT),
)
"""Every extension and plugin opsready knows to read files of the build machine into a page."""

READS_FILES = frozenset(name for reader in READERS for name in reader.names
                        if name not in PLUGIN_READERS)
"""Their names in ``markdown_extensions``: a page converted with one of them depends on other
files (never cached)."""

DEFAULT_MARKS = ("8<-", "{!", "{%")
"""What every default syntax of ``READERS`` holds: a text without any of them (and without a
``\\`` that could write one as an escape in YAML) includes nothing, so it needs no scan."""

def may_include(text: str, site: SiteReaders | None = None) -> bool:
    """Whether ``text`` (a YAML file's text) could hold a file inclusion of a default syntax or
    of the markers ``site`` set (a cheap pre-check). YAML folds a line break and the
    indentation around it into one space: a site's marker is looked for with every run of white
    space as one space too."""
    if "\\" in text or any(mark in text for mark in DEFAULT_MARKS):
        return True
    syntaxes = site_syntaxes(site)
    folded = _SPACES.sub(" ", text) if syntaxes else text
    return any(s.left.search(text) or s.left.search(folded) for s in syntaxes)


def reading_extension(name: object) -> str | None:
    """The name of ``READERS`` that a ``markdown_extensions`` entry loads (Python-Markdown also
    takes ``module:Class``), or None when it is not a file-reading extension."""
    if not isinstance(name, str):
        return None
    base = name.split(":", 1)[0]
    return base if base in READS_FILES else None


def _entries(items: Iterable[Any] | Mapping[str, Any] | None) -> Iterator[tuple[Any, Any]]:
    """``(name, options)`` of a list of names or ``{name: options}`` items, or of one mapping
    of names to options (how MkDocs takes ``markdown_extensions`` and ``plugins``)."""
    if isinstance(items, Mapping):
        yield from items.items()
        return
    for item in items or ():
        yield from (item.items() if isinstance(item, Mapping) else [(item, None)])


def configured(extensions: Iterable[Any] | Mapping[str, Any] | None,
               configs: Mapping[str, Any] | None = None,
               plugins: Iterable[Any] | Mapping[str, Any] | None = None
               ) -> dict[str, Mapping[str, Any]]:
    """The options of every file-reading extension among a site's ``markdown_extensions`` (a
    list of names or ``{name: options}`` items, or one mapping of names to options, as MkDocs
    takes them; ``configs``: MkDocs' ``mdx_configs``) and of every file-reading plugin among
    its ``plugins`` (the same forms; ``PLUGIN_READERS``)."""
    found: dict[str, Mapping[str, Any]] = {}
    for name, options in _entries(plugins):
        if isinstance(name, str) and name in PLUGIN_READERS:
            found[name] = dict(options) if isinstance(options, Mapping) else {}
    for name, options in _entries(extensions):
        known = reading_extension(name)
        if known is not None:
            given = options if isinstance(options, Mapping) else (configs or {}).get(name)
            found[known] = given if isinstance(given, Mapping) else {}
    return found


def inclusions(text: str, site: SiteReaders | None = None, limit: int = 20) -> list[Inclusion]:
    """The first ``limit`` places in ``text`` where one of the file-reading extensions would
    read a file, whether the site enables it or not (with its default syntax), and with the
    markers ``site`` (see ``configured``) set for it (``site_syntaxes``). Sorted by line, one
    per line and syntax."""
    found: dict[tuple[int, str], Inclusion] = {}
    for reader in READERS:
        lines = reader.lines(text, limit)
        if not lines:
            continue
        names = " or ".join(reader.names[:1] + tuple(
            r.names[0] for r in READERS if r is not reader and r.syntax == reader.syntax))
        message = (f"{reader.syntax} includes a file of the build machine into the page on a "
                   f"site that enables {names}")
        for line in lines:
            found.setdefault((line, reader.syntax),
                             Inclusion(line, reader.names[0], message, reader.hint))
    for syntax in site_syntaxes(site):
        message = (f"{syntax.shown} (the markers this site set for {syntax.extension}) includes "
                   "a file of the build machine into the page")
        for line in pattern_lines(text, syntax.left, syntax.right, limit, syntax.folded):
            found.setdefault((line, syntax.shown),
                             Inclusion(line, syntax.extension, message, syntax.hint))
    return sorted(found.values(), key=lambda i: (i.line, i.extension))[:limit]

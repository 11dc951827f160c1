"""Turn catalog values into Markdown that shows them as text and never runs them.

YAML values are data. Once on a page they pass through Python-Markdown, its extensions
(attr_list, snippets, critic, ...) and possibly mkdocs-macros; any of these could turn a value
into live HTML, attributes, file inclusions or template code. Three contexts exist:

* plain text (names, summaries, table cells): every construct is neutralised, the text reads
  exactly as written;
* prose (``Prose`` and ``InlineMarkdown`` fields): each value is rendered to HTML on its own,
  sanitised to an allow-list and embedded as one inert line (``prose_html``, ``sanitize``);
* code (commands, queries, YAML paths): shown verbatim inside a code span or fenced block.

Every function returns ``markupsafe.Markup`` so the template engine knows the result is already
safe Markdown and does not escape it twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup

from ..guard import html as sanitize
from . import to_html as prose_html

_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
# Markdown punctuation that starts emphasis, links, code, tables, footnotes or abbreviations.
_MD_PUNCT = set("\\`*_[]|!")
# Braces open attribute lists, critic markup and Jinja; an entity is never one of those. A tilde
# opens a fence or strikes text through (pymdownx.tilde), and Python-Markdown has no escape for it.
_BRACES = {"{": "&#123;", "}": "&#125;", "~": "&#126;"}
_LINE_START = re.compile(r"^(\s*)(?:([#+=-])|(\d+)([.)])|(:))")
_WS = re.compile(r"\s+")


_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ISOLATES = frozenset("\u2066\u2067\u2068")


def _bidi_isolated(text: str) -> str:
    """``text`` inside a bidi isolate when it holds embedding, override or isolate controls, so
    that an override (U+202E) cannot reverse the template's text after the value. The closing
    U+2069 ends every embedding opened inside; a U+2069 closing nothing the value opened is
    dropped (it would end the wrapper early)."""
    if not _BIDI_CONTROLS.intersection(text):
        return text
    out: list[str] = []
    depth = 0
    for ch in text:
        if ch in _ISOLATES:
            depth += 1
        elif ch == "\u2069":
            if not depth:
                continue
            depth -= 1
        out.append(ch)
    return "\u2068" + "".join(out) + "\u2069" * (depth + 1)


_TEXT_TABLE = str.maketrans({**_HTML, **_BRACES, **{ch: "\\" + ch for ch in _MD_PUNCT}})


def md_text(value: object) -> Markup:
    """Plain text as inline Markdown: one line, every special character neutralised."""
    if value is None:
        return Markup("")
    escaped = _bidi_isolated(_WS.sub(" ", str(value)).strip()).translate(_TEXT_TABLE)
    # A leading '#', '-', '+', '=', '1.' or ':' would start a heading, list, setext underline or
    # definition.
    escaped = _LINE_START.sub(_escape_line_start, escaped, count=1)
    return Markup(escaped)


def _escape_line_start(m: re.Match[str]) -> str:
    if m.group(5):  # ': text' after a paragraph would make it a definition list (def_list)
        return m.group(1) + "&#58;"
    if m.group(2):
        return m.group(1) + "\\" + m.group(2)
    return m.group(1) + m.group(3) + "\\" + m.group(4)


def html_text(value: object) -> Markup:
    """Text for a raw HTML context written by a template (attribute or element content)."""
    if value is None:
        return Markup("")
    text = _bidi_isolated(str(value))
    for ch, ent in (*_HTML.items(), ("'", "&#39;"), *_BRACES.items()):
        text = text.replace(ch, ent)
    return Markup(text)


def code_span(value: object) -> Markup:
    """Inline code showing ``value`` verbatim (on one line)."""
    if value is None:
        return Markup("")
    text = _WS.sub(" ", str(value)).strip()
    if not text:
        return Markup("")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Markup(f"{fence}{pad}{text}{pad}{fence}")


_BREAK_AFTER = frozenset("_./-")


def code_wrap(value: object) -> Markup:
    """Inline code showing ``value`` verbatim, as HTML that a narrow column breaks after ``_``,
    ``.``, ``/`` and ``-`` (a ``<wbr>``), never inside a word: ``PAYMENTS_DB_DSN`` wraps as
    ``PAYMENTS_`` / ``DB_DSN``, not ``PAYMENTS_DB_DS`` / ``N``.

    Every ASCII punctuation character becomes a numeric entity, so no Markdown construct (a
    table's ``|``, emphasis, links, attribute lists, macros) can start inside it.
    """
    if value is None:
        return Markup("")
    text = _WS.sub(" ", str(value)).strip()
    if not text:
        return Markup("")
    out = []
    for i, char in enumerate(text):
        out.append(f"&#{ord(char)};" if char.isascii() and not char.isalnum() and char != " "
                   else char)
        # Between two letters or digits only: "--dry-run" breaks after "dry-", not after "--".
        if (char in _BREAK_AFTER and 0 < i < len(text) - 1 and text[i - 1].isalnum()
                and text[i + 1].isalnum()):
            out.append("<wbr>")
    return Markup("<code>" + "".join(out) + "</code>")


def _longest_fence(text: str) -> int:
    """Length of the longest backtick or tilde run opening a line (a linear scan, no regex)."""
    longest = 0
    for line in text.split("\n"):
        stripped = line.lstrip()
        if stripped[:1] in ("`", "~"):
            longest = max(longest, len(stripped) - len(stripped.lstrip(stripped[0])))
    return longest


def code_block(value: object, lang: str = "") -> Markup:
    """A fenced code block showing ``value`` verbatim, whatever fences it contains."""
    text = "" if value is None else str(value).rstrip("\n")
    fence = "`" * max(3, _longest_fence(text) + 1)
    lang = re.sub(r"[^A-Za-z0-9_+-]", "", lang)
    return Markup(f"{fence}{lang}\n{text}\n{fence}")


def url(value: object, schemes: Iterable[str] = sanitize.BASE_SCHEMES) -> Markup:
    """A link destination: http(s), mailto, tel (plus ``schemes``) and relative paths; others
    (and empty values) become '#'. The scheme is read as a browser reads it (``sanitize``)."""
    text = "" if value is None else str(value).strip()
    if not text or not sanitize.safe_url(text, schemes):
        return Markup("#")
    for ch, enc in (("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E"), (" ", "%20"),
                    ('"', "%22"), ("{", "%7B"), ("}", "%7D")):
        text = text.replace(ch, enc)
    return Markup(text)


def link(title: object, href: object) -> Markup:
    """A Markdown link whose title is plain text and whose target passes ``url``."""
    return Markup(f"[{md_text(title)}]({url(href)})")


# --- prose ----------------------------------------------------------------------------------------


def prose(value: object, heading_level: int = 3,
          schemes: Iterable[str] = sanitize.BASE_SCHEMES) -> Markup:
    """Markdown written by a team, rendered on its own and embedded as one inert line of HTML.

    The value is converted by ``prose_html`` (raw HTML shows as text), sanitised to the
    allow-list of ``sanitize``, and written so that the page's converter cannot change it. Its
    own headings start at ``heading_level``.
    """
    text = "" if value is None else str(value)
    return Markup(prose_html.embed_block(prose_html.render(text, heading_level, schemes)))


def prose_inline(value: object, schemes: Iterable[str] = sanitize.BASE_SCHEMES) -> Markup:
    """Prose for a table cell or a sentence: the same rendering, on one line."""
    text = "" if value is None else str(value)
    return Markup(prose_html.embed_inline(prose_html.render(text, 6, schemes)))


def indent(value: object, width: int = 4, first: bool = False) -> Markup:
    """Indent every line but the first (and the first too when ``first``), keeping safety."""
    text = value if isinstance(value, Markup) else md_text(value)
    pad = " " * width
    lines = str(text).split("\n")
    out = [(pad + line if (i or first) and line.strip() else line) for i, line in enumerate(lines)]
    return Markup("\n".join(out))

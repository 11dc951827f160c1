"""Turn catalog values into Markdown that shows them as text and never runs them.

YAML values are data. Once on a page they pass through Python-Markdown, its extensions
(attr_list, snippets, critic, ...) and possibly mkdocs-macros; any of these could turn a value
into live HTML, attributes, file inclusions or template code. Three contexts exist:

* plain text (names, summaries, table cells): every construct is neutralised, the text reads
  exactly as written;
* prose (``Prose`` fields: Markdown by design): Markdown formatting is kept, but raw HTML,
  attribute lists, template delimiters and script links are neutralised outside code;
* code (commands, queries, YAML paths): shown verbatim inside a code span or fenced block.

Every function returns ``markupsafe.Markup`` so the template engine knows the result is already
safe Markdown and does not escape it twice.
"""

from __future__ import annotations

import re

from markupsafe import Markup

_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
# Markdown punctuation that starts emphasis, links, code, tables, footnotes or abbreviations.
_MD_PUNCT = set("\\`*_[]|!")
# Braces open attribute lists, critic markup and Jinja; an entity is never one of those.
_BRACES = {"{": "&#123;", "}": "&#125;"}
_LINE_START = re.compile(r"^(\s*)(?:([#+=-])|(\d+)([.)]))")
_WS = re.compile(r"\s+")


_TEXT_TABLE = str.maketrans({**_HTML, **_BRACES, **{ch: "\\" + ch for ch in _MD_PUNCT}})


def md_text(value: object) -> Markup:
    """Plain text as inline Markdown: one line, every special character neutralised."""
    if value is None:
        return Markup("")
    escaped = _WS.sub(" ", str(value)).strip().translate(_TEXT_TABLE)
    # A leading '#', '-', '+', '=' or '1.' would start a heading, list or setext underline.
    escaped = _LINE_START.sub(_escape_line_start, escaped, count=1)
    return Markup(escaped)


def _escape_line_start(m: re.Match[str]) -> str:
    if m.group(2):
        return m.group(1) + "\\" + m.group(2)
    return m.group(1) + m.group(3) + "\\" + m.group(4)


def html_text(value: object) -> Markup:
    """Text for a raw HTML context written by a template (attribute or element content)."""
    if value is None:
        return Markup("")
    text = str(value)
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


def code_block(value: object, lang: str = "") -> Markup:
    """A fenced code block showing ``value`` verbatim, whatever fences it contains."""
    text = "" if value is None else str(value).rstrip("\n")
    longest = max((len(run) for run in re.findall(r"^\s*(`{3,}|~{3,})", text, re.M)), default=2)
    fence = "`" * max(3, longest + 1)
    lang = re.sub(r"[^A-Za-z0-9_+-]", "", lang)
    return Markup(f"{fence}{lang}\n{text}\n{fence}")


_SAFE_SCHEME = re.compile(r"^(https?://|mailto:|tel:|/|\./|\.\./|#)", re.I)


def url(value: object) -> Markup:
    """A link destination: only http(s), mailto, tel and relative paths; others become '#'."""
    text = "" if value is None else str(value).strip()
    if not _SAFE_SCHEME.match(text) and (":" in text.split("/", 1)[0] or not text):
        return Markup("#")
    for ch, enc in (("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E"), (" ", "%20"),
                    ('"', "%22"), ("{", "%7B"), ("}", "%7D")):
        text = text.replace(ch, enc)
    return Markup(text)


def link(title: object, href: object) -> Markup:
    """A Markdown link whose title is plain text and whose target passes ``url``."""
    return Markup(f"[{md_text(title)}]({url(href)})")


# --- prose ----------------------------------------------------------------------------------------

# A fence Python-Markdown recognises: at column 0, closed by the identical fence. Anything else is
# treated as text here, which can only make us escape more than needed, never less.
_FENCE_OPEN = re.compile(r"^(`{3,}|~{3,})[^\n`]*$")
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^\s<>\"'`{}]+)>", re.I)
_BAD_LINK = re.compile(
    r"(\]\(\s*<?|^\s*\[[^\]\n]*\]:\s*<?)\s*(?:javascript|vbscript|data|file)\s*:", re.I | re.M)
_ATX = re.compile(r"^(\s{0,3})(#{1,6})(?=\s|$)", re.M)


def _split_fences(text: str) -> list[tuple[bool, str]]:
    """Split prose into (is_code, chunk) by closed fenced blocks at column 0."""
    lines = text.split("\n")
    parts: list[tuple[bool, str]] = []
    buf: list[str] = []
    i = 0
    while i < len(lines):
        m = _FENCE_OPEN.match(lines[i])
        if m:
            fence = m.group(1)
            end = next((j for j in range(i + 1, len(lines)) if lines[j].rstrip() == fence), None)
            if end is not None:
                if buf:
                    parts.append((False, "\n".join(buf)))
                    buf = []
                parts.append((True, "\n".join(lines[i:end + 1])))
                i = end + 1
                continue
        buf.append(lines[i])
        i += 1
    if buf:
        parts.append((False, "\n".join(buf)))
    return parts


def _neutralise_text(text: str, heading_shift: int) -> str:
    text = _BAD_LINK.sub(lambda m: m.group(1) + "#unsafe-link-removed:", text)
    keep: list[str] = []

    def stash(match: re.Match[str]) -> str:
        keep.append(match.group(0))
        return f"\x00{len(keep) - 1}\x00"

    # Code spans never cross a blank line (Python-Markdown inlines work per block).
    blocks = re.split(r"(\n[ \t]*\n)", text)
    out: list[str] = []
    for block in blocks:
        block = _CODE_SPAN.sub(stash, block)
        block = _AUTOLINK.sub(stash, block)
        block = block.replace("<", "&lt;").replace("{", "&#123;").replace("}", "&#125;")
        out.append(block)
    text = "".join(out)
    if heading_shift:
        text = _ATX.sub(lambda m: m.group(1) + "#" * min(6, len(m.group(2)) + heading_shift), text)
    return re.sub(r"\x00(\d+)\x00", lambda m: keep[int(m.group(1))], text)


def prose(value: object, heading_level: int = 3) -> Markup:
    """Markdown written by a team, made safe to embed under a heading of the page.

    Formatting, lists, links and code are kept. Raw HTML shows as text, ``{``/``}`` cannot form
    attribute lists or template code, ``javascript:``-style links are disabled, and the prose's
    own headings are moved down so that its top level becomes ``heading_level``.
    """
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\x00", "").strip("\n")
    shift = max(0, heading_level - 1)
    parts = _split_fences(text)
    return Markup("".join(
        (chunk if is_code else _neutralise_text(chunk, shift))
        + ("\n" if i < len(parts) - 1 else "")
        for i, (is_code, chunk) in enumerate(parts)
    ))


def prose_inline(value: object) -> Markup:
    """Prose squeezed onto one line for a table cell: formatting kept, pipes escaped."""
    safe = str(prose(value, heading_level=6))
    safe = _WS.sub(" ", safe).strip()
    return Markup(re.sub(r"(?<!\\)\|", r"\\|", safe))


def indent(value: object, width: int = 4, first: bool = False) -> Markup:
    """Indent every line but the first (and the first too when ``first``), keeping safety."""
    text = value if isinstance(value, Markup) else md_text(value)
    pad = " " * width
    lines = str(text).split("\n")
    out = [(pad + line if (i or first) and line.strip() else line) for i, line in enumerate(lines)]
    return Markup("\n".join(out))

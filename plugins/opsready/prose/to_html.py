"""Render one Markdown value of the catalog to sanitised HTML, on its own.

Each prose value is converted by a private Python-Markdown instance with a fixed extension set,
so a fence, code span or bracket opened in one value ends with that value: it can never pair up
with template text or with another value. Raw HTML written by an author is not HTML here: it
shows as text (the sanitiser after conversion is the second wall). The result then passes the
allow-list of ``sanitize``.

``embed_block``/``embed_inline`` put the fragment into page Markdown as one line of HTML in which
every Markdown-significant character is a character reference, so the page's own converter
(with whatever extensions a site enables) passes it through unchanged, whether it reads the line
as a raw HTML block, as paragraph text inside an admonition or list, or as a table cell.
"""

from __future__ import annotations

import html
import re
import threading
import xml.etree.ElementTree as etree
from collections.abc import Iterable
from html.parser import HTMLParser

import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from ..guard import html as sanitize
from .scan import fenced_blocks, too_complex

EXTENSIONS = ("tables", "sane_lists", "def_list", "admonition")
"""Python-Markdown extensions used for prose (besides the fence and no-HTML rules here)."""


class _Fences(Preprocessor):
    """Fenced code blocks found by ``prose_scan.fenced_blocks`` (one linear pass)."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        pos = 0
        for block in fenced_blocks(lines):
            out.extend(lines[pos:block.start])
            cls = f' class="language-{html.escape(block.lang)}"' if block.lang else ""
            body = lines[block.start + 1:block.end]
            while not block.closed and body and not body[-1].strip():
                body.pop()  # the blank lines Python-Markdown appends to the text
            code = html.escape("\n".join(body) + "\n", quote=False)
            placeholder = self.md.htmlStash.store(f"<pre><code{cls}>{code}</code></pre>")
            out.extend(["", placeholder, "", ""])
            pos = block.end + 1
        out.extend(lines[pos:])
        return out


class _ShiftHeadings(Treeprocessor):
    def __init__(self, md: markdown.Markdown, shift: int) -> None:
        super().__init__(md)
        self.shift = shift

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            tag = el.tag if isinstance(el.tag, str) else ""
            if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
                el.tag = f"h{min(6, int(tag[1]) + self.shift)}"


class _ProseRules(Extension):
    """No raw HTML, linear fences, headings moved below the template's own."""

    def __init__(self, shift: int) -> None:
        super().__init__()
        self.shift = shift

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.preprocessors.register(_Fences(md), "opsready_fences", 25)
        md.treeprocessors.register(_ShiftHeadings(md, self.shift), "opsready_headings", 1)


_local = threading.local()


def _converter(shift: int) -> markdown.Markdown:
    cache: dict[int, markdown.Markdown] = _local.__dict__.setdefault("md", {})
    md = cache.get(shift)
    if md is None:
        md = markdown.Markdown(
            extensions=[*EXTENSIONS, _ProseRules(shift)],
            extension_configs={"tables": {"use_align_attribute": True}},
            output_format="html",
        )
        cache[shift] = md
    return md


# One paragraph of words Markdown cannot read as anything but text: letters (ASCII and Latin),
# digits, spaces and punctuation that opens no Markdown construct (no * _ ` [ ] < > & \\ | ! # +
# = ~ " { }); dashes and quotes of running text. Most catalog prose is such a sentence.
_PLAIN_CHARS = re.compile("[A-Za-z0-9 ,.;:()'/%?\n\\-\u00c0-\u024f\u2013\u2014\u2018\u2019"
                          "\u201c\u201d]*\\Z")
_LIST_START = re.compile(r"\d+[.)]")


def is_plain_paragraph(text: str) -> bool:
    """Whether ``text`` converts to ``<p>text</p>``: plain characters only, no blank line, and
    no line that starts a list, a definition, a setext underline or code, or ends in a break."""
    if not text or "\n\n" in text or not _PLAIN_CHARS.match(text):
        return False
    return not any(not line or line[0] in " -:" or line[-1] == " " or _LIST_START.match(line)
                   for line in text.split("\n"))


def to_html(text: str, heading_level: int = 3) -> str:
    """Markdown ``text`` converted on its own, before sanitising (used by checks and tests).

    Headings of the prose start at ``heading_level`` (a prose ``#`` becomes ``<h3>`` by default).
    A plain paragraph (``is_plain_paragraph``) skips Python-Markdown: the result is the same.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    body = text.rstrip("\n")  # a YAML block scalar ends with one
    if is_plain_paragraph(body):
        return f"<p>{body}</p>"
    return markdown_html(text, heading_level)


def markdown_html(text: str, heading_level: int = 3) -> str:
    """``text`` (line ends already normalised) converted by Python-Markdown."""
    if too_complex(text):
        return _plain(text)
    md = _converter(max(0, heading_level - 1))
    try:
        return md.reset().convert(text)
    finally:
        md.reset()


def _plain(text: str) -> str:
    """Text too complex for Markdown (refused by the check): its paragraphs, as plain text."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    return "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def render(text: str, heading_level: int = 3,
           schemes: Iterable[str] = sanitize.BASE_SCHEMES) -> str:
    """Markdown ``text`` as a sanitised HTML fragment ('' for blank text)."""
    if not text.strip():
        return ""
    return sanitize.clean(to_html(text, heading_level), schemes).strip()


# --- embedding in page Markdown -------------------------------------------------------------------

_VOID = frozenset({"br", "hr", "img"})


_ENCODE = str.maketrans({
    chr(c): f"&#{c};" for c in range(128) if not (chr(c).isalnum() or chr(c) == " ")
})


def _encode(text: str) -> str:
    """Every ASCII character other than letters, digits and space as a character reference."""
    return text.translate(_ENCODE)


class _Reserialiser(HTMLParser):
    """Write sanitised HTML back with text and attribute values fully encoded, on one line.

    It reads only the sanitiser's output (html5ever's serialisation: every attribute quoted,
    ``<`` and ``&`` of text escaped, no comment), where Python's parser and a browser agree; it
    judges nothing (``guard.html`` does)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        parts = [tag] + [f'{name}="{_encode(value or "")}"' for name, value in attrs]
        self.out.append("<" + " ".join(parts) + ">")

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(_encode(data))


def _one_line(fragment: str) -> str:
    parser = _Reserialiser()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.out)


def embed_block(fragment: str) -> str:
    """A sanitised fragment as one inert line of page Markdown, with blank lines around it."""
    if not fragment:
        return ""
    return f'\n<div class="opsready-prose">{_one_line(fragment)}</div>\n'


def embed_inline(fragment: str) -> str:
    """A sanitised fragment for a table cell or a sentence: one line, a lone paragraph unwrapped."""
    if not fragment:
        return ""
    body = fragment
    if body.startswith("<p>") and body.endswith("</p>") and body.count("<p>") == 1:
        body = body[3:-4]
    return f'<span class="opsready-prose">{_one_line(body)}</span>'

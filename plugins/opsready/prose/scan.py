"""Line scans of Markdown prose, in linear time: fenced code blocks and what cannot render
faithfully (unclosed fences and comments, raw HTML that would show as text, unsafe links).

The prose renderer (``prose_html``) uses ``fenced_blocks`` for its fences, so what the check
calls a fence is exactly what the page shows as one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Fence:
    """A fenced code block: the opening line, the closing line (or the last line when unclosed),
    its language, and whether a closing fence was found."""

    start: int
    end: int
    lang: str
    closed: bool
    marker: str


def _opener(line: str) -> tuple[str, str] | None:
    """(marker, info) when ``line`` opens a fence: up to 3 spaces, then 3+ backticks or tildes."""
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3 or stripped[:3] not in ("```", "~~~"):
        return None
    ch = stripped[0]
    n = len(stripped) - len(stripped.lstrip(ch))
    info = stripped[n:].strip()
    if ch == "`" and "`" in info:  # ``` x ``` on one line is a code span, not a fence
        return None
    return ch * n, info


def _closes(line: str, marker: str) -> bool:
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3:
        return False
    body = stripped.rstrip(" \t")
    return len(body) >= len(marker) and body == marker[0] * len(body)


def _lang(info: str) -> str:
    word = info.split(None, 1)[0] if info else ""
    return "".join(ch for ch in word.lstrip("{.")
                   if ch.isascii() and (ch.isalnum() or ch in "_+-#"))


def fenced_blocks(lines: Sequence[str]) -> list[Fence]:
    """Every fenced code block of ``lines``; an unclosed fence runs to the last line."""
    blocks: list[Fence] = []
    i = 0
    while i < len(lines):
        opened = _opener(lines[i])
        if opened is None:
            i += 1
            continue
        marker, info = opened
        j = i + 1
        while j < len(lines) and not _closes(lines[j], marker):
            j += 1
        closed = j < len(lines)
        blocks.append(Fence(i, j if closed else len(lines), _lang(info), closed, marker))
        i = j + 1
    return blocks


# --- limits ---------------------------------------------------------------------------------------

MAX_MARKS = 2000
"""Inline markers (brackets, backticks, emphasis, escapes, entities) allowed in one paragraph:
Python-Markdown's inline pass is quadratic in them."""
MAX_BRACKET_WORK = 200_000
"""Opening brackets times paragraph length allowed: each ``[`` searches the rest of its
paragraph for a closing one."""
MAX_INDENT = 48
"""Columns of indentation allowed (twelve levels of nested lists)."""
MAX_QUOTE_DEPTH = 16
"""Nested blockquote markers allowed at the start of a line."""
MAX_BLOCKS = 1000
"""Paragraphs (text between blank lines) allowed in one value; each costs Python-Markdown
about 0.1 ms."""
MAX_REPORTED = 5
"""Unsafe links and raw HTML tags reported per value (the first ones; fixing them shows more)."""
MAX_SPLITS = 100
"""Headings and definitions allowed in one paragraph (no blank line between them): Python-Markdown
splits the paragraph at each and parses the rest again, and nests one call per definition."""
MAX_SPLIT_WORK = 2_000_000
"""Headings and definitions of a paragraph times its length allowed (the cost of those splits)."""

_MARKS = "[\\`*_&<!"
_BLANK_LINES = re.compile(r"\n[ \t]*\n")  # one pass; the class excludes the newline after it


def too_complex(text: str, max_blocks: int = MAX_BLOCKS) -> list[tuple[int, str]]:
    """(line, reason) for each part of ``text`` that would make rendering slow; fenced code is
    not counted. A value with any is shown as plain text (and refused by the check).
    ``max_blocks``: paragraphs allowed (a whole team page is allowed more than one value)."""
    deep = (text.count(">") > MAX_QUOTE_DEPTH or " " * (MAX_INDENT + 1) in text
            or "\t" in text)
    if len(text) * len(text) <= MAX_BRACKET_WORK and not deep:
        return []  # too short to exceed any limit: the common case, decided without a scan
    lines = text.split("\n")
    if "```" in text or "~~~" in text:
        code = {k for f in fenced_blocks(lines)
                for k in range(f.start, min(f.end, len(lines) - 1) + 1)}
        lines = ["" if k in code else line for k, line in enumerate(lines)]
    found: list[tuple[int, str]] = []
    if deep:
        for n, line in enumerate(lines):
            stripped = line.lstrip(" \t")
            if len(line[:len(line) - len(stripped)].expandtabs(4)) > MAX_INDENT:
                found.append((n, f"indented more than {MAX_INDENT} columns"))
            if stripped[:len(stripped) - len(stripped.lstrip("> \t"))].count(">") > MAX_QUOTE_DEPTH:
                found.append((n, f"more than {MAX_QUOTE_DEPTH} nested '>' quotes"))
    # Paragraphs: the text between blank lines, measured with C-level string methods.
    joined = "\n".join(lines)
    blocks, at_line, pos = 0, 0, 0
    for sep in [*_BLANK_LINES.finditer(joined), None]:
        end = sep.start() if sep else len(joined)
        block = joined[pos:end]
        if block.strip():
            blocks += 1
            marks = sum(block.count(ch) for ch in _MARKS)
            brackets = block.count("[")
            splits = _splits(block)
            if splits > MAX_SPLITS or splits * len(block) > MAX_SPLIT_WORK:
                found.append((at_line, f"{splits} headings or definitions in a paragraph of "
                                       f"{len(block)} characters"))
            if marks > MAX_MARKS:
                found.append((at_line, f"more than {MAX_MARKS} Markdown markers in one "
                                       "paragraph"))
            if brackets * len(block) > MAX_BRACKET_WORK:
                found.append((at_line, f"{brackets} '[' in a paragraph of {len(block)} "
                                       "characters"))
        if sep:
            at_line += block.count("\n") + sep.group().count("\n")
            pos = sep.end()
    if blocks > max_blocks:
        found.append((0, f"{blocks} paragraphs (more than {max_blocks})"))
    return sorted(found)


def _splits(block: str) -> int:
    """Headings, setext underlines and definitions inside one paragraph."""
    if not any(ch in block for ch in "#:=-"):
        return 0
    return sum(_splits_paragraph(line.lstrip(" \t").lstrip(" \t>"), first=i == 0)
               for i, line in enumerate(block.split("\n")))


def _splits_paragraph(text: str, first: bool) -> int:
    """1 when a line of a paragraph is a heading, a setext underline or a definition."""
    if text[:1] in ("#", ":"):
        return 1
    body = text.rstrip(" ")
    return int(not first and bool(body) and body[0] in "=-" and body == body[0] * len(body))


# --- problems -------------------------------------------------------------------------------------


_ANY_PROBLEM = re.compile(rf"[<\]`~>\t]| {{{MAX_INDENT + 1}}}")
"""A character without which a short value has nothing to report: a tag, comment or autolink
(``<``), a link (``]``), a fence (`````, ``~``), deep quotes or indentation."""



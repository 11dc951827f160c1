"""Complexity bounds on what a team writes, checked before anything converts or draws it, so
that every input finishes in bounded time and no input ends a run with a traceback.

Team pages get the limits catalog prose already has (``prose_scan.too_complex``: indentation,
nested quotes, paragraphs, inline markers, brackets, headings and definitions per paragraph),
and bounds on HTML derived from them: nested elements (Python-Markdown's ``md_in_html`` recurses
once per level and ends in ``RecursionError`` after a few hundred), tags, and tags left without
their ``>`` (each makes Python-Markdown search the rest of the page: quadratic). Diagrams get a
bound on their size (nodes and edges), so that ``opsready check`` refuses what Graphviz would not
draw within ``DIAGRAM_TIMEOUT``: the check and the build agree.
"""

from __future__ import annotations

import re

from ..prose.scan import MAX_BLOCKS, MAX_MARKS, MAX_QUOTE_DEPTH, fenced_blocks, too_complex

MAX_HTML_DEPTH = MAX_QUOTE_DEPTH
"""Nested HTML elements allowed in a team page: the nesting bound of prose's quotes."""
MAX_TAGS = MAX_MARKS
"""HTML tags allowed in a team page: the bound of prose's inline markers (each raw HTML block
costs Python-Markdown a parse of its own)."""
MAX_OPEN_TAGS = MAX_MARKS // 10
"""Tags left open (``<a `` without its ``>`` before the next tag or blank line) allowed in a team
page: Python-Markdown searches the rest of the page for each one's end (quadratic)."""
PAGE_BLOCKS = 5 * MAX_BLOCKS
"""Paragraphs allowed in a team page: five catalog values' worth (about 1 s to convert)."""

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "param", "source", "track", "wbr"})
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]{0,40})([^<>]{0,2000}?)(/?)>")
_OPENING = re.compile(r"<[A-Za-z/!?]")


def _outside_code(text: str) -> str:
    """``text`` with the lines of fenced code blanked (line numbers kept)."""
    if "```" not in text and "~~~" not in text:
        return text
    lines = text.split("\n")
    code = {k for f in fenced_blocks(lines) for k in range(f.start, min(f.end, len(lines) - 1) + 1)}
    return "\n".join("" if k in code else line for k, line in enumerate(lines))


def html_too_deep(text: str, limit: int = MAX_HTML_DEPTH) -> int | None:
    """The 0-based line where HTML elements outside fenced code first nest deeper than
    ``limit``, or None. Linear: one pass of a regular expression that cannot backtrack across
    tags (an attribute run is bounded and stops at the next ``<`` or ``>``)."""
    if text.count("<") <= limit:
        return None
    text = _outside_code(text)
    depth = 0
    for match in _TAG.finditer(text):
        closing, name, _attrs, selfclosing = match.groups()
        if name.lower() in VOID or selfclosing:
            continue
        if closing:
            depth = max(0, depth - 1)
            continue
        depth += 1
        if depth > limit:
            return text.count("\n", 0, match.start())
    return None


def tag_counts(text: str) -> tuple[int, int, int]:
    """(tags, tags left open, 0-based line of the ``MAX_OPEN_TAGS``-th one left open) outside
    fenced code. Linear: each search for a tag's end starts where the previous one ended."""
    if "<" not in text:
        return 0, 0, 0
    text = _outside_code(text)
    tags = left_open = line = 0
    gt = blank = -1
    for match in _OPENING.finditer(text):
        at = match.start()
        tags += 1
        if gt < at:
            gt = text.find(">", at)
            gt = len(text) if gt < 0 else gt
        if blank < at:
            blank = text.find("\n\n", at)
            blank = len(text) if blank < 0 else blank
        after = text.find("<", at + 1, gt)  # only looked for up to the end found
        if gt >= len(text) or gt > blank or after >= 0:
            left_open += 1
            if left_open == MAX_OPEN_TAGS + 1:
                line = text.count("\n", 0, at)
    return tags, left_open, line


def page_complexity(markdown: str) -> list[tuple[int, str]]:
    """(0-based line, reason) for each part of a team page that would make its conversion slow
    or recursive, before it is converted: the limits of catalog prose (``PAGE_BLOCKS``
    paragraphs), ``MAX_HTML_DEPTH``, ``MAX_TAGS`` and ``MAX_OPEN_TAGS``."""
    found = list(too_complex(markdown, max_blocks=PAGE_BLOCKS))
    line = html_too_deep(markdown)
    if line is not None:
        found.append((line, f"HTML elements nested more than {MAX_HTML_DEPTH} deep"))
    tags, left_open, open_line = tag_counts(markdown)
    if tags > MAX_TAGS:
        found.append((0, f"{tags} HTML tags (more than {MAX_TAGS})"))
    if left_open > MAX_OPEN_TAGS:
        found.append((open_line, f"{left_open} HTML tags without their '>' (more than "
                                 f"{MAX_OPEN_TAGS})"))
    return sorted(found)


PAGE_HINT = "split the page, or simplify that part of it (blank lines between blocks, less nesting)"


# --- diagrams -------------------------------------------------------------------------------------

DIAGRAM_TIMEOUT = 120.0
"""Seconds one Graphviz run may take: the backstop behind the size bounds below."""
MAX_DIAGRAM_NODES = 60
"""Components and dependencies one service's diagrams may show."""
MAX_DIAGRAM_EDGES = 150
"""Interactions one service's data-flow diagram may show."""
DIAGRAM_HINT = ("split the architecture: describe a group of components as one component here "
                "and give the group a service file of its own (or move interactions to "
                "'description' text)")


def diagram_size_problem(nodes: int, edges: int) -> str | None:
    """Why a service's diagram of ``nodes`` and ``edges`` is too large to draw, or None."""
    if nodes > MAX_DIAGRAM_NODES:
        return (f"{nodes} components and dependencies: a diagram shows at most "
                f"{MAX_DIAGRAM_NODES} (Graphviz takes minutes on larger ones)")
    if edges > MAX_DIAGRAM_EDGES:
        return (f"{edges} interactions: a data-flow diagram shows at most {MAX_DIAGRAM_EDGES} "
                "(Graphviz takes minutes on larger ones)")
    return None

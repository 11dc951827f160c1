"""Complexity bounds on what a team writes, checked before anything converts or draws it, so
that every input finishes in bounded time and no input ends a run with a traceback.

Team pages get the limits catalog prose already has (``prose_scan.too_complex``: indentation,
nested quotes, paragraphs, inline markers, brackets, headings and definitions per paragraph),
plus a bound on nested HTML elements (Python-Markdown's ``md_in_html`` recurses once per level
and ends in ``RecursionError`` after a few hundred). Diagrams get a bound on their size (nodes
and edges), so that ``opsready check`` refuses what Graphviz would not draw within
``DIAGRAM_TIMEOUT``: the check and the build agree.
"""

from __future__ import annotations

import re

from ..prose_scan import MAX_QUOTE_DEPTH, fenced_blocks, too_complex

MAX_HTML_DEPTH = MAX_QUOTE_DEPTH
"""Nested HTML elements allowed in a team page: the nesting bound of prose's quotes."""

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "param", "source", "track", "wbr"})
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]{0,40})([^<>]{0,2000}?)(/?)>")


def html_too_deep(text: str, limit: int = MAX_HTML_DEPTH) -> int | None:
    """The 0-based line where HTML elements outside fenced code first nest deeper than
    ``limit``, or None. Linear: one pass of a regular expression that cannot backtrack across
    tags (an attribute run is bounded and stops at the next ``<`` or ``>``)."""
    if text.count("<") <= limit:
        return None
    lines = text.split("\n")
    if "```" in text or "~~~" in text:
        code = {k for f in fenced_blocks(lines)
                for k in range(f.start, min(f.end, len(lines) - 1) + 1)}
        text = "\n".join("" if k in code else line for k, line in enumerate(lines))
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


def page_complexity(markdown: str) -> list[tuple[int, str]]:
    """(0-based line, reason) for each part of a team page that would make its conversion slow
    or recursive (the limits of catalog prose, and ``MAX_HTML_DEPTH``), before it is converted."""
    found = list(too_complex(markdown))
    line = html_too_deep(markdown)
    if line is not None:
        found.append((line, f"HTML elements nested more than {MAX_HTML_DEPTH} deep"))
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

"""Team pages published by a builder without the opsready plugin: that builder passes their raw
HTML and front matter through as written, so ``opsready generate`` refuses a team page that the
plugin would have changed. The judgement is the plugin's own (``guard.html``,
``guard.front_matter``): nothing here decides what is safe, this module only converts the page's
Markdown as the builder will.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import markdown

from ..guard.front_matter import meta_problems, page_meta
from ..guard.html import BASE_SCHEMES, team_html_problems
from ..guard.team_text import refusals
from .assemble import REQUIRED_EXTENSIONS


def unsafe_html(page_markdown: str, schemes: Iterable[str] = BASE_SCHEMES) -> list[str]:
    """What in a team page's HTML (after Markdown conversion) the plugin would have removed;
    ``schemes``: the link schemes the site allows."""
    html = markdown.markdown(page_markdown, extensions=[*REQUIRED_EXTENSIONS, "fenced_code"])
    return team_html_problems(html, schemes)


def team_page_problems(text: str, schemes: Iterable[str] = BASE_SCHEMES,
                       readers: Mapping[str, Mapping[str, Any]] | None = None
                       ) -> list[tuple[int, str]]:
    """(1-based line, problem) for what another builder would publish differently from the
    plugin: the plugin's refusals (``guard.team_text``: file inclusions, complexity; ``readers``:
    the file-reading extensions the site configured), front matter the plugin drops or escapes,
    HTML outside the allow-list."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = meta_problems(text)
    meta = page_meta(text)
    body = "\n".join(text.split("\n")[meta.body_line:])
    refused = refusals(body, readers)
    if refused:  # not converted: it would not finish in bounded time, or it reads a file
        return found + [(meta.body_line + 1 + r.line, r.text("", 0).split(": ", 1)[1])
                        for r in refused[:5]]
    unsafe = unsafe_html(body, schemes)
    if unsafe:
        found.append((meta.body_line + _first_line(body, unsafe),
                      "HTML that the MkDocs plugin removes from team pages and another builder "
                      f"would publish: {', '.join(unsafe)} (hint: remove it, or build with the "
                      "MkDocs plugin)"))
    return found


def _first_line(body: str, problems: list[str]) -> int:
    """The 1-based line of ``body`` where the first of ``problems`` shows (1 if none is found):
    the link scheme (``javascript:``), attribute (``onerror=``), tag (``<img``) or ``<!`` each
    names."""
    low = body.lower()
    found = []
    for problem in problems:
        head = problem.split(" (", 1)[0].strip("<>")
        name, _, value = head.partition("=")
        words = name.split()
        scheme = value.strip('"').split("...", 1)[0]
        if head.startswith("!"):
            needle = "<!"
        elif scheme.endswith(":") and scheme != "?:":
            needle = scheme
        else:
            needle = f"{words[-1]}=" if len(words) > 1 else f"<{words[0]}" if words else ""
        at = low.find(needle) if needle else -1
        if at >= 0:
            found.append(low.count("\n", 0, at) + 1)
    return min(found, default=1)

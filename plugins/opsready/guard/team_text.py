"""What a team page's Markdown may hold, judged on the text the converter will see: the page as
written and, when the site renders team pages' template code, the page as the sandbox rendered
it (``--8<{# #}--`` is harmless as written and a file inclusion once rendered). The same
function for the MkDocs plugin and ``opsready generate``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..catalog.yaml_loader import MAX_MARKDOWN_BYTES
from .bounds import PAGE_HINT, page_complexity
from .includes import inclusions


@dataclass(frozen=True)
class Refusal:
    """Why a team page is not published. ``line`` is 0-based in the text checked."""

    line: int
    message: str
    hint: str

    def text(self, where: str, first_line: int = 1, rendered: bool = False) -> str:
        """One line: ``where:line: refused: message (hint: ...)``; ``first_line`` is the file's
        line of the text's first line (after front matter)."""
        after = " (in the page as its template code rendered it)" if rendered else ""
        return (f"{where}:{first_line + self.line}: refused{after}: {self.message} "
                f"(hint: {self.hint})")


def refusals(markdown: str, site: Mapping[str, Mapping[str, Any]] | None = None
             ) -> list[Refusal]:
    """Why ``markdown`` (a team page's body) may not be converted: over the size limit of team
    pages, too complex to convert in bounded time, or asking a file-reading extension for a file
    (``site``: the file-reading extensions the site configured, see ``includes.configured``).
    Empty when it may."""
    size = len(markdown.encode("utf-8", "surrogatepass"))
    if size > MAX_MARKDOWN_BYTES:
        return [Refusal(0, f"{size:,} bytes, over the {MAX_MARKDOWN_BYTES:,}-byte limit of "
                           "team pages", "split the page")]
    found = [Refusal(line, f"too complex to convert: {why}", PAGE_HINT)
             for line, why in page_complexity(markdown)]
    found += [Refusal(i.line, i.message, i.hint) for i in inclusions(markdown, site)]
    return sorted(found, key=lambda r: r.line)

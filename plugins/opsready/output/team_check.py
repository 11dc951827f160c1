"""Team pages published by a builder without the opsready plugin: that builder passes their raw
HTML through as written, so ``opsready generate`` refuses a team page whose HTML the plugin's
allow-list (``pages.team_sanitize``) would have changed: an element or attribute outside it, an
event handler, a link or image with another URL scheme, a comment.
"""

from __future__ import annotations

from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import urlsplit

import markdown

from ..pages.team_sanitize import ATTRIBUTES, TAGS, URL_SCHEMES
from ..sanitize import safe_url
from .assemble import REQUIRED_EXTENSIONS


class _Finder(HTMLParser):
    def __init__(self, schemes: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.schemes = schemes
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.found.append(f"<{tag}>")
            return
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name not in allowed:
                self.found.append(f"<{tag} {name}=...>")
            elif name == "style" and not all(
                    part.split(":")[0].strip() == "text-align"
                    for part in (value or "").split(";") if part.strip()):
                self.found.append(f"<{tag} style=...>")
            elif name in ("href", "src") and value and not safe_url(value, self.schemes):
                self.found.append(f"<{tag} {name}=\"{urlsplit(value.strip()).scheme}:...\">")
            elif name == "id" and (value or "").startswith("__"):
                self.found.append(f"<{tag} id=\"__...\">")

    def handle_comment(self, data: str) -> None:
        self.found.append("<!-- comment -->")


def unsafe_html(page_markdown: str, schemes: Iterable[str] = URL_SCHEMES) -> list[str]:
    """What in a team page's HTML (after Markdown conversion) the plugin would have removed;
    ``schemes``: the link schemes the site allows."""
    html = markdown.markdown(page_markdown, extensions=[*REQUIRED_EXTENSIONS, "fenced_code"])
    finder = _Finder(frozenset(schemes))
    finder.feed(html)
    finder.close()
    return sorted(set(finder.found))

"""Team pages (``docs/services/<id>/``) in the MkDocs build: no template engine of the platform's,
and HTML, title and front matter cleaned before the theme prints them.

Called from the plugin's ``on_page_markdown`` (priority 100, before mkdocs-macros, which decides
from ``page.meta``) and ``on_page_content`` (priority -100, after every plugin that edits HTML).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .pages.catalog_macros import CatalogMacros
from .pages.team_render import render_team_page
from .pages.team_sanitize import safe_meta, safe_text, sanitize_team_html


class TeamPages:
    """The team pages of one build and what the build does to them."""

    def __init__(self, src_paths: Iterable[str],
                 macros: Callable[[str], CatalogMacros] | None = None) -> None:
        self.src_paths = frozenset(src_paths)
        self.macros = macros
        """Helpers for a page path when the site renders team pages' template code (opt-in)."""

    def __contains__(self, src_path: object) -> bool:
        return src_path in self.src_paths

    def before_markdown(self, markdown: str, page: Any) -> str:
        """Front matter reduced to what a team may set, mkdocs-macros turned off for the page
        (whatever its front matter says) and, when the site opted in, template code rendered
        in opsready's sandbox."""
        if page.file.src_uri not in self:
            return markdown
        meta = safe_meta(dict(page.meta))
        page.meta.clear()
        page.meta.update(meta)
        page.meta["render_macros"] = False
        if self.macros is None:
            return markdown
        return render_team_page(markdown, self.macros(page.file.src_uri))

    def after_markdown(self, html: str, page: Any) -> str:
        """The page's HTML through the allow-list; its title and table of contents as text."""
        if page.file.src_uri not in self:
            return html
        if "title" not in page.meta and page.title is not None:
            page.meta["title"] = safe_text(page.title)
        _clean_toc(page.toc)
        return sanitize_team_html(html)


def _clean_toc(items: Iterable[Any]) -> None:
    for item in items:
        item.title = safe_text(item.title)
        _clean_toc(item.children)

"""Team pages (``docs/services/<id>/``) in the MkDocs build: no template engine of the platform's,
and HTML, title and front matter cleaned before the theme prints them.

Called from the plugin's ``on_page_markdown`` (priority 110: before the include-markdown plugin,
100, which reads the files a page names, and before mkdocs-macros, 0, which decides from
``page.meta``) and ``on_page_content`` (priority -100, after every plugin that edits HTML).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..guard.front_matter import front_matter_too_long, page_meta, safe_meta, safe_text
from ..guard.html import BASE_SCHEMES as URL_SCHEMES
from ..guard.html import clean_team
from ..guard.svg import MAX_TEAM_SVG_BYTES as MAX_SVG
from ..guard.svg import svg_problem
from ..guard.team_text import refusals
from .catalog_helpers import CatalogMacros
from .team_render import render_team_page

STATIC_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".pdf", ".txt",
                             ".csv"})
"""Files besides pages a team folder may publish: none of them runs script in a browser (an
``.html`` or ``.js`` file would, on the site's own origin). An ``.svg`` is published when it is
inert (``guard.svg``)."""


@dataclass
class TeamFiles:
    """The files of the teams' folders (``<services_dir>/<id>/...``) of one build."""

    pages: set[str] = field(default_factory=set)
    """Their Markdown pages (every suffix MkDocs reads as a page)."""
    refused: list[str] = field(default_factory=list)
    """Errors: files that are links to a file outside ``docs_dir``."""
    dropped: dict[str, str] = field(default_factory=dict)
    """Files not published (source path -> warning): types that could run script."""


def team_files(entries: Iterable[tuple[str, str | None, bool]], services_dir: str,
               docs_dir: str) -> TeamFiles:
    """Sort the site's files ``(src_uri, abs_src_path, is_page)`` of the teams' folders: pages,
    files refused (links out of ``docs_dir``) and files left out (active content)."""
    prefix = services_dir.strip("/") + "/" if services_dir.strip("/") else ""
    docs = Path(docs_dir).resolve()
    out = TeamFiles()
    for src, abs_path, is_page in entries:
        if not src.startswith(prefix) or "/" not in src[len(prefix):]:
            continue
        shown = _shown(os.path.join(docs_dir, src))
        if abs_path is not None and not Path(abs_path).resolve().is_relative_to(docs):
            out.refused.append(f"{shown}: refused: it is a link to a file outside "
                               f"{_shown(docs_dir)}/; "
                               "a team's folder publishes only its own files")
        elif is_page:
            out.pages.add(src)
        elif Path(src).suffix.lower() == ".svg" and abs_path is not None:
            with open(abs_path, "rb") as svg:
                problem = svg_problem(svg.read(MAX_SVG + 1))
            if problem:
                out.dropped[src] = f"{shown}: not published: an SVG a browser could run: {problem}"
        elif Path(src).suffix.lower() not in STATIC_SUFFIXES:
            out.dropped[src] = (f"{shown}: not published: a team's folder may hold Markdown "
                                f"pages, inert SVG and {', '.join(sorted(STATIC_SUFFIXES))} "
                                "files; a file that a browser could run (HTML, script) "
                                "belongs to the platform's part of docs/")
    return out


def _shown(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else Path(rel).as_posix()


class TeamPages:
    """The team pages of one build and what the build does to them."""

    def __init__(self, src_paths: Iterable[str],
                 macros: Callable[[str], CatalogMacros] | None = None,
                 schemes: Iterable[str] = URL_SCHEMES,
                 readers: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self.src_paths = frozenset(src_paths)
        self.readers = dict(readers or {})
        """The file-reading Markdown extensions the site configured (``guard.includes``)."""
        self.schemes = frozenset(schemes)
        """Link schemes the site allows (its organisation's ``link_schemes`` included)."""
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
        source = getattr(page.file, "content_string", None)
        error = front_matter_too_long(source.replace("\r\n", "\n")) \
            if isinstance(source, str) else None
        if error:
            raise ValueError(f"{page.file.src_path}:1: refused: {error}")
        meta = safe_meta(dict(page.meta))
        page.meta.clear()
        page.meta.update(meta)
        page.meta["render_macros"] = False
        # Before conversion: a file inclusion, a page too complex to convert in bounded time.
        where, first = page.file.src_path, _body_start(page) + 1
        _refuse(refusals(markdown, self.readers), where, first)
        if self.macros is None:
            return markdown
        rendered = render_team_page(markdown, self.macros(page.file.src_uri))
        # What the converter sees: the sandbox's output (`--8<{# #}--` becomes `--8<--`).
        _refuse(refusals(rendered, self.readers), where, first, rendered=True)
        return rendered

    def after_markdown(self, html: str, page: Any) -> str:
        """The page's HTML through the allow-list; its title and table of contents as text."""
        if page.file.src_uri not in self:
            return html
        if "title" not in page.meta and page.title is not None:
            page.meta["title"] = safe_text(page.title)
        _clean_toc(page.toc)
        return clean_team(html, self.schemes)


def _refuse(found: list[Any], where: str, first: int, rendered: bool = False) -> None:
    if found:
        raise ValueError("\n".join(r.text(where, first, rendered) for r in found[:5]))


def _body_start(page: Any) -> int:
    """Lines of front matter MkDocs removed before ``on_page_markdown`` (0 without any)."""
    source = getattr(page.file, "content_string", None)
    return page_meta(source.replace("\r\n", "\n")).body_line if isinstance(source, str) else 0


def _clean_toc(items: Iterable[Any]) -> None:
    for item in items:
        item.title = safe_text(item.title)
        _clean_toc(item.children)

"""Type conversion between the core and MkDocs: MkDocs files -> ``DocsFile``, ``GeneratedFile``
-> MkDocs ``File``, the core's planned sections -> ``Section`` and ``Page`` objects placed in the
site's navigation, and the per-page view that keeps large fleets linear.

The placement logic itself is ``pages.nav`` (pure functions); this module only converts types.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.toc import TableOfContents

from ..output.assemble import DocsFile, SiteOutput
from ..output.site_files import GeneratedFile
from ..output.site_paths import SitePaths
from ..pages import nav as navplan
from ..prose.escape import html_text


def docs_files(files: Files) -> dict[str, DocsFile]:
    """The site's own files as the core sees them."""
    return {f.src_uri: DocsFile(f.src_uri, f.abs_src_path, f.is_documentation_page(),
                                lambda f=f: f.content_string)  # type: ignore[misc]
            for f in files}


def to_file(g: GeneratedFile, config: MkDocsConfig) -> File:
    """A generated page or asset as an MkDocs file; "edit this page" opens its catalog file."""
    if g.abs_path is not None:
        f = File.generated(config, g.src_path, abs_src_path=g.abs_path)
    else:
        f = File.generated(config, g.src_path, content=g.content or "")
    if g.origin:
        f.edit_uri = Path(os.path.relpath(g.origin, config.docs_dir)).as_posix()
    return f


def place_generated(nav: Navigation, out: SiteOutput, paths: SitePaths, files: Files,
                    own_nav: bool) -> tuple[Navigation, Section | None]:
    """The navigation with opsready's pages placed, and the Services section (if any).

    With the site's own nav, what it lists stays where it is listed; otherwise MkDocs' automatic
    nav lists generated pages by folder, and they are moved under Services.
    """
    listed = navplan.pages_in(nav.items) if own_nav else set()
    sections = [_to_section(s, files) for s in out.sections(exclude=listed)]
    anchors: dict[str, Any] = {}
    services: Section | None = None
    index = files.get_file_from_path(paths.services_index())
    if index is not None and index.page is not None:
        services = Section("Services", [index.page, *sections])
        anchors[index.src_uri] = services
    runbooks = files.get_file_from_path(paths.runbooks_index())
    if runbooks is not None and runbooks.page is not None:
        # A section of its own: themes take an index.md page among a section's children
        # for that section's index page.
        anchors[runbooks.src_uri] = Section("Runbooks", [runbooks.page])
    managed = out.managed - listed
    items = navplan.place(nav.items, managed, anchors)
    for src in managed:  # pages moved by us must not keep the automatic nav's parent
        f = files.get_file_from_path(src)
        if f is not None and f.page is not None:
            f.page.parent = None
    return Navigation(items, navplan.link_tree(items)), services


def _to_section(planned: navplan.NavSection, files: Files) -> Section:
    children: list[Any] = []
    for child in planned.children:
        if isinstance(child, navplan.NavSection):
            children.append(_to_section(child, files))
            continue
        f = files.get_file_from_path(child.src_path)
        if f is None or f.page is None:
            continue
        if child.title is not None and f.generated_by is not None:
            # The short label under its service; themes print titles unescaped.
            f.page.title = str(html_text(child.title))
        children.append(f.page)
    # Themes print section titles unescaped; service names are catalog data.
    return Section(str(html_text(planned.title)), children)


def page_view(nav: Navigation, section: Section, page: Any) -> Navigation:
    """A navigation in which Services lists only its index and the page's own service."""
    own = navplan.child_towards(section, page)
    children = [section.children[0]] + ([own] if own is not None and own is not
                                        section.children[0] else [])
    view = copy.copy(nav)
    view.items = navplan.trim_view(nav.items, section, children, _clone_section)
    return view


def _clone_section(original: Section, children: list[Any]) -> Section:
    clone = Section(original.title, children)
    clone.parent = None  # set before active: the setter would mark the parent active too
    clone.active = original.active
    return clone


def release_page(page: Any) -> None:
    """Drop what a generated page holds once it is written (its Markdown, HTML and table of
    contents): MkDocs keeps every page until the build ends, and under ``mkdocs serve``
    mkdocs-macros keeps the first build's pages for the whole session. The site's own pages
    are left alone (a plugin may still read them)."""
    if page.file.generated_by is not None and page.file.generated_by.startswith("opsready"):
        page.markdown = page.content = None
        page.toc = TableOfContents([])


def nav_without(nav: Any, src_path: str) -> tuple[Any, bool]:
    """A site's ``nav`` setting without the entries that name ``src_path``; whether any did."""
    dropped = False

    def keep(item: Any) -> Any:
        nonlocal dropped
        if isinstance(item, str):
            if item == src_path:
                dropped = True
                return None
            return item
        if isinstance(item, dict):
            out = {}
            for title, value in item.items():
                value = keep(value) if isinstance(value, (str, list, dict)) else value
                if value is not None:
                    out[title] = value
            return out or None
        if isinstance(item, list):
            return [v for v in (keep(i) for i in item) if v is not None]
        return item

    return keep(nav), dropped

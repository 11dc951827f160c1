"""The navigation of generated pages, and how it joins the site's own navigation.

mkdocs-material renders the whole navigation into every page, so a navigation listing every
page of every service costs O(pages) per page and O(pages^2) per build. The structure here keeps
it linear: the "Services" section holds one section per service (its documents, its alerts, its
hand-written pages), and each page is rendered with a view of the navigation in which the
Services section lists only the services index and the service the page belongs to (see
``trim_view``). Small fleets (up to a configurable size) keep the full list.

Pure functions over duck-typed navigation items (``is_section``, ``is_page``, ``children``,
``file.src_uri``, ``parent``): the MkDocs adapter passes its own objects and constructors, so
this module needs no MkDocs import.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .plan import PlannedPage


@dataclass
class NavPage:
    """A page in the planned navigation; ``title`` None keeps the page's own title."""

    src_path: str
    title: str | None = None


@dataclass
class NavSection:
    """A section in the planned navigation."""

    title: str
    children: list[NavPage | NavSection] = field(default_factory=list)


def trimmed(service_count: int, nav_max_services: int) -> bool:
    """Whether the fleet is large enough for the short navigation (the one decision, used by the
    plugin and by ``generate``): above ``nav_max_services`` services, no page carries the pages
    of every service. The plugin then gives each page a view in which Services lists the
    services index and the page's own service (``trim_view``); a builder without the plugin has
    one navigation for all pages, so ``generate`` lists only the services index and the
    services are reached through it (each service's overview links its documents and
    runbooks)."""
    return service_count > nav_max_services


def service_sections(plan: Sequence[PlannedPage], service_names: Mapping[str, str],
                     hand_written: Mapping[str, Sequence[str]],
                     exclude: Collection[str] = ()) -> list[NavSection]:
    """One section per service: documents in reading order, then alerts, then team pages.

    Pages in ``exclude`` (those a site's own ``nav:`` already lists) are left out.
    """
    sections: dict[str, NavSection] = {}
    alerts: dict[str, list[NavPage]] = {}
    for page in plan:
        if page.service_id is None:
            continue
        if page.src_path in exclude:
            sections.setdefault(page.service_id, NavSection(service_names[page.service_id]))
            continue
        sec = sections.setdefault(page.service_id,
                                  NavSection(service_names[page.service_id]))
        if page.kind == "alert":
            alerts.setdefault(page.service_id, []).append(NavPage(page.src_path, page.nav_title))
        else:
            sec.children.append(NavPage(page.src_path, page.nav_title))
    for sid, sec in sections.items():
        if alerts.get(sid):
            sec.children.append(NavSection("Alerts", [*alerts[sid]]))
        sec.children.extend(NavPage(src) for src in hand_written.get(sid, ())
                            if src not in exclude)
    return sorted((s for s in sections.values() if s.children), key=lambda s: s.title.lower())


# --- merging into the site's navigation (duck-typed MkDocs items) ---------------------------------


def pages_in(items: Sequence[Any]) -> set[str]:
    """Source paths of every page listed in a navigation tree."""
    found: set[str] = set()
    for item in items:
        if getattr(item, "is_section", False):
            found |= pages_in(item.children)
        elif getattr(item, "is_page", False):
            found.add(item.file.src_uri)
    return found


def _src(item: Any) -> str | None:
    return item.file.src_uri if getattr(item, "is_page", False) else None


def place(items: list[Any], managed: set[str], anchors: Mapping[str, Any]) -> list[Any]:
    """The site's navigation with generated pages placed by us.

    Pages in ``managed`` are removed wherever they are (MkDocs' automatic navigation lists
    them by folder); the page at each key of ``anchors`` is replaced by the item given for it
    (e.g. the services index by the whole Services section). Anchors the navigation does not
    contain are appended at the top level, in the order given. Emptied sections are dropped.
    """
    placed: set[str] = set()

    def walk(level: list[Any]) -> list[Any]:
        out = []
        for item in level:
            src = _src(item)
            if src is not None and src in anchors:
                if src not in placed:
                    placed.add(src)
                    out.append(anchors[src])
                continue
            if src is not None and src in managed:
                continue
            if getattr(item, "is_section", False):
                item.children = walk(item.children)
                if not item.children:
                    continue
                if len(item.children) == 1 and any(item.children[0] is a
                                                   for a in anchors.values()):
                    # A folder section that only held generated pages (MkDocs' automatic
                    # navigation of services/): the placed item takes its place.
                    out.append(item.children[0])
                    continue
            out.append(item)
        return out

    result = walk(items)
    result.extend(item for src, item in anchors.items() if src not in placed)
    return result


def link_tree(items: list[Any]) -> list[Any]:
    """Set parents and previous/next links as MkDocs does; return the pages in order."""
    pages: list[Any] = []

    def walk(level: list[Any], parent: Any) -> None:
        for item in level:
            item.parent = parent
            if getattr(item, "is_section", False):
                walk(item.children, item)
            elif getattr(item, "is_page", False):
                pages.append(item)

    walk(items, None)
    for i, page in enumerate(pages):
        page.previous_page = pages[i - 1] if i else None
        page.next_page = pages[i + 1] if i + 1 < len(pages) else None
    return pages


def trim_view(items: Sequence[Any], section: Any, children: list[Any],
              clone: Callable[[Any, list[Any]], Any]) -> list[Any]:
    """Top-level items of a per-page navigation view in which ``section`` has ``children``.

    Only ``section`` and its ancestors are cloned (with ``clone(original, children)``); every
    other item is shared, so a view costs O(depth + siblings of the ancestors), not
    O(navigation).
    """
    chain = []
    node = section
    while node is not None:
        chain.append(node)
        node = getattr(node, "parent", None)
    replacement = clone(section, children)
    for original, ancestor in zip(chain, chain[1:], strict=False):
        replacement = clone(ancestor, [replacement if c is original else c
                                       for c in ancestor.children])
    top = chain[-1]
    return [replacement if item is top else item for item in items]


def child_towards(section: Any, page: Any) -> Any | None:
    """The child of ``section`` that contains ``page`` (or is it), following parent links."""
    node = page
    while node is not None:
        parent = getattr(node, "parent", None)
        if parent is section:
            return node
        node = parent
    return None

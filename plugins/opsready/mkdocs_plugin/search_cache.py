"""The search entries of a page, cached: material's search plugin parses every page's final
HTML into sections on every build (about a third of a warm build once pages are no longer
converted); a page whose HTML, table of contents, URL, title and front matter did not change
gets the entries it got last time.

Used only with material's own search plugin, without jieba (whose segmentation depends on
dictionary files), and only through its ``SearchIndex.add_entry_from_context``: the entries a
call appends are what is stored, in the ``search`` namespace of the one signed store
(``cache.store``).

On a cold build, the forked render workers (``render_workers``) also index the pages they
convert (``worker_indexer``): they store the entries under the key the main process computes
when the page reaches material's plugin, so that process only reads them back. A page whose
HTML, table of contents, title or front matter differs by then (a plugin edited it) has another
key, and its entries are computed there as usual.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from ..cache.salt import code_salt
from ..cache.store import Store

FORMAT = "1"


def _search_index(config: MkDocsConfig) -> Any | None:
    """material's search index of this build, when its entries can be cached."""
    try:
        from material.plugins.search import plugin as material_search
    except ImportError:  # pragma: no cover - material is a dependency
        return None
    if material_search.jieba is not None:
        return None
    for plugin in config.plugins.values():
        if isinstance(plugin, material_search.SearchPlugin) \
                and getattr(plugin.config, "enabled", True):
            index = getattr(plugin, "search_index", None)
            if isinstance(index, material_search.SearchIndex):
                return index
    return None


def _toc(items: Any) -> list[Any]:
    return [[a.id, a.title, a.level, _toc(a.children)] for a in items]


def entry_key(salt: str, page: Page) -> str:
    """A hash of everything the search entries of ``page`` are computed from."""
    data = [FORMAT, salt, page.url, page.title, page.content, _toc(page.toc or []), page.meta]
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cache_search_entries(config: MkDocsConfig, store: Store, used: set[str],
                         computed: list[str]) -> bool:
    """Make this build's search index take unchanged pages' entries from ``store``; the keys
    it uses are added to ``used``, the pages it indexes itself to ``computed``. False when the
    site's search cannot be cached."""
    index = _search_index(config)
    if index is None:
        return False
    compute: Callable[[Page], None] = index.add_entry_from_context
    salt = code_salt()

    def add_entry_from_context(page: Page) -> None:
        key = entry_key(salt, page)
        used.add(key)
        entries = store.get_json("search", key)
        if isinstance(entries, list) and all(isinstance(e, dict) for e in entries):
            index.entries.extend(entries)
            return
        computed.append(page.file.src_uri)
        start = len(index.entries)
        compute(page)
        store.put_json("search", key, index.entries[start:])

    index.add_entry_from_context = add_entry_from_context
    return True


def worker_indexer(config: MkDocsConfig, store: Store) -> Callable[[Page], None] | None:
    """For a forked render worker: a function that indexes a page it converted (front matter
    read, HTML converted) with material's own code and stores the entries under the page's key,
    or None when the site's search cannot be cached."""
    index = _search_index(config)
    if index is None or not store.enabled:
        return None
    add = type(index).add_entry_from_context  # material's, not the caching wrapper
    salt = code_salt()

    def index_page(page: Page) -> None:
        key = entry_key(salt, page)
        if store.has("search", key):
            return
        start = len(index.entries)
        try:
            add(index, page)
            store.put_json("search", key, index.entries[start:])
        finally:
            del index.entries[start:]  # this copy of the index is never written

    return index_page

"""The page conversion cache: MkDocs converts a page's Markdown (Python-Markdown, its
extensions, link resolution) only when nothing it depends on changed since a build that
converted it; on cold builds, opsready's generated pages are converted on every core.

Registered by the opsready plugin as a plugin of its own (``opsready/render_cache``), so that
its hooks run at the ends of MkDocs' event chains: the key is computed from the page's final
Markdown (after mkdocs-macros and every other plugin), and the cached conversion is put back in
place of ``Page.render``, before any plugin sees the HTML. The key (``render_convert``) covers
the Markdown, the page's path and URL, the extensions and their options, the converting
packages' versions and every file's path and URL of the build; entries are signed
(``render_store``); the log records of a conversion are logged again when it is reused.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import meta

from . import render_workers
from .render_convert import apply, conversion_digest, convert, page_key, unsupported
from .render_store import SignedStore
from .render_workers import Job, Preconverter, worker_count
from .search_cache import cache_search_entries, worker_indexer
from .user_cache import cache_key

log = get_plugin_logger(__name__)
LAST = -1000
"""After every other plugin's hook (mkdocs-macros, opsready's team pages: priority >= -100)."""


class RenderCachePlugin(BasePlugin):  # type: ignore[type-arg]
    """Conversion of pages by content key (see the module)."""

    def __init__(self, folder: Path, workers: int, generator: str = "opsready") -> None:
        super().__init__()
        self.store = SignedStore(folder / "rendered", cache_key()[0])
        self.search_store = SignedStore(folder / "search", self.store.secret)
        self.search_used: set[str] = set()
        self.search_computed: list[str] = []
        """Pages whose search entries material's plugin computed in this process."""
        self.workers, self.generator = workers, generator
        self.converted: list[str] = []
        """Pages converted by Python-Markdown in this process during the last build."""
        self.restored: list[str] = []
        """Pages whose conversion came from the cache or a worker during the last build."""
        self.used: set[str] = set()
        self.off = ""
        self.digest = ""
        self.files: Files | None = None
        self.pre: Preconverter | None = None

    @event_priority(LAST)
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.converted, self.restored, self.used = [], [], set()
        self.files, self.digest, self.pre, self.search_used = files, "", None, set()
        self.search_computed = []
        self.off = "caches are off" if self.store.secret is None else unsupported(config)
        if self.store.secret is not None:
            cache_search_entries(config, self.search_store, self.search_used,
                                 self.search_computed)
        if self.off:
            log.info(f"page conversion cache not used: {self.off}")
        elif self.workers > 0:
            self._start_workers(config, files)
        return nav

    def _start_workers(self, config: MkDocsConfig, files: Files) -> None:
        # The Markdown of generated pages is known now; if a later plugin changes a page, its
        # key differs when MkDocs reaches it and the page is simply converted there.
        digest = conversion_digest(config, files)
        jobs = []
        for file in files.documentation_pages():
            if file.generated_by != self.generator or not isinstance(file.page, Page):
                continue
            markdown = _without_front_matter(file.content_string)
            key = page_key(digest, file.page, markdown)
            if not self.store.has(key):
                jobs.append(Job(key, file.page, markdown))
        # Forking is safe only without other threads (one might hold a lock the copy needs).
        if len(jobs) >= render_workers.MIN_JOBS and threading.active_count() == 1:
            self.pre = Preconverter(jobs, config, files, self.store, self.workers,
                                    worker_indexer(config, self.search_store))

    @event_priority(LAST)
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        if not self.off:
            # MkDocs calls page.render next: this instance attribute takes its place once.
            setattr(page, "render", functools.partial(self._render, page))  # noqa: B010
        return markdown

    def _render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        vars(page).pop("render", None)
        if not self.digest:  # the files are final once pages are converted
            self.digest = conversion_digest(config, files)
        key = page_key(self.digest, page, page.markdown or "")  # exactly what render converts
        self.used.add(key)
        pre = self.pre
        entry = pre.take(key) if pre is not None and key in pre else self.store.get(key)
        if entry is not None and apply(entry, page, files):
            self.restored.append(page.file.src_uri)
            return
        entry = convert(page, config, files)
        self.converted.append(page.file.src_uri)
        self.store.put(key, entry)

    def _stop_workers(self) -> None:
        if self.pre is not None:
            self.pre.close()
            self.pre = None

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._stop_workers()
        # Keep what this build used; only a build that converted every page knows that.
        if not self.off and self.files is not None \
                and len(self.used) >= len(self.files.documentation_pages()):
            self.store.prune(self.used)
        if self.files is not None and self.search_used \
                and len(self.search_used) >= len(self.files.documentation_pages()):
            self.search_store.prune(self.search_used)
        self.files = None  # `mkdocs serve` keeps the first build's config (and this plugin)

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_workers()


def _without_front_matter(text: str) -> str:
    """The Markdown MkDocs converts for ``text`` (``meta.get_data``), without parsing YAML
    front matter: a guess that is wrong (front matter that is not a mapping) only makes the
    key miss, and MkDocs' process converts that page."""
    found = meta.YAML_RE.match(text)
    return text[found.end():].lstrip("\n") if found else meta.get_data(text)[0]


def render_cache_plugin(cache_folder: Path, concurrency: int, serving: bool) -> Any:
    """The plugin to register; no workers under ``mkdocs serve`` (its server runs threads,
    which a forked process must not inherit)."""
    return RenderCachePlugin(cache_folder, 0 if serving else worker_count(concurrency))

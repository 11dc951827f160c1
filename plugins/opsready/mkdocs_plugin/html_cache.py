"""The page conversion cache: MkDocs converts a page's Markdown (Python-Markdown, its
extensions, link resolution) only when nothing it depends on changed since a build that
converted it; on cold builds, opsready's generated pages are converted on every core.

Registered by the opsready plugin as a plugin of its own (``opsready/render_cache``), so that
its hooks run at the ends of MkDocs' event chains: the key is computed from the page's final
Markdown (after mkdocs-macros and every other plugin), and the cached conversion is put back in
place of ``Page.render``, before any plugin sees the HTML. The key (``render_convert``) covers
the Markdown, the page's path and URL, the extensions and their options, the code salt and
every file's path and URL of the build; entries live in the ``rendered`` namespace of the one
signed store (``cache.store``); the log records of a conversion are logged again when it is
reused.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import meta

from ..cache.store import Store
from ..output.options import SiteOptions
from ..output.reuse import finish
from . import html_workers as render_workers
from .html_convert import apply, conversion_digest, convert, page_key, unsupported
from .html_workers import Job, Preconverter, worker_count
from .search_cache import cache_search_entries, worker_indexer

log = get_plugin_logger(__name__)
LAST = -1000
"""After every other plugin's hook (mkdocs-macros, opsready's team pages: priority >= -100)."""


class RenderCachePlugin(BasePlugin):  # type: ignore[type-arg]
    """Conversion of pages by content key (see the module)."""

    def __init__(self, store: Store, workers: int, generator: str = "opsready",
                 options: SiteOptions | None = None) -> None:
        super().__init__()
        self.store = store
        self.options = options or SiteOptions()
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
        self.forked = False

    @event_priority(LAST)
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.converted, self.restored, self.used = [], [], set()
        self.files, self.digest, self.pre, self.search_used = files, "", None, set()
        self.forked = False
        self.search_computed = []
        self.off = "caches are off" if not self.store.enabled else unsupported(config)
        if self.store.enabled:
            cache_search_entries(config, self.store, self.search_used, self.search_computed)
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
            if not self.store.has("rendered", key):
                jobs.append(Job(key, file.page, markdown))
        # Forking is safe only without other threads (one might hold a lock the copy needs).
        if len(jobs) >= render_workers.MIN_JOBS and threading.active_count() == 1:
            self.pre = Preconverter(jobs, config, files, self.store, self.workers,
                                    worker_indexer(config, self.store))
            self.forked = True

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
        entry = pre.take(key) if pre is not None and key in pre else \
            self.store.get_json("rendered", key)
        if entry is not None and apply(entry, page, files):
            self.restored.append(page.file.src_uri)
            return
        entry = convert(page, config, files)
        self.converted.append(page.file.src_uri)
        self.store.put_json("rendered", key, entry)

    def _stop_workers(self) -> None:
        if self.pre is not None:
            self.pre.close()
            self.pre = None

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._stop_workers()
        if self.forked:  # forked workers wrote entries this process' store did not count
            self.store.written += 1
        finish(self.store, self.options)  # bound the folder when anything was written
        self.files = None  # `mkdocs serve` keeps the first build's config (and this plugin)

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_workers()


def _without_front_matter(text: str) -> str:
    """The Markdown MkDocs converts for ``text`` (``meta.get_data``), without parsing YAML
    front matter: a guess that is wrong (front matter that is not a mapping) only makes the
    key miss, and MkDocs' process converts that page."""
    found = meta.YAML_RE.match(text)
    return text[found.end():].lstrip("\n") if found else meta.get_data(text)[0]


def render_cache_plugin(store: Store, options: SiteOptions, serving: bool) -> Any:
    """The plugin to register; no workers under ``mkdocs serve`` (its server runs threads,
    which a forked process must not inherit)."""
    return RenderCachePlugin(store, 0 if serving else worker_count(options.concurrency),
                             options=options)

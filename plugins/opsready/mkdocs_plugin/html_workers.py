"""Converting pages on every core: forked worker processes convert the pages whose Markdown is
known before MkDocs reaches them, while MkDocs' own process converts the others.

Pages are claimed one at a time in a shared table: MkDocs' process claims a page when it
reaches it (and converts it itself when no worker has started it); workers claim from the
other end. A page a worker has claimed is waited for; a worker that fails or dies only means
the page is converted in the main process. Workers convert with MkDocs' own ``Page.render``
in a copy of the build (fork), so their result is the one MkDocs would produce; they store it
in the signed cache and send it back with its log records, which the main process logs when
the page comes up, so the log reads as in a build without workers. Given an ``indexer``, a
worker also computes the page's search entries before sending it back (``search_cache``), with
the page's front matter read as MkDocs reads it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import meta

from ..cache import pool
from ..cache.store import Store
from .html_convert import Entry, convert

MIN_JOBS = 16
"""Below this many pages to convert, forking costs more than it saves."""


@dataclass(frozen=True)
class Job:
    """A page to convert: its cache key, the page and its final Markdown."""

    key: str
    page: Page
    markdown: str


def worker_count(concurrency: int) -> int:
    """Worker processes besides MkDocs' own for ``concurrency`` conversions at once (the one
    rule of ``cache.pool``); none where processes cannot be forked."""
    return max(0, pool.worker_count(concurrency) - 1) if pool.can_fork() else 0


class Preconverter:
    """Worker processes converting ``jobs`` (see the module)."""

    def __init__(self, jobs: list[Job], config: MkDocsConfig, files: Files,
                 store: Store, workers: int,
                 indexer: Callable[[Page], None] | None = None) -> None:
        ctx = multiprocessing.get_context("fork")
        self.indexer = indexer
        self.index = {job.key: i for i, job in enumerate(jobs)}
        self.claims: Any = ctx.Array("b", len(jobs))
        self.results: Any = ctx.Queue()
        self.done: dict[str, Entry | None] = {}
        self.processes = [ctx.Process(target=self._work, args=(jobs, config, files, store),
                                      daemon=True) for _ in range(workers)]
        for process in self.processes:
            process.start()

    def __contains__(self, key: str) -> bool:
        return key in self.index

    def _claim(self, index: int) -> bool:
        with self.claims.get_lock():
            if self.claims[index]:
                return False
            self.claims[index] = 1
            return True

    def _work(self, jobs: list[Job], config: MkDocsConfig, files: Files,
              store: Store) -> None:
        for index in reversed(range(len(jobs))):
            if not self._claim(index):
                continue
            job = jobs[index]
            entry: Entry | None = None
            with contextlib.suppress(Exception):  # the main process converts it instead
                job.page.markdown = job.markdown
                entry = convert(job.page, config, files, silent=True)
                store.put_json("rendered", job.key, entry)
            if entry is not None and self.indexer is not None:
                with contextlib.suppress(Exception):  # the main process indexes it instead
                    job.page.meta = meta.get_data(job.page.file.content_string)[1]
                    self.indexer(job.page)
            self.results.put((job.key, entry))

    def take(self, key: str) -> Entry | None:
        """The conversion of the page of ``key`` by a worker (waiting for it if a worker has
        started it), or None: the caller converts the page itself."""
        index = self.index.get(key)
        if index is None or self._claim(index):
            return None
        while key not in self.done:
            try:
                done_key, entry = self.results.get(timeout=0.5)
            except queue.Empty:
                if not any(p.is_alive() for p in self.processes) and self.results.empty():
                    break
                continue
            self.done[done_key] = entry
        return self.done.pop(key, None)

    def close(self) -> None:
        """Stop the workers (they have finished when every page has been taken)."""
        for index in range(len(self.index)):
            self._claim(index)  # nothing more is started
        deadline = time.monotonic() + 30
        while any(p.is_alive() for p in self.processes) and time.monotonic() < deadline:
            try:
                done_key, entry = self.results.get(timeout=0.2)
                self.done[done_key] = entry
            except queue.Empty:
                continue
        for process in self.processes:
            if process.is_alive():  # pragma: no cover - a worker stuck in one page
                process.terminate()
            process.join()
        self.results.close()
        self.done.clear()

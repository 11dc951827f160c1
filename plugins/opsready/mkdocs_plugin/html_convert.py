"""One page's Markdown conversion as data: what MkDocs' ``Page.render`` produces, captured once
and put back on a page later (the page conversion cache, ``render_cache``).

MkDocs 1.6's ``Page.render`` sets ``content``, ``toc``, ``_title_from_render``,
``present_anchor_ids`` and (unless logging at debug) ``links_to_anchors``, and logs what it
finds wrong (unresolved links and the like). A conversion entry holds all of it, the log
records included, so that a page taken from the cache shows, links and warns exactly as a
converted one.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import mkdocs
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from ..cache.salt import code_salt
from ..guard.includes import reading_extension

FORMAT = "1"
"""Bump when the entry's content or meaning changes."""


Entry = dict[str, Any]


def _stable(value: Any) -> Any:
    """``value`` as JSON data that is the same in every run (callables by their name)."""
    if isinstance(value, Mapping):
        return [[str(k), _stable(v)] for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))]
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_stable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, functools.partial):  # pymdownx.slugs.slugify(case=...) and the like
        return ["partial", _stable(value.func), _stable(value.args), _stable(value.keywords)]
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', repr(value))}"
    # Anything else by its type and repr: an address in the repr only makes the key miss.
    return f"{type(value).__module__}.{type(value).__qualname__}:{value!r}"


def unsupported(config: MkDocsConfig) -> str:
    """Why this configuration's pages cannot be cached, or "" when they can."""
    if not mkdocs.__version__.startswith("1.6."):
        return f"it is made for MkDocs 1.6 (this is {mkdocs.__version__})"
    for ext in config.markdown_extensions:
        if not isinstance(ext, str):
            # Added by a plugin (autorefs, mkdocstrings...): it may record what it sees.
            return f"the Markdown extension {type(ext).__module__} was added by a plugin"
        if reading_extension(ext) is not None:
            return f"the Markdown extension {ext} includes other files"
    return ""


def conversion_digest(config: MkDocsConfig, files: Files) -> str:
    """A digest of everything a page's conversion depends on besides its own Markdown: the
    extensions and their options, the code salt (``cache.salt``), the URL scheme, link
    validation, the logging level, and every file's path, URL and inclusion (links)."""
    mkdocs_log = logging.getLogger("mkdocs")
    data = {
        "format": FORMAT,
        "salt": code_salt(),  # opsready, every library that shapes output, Python
        "extensions": _stable(list(config.markdown_extensions)),
        "configs": _stable(dict(config.mdx_configs or {})),
        "directory_urls": bool(config.use_directory_urls),
        "validation": _stable(dict(config.validation)),
        "log_level": [mkdocs_log.getEffectiveLevel(),
                      logging.getLogger("mkdocs.structure.pages").getEffectiveLevel()],
        "files": sorted([f.src_uri, f.url, f.inclusion.name] for f in files),
    }
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def page_key(digest: str, page: Page, markdown: str) -> str:
    """The cache key of converting ``markdown`` as ``page`` in a build of ``digest``."""
    h = hashlib.sha256()
    for part in (digest, page.file.src_uri, page.file.url, page.file.inclusion.name, markdown):
        h.update(len(part.encode("utf-8")).to_bytes(8, "big"))
        h.update(part.encode("utf-8"))
    return h.hexdigest()


class _Capture(logging.Handler):
    """Collects every log record of this thread once (a record may reach both the ``mkdocs``
    and the root logger; a server thread's records are not the page's)."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []
        self.thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread and not any(r is record for r in self.records):
            self.records.append(record)


@contextmanager
def captured_logs(silent: bool = False) -> Iterator[list[logging.LogRecord]]:
    """The log records emitted inside the block. ``silent``: they reach no other handler
    (in a worker process, whose records the main process logs)."""
    capture = _Capture()
    loggers = [logging.getLogger("mkdocs"), logging.getLogger()]
    saved = [(lg.handlers[:], lg.propagate) for lg in loggers]
    for lg in loggers:
        if silent:
            lg.handlers = []
        lg.addHandler(capture)
    try:
        yield capture.records
    finally:
        for lg, (handlers, _) in zip(loggers, saved, strict=True):
            lg.removeHandler(capture)
            if silent:
                lg.handlers = handlers


def _toc_tokens(items: Any) -> list[dict[str, Any]]:
    return [{"level": a.level, "id": a.id, "name": a.title, "children": _toc_tokens(a.children)}
            for a in items]


def convert(page: Page, config: MkDocsConfig, files: Files, *, silent: bool = False) -> Entry:
    """Run MkDocs' own ``Page.render`` on ``page`` and return what it produced."""
    with captured_logs(silent) as records:
        current, config._current_page = config._current_page, page  # as in MkDocs' build
        try:
            type(page).render(page, config, files)
        finally:
            config._current_page = current
    links = page.links_to_anchors
    return {
        "content": page.content,
        "toc": _toc_tokens(page.toc),
        "title": page._title_from_render,
        # MkDocs reads raw HTML in the Markdown source for ids: text such as ``<x id>`` gives
        # an id of None, which no link can match; it is left out (sorting it failed the build).
        "anchors": sorted(a for a in page.present_anchor_ids or () if isinstance(a, str)),
        "links": None if links is None else {f.src_uri: dict(v) for f, v in links.items()},
        "log": [[r.name, r.levelno, r.getMessage()] for r in records],
    }


def apply(entry: Entry, page: Page, files: Files) -> bool:
    """Put a conversion back on ``page`` and log its records again; False (nothing changed)
    when the entry does not fit this build."""
    links: dict[Any, dict[str, str]] | None = None
    if entry["links"] is not None:
        links = {}
        for src_uri, anchors in entry["links"].items():
            target = files.get_file_from_path(src_uri)
            if target is None:
                return False
            links[target] = dict(anchors)
    page.content = entry["content"]
    page.toc = get_toc(entry["toc"])
    page._title_from_render = entry["title"]
    page.present_anchor_ids = set(entry["anchors"])
    if links is not None:
        page.links_to_anchors = links
    for name, level, message in entry["log"]:
        logger = logging.getLogger(name)
        if logger.isEnabledFor(level):
            logger.handle(logger.makeRecord(name, level, "(render cache)", 0, message, (), None))
    return True

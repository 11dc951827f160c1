"""Rendered pages kept between builds: the orchestration's cache of ``pages.generate_pages``.

A group of pages (one service's, or the fleet-wide pages) is stored in the ``pages`` namespace
of the run's store with what its pages read while rendering (``pages.read_tracking``: other
services, readiness gaps with the readiness baseline's entry for each, every file opened). Its
key is made of the code salt, every template file (the site's and the packaged ones), the
shared catalog files' bytes, the service's own files' bytes (``Catalog.reads``: its YAML and
``{file: ...}`` Markdown), its planned pages, diagrams and hand-written pages, and the options
the templates see. A stored group is used again only while every recorded read gives the same
answer. In one process (``mkdocs serve``) the entries of the last build stay in memory, so
unchanged groups are not even read back.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cache.salt import key_of, tree_digest
from ..cache.store import Store
from ..catalog.fleet import Catalog
from ..catalog.load import SHARED_READS
from ..pages.plan import PlannedPage
from ..pages.read_tracking import Reads, still_valid
from ..pages.render import RenderInputs, origin_of, source_file_of
from ..pages.site_pages import FLEET_PAGES, PageStats, page_groups, render_groups
from ..pages.templates import PACKAGED_DIR, TemplateSet
from .site_files import GeneratedFile

KEY_VERSION = "2"
"""Bump when the stored value or the key's meaning changes without the package changing."""
MEMO_SITES = 4
"""Cache folders whose last build stays in memory (tests build many sites in one process)."""


@dataclass(frozen=True)
class Entry:
    """One group's pages and what they read."""

    files: tuple[GeneratedFile, ...]
    reads: Reads
    recorded: dict[str, str | None]
    """Digest of each service read (None: absent), ``"*"``: of the fleet when all were read."""

    def to_bytes(self) -> bytes:
        """The entry as JSON."""
        data = {"files": [[f.src_path, f.content, f.origin] for f in self.files],
                "reads": self.reads.to_data(), "recorded": self.recorded}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_bytes(cls, body: bytes) -> Entry:
        """The entry ``to_bytes`` wrote (raises ``ValueError``, ``KeyError`` or ``TypeError``)."""
        data = json.loads(body)
        files = []
        for src_path, content, origin in data["files"]:
            if not isinstance(src_path, str) or not isinstance(content, str) or not (
                    origin is None or isinstance(origin, str)):
                raise ValueError("not a page")
            files.append(GeneratedFile(src_path, content, origin=origin))
        recorded = {str(k): (None if v is None else str(v)) for k, v in data["recorded"].items()}
        return cls(tuple(files), Reads.from_data(data["reads"]), recorded)


_MEMO: OrderedDict[str, dict[str, Entry]] = OrderedDict()


def templates_digest(templates: TemplateSet) -> str:
    """Digest of every file of the site's and the packaged template folders (kept on the set:
    the plugin makes a new set when a template file changes)."""
    found = getattr(templates, "_opsready_digest", None)
    if found is None:
        dirs = [PACKAGED_DIR] + ([templates.site_dir] if templates.site_dir is not None else [])
        found = tree_digest(*dirs)
        templates._opsready_digest = found  # type: ignore[attr-defined]
    return str(found)


class _Digests:
    """What each service was made of (``Catalog.reads``), and the whole fleet's."""

    def __init__(self, catalog: Catalog) -> None:
        self.reads = catalog.reads
        self.services = catalog.services
        self._fleet: str | None = None

    def service(self, service_id: str) -> str | None:
        return self.reads.get(service_id)

    @property
    def fleet(self) -> str:
        if self._fleet is None:
            self._fleet = key_of(*(p for sid in self.services
                                   for p in (sid, self.reads.get(sid) or "?")))
        return self._fleet

    @property
    def complete(self) -> bool:
        return SHARED_READS in self.reads and all(s in self.reads for s in self.services)


class _FileDigests:
    """Today's SHA-256 of files read by stored pages, each file hashed once per build."""

    def __init__(self) -> None:
        self._known: dict[str, str | None] = {}

    def __call__(self, path: str) -> str | None:
        if path not in self._known:
            try:
                self._known[path] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
            except OSError:
                self._known[path] = None
        return self._known[path]


SITE_WIDE_FIELDS = ("paths", "contact_links", "runbook_packs", "use_directory_urls")
"""Fields of ``RenderInputs`` any page may read: part of every key."""
GROUP_FIELDS = ("diagrams", "extra_pages", "trends", "fleet_map", "format_reference")
"""Fields keyed per group (``_key``)."""
CHECKED_FIELDS = ("catalog", "gaps")
"""Fields checked through what a group read (``still_valid``; ``gaps is None`` is site-wide).
The gaps a page read carry their baseline entries (``Gap.debt``): a change of the baseline file
re-renders exactly the services whose flags it changes.
``tests/test_cache_keys.py`` checks that every field of ``RenderInputs`` is in one of these."""


def site_wide(inputs: RenderInputs) -> tuple[Any, ...]:
    """What every page's key holds of ``inputs``."""
    return (*(getattr(inputs, name) for name in SITE_WIDE_FIELDS), inputs.gaps is None)


def _key(base: str, digests: _Digests, inputs: RenderInputs, group: str,
         pages: Sequence[PlannedPage]) -> str:
    if group == FLEET_PAGES:
        own: Sequence[Any] = (pages, inputs.fleet_map, inputs.format_reference is not None)
        return key_of(base, "fleet-wide pages", repr(tuple(own)))
    catalog = inputs.catalog
    own = (origin_of(catalog, group), source_file_of(catalog, group), pages,
           inputs.diagrams.get(group, ()), inputs.extra_pages.get(group, ()),
           inputs.trends.get(group, ""))
    return key_of(base, group, digests.service(group) or "?", repr(tuple(own)))


def _entry(files: Iterable[GeneratedFile], reads: Reads, digests: _Digests) -> Entry:
    recorded: dict[str, str | None] = {
        sid: digests.service(sid) if sid in digests.services else None for sid in reads.services}
    if reads.all_services:
        recorded["*"] = digests.fleet
    return Entry(tuple(files), reads, recorded)


def pages_reusing(store: Store, templates: TemplateSet, inputs: RenderInputs,
                  plan: Iterable[PlannedPage] | None = None, *, concurrency: int = 1,
                  stats: PageStats | None = None) -> list[GeneratedFile]:
    """``pages.generate_pages``, with unchanged groups taken from ``store`` (or this process'
    memory of its last build) and the groups rendered stored (see the module)."""
    stats = stats if stats is not None else PageStats()
    plan, groups = page_groups(inputs, plan)
    digests = _Digests(inputs.catalog)
    use = store.enabled and digests.complete
    memo_name = str(store.root("pages")) if store.folder is not None else ""
    memo = _MEMO.get(memo_name, {}) if use else {}
    used: dict[str, Entry] = {}
    files_now = _FileDigests()
    base = key_of("pages", KEY_VERSION, templates_digest(templates),
                  inputs.catalog.reads.get(SHARED_READS, ""),
                  repr(site_wide(inputs))) if use else ""
    keys: dict[str, str] = {}
    done: dict[str, GeneratedFile] = {}
    missing: list[str] = []
    for group, pages in groups.items():
        entry = None
        if use:
            key = keys[group] = _key(base, digests, inputs, group, pages)
            entry = memo.get(key)
            if entry is None:
                body = store.get("pages", key)
                try:
                    entry = Entry.from_bytes(body) if body is not None else None
                except (ValueError, KeyError, TypeError):
                    entry = None
        if entry is not None and still_valid(entry.reads, inputs.catalog.services, inputs.gaps,
                                             entry.recorded, digests.service, digests.fleet,
                                             files_now):
            used[keys[group]] = entry
            done.update((f.src_path, f) for f in entry.files)
            if group == FLEET_PAGES:
                stats.fleet_cached = True
            else:
                stats.cached.append(group)
        else:
            missing.append(group)
    rendered, stats.processes = render_groups(templates, inputs, groups, missing, concurrency)
    for group, files, reads in rendered:
        done.update((f.src_path, f) for f in files)
        if group != FLEET_PAGES:
            stats.rendered.append(group)
        if use and not reads.opaque:
            entry = _entry(files, reads, digests)
            used[keys[group]] = entry
            store.put("pages", keys[group], entry.to_bytes())
    if use:
        _MEMO[memo_name] = used
        _MEMO.move_to_end(memo_name)
        while len(_MEMO) > MEMO_SITES:
            _MEMO.popitem(last=False)
    return [done[page.src_path] for page in plan]


def forget_memory() -> None:
    """Drop the in-memory entries of every site (tests)."""
    _MEMO.clear()

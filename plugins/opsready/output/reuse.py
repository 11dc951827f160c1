"""What the orchestration caches, and under which key: the store of a run, readiness outcomes
per service, and (``page_reuse``) rendered pages.

Every key starts with the code salt (``cache.salt``) and is made of the bytes of everything the
step read (``cache.reads``): a service's outcomes are keyed by the policy files read, the day,
the shared files (``teams.yaml``, ``organisation.yaml``) and the service's own files (its YAML
file and every ``{file: ...}`` Markdown file), as ``Catalog.reads`` recorded them. Domain code
(catalog, policy, pages, diagrams) never sees the store.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cache.reads import ReadLog
from ..cache.salt import key_of
from ..cache.store import Store

if TYPE_CHECKING:
    from ..catalog.fleet import Catalog, CatalogResult
    from ..diagrams.publish import SiteDiagrams
    from ..guard.includes import SiteReaders
    from ..policy.engine import Evaluation, Evaluator, RuleResult
    from ..policy.load import Policy
    from .options import SiteDirs, SiteOptions
    from .site_paths import SitePaths

EVALUATED_VERSION = "1"
"""Bump when the stored form of outcomes changes without the package's files changing."""


def open_store(folder: Path | str | None, *, diagrams: Path | None = None) -> Store:
    """The run's store in ``folder`` (None: nothing is cached); ``diagrams``: where the
    ``diagrams`` namespace lives when the site chose a folder of its own."""
    return Store(folder, roots={"diagrams": diagrams} if diagrams is not None else None)


def outcomes_key(catalog: Catalog, service_id: str, policy_reads: str,
                 today: dt.date) -> str | None:
    """The key of a service's rule outcomes; None when the catalog did not record what the
    service was made of (it is then evaluated afresh)."""
    from ..catalog.load import SHARED_READS

    own, shared = catalog.reads.get(service_id), catalog.reads.get(SHARED_READS)
    if own is None or shared is None:
        return None
    return key_of("evaluated", EVALUATED_VERSION, policy_reads, today.isoformat(), shared, own,
                  catalog.sources[service_id].display)


def cached_evaluator(store: Store, policy_reads: ReadLog, *,
                     jobs: int | None = None) -> Evaluator:
    """An ``engine.evaluate`` that takes unchanged services' outcomes from ``store`` and stores
    the others (where they are computed: on the workers of a large fleet). ``policy_reads``
    records the policy files read (it is read when evaluation starts, after the policy was
    loaded); ``jobs`` caps the workers."""
    from ..policy.engine import evaluate, outcomes_from_plain

    def evaluate_cached(catalog: Catalog, policy: Policy, today: dt.date) -> Evaluation:
        if not store.enabled or not store.used_before():
            # A fresh folder (a CI runner's, used once) holds no outcomes and keeps none.
            return evaluate(catalog, policy, today, jobs=jobs)
        reads = policy_reads.digest()
        keys = {sid: outcomes_key(catalog, sid, reads, today) for sid in catalog.services}
        known: dict[str, tuple[RuleResult, ...]] = {}
        for sid, key in keys.items():
            plain = store.get_json("evaluated", key) if key is not None else None
            outcomes = outcomes_from_plain(plain, policy) if plain is not None else None
            if outcomes is not None:
                known[sid] = outcomes

        def keep(sid: str, plain: list[Any]) -> None:  # on a worker, or here
            key = keys.get(sid)
            if key is not None:
                store.put_json("evaluated", key, plain)

        evaluation = evaluate(catalog, policy, today, known=known, jobs=jobs, on_outcomes=keep)
        store.written += len(keys) - len(known)  # some by workers: the bound still applies
        return evaluation

    return evaluate_cached


MIB = 1024 * 1024


def site_store(dirs: SiteDirs) -> Store:
    """The store of a site's build (its cache folder; the diagrams namespace where the site
    put it)."""
    return open_store(dirs.cache, diagrams=dirs.diagrams_cache)


def finish(store: Store, options: SiteOptions) -> None:
    """Bound the cache folder after a step that wrote entries (``cache.prune``)."""
    store.finish(options.cache_size_mb * MIB)


def load_catalog_cached(store: Store, root: Path | str, **kwargs: Any) -> CatalogResult:
    """``catalog.load_catalog`` with files parsed before taken from ``store``.

    The parsed files (and, in ``cached_evaluator``, the readiness outcomes) are kept only in a
    cache folder that lived through a run before (``Store.used_before``): a CI runner's fresh
    cache is usually thrown away after one run, and writing a 1,000-service fleet's entries
    costs it about 0.9 s; they pay off from the second run on, after an edit."""
    from ..cache.session import using
    from ..catalog.load import load_catalog

    with using(store), (contextlib.nullcontext() if store.used_before()
                        else store.not_keeping("parsed")):
        return load_catalog(root, **kwargs)


def drawn_diagrams(store: Store, catalog: Catalog, paths: SitePaths, *,
                   levels: Mapping[str, str] | None, use_directory_urls: bool,
                   **kwargs: Any) -> SiteDiagrams:
    """``diagrams.publish.render_site_diagrams`` with drawings kept in ``store`` (namespace
    ``diagrams``, keyed by the code salt and ``spec_hash``: what is drawn and the tools)."""
    from ..diagrams.fleet import site_diagrams
    from ..diagrams.publish import render_site_diagrams
    from ..diagrams.spec import spec_hash

    diagrams = site_diagrams(catalog, paths, levels=levels, use_directory_urls=use_directory_urls)
    known: dict[str, bytes] = {}
    if store.enabled:
        for diagram in diagrams:
            try:
                digest = spec_hash(diagram.spec)
            except (TypeError, ValueError):  # an invalid spec: reported by render_all
                continue
            svg = store.get("diagrams", key_of("diagrams", digest))
            if svg is not None:
                known[digest] = svg
    result = render_site_diagrams(catalog, paths, known=known, diagrams=diagrams, levels=levels,
                                  use_directory_urls=use_directory_urls, **kwargs)
    if result.report is not None:
        for digest, svg in result.report.drawn.items():
            store.put("diagrams", key_of("diagrams", digest), svg)
    return result


def load_site_catalog(dirs: SiteDirs, options: SiteOptions,
                      readers: SiteReaders | None = None) -> CatalogResult:
    """The site's catalog, files parsed before taken from the site's store; ``readers``: the
    site's file-reading Markdown extensions (``guard.includes.configured``), whose markers the
    catalog's text may not use."""
    store = site_store(dirs)
    result = load_catalog_cached(store, dirs.catalog_dir, jobs=options.concurrency,
                                 display_root=dirs.project_dir, readers=readers)
    finish(store, options)
    return result

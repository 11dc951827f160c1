"""Every generated page of a site: service pages from the page cache or rendered (on worker
processes when many are missing), fleet-wide pages rendered each time.

A service's pages are used from the cache (``page_cache``) when its key (``page_key``) matches
and every read its pages made of other services and of the readiness gaps gives the same answer
today (``read_tracking``). Fleet-wide pages (services and runbooks indexes, fleet map, format
reference) read the whole fleet and are cheap: they are rendered at every build.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..generated import GeneratedFile
from .page_cache import Entry, PageCache
from .page_key import FleetDigests, base_key, service_key
from .page_workers import render_services, worker_count
from .plan import PlannedPage, plan_pages
from .read_tracking import Reads, still_valid
from .render import Fleet, RenderInputs, origin_of, render_page, source_file_of
from .templates import TemplateSet


@dataclass
class PageStats:
    """What a call of ``generate_pages`` did with the services' pages."""

    rendered: list[str] = field(default_factory=list)
    """Service ids whose pages were rendered."""
    cached: list[str] = field(default_factory=list)
    """Service ids whose pages came from the cache."""
    processes: int = 1


def generate_pages(templates: TemplateSet, inputs: RenderInputs,
                   plan: Iterable[PlannedPage] | None = None, *, cache: PageCache | None = None,
                   concurrency: int = 1, stats: PageStats | None = None) -> list[GeneratedFile]:
    """Render every page of the plan (computed from the catalog when not given), in plan order.

    ``cache``: where services' pages are looked up and stored. ``concurrency``: processes for
    the services to render (1: this process; 0 or less: one per CPU). ``stats`` is filled in.
    """
    catalog = inputs.catalog
    fleet = Fleet(catalog.organisation, catalog.teams, catalog.contacts, catalog.services)
    if plan is None:
        plan = plan_pages(catalog, inputs.paths, fleet_map=inputs.fleet_map is not None,
                          format_reference=inputs.format_reference is not None)
    plan = list(plan)
    stats = stats if stats is not None else PageStats()
    by_service: dict[str, list[PlannedPage]] = {}
    for page in plan:
        if page.service_id is not None:
            by_service.setdefault(page.service_id, []).append(page)
    done = _service_pages(templates, inputs, by_service, cache, concurrency, stats)
    return [render_page(templates, page, inputs, fleet) if page.service_id is None
            else done[page.src_path] for page in plan]


def _service_pages(templates: TemplateSet, inputs: RenderInputs,
                   by_service: dict[str, list[PlannedPage]], cache: PageCache | None,
                   concurrency: int, stats: PageStats) -> dict[str, GeneratedFile]:
    """Every service page by source path: from the cache, else rendered (and stored)."""
    catalog = inputs.catalog
    digests = FleetDigests(catalog.organisation, catalog.teams, catalog.contacts,
                           catalog.services)
    keys: dict[str, str] = {}
    done: dict[str, GeneratedFile] = {}
    missing: list[str] = []
    if cache is not None:
        base = base_key(templates, digests, (inputs.paths, inputs.contact_links,
                                             inputs.gaps is None))
    for sid, pages in by_service.items():
        entry = None
        if cache is not None:
            keys[sid] = service_key(base, digests, sid, (
                origin_of(catalog, sid), source_file_of(catalog, sid), pages,
                inputs.diagrams.get(sid, ()), inputs.extra_pages.get(sid, ())))
            entry = cache.get(keys[sid])
        if entry is not None and still_valid(entry.reads, catalog.services, inputs.gaps,
                                             entry.recorded, digests.service, digests.fleet):
            done.update((f.src_path, f) for f in entry.files)
            stats.cached.append(sid)
        else:
            missing.append(sid)
    rendered, stats.processes = render_services(templates, inputs, by_service, missing,
                                                worker_count(concurrency))
    for sid, files, reads in rendered:
        done.update((f.src_path, f) for f in files)
        stats.rendered.append(sid)
        if cache is not None and not reads.opaque:
            cache.put(keys[sid], _entry(files, reads, digests, catalog.services))
    if cache is not None:
        cache.finish()
    return done


def _entry(files: list[GeneratedFile], reads: Reads, digests: FleetDigests,
           services: Mapping[str, object]) -> Entry:
    recorded: dict[str, str | None] = {
        sid: digests.service(sid) if sid in services else None for sid in reads.services}
    if reads.all_services:
        recorded["*"] = digests.fleet
    return Entry(tuple(files), reads, recorded)

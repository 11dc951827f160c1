"""Every generated page of a site, from the page cache or rendered (on worker processes when
many are missing).

Pages are cached in groups: one per service, and one of the fleet-wide pages (services and
runbooks indexes, fleet map, format reference). A group is used from the cache
(``page_cache``) when its key (``page_key``) matches and every read its pages made of the
services and of the readiness gaps gives the same answer today (``read_tracking``). The
fleet-wide pages read every service, so any change of a service renders them again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..generated import GeneratedFile
from .page_cache import Entry, PageCache
from .page_key import FleetDigests, base_key, fleet_pages_key, service_key
from .page_workers import render_services, worker_count
from .plan import PlannedPage, plan_pages
from .read_tracking import Reads, still_valid
from .render import RenderInputs, origin_of, source_file_of
from .templates import TemplateSet

FLEET_PAGES = ""
"""The group of the fleet-wide pages (no service has an empty id)."""


@dataclass
class PageStats:
    """What a call of ``generate_pages`` did with the services' pages."""

    rendered: list[str] = field(default_factory=list)
    """Service ids whose pages were rendered."""
    cached: list[str] = field(default_factory=list)
    """Service ids whose pages came from the cache."""
    fleet_cached: bool = False
    """Whether the fleet-wide pages (indexes, fleet map, format reference) came from the cache."""
    processes: int = 1


def generate_pages(templates: TemplateSet, inputs: RenderInputs,
                   plan: Iterable[PlannedPage] | None = None, *, cache: PageCache | None = None,
                   concurrency: int = 1, stats: PageStats | None = None) -> list[GeneratedFile]:
    """Render every page of the plan (computed from the catalog when not given), in plan order.

    ``cache``: where pages are looked up and stored. ``concurrency``: processes for the pages
    to render (1: this process; 0 or less: one per CPU). ``stats`` is filled in.
    """
    catalog = inputs.catalog
    if plan is None:
        plan = plan_pages(catalog, inputs.paths, fleet_map=inputs.fleet_map is not None,
                          format_reference=inputs.format_reference is not None)
    plan = list(plan)
    groups: dict[str, list[PlannedPage]] = {}
    for page in plan:
        groups.setdefault(page.service_id or FLEET_PAGES, []).append(page)
    done = _grouped_pages(templates, inputs, groups, cache, concurrency,
                          stats if stats is not None else PageStats())
    return [done[page.src_path] for page in plan]


def _grouped_pages(templates: TemplateSet, inputs: RenderInputs,
                   groups: dict[str, list[PlannedPage]], cache: PageCache | None,
                   concurrency: int, stats: PageStats) -> dict[str, GeneratedFile]:
    """Every page by source path: from the cache, else rendered (and stored)."""
    catalog = inputs.catalog
    digests = FleetDigests(catalog.organisation, catalog.teams, catalog.contacts,
                           catalog.services)
    keys: dict[str, str] = {}
    done: dict[str, GeneratedFile] = {}
    missing: list[str] = []
    base = base_key(templates, digests, (inputs.paths, inputs.contact_links,
                                         inputs.gaps is None)) if cache is not None else ""
    for group, pages in groups.items():
        entry = None
        if cache is not None:
            keys[group] = _key(base, digests, inputs, group, pages)
            entry = cache.get(keys[group])
        if entry is not None and still_valid(entry.reads, catalog.services, inputs.gaps,
                                             entry.recorded, digests.service, digests.fleet):
            done.update((f.src_path, f) for f in entry.files)
            if group == FLEET_PAGES:
                stats.fleet_cached = True
            else:
                stats.cached.append(group)
        else:
            missing.append(group)
    rendered, stats.processes = render_services(templates, inputs, groups, missing,
                                                worker_count(concurrency))
    for group, files, reads in rendered:
        done.update((f.src_path, f) for f in files)
        if group != FLEET_PAGES:
            stats.rendered.append(group)
        if cache is not None and not reads.opaque:
            cache.put(keys[group], _entry(files, reads, digests, catalog.services))
    if cache is not None:
        cache.finish()
    return done


def _key(base: str, digests: FleetDigests, inputs: RenderInputs, group: str,
         pages: list[PlannedPage]) -> str:
    """The key of a service's pages, or of the fleet-wide pages (which read the fleet map and
    the format reference besides the fleet)."""
    if group == FLEET_PAGES:
        return fleet_pages_key(base, (pages, inputs.fleet_map,
                                      inputs.format_reference is not None))
    catalog = inputs.catalog
    return service_key(base, digests, group, (
        origin_of(catalog, group), source_file_of(catalog, group), pages,
        inputs.diagrams.get(group, ()), inputs.extra_pages.get(group, ()),
        inputs.trends.get(group, "")))


def _entry(files: list[GeneratedFile], reads: Reads, digests: FleetDigests,
           services: Mapping[str, object]) -> Entry:
    recorded: dict[str, str | None] = {
        sid: digests.service(sid) if sid in services else None for sid in reads.services}
    if reads.all_services:
        recorded["*"] = digests.fleet
    return Entry(tuple(files), reads, recorded)

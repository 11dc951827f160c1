"""Every generated page of a site, rendered service by service (on worker processes when many
services are rendered).

Pages render in groups: one per service, and one of the fleet-wide pages (services and
runbooks indexes, fleet map, format reference). Each group's pages render with a view of the
fleet that records what they read (``read_tracking``), so that an orchestration can keep a
group's pages and know when they are still valid (``output/page_reuse``); nothing here caches.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..output.site_files import GeneratedFile
from .page_workers import Rendered, render_services
from .plan import PlannedPage, plan_pages
from .render import RenderInputs
from .templates import TemplateSet

FLEET_PAGES = ""
"""The group of the fleet-wide pages (no service has an empty id)."""


@dataclass
class PageStats:
    """What a call of ``generate_pages`` (or the orchestration's reuse) did."""

    rendered: list[str] = field(default_factory=list)
    """Service ids whose pages were rendered."""
    cached: list[str] = field(default_factory=list)
    """Service ids whose pages came from the cache."""
    fleet_cached: bool = False
    """Whether the fleet-wide pages (indexes, fleet map, format reference) came from the cache."""
    processes: int = 1


def page_groups(inputs: RenderInputs, plan: Iterable[PlannedPage] | None = None
                ) -> tuple[list[PlannedPage], dict[str, list[PlannedPage]]]:
    """The plan (computed from the catalog when not given) and its pages by group (service id,
    or ``FLEET_PAGES``), in plan order."""
    if plan is None:
        plan = plan_pages(inputs.catalog, inputs.paths, fleet_map=inputs.fleet_map is not None,
                          format_reference=inputs.format_reference is not None)
    plan = list(plan)
    groups: dict[str, list[PlannedPage]] = {}
    for page in plan:
        groups.setdefault(page.service_id or FLEET_PAGES, []).append(page)
    return plan, groups


def render_groups(templates: TemplateSet, inputs: RenderInputs,
                  groups: Mapping[str, Sequence[PlannedPage]], names: Sequence[str],
                  concurrency: int = 1) -> tuple[list[Rendered], int]:
    """Render the groups ``names`` (each: its pages and what they read) and the number of
    processes used (``concurrency``: 0 or less, one per CPU; see ``cache.pool``)."""
    return render_services(templates, inputs, groups, names, concurrency)


def generate_pages(templates: TemplateSet, inputs: RenderInputs,
                   plan: Iterable[PlannedPage] | None = None, *, concurrency: int = 1,
                   stats: PageStats | None = None) -> list[GeneratedFile]:
    """Render every page of the plan (computed from the catalog when not given), in plan order.

    ``concurrency``: processes for the pages (1: this process; 0 or less: one per CPU).
    ``stats`` is filled in."""
    stats = stats if stats is not None else PageStats()
    plan, groups = page_groups(inputs, plan)
    rendered, stats.processes = render_groups(templates, inputs, groups, list(groups),
                                              concurrency)
    done: dict[str, GeneratedFile] = {}
    for group, files, _ in rendered:
        done.update((f.src_path, f) for f in files)
        if group != FLEET_PAGES:
            stats.rendered.append(group)
    return [done[page.src_path] for page in plan]

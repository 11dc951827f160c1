"""Rendering services' pages, in this process or on worker processes.

Each service's pages render with a view of the fleet that records what they read
(``read_tracking``). When many services must be rendered (a cold build), they are split among
forked worker processes: a worker inherits the very template set (same sandbox, same compiled
templates) and inputs, receives only service ids and sends back the pages and their reads, which
are put back in the order asked, so the output is the same as in one process.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace

from ..cache import pool, reads
from ..output.site_files import GeneratedFile
from .plan import PlannedPage
from .read_tracking import Reads, TrackedGaps, TrackedServices
from .render import Fleet, RenderInputs, render_page
from .templates import TemplateSet

MIN_PARALLEL = 8
"""Fewer services to render than this: worker processes would cost more than they save."""
CHUNKS_PER_WORKER = 4

Rendered = tuple[str, list[GeneratedFile], Reads]
"""A service id, its pages and what they read."""

_JOB: tuple[TemplateSet, RenderInputs, Mapping[str, Sequence[PlannedPage]]] | None = None
"""What forked workers render from (set by the parent just before it forks)."""


def render_service(templates: TemplateSet, inputs: RenderInputs, service_id: str,
                   pages: Sequence[PlannedPage]) -> Rendered:
    """Render one service's pages, recording what they read of the other services and gaps,
    and every file they opened (``cache.reads``)."""
    catalog = inputs.catalog
    seen = Reads()
    fleet = Fleet(catalog.organisation, catalog.teams, catalog.contacts,
                  TrackedServices(catalog.services, seen))
    gaps = TrackedGaps(inputs.gaps, seen) if inputs.gaps is not None else None
    tracked = replace(inputs, gaps=gaps)
    with reads.recording() as log:
        files = [render_page(templates, page, tracked, fleet) for page in pages]
    seen.files.update(log.files)
    return service_id, files, seen


def _render_chunk(service_ids: list[str]) -> list[Rendered]:
    assert _JOB is not None, "a worker started without a job"
    templates, inputs, pages = _JOB
    return [render_service(templates, inputs, sid, pages[sid]) for sid in service_ids]


def render_services(templates: TemplateSet, inputs: RenderInputs,
                    pages: Mapping[str, Sequence[PlannedPage]], service_ids: Sequence[str],
                    concurrency: int) -> tuple[list[Rendered], int]:
    """Render the pages of ``service_ids`` (in that order) and the number of processes used.

    Worker processes (``cache.pool``: ``concurrency``, 0 or less: one per CPU) are used when
    there are several, at least ``MIN_PARALLEL`` services are to be rendered and processes can
    be forked; a template error in a worker is raised here.
    """
    ids = list(service_ids)
    workers = pool.worker_count(concurrency)
    if workers <= 1 or len(ids) < MIN_PARALLEL or not pool.can_fork():
        return [render_service(templates, inputs, sid, pages[sid]) for sid in ids], 1
    workers = min(workers, len(ids))
    size = max(1, -(-len(ids) // (workers * CHUNKS_PER_WORKER)))
    chunks = [ids[i:i + size] for i in range(0, len(ids), size)]
    global _JOB
    _JOB = (templates, inputs, pages)
    try:
        results = [r for chunk in pool.map_processes(_render_chunk, chunks, workers)
                   for r in chunk]
    except BrokenProcessPool:  # a worker was killed (memory): finish in this process
        return [render_service(templates, inputs, sid, pages[sid]) for sid in ids], 1
    finally:
        _JOB = None
    return results, workers

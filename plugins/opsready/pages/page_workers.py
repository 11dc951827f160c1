"""Rendering services' pages, in this process or on worker processes.

Each service's pages render with a view of the fleet that records what they read
(``read_tracking``). When many services must be rendered (a cold build), they are split among
forked worker processes: a worker inherits the very template set (same sandbox, same compiled
templates) and inputs, receives only service ids and sends back the pages and their reads, which
are put back in the order asked, so the output is the same as in one process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace

from ..generated import GeneratedFile
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


def worker_count(concurrency: int) -> int:
    """Processes to use: ``concurrency``, or one per available CPU when it is 0 or less."""
    if concurrency > 0:
        return concurrency
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def render_service(templates: TemplateSet, inputs: RenderInputs, service_id: str,
                   pages: Sequence[PlannedPage]) -> Rendered:
    """Render one service's pages, recording what they read of the other services and gaps."""
    catalog = inputs.catalog
    reads = Reads()
    fleet = Fleet(catalog.organisation, catalog.teams, catalog.contacts,
                  TrackedServices(catalog.services, reads))
    gaps = TrackedGaps(inputs.gaps, reads) if inputs.gaps is not None else None
    tracked = replace(inputs, gaps=gaps)
    return service_id, [render_page(templates, page, tracked, fleet) for page in pages], reads


def _render_chunk(service_ids: list[str]) -> list[Rendered]:
    assert _JOB is not None, "a worker started without a job"
    templates, inputs, pages = _JOB
    return [render_service(templates, inputs, sid, pages[sid]) for sid in service_ids]


def render_services(templates: TemplateSet, inputs: RenderInputs,
                    pages: Mapping[str, Sequence[PlannedPage]], service_ids: Sequence[str],
                    workers: int) -> tuple[list[Rendered], int]:
    """Render the pages of ``service_ids`` (in that order) and the number of processes used.

    Worker processes are used when ``workers`` > 1, at least ``MIN_PARALLEL`` services are to be
    rendered and processes can be forked; a template error in a worker is raised here.
    """
    ids = list(service_ids)
    if workers <= 1 or len(ids) < MIN_PARALLEL or \
            "fork" not in multiprocessing.get_all_start_methods():
        return [render_service(templates, inputs, sid, pages[sid]) for sid in ids], 1
    workers = min(workers, len(ids))
    size = max(1, -(-len(ids) // (workers * CHUNKS_PER_WORKER)))
    chunks = [ids[i:i + size] for i in range(0, len(ids), size)]
    global _JOB
    _JOB = (templates, inputs, pages)
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            results = [r for chunk in pool.map(_render_chunk, chunks) for r in chunk]
    except BrokenProcessPool:  # a worker was killed (memory): finish in this process
        return [render_service(templates, inputs, sid, pages[sid]) for sid in ids], 1
    finally:
        _JOB = None
    return results, workers

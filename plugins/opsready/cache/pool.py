"""The one worker pool: how many workers a step uses, and running work on them.

One rule for every step (parsing, rendering pages, converting pages, drawing diagrams, checking
links): the ``concurrency`` option when it is positive, else one worker per CPU this process may
use. Work runs on forked processes (``map_processes``) where the platform forks, and in this
process otherwise; ``map_threads`` runs work that waits on subprocesses (Graphviz).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def available_cpus() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def worker_count(concurrency: int | None = 0) -> int:
    """Workers for a step: ``concurrency`` when positive, else one per available CPU."""
    if concurrency is not None and concurrency > 0:
        return concurrency
    return available_cpus()


def can_fork() -> bool:
    """Whether worker processes can be forked (they inherit the step's inputs)."""
    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


def map_processes(function: Callable[[T], R], items: Iterable[T], workers: int, *,
                  chunksize: int = 1) -> Iterator[R]:
    """``function`` over ``items`` in order, on ``workers`` forked processes (in this process
    when ``workers`` is 1 or processes cannot be forked)."""
    if workers <= 1 or not can_fork():
        yield from map(function, items)
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from pool.map(function, items, chunksize=chunksize)


def map_threads(function: Callable[[T], R], items: Iterable[T], workers: int) -> Iterator[R]:
    """``function`` over ``items`` in order, on ``workers`` threads (work that waits)."""
    items = list(items)
    if workers <= 1 or len(items) <= 1:
        yield from map(function, items)
        return
    with ThreadPoolExecutor(max_workers=min(workers, len(items))) as pool:
        yield from pool.map(function, items)


_inherited: Callable[[Any], Any] | None = None
"""The function ``map_inherited`` runs: set while its pool runs, inherited by the forked
workers."""


def _call_inherited(item: Any) -> Any:
    assert _inherited is not None, "runs only on a worker forked by map_inherited"
    return _inherited(item)


def map_inherited(function: Callable[[T], R], items: Iterable[T], workers: int, *,
                  chunksize: int = 1) -> Iterator[R]:
    """``map_processes`` for a ``function`` that the forked workers inherit instead of
    receiving it: a closure over large data (a loaded catalog) works, and only the items and
    the results cross the process boundary. One such map runs at a time."""
    global _inherited
    if workers <= 1 or not can_fork():
        yield from map(function, items)
        return
    if _inherited is not None:
        raise RuntimeError("map_inherited is already running")
    _inherited = function
    try:
        yield from map_processes(_call_inherited, items, workers, chunksize=chunksize)
    finally:
        _inherited = None

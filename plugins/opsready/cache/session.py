"""The store a run uses, opened by the orchestration (``output/``, the MkDocs adapter, the
``check`` command) around the steps it wants cached.

Domain functions take no cache argument. The one step cached below the orchestration is the
parse of a YAML file, which happens file by file deep inside the catalog load: the loader asks
``active()`` and gets None unless an orchestration opened a store with ``using``. The store is
a module global, so forked workers inherit it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .store import Store

_ACTIVE: Store | None = None


def active() -> Store | None:
    """The store of this run, or None (nothing is cached)."""
    return _ACTIVE


@contextmanager
def using(store: Store | None) -> Iterator[Store | None]:
    """Make ``store`` the run's store inside the ``with`` block (None: no cache)."""
    global _ACTIVE
    previous, _ACTIVE = _ACTIVE, store if store is not None and store.enabled else None
    try:
        yield _ACTIVE
    finally:
        _ACTIVE = previous

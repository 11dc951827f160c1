"""The one pruning rule of the cache folder: a bound on its size, least recently used first.

Every namespace counts towards one bound (the ``cache_size_mb`` option, default
``DEFAULT_MAX_MB``). A store marks an entry as used when it reads it (``Store.get`` touches
it), so after a run that wrote entries the folder is cut back to ``LOW_WATER`` of the bound by
deleting the entries used longest ago. Nothing else deletes entries: no namespace grows for ever
(``evaluated`` once grew by one entry per service per day), and an entry kept by another
checkout or branch that shares the folder survives while it is used.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable
from pathlib import Path

from .layout import NAMESPACES

DEFAULT_MAX_MB = 1024
"""The default bound of a catalog's cache folder, in MiB."""
LOW_WATER = 0.8
"""Pruning goes down to this share of the bound, so the next runs do not prune again at once."""
STALE_TEMP_SECONDS = 3600
"""A temporary file older than this was left by a killed run."""


def _files(roots: Iterable[Path]) -> list[tuple[int, int, str]]:
    """(last use, size, path) of every file under ``roots``."""
    found: list[tuple[int, int, str]] = []
    for root in roots:
        if os.path.islink(root):
            continue  # a link planted in a cache folder: never walked, never pruned through
        for dirpath, _, filenames in os.walk(root):  # links below are not followed
            for name in filenames:
                path = os.path.join(dirpath, name)
                with contextlib.suppress(OSError):
                    info = os.lstat(path)
                    found.append((info.st_mtime_ns, info.st_size, path))
    return found


def folder_size(folder: Path, extra: Iterable[Path] = ()) -> int:
    """Bytes held by the entries of every namespace of ``folder`` (and ``extra`` roots)."""
    return sum(size for _, size, _ in _files(_roots(folder, extra)))


def _roots(folder: Path, extra: Iterable[Path]) -> list[Path]:
    return [folder / ns for ns in NAMESPACES] + [Path(p) for p in extra]


def prune(folder: Path, max_bytes: int, extra: Iterable[Path] = ()) -> int:
    """Cut the namespaces of ``folder`` (and ``extra`` roots) down to ``LOW_WATER`` of
    ``max_bytes`` when they hold more than ``max_bytes``, least recently used entries first;
    returns how many files were deleted."""
    if os.path.islink(folder):  # as ``Store`` does, nothing is pruned through a link
        return 0
    files = _files(_roots(folder, extra))
    now = time.time_ns()
    removed = 0
    for used, _, path in files:  # a killed run's temporary file
        if path.endswith(".tmp") and now - used > STALE_TEMP_SECONDS * 10**9:
            with contextlib.suppress(OSError):
                os.unlink(path)
                removed += 1
    total = sum(size for _, size, _ in files)
    if total <= max_bytes:
        return removed
    target = int(max_bytes * LOW_WATER)
    for _, size, path in sorted(files):
        if total <= target:
            break
        with contextlib.suppress(OSError):
            os.unlink(path)
            removed += 1
            total -= size
    return removed

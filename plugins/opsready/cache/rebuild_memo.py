"""Small caches that survive ``mkdocs serve`` rebuilds (the plugin keeps them in ``on_startup``)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")


def tree_fingerprint(*roots: Path) -> tuple[tuple[str, int, int], ...]:
    """Path, modification time and size of every file under ``roots``: equal fingerprints mean
    nothing was edited, added or removed."""
    entries: list[tuple[str, int, int]] = []
    for root in roots:
        if not root.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in filenames:
                path = os.path.join(dirpath, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                entries.append((path, st.st_mtime_ns, st.st_size))
    return tuple(sorted(entries))


class Memo(Generic[T]):
    """Keeps one computed value and recomputes it only when its key changes."""

    def __init__(self) -> None:
        self._key: object = object()
        self._value: T | None = None

    def get(self, key: object, compute: Callable[[], T]) -> T:
        """The value for ``key``, computed at most once per distinct key in a row."""
        if key != self._key or self._value is None:
            self._key, self._value = object(), None  # the old value is freed before computing
            self._value = compute()
            self._key = key
        return self._value

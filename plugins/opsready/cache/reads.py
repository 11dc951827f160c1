"""Recorded reads: which files a step read, and the hash of the bytes it got.

Every file a user writes is read through ``loader.read_bounded_text``, which reports it here:
while a ``recording()`` is open, the path and the SHA-256 of the bytes read are kept in it (in
every open recording, so a step inside a step is recorded in both). A cached result is keyed by
this record, never by a summary of what was read (a model's JSON holds a ``{file: ...}``
reference's name, not its text): change any byte a step read, and its key changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_OPEN: list[ReadLog] = []


class ReadLog:
    """The files read during a recording: path -> SHA-256 (hex) of their bytes."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}

    def note(self, path: Path | str, data: bytes | str) -> None:
        """Record that ``path`` was read and gave ``data``."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        self.files[str(path)] = hashlib.sha256(raw).hexdigest()

    def update(self, other: ReadLog) -> None:
        """Add the reads of ``other``."""
        self.files.update(other.files)

    def digest(self) -> str:
        """One hash of every path and content hash, in path order."""
        digest = hashlib.sha256()
        for path in sorted(self.files):
            digest.update(path.encode("utf-8", "surrogateescape") + b"\0")
            digest.update(self.files[path].encode("ascii") + b"\n")
        return digest.hexdigest()


def note(path: Path | str, data: bytes | str) -> None:
    """Record a read in every open recording (nothing happens when none is open)."""
    for log in _OPEN:
        log.note(path, data)


@contextmanager
def recording() -> Iterator[ReadLog]:
    """Record the files read inside the ``with`` block."""
    log = ReadLog()
    _OPEN.append(log)
    try:
        yield log
    finally:
        _OPEN.remove(log)


@contextmanager
def unrecorded() -> Iterator[None]:
    """Reads inside the ``with`` block are recorded nowhere: for files of the installed package
    (the default policy, packs), which the code salt covers and which a process reads once and
    keeps, so that a key never depends on whether they were read in this process before."""
    saved = _OPEN[:]
    _OPEN.clear()
    try:
        yield
    finally:
        _OPEN[:] = saved


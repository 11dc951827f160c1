"""Signed JSON entries on disk by content key: the storage of the page conversion, search and
evaluation caches.

Each entry is one file ``<root>/<key[:2]>/<key>.json`` whose first line is the HMAC (this
user's key, ``user_cache``) of the key and the body: an entry that this user's builds did not
write (planted, edited, copied from elsewhere, renamed to another key) is a miss. Files are
written whole to a temporary name and renamed, so a reader never sees half an entry. Entries
not used by the last complete build are deleted by ``prune``, which bounds the folder to the
size of one site.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .user_cache import read_signed, write_signed

_ENTRY_NAME = re.compile(r"^[0-9a-f]{64}\.json$")


class SignedStore:
    """JSON values by hex key under ``root``; nothing is read or written without a key."""

    def __init__(self, root: Path, key: bytes | None) -> None:
        self.root = root
        self.secret = key

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> Any | None:
        """The value stored under ``key``, or None (missing, damaged or not signed by us)."""
        if self.secret is None:
            return None
        body = read_signed(self._path(key), self.secret, key)
        try:
            return json.loads(body) if body is not None else None
        except ValueError:
            return None

    def has(self, key: str) -> bool:
        """Whether an entry file exists for ``key`` (``get`` still checks it)."""
        return self.secret is not None and self._path(key).is_file()

    def put(self, key: str, value: Any) -> None:
        """Store ``value``; a folder that cannot be written only costs speed."""
        if self.secret is None:
            return
        try:
            body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except (TypeError, ValueError):  # an odd value only costs speed
            return
        write_signed(self._path(key), self.secret, key, body)

    def prune(self, keep: Iterable[str]) -> int:
        """Delete the entries whose key is not in ``keep``; returns how many were deleted."""
        wanted = {f"{k}.json" for k in keep}
        removed = 0
        with contextlib.suppress(OSError):
            for folder in self.root.iterdir():
                if not folder.is_dir() or len(folder.name) != 2:
                    continue
                for entry in folder.iterdir():
                    if _ENTRY_NAME.match(entry.name) and entry.name not in wanted:
                        with contextlib.suppress(OSError):
                            entry.unlink()
                            removed += 1
        return removed

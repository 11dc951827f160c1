"""A content-addressed cache of parsed YAML, so unchanged files are not parsed again.

Parsing is most of the time of ``opsready check`` and of every ``mkdocs serve`` rebuild. The
cache maps a hash of a file's text (and of the loader's version) to its plain data, stored as
JSON: reading it back constructs nothing but dicts, lists and scalars. Only files that parsed
cleanly are cached, so every problem is always found by a fresh parse.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

# Bump when the loader's output for the same text changes.
LOADER_VERSION = "1"
_SALT = f"opsready-loader-{LOADER_VERSION}-pyyaml-{yaml.__version__}\n".encode()


class ParseCache:
    """Parsed data by content hash, under ``<root>/parsed/``."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root) / "parsed"
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(text: str) -> str:
        """The cache key of a file's text."""
        return hashlib.sha256(_SALT + text.encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, text: str) -> Any | None:
        """The cached data of ``text``, or None (a damaged entry counts as a miss)."""
        try:
            raw = self._path(self.key(text)).read_bytes()
            data = json.loads(raw)
        except (OSError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        return data

    def put(self, text: str, data: Any) -> None:
        """Store the data of ``text``; a cache that cannot be written is silently skipped."""
        path = self._path(self.key(text))
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, path)
        except (OSError, TypeError, ValueError):
            # A read-only checkout or an odd value only costs speed, never correctness.
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

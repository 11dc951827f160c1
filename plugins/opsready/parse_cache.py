"""A content-addressed cache of parsed YAML, so unchanged files are not parsed again.

Parsing is most of the time of ``opsready check`` and of every ``mkdocs serve`` rebuild. The
cache maps a hash of a file's text (and of the loader's version) to its plain data and the
positions of its values and keys (``positions``), stored as one line of JSON and the positions'
binary form: reading it back constructs nothing but dicts, lists, scalars and the immutable
positions map. Only files that parsed
cleanly are cached, so every problem is always found by a fresh parse.

Each entry starts with an HMAC made with this user's secret key (``user_cache``): an entry that
this machine's builds did not write (committed into a checkout, edited, copied) is a miss.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml

from .positions import Positions
from .user_cache import cache_key, read_signed, write_signed

# Bump when the loader's output for the same text changes.
LOADER_VERSION = "3"  # 3: positions stored with the data, in binary
_SALT = f"opsready-loader-{LOADER_VERSION}-pyyaml-{yaml.__version__}\n".encode()


class ParseCache:
    """Parsed data by content hash, under ``<root>/parsed/``, each entry signed.

    Without a usable key (see ``user_cache.cache_key``) nothing is read or written.
    """

    def __init__(self, root: Path | str, key: bytes | None = None) -> None:
        self.root = Path(root) / "parsed"
        self.key_bytes = key if key is not None else cache_key()[0]
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(text: str) -> str:
        """The cache key of a file's text."""
        return hashlib.sha256(_SALT + text.encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, text: str) -> tuple[Any, Positions] | None:
        """The cached data of ``text`` and its positions, or None (a damaged or unsigned entry
        is a miss)."""
        if self.key_bytes is None:
            self.misses += 1
            return None
        key = self.key(text)
        try:
            body = read_signed(self._path(key), self.key_bytes, key)
            if body is None:
                raise ValueError("missing, damaged or not signed by this user's key")
            # The data as JSON (one line), then the positions in their binary form: JSON would
            # escape every separator of their paths, and reading them back was slow.
            text_part, _, blob = body.partition(b"\n")
            data, positions = json.loads(text_part), Positions.from_bytes(blob)
        except (OSError, ValueError, TypeError):  # UnicodeDecodeError is a ValueError
            self.misses += 1
            return None
        self.hits += 1
        return data, positions

    def put(self, text: str, data: Any, positions: Positions | None = None) -> None:
        """Store the data of ``text`` and its positions; a cache that cannot be written is
        silently skipped."""
        if self.key_bytes is None:
            return
        key = self.key(text)
        try:
            # The data as JSON (one line), then the positions in their binary form.
            body = (json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
                    + b"\n" + (positions or Positions({}, {})).to_bytes())
        except (TypeError, ValueError):  # an odd value only costs speed
            return
        write_signed(self._path(key), self.key_bytes, key, body)

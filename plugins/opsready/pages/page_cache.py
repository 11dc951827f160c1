"""The cache of rendered service pages: signed entries on disk, and a memo for ``mkdocs serve``.

An entry holds one service's rendered pages and what they read of the rest of the fleet
(``read_tracking.Reads``, with the digest each read service had). It is stored under
``<cache folder>/pages/<key>.json`` (``page_key.service_key``), starting with an HMAC made with
this user's key (``user_cache``): an entry this user's builds did not write is a miss. Entries
are written atomically; the folder is bounded (the oldest entries are removed beyond
``limit``). In one process (``mkdocs serve``) the entries of the last build stay in memory, so
an unchanged service's pages are not even read back.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from ..generated import GeneratedFile
from ..user_cache import cache_key, sign, verify
from .read_tracking import Reads

MEMO_SITES = 4
"""Cache folders whose last build stays in memory (tests build many sites in one process)."""


@dataclass(frozen=True)
class Entry:
    """One service's pages and what they read."""

    files: tuple[GeneratedFile, ...]
    reads: Reads
    recorded: dict[str, str | None]
    """Digest of each service read (None: absent), ``"*"``: of the fleet when all were read."""

    def to_bytes(self) -> bytes:
        """The entry as JSON."""
        data = {"files": [[f.src_path, f.content, f.origin] for f in self.files],
                "reads": self.reads.to_data(), "recorded": self.recorded}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_bytes(cls, body: bytes) -> Entry:
        """The entry ``to_bytes`` wrote (raises ``ValueError``, ``KeyError`` or ``TypeError``)."""
        data = json.loads(body)
        files = []
        for src_path, content, origin in data["files"]:
            if not isinstance(src_path, str) or not isinstance(content, str) or not (
                    origin is None or isinstance(origin, str)):
                raise ValueError("not a page")
            files.append(GeneratedFile(src_path, content, origin=origin))
        recorded = {str(k): (None if v is None else str(v)) for k, v in data["recorded"].items()}
        return cls(tuple(files), Reads.from_data(data["reads"]), recorded)


_MEMO: OrderedDict[str, dict[str, Entry]] = OrderedDict()


class PageCache:
    """Rendered pages by key under ``<root>/pages/``; ``root`` None: in memory only.

    Without a usable signing key (``user_cache.cache_key``) nothing is read from or written to
    disk. Call ``finish`` after a build to keep its entries in memory and bound the folder.
    """

    def __init__(self, root: Path | str | None, key: bytes | None = None,
                 limit: int = 5000) -> None:
        self.root = Path(root) / "pages" if root is not None else None
        self.key_bytes = key if key is not None else cache_key()[0]
        self.limit = limit
        self._memo = _MEMO.get(str(self.root), {})
        self._used: dict[str, Entry] = {}
        self.written = 0
        self.read_back = 0

    def _path(self, key: str) -> Path:
        assert self.root is not None
        return self.root / f"{key}.json"

    def get(self, key: str) -> Entry | None:
        """The entry of ``key``: from memory, else from disk when signed; or None."""
        entry = self._memo.get(key)
        if entry is None and self.root is not None and self.key_bytes is not None:
            path = self._path(key)
            try:
                mac, _, body = path.read_bytes().partition(b"\n")
                if not verify(self.key_bytes, mac.decode("ascii"), key.encode(), body):
                    raise ValueError("not signed by this user's key")
                entry = Entry.from_bytes(body)
                os.utime(path)  # recently used entries survive the bound
            except (OSError, ValueError, KeyError, TypeError):
                return None
            self.read_back += 1
        if entry is not None:
            self._used[key] = entry
        return entry

    def put(self, key: str, entry: Entry) -> None:
        """Keep ``entry`` (a folder that cannot be written only costs speed)."""
        self._used[key] = entry
        if self.root is None or self.key_bytes is None:
            return
        body = entry.to_bytes()
        mac = sign(self.key_bytes, key.encode(), body)
        tmp = None
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.root, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(mac.encode("ascii") + b"\n" + body)
            os.replace(tmp, self._path(key))
            self.written += 1
        except OSError:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def finish(self) -> None:
        """Keep this build's entries in memory for the next build; bound the folder."""
        _MEMO[str(self.root)] = self._used
        _MEMO.move_to_end(str(self.root))
        while len(_MEMO) > MEMO_SITES:
            _MEMO.popitem(last=False)
        if self.written and self.root is not None:
            self._prune()

    def _prune(self) -> None:
        assert self.root is not None
        try:
            entries = [(e.stat().st_mtime_ns, e.path) for e in os.scandir(self.root)
                       if e.name.endswith(".json")]
        except OSError:
            return
        if len(entries) <= self.limit:
            return
        entries.sort()
        for _, path in entries[:len(entries) - self.limit]:
            with contextlib.suppress(OSError):
                os.unlink(path)


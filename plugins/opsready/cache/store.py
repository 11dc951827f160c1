"""The one signed store of every cache: entries by namespace and hex key, each signed with this
user's secret key, written atomically, marked when used (for ``prune``).

Layout: ``<cache folder>/<namespace>/<key[:2]>/<key>``. An entry's first line is the HMAC-SHA256
(hex) of its name (the key, or the content key it was stored for) and its body, made with the
key in ``<user cache>/cache.key`` (mode 0600, created on first use, private to this user). An
entry this user's builds did not write (planted in a checkout, copied from another machine,
edited, renamed to another key) is a miss: the step runs again. A cache folder configured inside
the repository is therefore safe: files committed there are never used.

This is the only module that signs or verifies anything (the only user of ``hmac``).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import json
import marshal
import os
import re
import secrets
import stat
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from .folder import user_cache_root
from .layout import NAMESPACES

KEY_FILE = "cache.key"
KEY_BYTES = 32
_KEY = re.compile(r"^[0-9a-f]{16,128}$")


def _create_key(path: Path) -> None:
    # Written whole to a private temporary file, then linked into place: two processes starting
    # at once agree on one key, and nobody ever reads a half-written one.
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{KEY_FILE}.")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(KEY_BYTES) + "\n")
        with contextlib.suppress(FileExistsError):  # another process was first: use its key
            os.link(temp, path)
    finally:
        os.unlink(temp)


@functools.lru_cache(maxsize=8)
def _load_key(path_text: str) -> tuple[bytes | None, str]:
    path = Path(path_text)
    for _ in range(2):
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            try:
                _create_key(path)
            except OSError as exc:
                return None, f"cannot create the cache key {path}: {exc.strerror}"
            continue
        except OSError as exc:
            return None, f"cannot read the cache key {path}: {exc.strerror}"
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            raw = handle.read(4 * KEY_BYTES)
        if not stat.S_ISREG(info.st_mode):
            return None, f"the cache key {path} is not a regular file"
        if os.name == "posix" and (info.st_uid != os.geteuid() or info.st_mode & 0o077):
            return None, (f"the cache key {path} is not private to this user (mode "
                          f"{stat.S_IMODE(info.st_mode):o}): delete it, the next build makes "
                          "a new one")
        try:
            key = bytes.fromhex(raw.decode("ascii").strip())
        except (UnicodeDecodeError, ValueError):
            key = b""
        if len(key) < KEY_BYTES:
            return None, f"the cache key {path} is damaged: delete it"
        return key, ""
    return None, f"cannot create the cache key {path}"  # pragma: no cover - a racing deletion


def cache_key() -> tuple[bytes | None, str]:
    """This user's secret cache key, created on first use; or None and why (caches are then
    off: every step runs, which costs time, never correctness)."""
    return _load_key(str(user_cache_root() / KEY_FILE))


def sign(key: bytes, *parts: bytes) -> str:
    """The HMAC-SHA256 (hex) of ``parts``, each length-prefixed so parts cannot be re-split."""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    for part in parts:
        mac.update(len(part).to_bytes(8, "big"))
        mac.update(part)
    return mac.hexdigest()


def verify(key: bytes, mac: str, *parts: bytes) -> bool:
    """Whether ``mac`` is the HMAC of ``parts`` under ``key`` (constant-time comparison)."""
    return hmac.compare_digest(sign(key, *parts), mac)


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` whole (a fresh private temporary file beside it, renamed over
    it); False when the folder cannot be written (which only costs speed).

    The temporary file is named by a random token and created exclusively (never through a
    link, never an existing file); its folder is made only when the first write finds none
    (a cold run writes thousands of entries into existing folders)."""
    tmp = path.parent / f".{secrets.token_hex(8)}.tmp"
    try:
        try:
            fd = os.open(tmp, _CREATE, 0o600)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, _CREATE, 0o600)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
        return True
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False


class Store:
    """Signed entries under ``folder`` (see the module); ``folder`` None or no usable secret:
    nothing is read or written. ``roots`` places a namespace elsewhere (the
    ``diagrams_cache_dir`` option)."""

    def __init__(self, folder: Path | str | None, secret: bytes | None | bool = True, *,
                 roots: Mapping[str, Path] | None = None) -> None:
        self.folder = Path(folder) if folder is not None else None
        self.secret: bytes | None = (cache_key()[0] if secret is True else
                                     None if secret is False else secret)  # type: ignore[assignment]
        self.roots = dict(roots or {})
        self.written = 0
        """Entries written by this store (a store that wrote nothing needs no pruning)."""
        self.hits: dict[str, int] = {}
        self.misses: dict[str, int] = {}
        self._real: set[str] = set()
        """Folders of entries seen to be real folders, not links (``_unlinked``)."""
        self._not_kept: set[str] = set()
        """Namespaces whose entries are read but not written (``not_keeping``)."""

    @property
    def enabled(self) -> bool:
        """Whether entries are read and written at all."""
        return self.folder is not None and self.secret is not None

    def root(self, namespace: str) -> Path:
        """The folder of a namespace."""
        assert self.folder is not None
        return self.roots.get(namespace) or self.folder / namespace

    def path(self, namespace: str, key: str) -> Path:
        """Where the entry of ``key`` lives (``key`` must be hex: nothing else names a file)."""
        if namespace not in NAMESPACES or not _KEY.match(key):
            raise ValueError(f"not a cache entry name: {namespace}/{key}")
        return self.root(namespace) / key[:2] / key

    def _unlinked(self, namespace: str, entry: Path) -> bool:
        """Whether the cache folder, the namespace's folder and the entry's folder are real
        folders or not made yet: a link among them (planted in a cache folder inside a
        checkout) would make entries be written, touched and pruned wherever it points."""
        assert self.folder is not None
        shard = entry.parent
        if str(shard) in self._real:
            return True
        for folder in (self.folder, self.root(namespace), shard):
            try:
                if stat.S_ISLNK(os.lstat(folder).st_mode):
                    return False
            except FileNotFoundError:
                return True  # made by ``write_atomic``, as a real folder
            except OSError:
                return False
        self._real.add(str(shard))
        return True

    @contextlib.contextmanager
    def not_keeping(self, namespace: str) -> Iterator[Store]:
        """Inside the ``with`` block, entries of ``namespace`` are read but not written."""
        kept = namespace not in self._not_kept
        self._not_kept.add(namespace)
        try:
            yield self
        finally:
            if kept:
                self._not_kept.discard(namespace)

    def used_before(self) -> bool:
        """Whether a run finished with this cache folder before: it holds entries beyond parsed
        files (outcomes, pages, a check's result), which every run writes last."""
        return any(self.holds(ns) for ns in NAMESPACES if ns != "parsed")

    def holds(self, namespace: str) -> bool:
        """Whether the namespace may hold entries (its folder exists): a first run asks no
        entry of an empty cache."""
        return self.enabled and os.path.isdir(self.root(namespace))

    def get(self, namespace: str, key: str, *, name: str | None = None) -> bytes | None:
        """The body stored under ``key`` when signed for ``name`` (default: the key) by this
        user's key; None when missing, damaged, written by anyone else or behind a link."""
        if not self.enabled:
            return None
        assert self.secret is not None
        path = self.path(namespace, key)
        body = None
        if not self._unlinked(namespace, path):
            self.misses[namespace] = self.misses.get(namespace, 0) + 1
            return None
        try:
            mac, _, data = path.read_bytes().partition(b"\n")
            if verify(self.secret, mac.decode("ascii"), (name or key).encode("utf-8"), data):
                body = data
        except (OSError, ValueError):  # UnicodeDecodeError is a ValueError
            pass
        if body is None:
            self.misses[namespace] = self.misses.get(namespace, 0) + 1
            return None
        self.hits[namespace] = self.hits.get(namespace, 0) + 1
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used entries survive the bound (``prune``)
        return body

    def has(self, namespace: str, key: str) -> bool:
        """Whether an entry file exists for ``key`` (``get`` still checks it)."""
        if not self.enabled:
            return False
        path = self.path(namespace, key)
        return self._unlinked(namespace, path) and path.is_file()

    def put(self, namespace: str, key: str, body: bytes, *, name: str | None = None) -> None:
        """Store ``body`` signed for ``name`` (default: the key); a folder that cannot be written
        only costs speed."""
        if not self.enabled or namespace in self._not_kept:
            return
        assert self.secret is not None
        path = self.path(namespace, key)
        if not self._unlinked(namespace, path):
            return
        mac = sign(self.secret, (name or key).encode("utf-8"), body)
        if write_atomic(path, mac.encode("ascii") + b"\n" + body):
            self.written += 1

    def get_json(self, namespace: str, key: str, *, name: str | None = None) -> Any | None:
        """The JSON value stored under ``key``, or None."""
        body = self.get(namespace, key, name=name)
        try:
            return json.loads(body) if body is not None else None
        except ValueError:
            return None

    def put_json(self, namespace: str, key: str, value: Any, *, name: str | None = None) -> None:
        """Store a JSON value (an odd value only costs speed)."""
        try:
            body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except (TypeError, ValueError):
            return
        self.put(namespace, key, body, name=name)

    def get_plain(self, namespace: str, key: str) -> Any | None:
        """Plain data (dicts, lists, tuples, text, numbers, bytes) stored by ``put_plain``, or
        None."""
        body = self.get(namespace, key)
        if body is None:
            return None
        try:
            # marshal, not JSON: five times faster both ways for a parsed catalog file. Only a
            # body this user's key signed reaches it, and the key's code salt holds the Python
            # version, whose marshal format it is.
            return marshal.loads(body)
        except (EOFError, ValueError, TypeError):
            return None

    def put_plain(self, namespace: str, key: str, value: Any) -> None:
        """Store plain data (an odd value only costs speed)."""
        try:
            body = marshal.dumps(value)
        except ValueError:
            return
        self.put(namespace, key, body)

    def finish(self, max_bytes: int) -> int:
        """Bound the folder after a run that wrote entries (``prune``); how many were removed."""
        if not self.enabled or not self.written:
            return 0
        from .prune import prune

        assert self.folder is not None
        removed = prune(self.folder, max_bytes, extra=[p for p in self.roots.values()])
        self.written = 0
        return removed

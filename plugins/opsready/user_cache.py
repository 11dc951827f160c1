"""Where opsready keeps its caches, and how it knows a cache entry came from its own builds.

A cache is trusted input: a parsed file taken from it becomes a page, a drawn diagram is
published as it is. So caches live outside the repository by default, in the user's cache
folder (``$XDG_CACHE_HOME/opsready`` or ``~/.cache/opsready``), one folder per catalog; and every
entry carries an HMAC made with a secret key that only this user can read
(``<user cache>/cache.key``, mode 0600, created on first use). An entry whose HMAC does not
match (planted in a checkout, copied from another machine, edited) is a cache miss: the file is
parsed or the diagram drawn again. A cache folder configured inside the repository is therefore
safe too: files committed there are never used.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import hmac
import os
import secrets
import shutil
import stat
import tempfile
from pathlib import Path

KEY_FILE = "cache.key"
KEY_BYTES = 32


def user_cache_root() -> Path:
    """``$XDG_CACHE_HOME/opsready`` (when set to an absolute path), else ``~/.cache/opsready``."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "opsready"


def default_cache_dir(catalog_dir: Path | str) -> Path:
    """The cache folder of a catalog: in the user cache, named by a hash of the catalog's
    absolute path (so two checkouts never share entries, and nothing is written into either)."""
    digest = hashlib.sha256(str(Path(catalog_dir).resolve()).encode("utf-8")).hexdigest()[:16]
    return user_cache_root() / "projects" / digest


def resolve_cache_dir(option: str | None, config_dir: Path, catalog_dir: Path) -> Path:
    """The ``cache_dir`` option resolved against ``mkdocs.yml``'s folder; unset: the default."""
    if not option:
        return default_cache_dir(catalog_dir)
    return (Path(config_dir) / option).resolve()


def writable_or_temporary(folder: Path) -> tuple[Path, str]:
    """``folder`` (created if needed), or, when it cannot be created (a read-only home in a
    container), a temporary folder removed at exit, and why: a build never fails for want of a
    cache."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return folder, ""
    except OSError as exc:
        temporary = Path(tempfile.mkdtemp(prefix="opsready-cache-"))
        atexit.register(shutil.rmtree, temporary, ignore_errors=True)
        return temporary, f"cannot use the cache folder {folder} ({exc.strerror}): using " \
                          f"{temporary} for this run"


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
    off: every file is parsed and every diagram drawn, which costs time, never correctness)."""
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


def read_signed(path: Path, key: bytes, name: str) -> bytes | None:
    """The body of the entry at ``path`` when its first line is the HMAC of ``name`` and the
    body under ``key``; None when it is missing, damaged or signed by anyone else."""
    try:
        mac, _, body = path.read_bytes().partition(b"\n")
        return body if verify(key, mac.decode("ascii"), name.encode("utf-8"), body) else None
    except (OSError, ValueError):  # UnicodeDecodeError is a ValueError
        return None


def write_signed(path: Path, key: bytes, name: str, body: bytes) -> None:
    """Write ``body`` signed for ``name`` atomically (a fresh temporary file renamed over the
    entry); a folder that cannot be written only costs speed, never correctness."""
    tmp = None
    try:
        mac = sign(key, name.encode("utf-8"), body)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(mac.encode("ascii") + b"\n" + body)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)

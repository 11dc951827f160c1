"""The whole outcome of ``opsready check``, cached by the content of everything it depends on.

A warm ``check`` of an unchanged catalog then reads no YAML, imports no model and evaluates
nothing: it hashes the catalog folder (about 60 ms for 27 MB) and prints the stored outcome.

The entry's key (``fingerprint``) is a SHA-256 over:

- every file and folder under the catalog folder: its relative name and kind, and the hash of
  its content (a file over ``MAX_FILE_BYTES`` is never read by the check, only its size is
  reported, so its size stands for it); a new, removed or renamed file changes the key, so
  warnings about files that are not read are never stale;
- the policy file named by ``--policy`` (its name as given and its content), and the
  readiness baseline (its path, and its content when it exists);
- the options that change the outcome, the working folder and the catalog folder as given
  (file names in messages are relative to the working folder);
- the evaluation date: ``OPSREADY_TODAY`` as set and today's date (readiness ages reviews);
- the code salt (``cache.salt``): every file of the installed package, the versions of the
  libraries that shape output, Graphviz and Python.

A catalog that holds a symbolic link, or a file that cannot be read, is never cached: it is
checked afresh every time. The key is computed again after a fresh check and the outcome is
stored only when nothing changed meanwhile. One entry per catalog, working folder, policy and
options (the ``checked`` namespace of the one store, ``cache.store``, under the slot) is kept
and overwritten, so the folder does not grow with every edit; its HMAC covers the full key, so
an entry for other content, or one this user's runs did not write, is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic
from .salt import code_salt
from .store import Store

FORMAT_VERSION = "1"
MAX_FILE_BYTES = 1024 * 1024  # loader.MAX_FILE_BYTES: the largest file any reader takes


@dataclass(frozen=True)
class CheckOutcome:
    """What ``opsready check`` reports, before the output format and ``--strict`` apply."""

    services: int
    ok: bool
    diagnostics: list[Diagnostic] = field(default_factory=list)
    readiness_summary: str | None = None  # None: readiness was not evaluated

    def to_json(self) -> bytes:
        """The outcome as canonical JSON."""
        plain = asdict(self)
        return json.dumps(plain, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    @staticmethod
    def from_json(body: bytes) -> CheckOutcome:
        """The outcome stored by ``to_json`` (raises ValueError/TypeError/KeyError when not)."""
        plain = json.loads(body)
        diags = [Diagnostic(**d) for d in plain["diagnostics"]]
        summary = plain["readiness_summary"]
        if not (isinstance(plain["services"], int) and isinstance(plain["ok"], bool)
                and (summary is None or isinstance(summary, str))
                and all(isinstance(d.line, int) and isinstance(d.file, str) for d in diags)):
            raise ValueError("not a check outcome")
        return CheckOutcome(plain["services"], plain["ok"], diags, summary)


class _NotCacheable(Exception):
    """The catalog holds something the key cannot stand for (a link, an unreadable file)."""


def _file_digest(path: str, info: os.stat_result) -> bytes:
    if info.st_size > MAX_FILE_BYTES:
        return b"size:" + str(info.st_size).encode()
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).digest()
    except OSError as exc:
        raise _NotCacheable(str(exc)) from None


def _tree_digest(root: Path, digest: Any) -> None:
    """Every folder and file under ``root``: name, kind, content hash."""
    for dirpath, dirnames, filenames in os.walk(root, onerror=_refuse):
        dirnames.sort()
        rel = os.path.relpath(dirpath, root)
        digest.update(b"D" + rel.encode("utf-8", "surrogateescape") + b"\0")
        for name in sorted(dirnames + filenames):
            path = os.path.join(dirpath, name)
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                raise _NotCacheable(f"{path} is a link")
            if name in dirnames:
                continue
            kind = b"F" if stat.S_ISREG(info.st_mode) else b"O"
            digest.update(kind + name.encode("utf-8", "surrogateescape") + b"\0")
            if kind == b"F":
                digest.update(_file_digest(path, info))


def _refuse(exc: OSError) -> None:
    raise _NotCacheable(str(exc))


def slot(root: Path, policy: str | None, options: Mapping[str, Any]) -> str:
    """The entry name of one catalog checked from one folder with one policy and options."""
    plain = {"root": str(root), "absolute": os.path.abspath(root), "cwd": os.getcwd(),
             "policy": policy, "options": dict(sorted(options.items())),
             "format": FORMAT_VERSION}
    return hashlib.sha256(json.dumps(plain, sort_keys=True).encode()).hexdigest()


def fingerprint(root: Path, policy: str | None, options: Mapping[str, Any],
                environ: Mapping[str, str] | None = None, today: str | None = None,
                extra: tuple[Path, ...] = ()) -> str | None:
    """The content key of a check of ``root`` (see the module), or None when the catalog
    cannot be cached (a link, an unreadable file or folder, a policy file that cannot be
    read)."""
    import datetime as dt

    env = os.environ if environ is None else environ
    digest = hashlib.sha256(slot(root, policy, options).encode() + b"\0")
    digest.update(f"today={env.get('OPSREADY_TODAY', '')}\0"
                  f"{today or dt.date.today().isoformat()}\0".encode())
    digest.update(code_salt().encode())
    try:
        if policy is not None:
            with open(policy, "rb") as handle:
                digest.update(b"policy\0" + hashlib.sha256(handle.read()).digest())
        for path in extra:  # other files the check reads (the readiness baseline)
            digest.update(f"extra\0{path}\0".encode())
            if path.is_file():
                digest.update(hashlib.sha256(path.read_bytes()).digest())
        _tree_digest(root, digest)
    except (_NotCacheable, OSError):
        return None
    return digest.hexdigest()


def stored_outcome(store: Store, entry: str, content_key: str) -> CheckOutcome | None:
    """The stored outcome of the check with ``content_key`` (``slot`` ``entry``), or None
    (missing, for other content, damaged, or not signed by this user's key)."""
    body = store.get("checked", entry, name=content_key)
    if body is None:
        return None
    try:
        return CheckOutcome.from_json(body)
    except (ValueError, TypeError, KeyError):
        return None


def store_outcome(store: Store, entry: str, content_key: str, outcome: CheckOutcome) -> None:
    """Keep ``outcome`` as the slot's only content."""
    store.put("checked", entry, outcome.to_json(), name=content_key)

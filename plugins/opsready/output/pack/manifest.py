"""``pack.json``: every file of a pack folder with its SHA-256, the catalog commit and the alerts
of each pack, so that a copy (a laptop, a second bucket, a USB stick) can be verified."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

MANIFEST = "pack.json"
FORMAT = 1


def sha256(path: Path) -> str:
    """The SHA-256 of a file, in hex."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def write_manifest(folder: Path, header: Mapping[str, Any], packs: Sequence[Mapping[str, Any]],
                   files: Sequence[str]) -> Path:
    """Write ``pack.json`` for ``files`` (names inside ``folder``)."""
    data = {"format": FORMAT, **header, "packs": list(packs),
            "files": {name: {"sha256": sha256(folder / name),
                             "bytes": (folder / name).stat().st_size} for name in sorted(files)}}
    path = folder / MANIFEST
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def verify(folder: Path) -> list[str]:
    """Problems of a pack folder against its manifest (empty: every file is as written)."""
    path = folder / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{path}: cannot read the manifest: {exc}"]
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or not files:
        return [f"{path}: no 'files' listed: not a runbook pack manifest"]
    problems = []
    for name, entry in sorted(files.items()):
        target = folder / name
        if "/" in name or "\\" in name or name.startswith("."):
            problems.append(f"{path}: file name {name!r} is not a file of this folder")
        elif not target.is_file():
            problems.append(f"{target}: missing")
        elif not isinstance(entry, dict) or sha256(target) != entry.get("sha256"):
            problems.append(f"{target}: changed (its SHA-256 is not the one in {MANIFEST})")
    return problems

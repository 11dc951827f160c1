"""Writing generated files to a folder safely: a manifest of what opsready wrote, so that a run
rewrites only what changed, removes only its own stale files and never overwrites a file it did
not write.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..guard.paths import linked_parent

MANIFEST = ".opsready-generated.json"
"""In the output folder; a dot file, so MkDocs and Zensical do not publish it."""


def digest(data: bytes) -> str:
    """The content hash the manifest keeps."""
    return hashlib.sha256(data).hexdigest()


def read_manifest(out: Path) -> dict[str, str]:
    """Relative path -> content hash of the files the previous run wrote (empty when none)."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    return {str(k): str(v) for k, v in files.items() if _inside(k)}


def _inside(rel: str) -> bool:
    parts = Path(rel).parts
    return bool(parts) and not Path(rel).is_absolute() and ".." not in parts


@dataclass
class WriteResult:
    """What a run did (relative paths)."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    """Messages: files in the way that opsready did not write (nothing was written)."""
    kept: list[str] = field(default_factory=list)
    """Messages: stale files edited by hand since they were written (left in place)."""


def plan_refusals(out: Path, files: Mapping[str, bytes], previous: Mapping[str, str]) -> list[str]:
    """Files of ``files`` that cannot be written: the target exists but was not written by
    opsready, or a folder on the way is a link (writing through it would leave ``out``)."""
    refused = [_through_link(out, rel, link) for rel in sorted(files)
               if (link := linked_parent(out, rel)) is not None]
    if refused:
        return refused
    return [f"{out / rel}: exists and was not written by opsready generate: refused to "
            "overwrite it (move it, or remove it to let opsready write it)"
            for rel in sorted(files)
            if rel not in previous and ((out / rel).exists() or (out / rel).is_symlink())
            and ((out / rel).is_symlink() or (out / rel).read_bytes() != files[rel])]


def _through_link(out: Path, rel: str, link: Path) -> str:
    return (f"{out / rel}: refused: {link} is a link (to {os.readlink(link)!r}), and opsready "
            "generate writes only inside its output folder: replace the link with a folder")


def write_tree(out: Path, files: Mapping[str, bytes]) -> WriteResult:
    """Make ``out`` hold ``files`` (relative path -> bytes) as opsready's own files.

    Unchanged files are not touched (their mtimes stay); a file in the way that the previous run
    did not write makes the whole run refuse (``refused``, nothing written); files of the
    previous run that are no longer produced are removed, unless edited since.
    """
    previous = read_manifest(out)
    result = WriteResult(refused=plan_refusals(out, files, previous))
    if result.refused:
        return result
    for rel in sorted(files):
        target, data = out / rel, files[rel]
        if target.is_file() and not target.is_symlink() and target.read_bytes() == data:
            result.unchanged.append(rel)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.opsready-tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        result.written.append(rel)
    for rel in sorted(set(previous) - set(files)):
        target = out / rel
        if linked_parent(out, rel) is not None or target.is_symlink() or not target.is_file():
            continue  # only its own files, never through a link
        if digest(target.read_bytes()) != previous[rel]:
            result.kept.append(f"{target}: no longer generated, but edited since opsready "
                               "wrote it: left in place")
            continue
        target.unlink()
        result.removed.append(rel)
        _prune_empty(target.parent, out)
    manifest = json.dumps({"generator": "opsready generate",
                           "files": {rel: digest(files[rel]) for rel in sorted(files)}},
                          indent=1) + "\n"
    path = out / MANIFEST
    if not path.is_file() or path.read_text(encoding="utf-8") != manifest:
        out.mkdir(parents=True, exist_ok=True)
        path.write_text(manifest, encoding="utf-8")
    return result


def _prune_empty(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def unchanged_generated(out: Path, present: Mapping[str, str]) -> list[str]:
    """Files of ``present`` (relative path -> absolute path, the site's own files) that the
    manifest of ``opsready generate`` in ``out`` lists and that are unchanged since it wrote
    them: its output, not the site's pages (the plugin publishes fresh copies instead). A link,
    or a file edited since, is not recognised: it stays the site's own."""
    previous = read_manifest(out)
    found = []
    for rel, expected in previous.items():
        path = present.get(rel)
        if not path or os.path.islink(path):
            continue
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        if digest(data) == expected:
            found.append(rel)
    return sorted(found)

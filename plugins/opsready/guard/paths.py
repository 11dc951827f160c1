"""Links in the folders a build reads from and writes to: a team's folder publishes only its own
files, and ``opsready generate`` writes only inside its output folder.

A builder follows a linked folder (MkDocs walks ``docs/`` following links, Zensical too), so a
link inside ``docs/services/<id>/`` (or the team folder itself being one) would publish what it
points to; and a writer that creates ``services/<id>/index.md`` through a linked ``services/<id>``
writes outside its folder. Both the MkDocs plugin and ``generate`` refuse such folders with
``linked_folders``; ``generate`` writes and removes only paths that ``linked_parent`` clears.
"""

from __future__ import annotations

import os
from pathlib import Path


def linked_parent(root: Path, rel: str) -> Path | None:
    """The first folder between ``root`` (excluded) and ``root / rel`` (excluded) that is a
    link, or None: writing or removing ``rel`` through it would reach outside ``root``."""
    return _first_link(root, Path(rel).parts[:-1])


def linked_folder(root: Path, rel: str | Path) -> Path | None:
    """The first of ``root / rel`` and its parents below ``root`` that is a link, or None: a
    folder a build writes into (a cache folder) reached through it would be somewhere else.
    ``rel`` outside ``root`` (absolute, or through ``..``) is the configuring user's choice."""
    path = Path(rel)
    if path.is_absolute() or ".." in path.parts:
        return None
    return _first_link(root, path.parts)


def _first_link(root: Path, parts: tuple[str, ...]) -> Path | None:
    folder = root
    for part in parts:
        folder = folder / part
        if folder.is_symlink():
            return folder
        if not folder.exists():
            return None  # created by the writer, as a real folder
    return None


def linked_folders(docs_dir: str | Path, services_dir: str) -> list[tuple[str, str]]:
    """(path relative to ``docs_dir``, link target) of every folder of the teams' area that is a
    link: a team folder ``<services_dir>/<id>`` or any folder inside one. Links are not
    followed while walking, so each is found once and nothing outside is read."""
    base = Path(docs_dir) / services_dir.strip("/") if services_dir.strip("/") else Path(docs_dir)
    if not base.is_dir() or base.is_symlink():
        return []
    found: list[tuple[str, str]] = []
    for dirpath, dirnames, _files in os.walk(base, followlinks=False):
        for name in sorted(dirnames):
            path = os.path.join(dirpath, name)
            if os.path.islink(path):
                found.append((Path(path).relative_to(docs_dir).as_posix(), os.readlink(path)))
        # Not followed: a linked folder is refused, never read.
        dirnames[:] = sorted(d for d in dirnames if not os.path.islink(os.path.join(dirpath, d)))
    return sorted(found)


def linked_folder_message(shown: str, target: str) -> str:
    """The refusal of one linked folder of a team's area."""
    return (f"{shown}: refused: a folder of a team's area that is a link (to {target!r}); a "
            "builder would publish what it points to: replace the link with the files")

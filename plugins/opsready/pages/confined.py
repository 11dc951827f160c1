"""A template loader that reads only files inside its folder, after resolving links.

A site's templates folder belongs to the platform team, but a link in it (``x.md.j2`` ->
``/proc/self/environ``, or to any file outside the folder) would publish that file: such a
template or asset is refused with an error naming it, never read, and never replaced by the
packaged file of the same name.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path

from ..cache import reads


def _shown(path: Path) -> str:
    rel = os.path.relpath(path)
    return str(path) if rel.startswith("..") else Path(rel).as_posix()


class TemplateError(Exception):
    """A template could not be found, parsed or rendered; the message names file and line."""


class OutsideFolderError(TemplateError):
    """A template or asset resolves (through a link) to a file outside its folder."""


def confined_path(root: Path, name: str) -> Path | None:
    """The file ``name`` of folder ``root`` when it exists (None when it does not), refusing a
    file that resolves outside ``root`` or is not a regular file."""
    base = root.resolve()
    candidate = base.joinpath(*split_template_path(name))
    if not os.path.lexists(candidate):
        return None
    target = candidate.resolve()
    if not target.is_relative_to(base):
        raise OutsideFolderError(
            f"{_shown(candidate)}: refused: it is a link to {target}, outside the templates folder "
            f"{_shown(base)}; templates and assets are read only from inside their folder")
    if not target.is_file():
        if target.is_dir():
            return None
        raise OutsideFolderError(f"{_shown(candidate)}: refused: not a regular file")
    return target


class ConfinedLoader(jinja2.BaseLoader):
    """Jinja loader over one folder that never reads outside it."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        path = confined_path(self.root, template)
        if path is None:
            raise jinja2.TemplateNotFound(template)
        raw = path.read_bytes()
        reads.note(path, raw)  # a cached page is keyed by every byte it read (``cache.reads``)
        text = raw.decode("utf-8")
        mtime = path.stat().st_mtime
        return text, str(path), lambda: path.exists() and path.stat().st_mtime == mtime

    def list_templates(self) -> list[str]:
        """Every file of the folder that stays inside it, as a template name."""
        names = []
        for path in self.root.rglob("*"):
            rel = path.relative_to(self.root).as_posix()
            try:
                if confined_path(self.root, rel) is not None:
                    names.append(rel)
            except OutsideFolderError:
                continue
        return sorted(names)

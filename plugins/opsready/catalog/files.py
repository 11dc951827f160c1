"""Which files of a catalog folder are read, and a report of every file that is not.

Read: ``teams.yaml`` and ``organisation.yaml`` at the root, one service per ``<id>.yaml`` (or
``.yml``) at the root or per ``<id>/service.yaml`` (or ``service.yml``) folder, and any Markdown
file that a ``{file: ...}`` reference names. Markdown files inside a service folder and a
``README.md`` at the root may stay unreferenced (notes, drafts). Every other file is reported
with what to do, as a warning: a file that is silently skipped is a service that silently
disappears. A file or folder that is a link resolving outside the catalog folder is an error and
is never read (a service file must not publish a file from elsewhere on the build machine).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic

DEFAULT_CATALOG_DIR = "service_catalog"
"""The catalog folder when none is given (relative to the project, like ``mkdocs.yml``)."""
TEAMS_FILE = "teams.yaml"
ORGANISATION_FILE = "organisation.yaml"
SERVICE_FILE_NAMES = ("service.yaml", "service.yml")
RESERVED_NAMES = {"teams", "organisation"}
YAML_SUFFIXES = (".yaml", ".yml")
MARKDOWN_SUFFIXES = (".md", ".markdown")
ALLOWED_UNREFERENCED = {"README.md"}
BACKUP_SUFFIXES = {".bak", ".orig", ".old", ".swp", ".swo", ".tmp", ".rej", ".save"}
CODE = "unread-file"
MOVE_OUT = "move it out of the catalog folder"
LAYOUT = ("the catalog reads teams.yaml, organisation.yaml, <id>.yaml, <id>/service.yaml and the "
          "Markdown files they reference")


@dataclass(frozen=True)
class Unread:
    """A file that is not read: a warning (dropped when a ``{file: ...}`` reference does read
    it), or an error for a link out of the catalog."""

    path: Path
    message: str
    hint: str
    severity: str = "warning"


@dataclass
class CatalogFiles:
    """The files of a catalog folder: what to read, and what is reported unless read."""

    teams: Path | None = None
    organisation: Path | None = None
    services: list[tuple[str, Path]] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)

    def diagnostics(self, read: Collection[Path], name: Callable[[Path], str]) -> list[Diagnostic]:
        """A diagnostic for every unread file, leaving out the files a reference did read."""
        if not self.unread:  # the usual case: no file to resolve (a system call per part)
            return []
        done = {Path(p).resolve() for p in read}
        return [Diagnostic(name(u.path), 1, 1, "", u.message, u.hint,
                           severity="error" if u.severity == "error" else "warning", code=CODE)
                for u in self.unread if u.severity == "error" or u.path.resolve() not in done]


def _outside(path: Path, root: Path) -> Unread | None:
    """An error when ``path`` is a link that resolves outside the (resolved) catalog root."""
    if not path.is_symlink():
        return None
    try:
        target = path.resolve(strict=False)
    except (OSError, RuntimeError):  # a link loop
        return Unread(path, "link cannot be resolved (a loop?): not read", "remove the link",
                      "error")
    if target.is_relative_to(root):
        return None
    return Unread(path, "is a link to a file outside the catalog folder: not read",
                  "copy the file into the catalog folder instead of linking to it", "error")


def _advice(path: Path) -> tuple[str, str]:
    """(message, hint) for a file the catalog does not read."""
    name, suffix = path.name, path.suffix
    if name.startswith("."):
        return ("hidden file is not read",
                "remove the leading dot if it is meant to be read, else " + MOVE_OUT)
    if name.endswith("~") or name.startswith("#") or suffix.lower() in BACKUP_SUFFIXES:
        return "backup or editor file is not read", "delete it, or " + MOVE_OUT
    if suffix.lower() in YAML_SUFFIXES + MARKDOWN_SUFFIXES and suffix != suffix.lower():
        return ("file is not read: the extension must be lower-case",
                f"rename it to {path.stem}{suffix.lower()}")
    if suffix.lower() == ".json":
        return ("JSON file is not read: catalog files are YAML",
                f"rename it to {path.stem}.yaml (JSON is valid YAML), or " + MOVE_OUT)
    return f"file is not read: {LAYOUT}", MOVE_OUT


def _hidden_folder(folder: Path) -> Unread:
    files = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        files += [Path(dirpath, n).relative_to(folder).as_posix() for n in sorted(filenames)]
        if len(files) > 5:
            break
    shown = ", ".join(files[:5]) + (", ..." if len(files) > 5 else "") if files else "empty"
    return Unread(folder, f"hidden folder is not read ({shown})",
                  "remove the leading dot if its files are meant to be read, else " + MOVE_OUT)


def _root_file(entry: Path, found: CatalogFiles) -> None:
    name, suffix = entry.name, entry.suffix
    if name == TEAMS_FILE:
        found.teams = entry
    elif name == ORGANISATION_FILE:
        found.organisation = entry
    elif suffix in YAML_SUFFIXES and entry.stem in RESERVED_NAMES:
        found.unread.append(Unread(entry, "file is not read: the name is reserved",
                                   f"name it {entry.stem}.yaml"))
    elif suffix in YAML_SUFFIXES:
        found.services.append((entry.stem, entry))
    elif suffix in MARKDOWN_SUFFIXES and name not in ALLOWED_UNREFERENCED:
        found.unread.append(Unread(entry, "Markdown file is not referenced by any catalog file",
                                   "reference it with {file: " + name + "}, or " + MOVE_OUT))
    elif name not in ALLOWED_UNREFERENCED:
        found.unread.append(Unread(entry, *_advice(entry)))


def _folder(folder: Path, root: Path, found: CatalogFiles) -> None:
    """A service folder (or a folder that should have been one): its files and subfolders."""
    service = next((folder / n for n in SERVICE_FILE_NAMES
                    if (folder / n).is_file() and _outside(folder / n, root) is None), None)
    if service is not None:
        found.services.append((folder.name, service))
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        keep = []
        for d in sorted(dirnames):
            sub = here / d
            problem = _outside(sub, root)
            if problem is not None:
                found.unread.append(problem)
            elif d.startswith("."):
                found.unread.append(_hidden_folder(sub))
            else:
                keep.append(d)
        dirnames[:] = keep
        for n in sorted(filenames):
            path = here / n
            problem = _outside(path, root)
            if problem is not None:
                found.unread.append(problem)
                continue
            if path == service:
                continue
            suffix = path.suffix
            if suffix in MARKDOWN_SUFFIXES and not n.startswith("."):
                if service is None:
                    found.unread.append(Unread(
                        path, "Markdown file is not read: its folder has no service.yaml",
                        "add service.yaml beside it, or " + MOVE_OUT))
            elif suffix in YAML_SUFFIXES and not n.startswith("."):
                found.unread.append(Unread(
                    path, "YAML file is not read: only <id>.yaml and <id>/service.yaml hold "
                    "services", "rename it to service.yaml in its service folder, or " + MOVE_OUT))
            else:
                found.unread.append(Unread(path, *_advice(path)))


def survey(root: Path) -> CatalogFiles:
    """Sort every entry of the catalog folder ``root`` into read or reported (see the module)."""
    found = CatalogFiles()
    real_root = root.resolve()
    for entry in sorted(root.iterdir()):
        problem = _outside(entry, real_root)
        if problem is not None:
            found.unread.append(problem)
        elif entry.name.startswith(".") and entry.is_dir():
            found.unread.append(_hidden_folder(entry))
        elif entry.name.startswith("."):
            found.unread.append(Unread(entry, *_advice(entry)))
        elif entry.is_dir():
            _folder(entry, real_root, found)
        elif entry.is_file():
            _root_file(entry, found)
        else:
            found.unread.append(Unread(entry, "not a regular file: not read", MOVE_OUT))
    return found

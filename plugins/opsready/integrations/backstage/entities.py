"""Read Backstage entity files safely: every document of every file, Locations followed.

Files are read with opsready's own loader (plain data only, bounded, no tags executed). A
``Location`` entity's relative file targets are read too, once each, and only from inside the
folders the import was given (a file given is read from its own folder): an absolute path, a
``..`` that leaves them, ``/proc`` or a link to a file outside is refused with the entity file
and line, unread. Remote targets are reported, never fetched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from ...catalog.yaml_loader import LoadedFile, load_yaml_documents
from ...diagnostics import Diagnostic
from .refs import DEFAULT_NAMESPACE, EntityRef

API_PREFIX = "backstage.io/"
KINDS = ("component", "system", "group", "user", "resource", "api", "domain", "location",
         "template")


@dataclass(frozen=True)
class Entity:
    """One Backstage entity as written: where it came from and its three parts."""

    kind: str
    metadata: dict[str, Any]
    spec: dict[str, Any]
    file: str
    line: int

    @property
    def name(self) -> str:
        """``metadata.name`` as written."""
        return str(self.metadata.get("name", ""))

    @property
    def namespace(self) -> str:
        """``metadata.namespace``, ``default`` when absent."""
        return str(self.metadata.get("namespace") or DEFAULT_NAMESPACE).lower()

    @property
    def ref(self) -> EntityRef:
        """The entity's full reference."""
        return EntityRef(self.kind.lower(), self.namespace, self.name)

    @property
    def where(self) -> str:
        """``file:line`` of the entity's document."""
        return f"{self.file}:{self.line}"


@dataclass
class ReadResult:
    """Entities read, and problems met (files that could not be read, documents skipped)."""

    entities: list[Entity] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml")
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def _inside(path: Path, roots: list[Path]) -> bool:
    """Whether ``path``, its links resolved, lies in one of the (resolved) ``roots``."""
    resolved = path.resolve()
    return any(resolved.is_relative_to(root) for root in roots)


def _entity(data: Any, file: str, line: int) -> tuple[Entity | None, Diagnostic | None]:
    if not isinstance(data, dict):
        return None, Diagnostic(file, line, 1, "", "document is not a mapping: not a Backstage "
                                "entity, skipped", severity="warning")
    api = str(data.get("apiVersion", ""))
    if not api.startswith(API_PREFIX):
        return None, Diagnostic(file, line, 1, "apiVersion",
                                f"not a Backstage entity (apiVersion {api or 'missing'}), "
                                "skipped", severity="warning")
    kind = str(data.get("kind", ""))
    metadata = data.get("metadata")
    spec = data.get("spec")
    if not kind or not isinstance(metadata, dict) or not metadata.get("name"):
        return None, Diagnostic(file, line, 1, "metadata.name", "entity has no kind or no "
                                "metadata.name, skipped", severity="warning")
    return Entity(kind, metadata, spec if isinstance(spec, dict) else {}, file, line), None


def read_entities(paths: list[Path]) -> ReadResult:
    """Read every entity of the given files and folders (folders: every .yaml/.yml inside)."""
    result = ReadResult()
    queue: list[Path] = []
    roots: list[Path] = []
    for path in paths:
        if path.is_dir():
            roots.append(path.resolve())
            for found in _yaml_files(path):
                if _inside(found, [path.resolve()]):
                    queue.append(found)
                else:
                    result.diagnostics.append(Diagnostic(
                        str(found), 1, 1, "", f"refused: a link to a file outside {path}; "
                        "only files under the folders given are read"))
        elif path.is_file():
            roots.append(path.resolve().parent)
            queue.append(path)
        else:
            result.diagnostics.append(Diagnostic(str(path), 1, 1, "", "no such file or folder"))
    seen: set[Path] = set()
    while queue:
        path = queue.pop(0)
        resolved = path.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        display = str(path)
        result.files.append(display)
        documents, diags = load_yaml_documents(path, display=display)
        result.diagnostics += diags
        for doc in documents:
            line = doc.position(())[0]
            entity, problem = _entity(doc.data, display, line)
            if problem is not None:
                result.diagnostics.append(problem)
            if entity is None:
                continue
            if entity.kind.lower() == "location":
                queue += _location_targets(entity, doc, path.parent, roots, result.diagnostics)
                continue
            result.entities.append(entity)
    return result


def _location_targets(entity: Entity, doc: LoadedFile, base: Path, roots: list[Path],
                      diags: list[Diagnostic]) -> list[Path]:
    raw = entity.spec.get("targets")
    targets: list[tuple[tuple[str | int, ...], object]] = [
        (("spec", "targets", i), t) for i, t in enumerate(raw if isinstance(raw, list) else [])]
    if entity.spec.get("target"):
        targets.append((("spec", "target"), entity.spec["target"]))
    found = []
    for yaml_path, target in targets:
        text = str(target)
        line, column = doc.position(yaml_path)
        where = ".".join(str(p) for p in yaml_path)
        if "://" in text:
            diags.append(Diagnostic(entity.file, line, column, where,
                                    f"remote location target {text} is not fetched: import "
                                    "its files from a checkout", severity="warning"))
            continue
        refused = _refused_target(text, base, roots)
        if refused:
            diags.append(Diagnostic(entity.file, line, column, where,
                                    f"location target {text} refused: {refused}",
                                    "only files under the folders given to the import are "
                                    "read; give the target's folder on the command line"))
            continue
        path = base / text.removeprefix("file:")
        if path.is_file():
            found.append(path)
        else:
            diags.append(Diagnostic(entity.file, line, column, where,
                                    f"location target {text} does not exist", severity="warning"))
    return found


def _refused_target(text: str, base: Path, roots: list[Path]) -> str | None:
    """Why the relative file target ``text`` of a Location in ``base`` is not read (None: it is
    read). Judged on the text (absolute, ``..`` out) and on the file (links resolved)."""
    target = text.removeprefix("file:")
    if (os.path.isabs(target) or PureWindowsPath(target).is_absolute()
            or PureWindowsPath(target).drive or target.startswith("~")):
        return "it is an absolute path"
    if _inside(base / target, roots):
        return None
    if ".." in PurePosixPath(target.replace("\\", "/")).parts:
        return "its '..' leads out of the folders given"
    return "it is a link to a file outside the folders given"

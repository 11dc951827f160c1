"""Read Backstage entity files safely: every document of every file, Locations followed.

Files are read with opsready's own loader (plain data only, bounded, no tags executed). A
``Location`` entity's relative file targets are read too, once each; remote targets are
reported, never fetched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic
from ..loader import load_yaml_documents
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
    for path in paths:
        if path.is_dir():
            queue += _yaml_files(path)
        elif path.is_file():
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
                queue += _location_targets(entity, path.parent, result.diagnostics)
                continue
            result.entities.append(entity)
    return result


def _location_targets(entity: Entity, base: Path, diags: list[Diagnostic]) -> list[Path]:
    targets = list(entity.spec.get("targets") or [])
    if entity.spec.get("target"):
        targets.append(entity.spec["target"])
    found = []
    for target in targets:
        text = str(target)
        if "://" in text:
            diags.append(Diagnostic(entity.file, entity.line, 1, "spec.targets",
                                    f"remote location target {text} is not fetched: import "
                                    "its files from a checkout", severity="warning"))
            continue
        path = (base / text).resolve()
        if path.is_file():
            found.append(base / text)
        else:
            diags.append(Diagnostic(entity.file, entity.line, 1, "spec.targets",
                                    f"location target {text} does not exist", severity="warning"))
    return found

"""Find the fields of a model that carry a marker (``RefTo``, ``DiagramKind``) in a file's
plain data, guided by the model classes.

The marker is declared once, on the field's type in the model; checks ask for it instead of
knowing key names. Walking the plain data (not the validated objects) keeps checks running on
a file that failed schema validation elsewhere: the user sees every problem in one run.
Branches of the model that cannot hold a marked field are never walked.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from .validate import _unwrap

YamlPath = tuple[str | int, ...]


def _marker_in(annotation: Any, marker: type) -> Any | None:
    """The marker hidden in an annotation (through Optional, list, Annotated)."""
    stack = [annotation]
    while stack:
        item = stack.pop()
        if typing.get_origin(item) is typing.Annotated:
            for meta in item.__metadata__:
                if isinstance(meta, marker):
                    return meta
            stack.append(typing.get_args(item)[0])
        elif typing.get_args(item):
            stack.extend(typing.get_args(item))
    return None


def field_marker(info: Any, marker: type) -> Any | None:
    """The ``marker`` instance a model field carries, or None."""
    for meta in info.metadata:
        if isinstance(meta, marker):
            return meta
    return _marker_in(info.annotation, marker)


@functools.cache
def _reaches(cls: type[BaseModel], marker: type) -> bool:
    """Whether any field at or below ``cls`` carries ``marker`` (the model has no cycles)."""
    return any(field_marker(info, marker) is not None
               or any(_reaches(c, marker) for c in _unwrap(info.annotation))
               for info in cls.model_fields.values())


@dataclass(frozen=True)
class _Step:
    attr: str
    key: str
    marker: Any | None
    nested: tuple[type[BaseModel], ...]


@functools.cache
def _plan(cls: type[BaseModel], marker: type) -> tuple[_Step, ...]:
    """The fields of ``cls`` worth visiting for ``marker``: marked, or holding models that
    reach a marked field."""
    plan = []
    for name, info in cls.model_fields.items():
        found = field_marker(info, marker)
        nested = tuple(c for c in _unwrap(info.annotation) if _reaches(c, marker))
        if found is not None or nested:
            plan.append(_Step(name, info.alias or name, found, nested))
    return tuple(plan)


@dataclass(frozen=True)
class MarkedValue:
    """A string value of a marked field, where it was written, and the mapping holding it."""

    path: YamlPath
    marker: Any
    value: str
    model: type[BaseModel]
    """The model class of the mapping that holds the field."""
    holder: dict[str, Any]


def iter_marked(cls: type[BaseModel], data: Any, marker: type,
                path: YamlPath = ()) -> Iterator[MarkedValue]:
    """Every string value of a field carrying ``marker`` in raw ``data`` described by ``cls``
    (a value of another type is a schema error, reported by validation)."""
    if not isinstance(data, dict):
        return
    for step in _plan(cls, marker):
        value = data.get(step.key)
        if value is None:
            continue
        items: Iterable[tuple[YamlPath, Any]]
        if isinstance(value, list):
            items = (((*path, step.key, i), v) for i, v in enumerate(value))
        else:
            items = (((*path, step.key), value),)
        for item_path, item in items:
            if step.marker is not None and isinstance(item, str):
                yield MarkedValue(item_path, step.marker, item, cls, data)
            elif step.nested and isinstance(item, dict):
                for sub in step.nested:
                    yield from iter_marked(sub, item, marker, item_path)

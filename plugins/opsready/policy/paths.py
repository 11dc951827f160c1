"""Field paths of policy rules: parsed once, checked against the model, resolved per service.

Grammar: dotted YAML keys from the service file's top level (``runbook.escalation``); ``[]`` after
a list key means "every item of the list" (``alerts[].mitigation``). A path starting with
``organisation.`` reads ``organisation.yaml`` instead (the severity scale is organisation-wide).
Paths are checked against the pydantic model when the policy loads, so a typo in a rule is a
policy error with its line, not a rule that silently never passes.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple, Union

from pydantic import BaseModel

from ..model import Organisation, Service
from ..model.base import FileRef

YamlPath = tuple[str | int, ...]
Kind = Literal["model", "prose", "str", "date", "number", "bool", "other"]
_SEGMENT = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_]*)(?P<each>\[\])?$")
ORGANISATION_ROOT = "organisation"


@dataclass(frozen=True)
class Shape:
    """What a model field holds: a list or a single value, and of which kind."""

    is_list: bool
    kind: Kind
    model: type[BaseModel] | None = None

    def describe(self) -> str:
        """A short human description (``a list of Step``, ``a date``)."""
        what = self.model.__name__ if self.model else {
            "prose": "text", "str": "text", "date": "date", "number": "number", "bool": "boolean",
        }.get(self.kind, "value")
        return f"a list of {what}" if self.is_list else f"a {what}"


def _strip(annotation: Any) -> Any:
    """Drop ``Annotated`` wrappers and ``None`` from an optional annotation."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) == 1:
                annotation = args[0]
                continue
        return annotation


def _scalar_kind(annotation: Any) -> Kind:
    annotation = _strip(annotation)
    origin = typing.get_origin(annotation)
    if origin is Literal:
        values = typing.get_args(annotation)
        if all(isinstance(v, bool) for v in values):
            return "bool"
        if all(isinstance(v, (int, float)) for v in values):
            return "number"
        return "str"
    if origin in (Union, types.UnionType):
        members = [_strip(a) for a in typing.get_args(annotation)]
        if FileRef in members:
            return "prose"
        kinds = {_scalar_kind(m) for m in members}
        return kinds.pop() if len(kinds) == 1 else "other"
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return "model"
        if annotation is bool:
            return "bool"
        if issubclass(annotation, (int, float)):
            return "number"
        if issubclass(annotation, str):
            return "str"
        if issubclass(annotation, dt.date):
            return "date"
    return "other"


def shape_of(annotation: Any) -> Shape:
    """The shape of a field annotation."""
    annotation = _strip(annotation)
    is_list = typing.get_origin(annotation) in (list, tuple)
    if is_list:
        annotation = _strip(typing.get_args(annotation)[0])
    kind = _scalar_kind(annotation)
    model = annotation if kind == "model" else None
    return Shape(is_list, kind, model)


def field_by_key(model: type[BaseModel], key: str) -> tuple[str, str] | None:
    """(attribute name, YAML key) of the field a YAML key (or attribute name) names."""
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return name, info.alias or name
    return None


def yaml_keys(model: type[BaseModel]) -> list[str]:
    """The YAML keys of a model, for suggestions."""
    return [info.alias or name for name, info in model.model_fields.items()]


@dataclass(frozen=True)
class PathStep:
    """One dotted segment of a compiled path."""

    attr: str
    key: str
    each: bool
    shape: Shape


@dataclass(frozen=True)
class FieldPath:
    """A compiled, model-checked rule path."""

    text: str
    root: Literal["service", "organisation"]
    steps: tuple[PathStep, ...]

    @property
    def leaf(self) -> PathStep:
        """The last segment."""
        return self.steps[-1]

    @property
    def item_model(self) -> type[BaseModel] | None:
        """The item model of the first ``[]`` list (what ``where`` filters), if any."""
        for step in self.steps:
            if step.each:
                return step.shape.model
        return None

    @property
    def prefix(self) -> YamlPath:
        """The concrete path prefix of the root (``("organisation",)`` or ``()``)."""
        return (ORGANISATION_ROOT,) if self.root == "organisation" else ()


def compile_path(text: str) -> FieldPath:
    """Parse and check a rule path against the catalog model; ``ValueError`` explains a bad one."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("a path must be a non-empty string such as 'runbook.escalation'")
    parts = text.strip().split(".")
    root: Literal["service", "organisation"] = "service"
    model: type[BaseModel] = Service
    if parts[0] == ORGANISATION_ROOT and len(parts) > 1:
        root, model, parts = "organisation", Organisation, parts[1:]
    steps: list[PathStep] = []
    current: type[BaseModel] | None = model
    for i, part in enumerate(parts):
        m = _SEGMENT.match(part)
        if not m:
            raise ValueError(f"path '{text}': '{part}' is not a key (letters, digits, '_', "
                             "optionally followed by [] for every item of a list)")
        if current is None:
            raise ValueError(f"path '{text}': '{'.'.join(parts[:i])}' holds "
                             f"{steps[-1].shape.describe()}, which has no key '{m['key']}'")
        found = field_by_key(current, m["key"])
        if found is None:
            import difflib

            close = difflib.get_close_matches(m["key"], yaml_keys(current), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else (
                f"; keys here: {', '.join(yaml_keys(current))}")
            raise ValueError(f"path '{text}': {current.__name__} has no key '{m['key']}'{hint}")
        attr, key = found
        shape = shape_of(current.model_fields[attr].annotation)
        each = bool(m["each"])
        if each and not shape.is_list:
            raise ValueError(f"path '{text}': '{key}' is {shape.describe()}, not a list: "
                             "remove the []")
        if shape.is_list and not each and i < len(parts) - 1:
            raise ValueError(f"path '{text}': '{key}' is a list: write '{key}[]' to look into "
                             "every item")
        steps.append(PathStep(attr, key, each, shape))
        current = shape.model
    return FieldPath(text.strip(), root, tuple(steps))


class Resolved(NamedTuple):
    """One concrete value a path reaches in a service.

    ``found`` is False when the path stops early: ``path`` then names the first missing node.
    ``chain`` lists (path, object) for the root and every object passed on the way, innermost
    last: where review dates and "not applicable" declarations are looked up.
    """

    path: YamlPath
    value: Any
    found: bool
    chain: tuple[tuple[YamlPath, Any], ...]


ItemFilter = Callable[[Any], bool]


def resolve(fp: FieldPath, root: Any, item_filter: ItemFilter | None = None) -> list[Resolved]:
    """Every value ``fp`` reaches from ``root`` (a Service or Organisation).

    ``[]`` expands to every item (an empty list yields nothing: "every item" holds vacuously);
    ``item_filter`` keeps only some items of the first ``[]`` list.
    """
    out: list[Resolved] = []
    # In a service file a default ([] or False) is "not written"; organisation defaults (the
    # packaged severity scale) are real content.
    _walk(fp.steps, 0, root, fp.prefix, ((fp.prefix, root),), item_filter, out,
          fp.root == "service")
    return out


def _walk(steps: tuple[PathStep, ...], i: int, obj: Any, path: YamlPath,
          chain: tuple[tuple[YamlPath, Any], ...], item_filter: ItemFilter | None,
          out: list[Resolved], written_only: bool) -> None:
    # A loop down single objects, recursion only into list items: this runs for every rule of
    # every service, so it avoids generators and needless tuples.
    last = len(steps) - 1
    while True:
        step = steps[i]
        # A field the author did not write is missing, whatever its default ([] or False).
        written = not written_only or step.attr in getattr(obj, "__pydantic_fields_set__",
                                                             (step.attr,))
        value = getattr(obj, step.attr, None) if written else None
        here = (*path, step.key)
        if step.each:
            for j, item in enumerate(value or ()):
                if item_filter is not None and not item_filter(item):
                    continue
                item_path = (*here, j)
                item_chain = (*chain, (item_path, item)) if isinstance(item, BaseModel) else chain
                if i == last:
                    out.append(Resolved(item_path, item, True, item_chain))
                else:  # the filter applies to the first list only
                    _walk(steps, i + 1, item, item_path, item_chain, None, out, written_only)
            return
        is_model = isinstance(value, BaseModel)
        if value is None or (i < last and not is_model):
            out.append(Resolved(here, None, False, chain))
            return
        if is_model:
            chain = (*chain, (here, value))
        if i == last:
            out.append(Resolved(here, value, True, chain))
            return
        obj, path, i = value, here, i + 1

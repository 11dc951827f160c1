"""Short YAML examples of what a rule's path expects, generated from the model (never written
by hand per rule): for hints (``opsready check``), ``opsready explain`` and the new-service
skeleton."""

from __future__ import annotations

import functools
import re
import typing
from typing import Any, Literal

import yaml
from pydantic import BaseModel

from .paths import _strip, compile_path, shape_of

MAX_KEYS = 3
"""Keys shown per object: the required ones first, then the first optional ones."""
TODO = "TODO"


def _scalar(annotation: Any, description: str | None, name: str) -> Any:
    annotation = _strip(annotation)
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return typing.get_args(annotation)[0]
    shape = shape_of(annotation)
    if shape.kind == "date":
        return "2026-01-31"
    if shape.kind == "number":
        return 1
    if shape.kind == "bool":
        return True
    what = re.split(r"(?<!\be\.g)(?<!\bi\.e)\.\s", description or name.replace("_", " "))[0]
    what = what.rstrip(".")
    if len(what) > 50:
        what = what[:47].rstrip() + "..."
    return f"{TODO}: {what[0].lower() + what[1:] if what else name}"


def _fields(model: type[BaseModel]) -> list[tuple[str, Any]]:
    """(YAML key, field info) to show: required first, then optional, at most MAX_KEYS."""
    fields = [(info.alias or name, info) for name, info in model.model_fields.items()
              if name not in ("not_applicable", "not_applicable_parts", "last_reviewed")]
    required = [f for f in fields if f[1].is_required()]
    optional = [f for f in fields if not f[1].is_required()]
    return (required + optional)[:max(MAX_KEYS, len(required))]


def example_value(annotation: Any, description: str | None = None, name: str = "",
                  depth: int = 0) -> Any:
    """An example value of a field's annotation: a model as a mapping of its main keys, a list
    as one item, scalars as a typed placeholder (``TODO: what to write``)."""
    shape = shape_of(annotation)
    if shape.model is not None:
        if depth >= 2:
            value: Any = {key: _scalar(info.annotation, info.description, key)
                          for key, info in _fields(shape.model)[:2]}
        else:
            value = {key: example_value(info.annotation, info.description, key, depth + 1)
                     for key, info in _fields(shape.model)}
    else:
        value = _scalar(annotation, description, name)
    return [value] if shape.is_list else value


@functools.lru_cache(maxsize=512)
def example_for_path(path: str) -> dict[str, Any]:
    """The service-file data that fills ``path`` (a rule path such as ``alerts[].mitigation``):
    the keys on the way, and an example of the value at its end."""
    from ..model import Organisation, Service

    compiled = compile_path(path)
    model: type[BaseModel] = Service if compiled.root == "service" else Organisation
    for step in compiled.steps[:-1]:
        model = step.shape.model or model
    leaf = compiled.steps[-1]
    info = model.model_fields.get(leaf.attr)
    value: Any = example_value(info.annotation if info else str,
                               info.description if info else None, leaf.key)
    for step in reversed(compiled.steps):
        value = {step.key: value if step is leaf or not step.shape.is_list else [value]}
    return value  # type: ignore[no-any-return]


def inline_yaml(data: Any) -> str:
    """Data as one line of flow-style YAML (for a one-line hint)."""
    return yaml.safe_dump(data, default_flow_style=True, sort_keys=False, width=10_000,
                          allow_unicode=True).strip()


def block_yaml(data: Any) -> str:
    """Data as block-style YAML."""
    return yaml.safe_dump(data, default_flow_style=False, sort_keys=False, width=100,
                          allow_unicode=True)


def gap_example(yaml_path: str, rule_paths: tuple[str, ...] = ()) -> str:
    """A one-line example for a missing gap at ``yaml_path`` (``alerts[2].mitigation``): of the
    rule path it lies on (the gap is placed at the nearest key the file has), or ""."""
    text = re.sub(r"\[\d+\]", "[]", yaml_path)
    candidates = [p for p in rule_paths if p == text or p.startswith((f"{text}.", f"{text}["))]
    try:
        return inline_yaml(example_for_path(candidates[0] if candidates else text))
    except (ValueError, KeyError, AttributeError):
        return ""

"""Missing fields of one object reported as one failure: one flag per item, not per key."""

from __future__ import annotations

from typing import Any

from ..diagnostics import format_path
from ..model import Service
from .paths import YamlPath, field_by_key
from .rule_kinds import Failure


def _item_label(service: Service, path: YamlPath) -> str:
    """``alerts[2] (HighErrorRate)``: a list item with its name, id or title when it has one."""
    obj: Any = service
    for part in path:
        if isinstance(part, int):
            obj = obj[part] if isinstance(obj, list) and part < len(obj) else None
        else:
            found = field_by_key(type(obj), part) if hasattr(type(obj), "model_fields") else None
            obj = getattr(obj, found[0]) if found else None
        if obj is None:
            break
    name = next((getattr(obj, k) for k in ("name", "id", "title", "role", "kind")
                 if isinstance(getattr(obj, k, None), str)), None) if obj is not None else None
    return f"{format_path(path)} ({name})" if name else format_path(path)


def group_missing(failures: list[Failure], service: Service) -> list[Failure]:
    """Merge missing fields of one object into one failure (one flag per item, not per key)."""
    groups: dict[YamlPath, list[Failure]] = {}
    out: list[Failure | YamlPath] = []
    for f in failures:
        if f.status == "missing" and len(f.path) > 1 and isinstance(f.path[-1], str):
            parent = f.path[:-1]
            if parent not in groups:
                groups[parent] = []
                out.append(parent)
            groups[parent].append(f)
        else:
            out.append(f)
    merged: list[Failure] = []
    for item in out:
        if isinstance(item, Failure):
            merged.append(item)
            continue
        group = groups[item]
        if len(group) == 1:
            merged.append(group[0])
            continue
        keys = [str(f.path[-1]) for f in group]
        listed = ", ".join(keys[:-1]) + f" and {keys[-1]}"
        merged.append(Failure(item, "missing",
                              f"{_item_label(service, item)}: {listed} are missing"))
    return merged

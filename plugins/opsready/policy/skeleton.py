"""The skeleton of a new service: every key its tier's required level asks for, in the right
shape, each value to write a one-line ``TODO: what to write`` (generated from the policy's rules
and the model, like the examples of ``examples``).

Filled in where the TODOs say, the service reaches its tier's required level: values the rules
check for (an approved sign-off per role, a coverage at least the minimum, a recent date) are
written as the rules accept them; identifiers and references get valid stand-ins (the owner
team, ``todo-1``), so the file validates while it is being filled in.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from ..model import Service
from .engine import applies
from .examples import TODO, example_for_path
from .file_format import Rule
from .levels import Level
from .load import Policy

_STAND_INS: tuple[Any, ...] = ("todo-1", "https://example.com/todo", 1, True)


def _merge(into: Any, new: Any) -> Any:
    """Deep merge: mappings key by key, lists item by item (by position)."""
    if isinstance(into, dict) and isinstance(new, dict):
        for key, value in new.items():
            into[key] = _merge(into[key], value) if key in into else copy.deepcopy(value)
        return into
    if isinstance(into, list) and isinstance(new, list):
        for i, item in enumerate(new):
            if i < len(into):
                into[i] = _merge(into[i], item)
            else:
                into.append(copy.deepcopy(item))
        return into
    return into


def _leaf_parent(data: Any, keys: list[tuple[str, bool]]) -> tuple[list[dict[str, Any]], str]:
    """The objects holding the leaf key (one per item of the lists on the way) and the key."""
    parents = [data]
    for key, _each in keys[:-1]:
        nxt = []
        for p in parents:
            value = p[key]
            nxt += value if isinstance(value, list) else [value]
        parents = nxt
    return parents, keys[-1][0]


def _rule_example(rule: Rule, path: str, today: dt.date) -> dict[str, Any]:
    """The example for one path of a rule, with what the rule checks written as it accepts."""
    from .paths import compile_path

    example = example_for_path(path)
    steps = compile_path(path).steps
    keys = [(s.key, s.shape.is_list) for s in steps]
    parents, leaf = _leaf_parent(example, keys)
    if rule.where:  # the items of the first list must match the filter
        first = next((i for i, s in enumerate(steps) if s.shape.is_list), None)
        if first is not None:
            holders, key = _leaf_parent(example, keys[:first + 1])
            for holder in holders:
                for item in holder[key]:
                    if isinstance(item, dict):
                        item.update({k: (v[0] if isinstance(v, list) else v)
                                     for k, v in rule.where.items()})
    for parent in parents:
        if rule.check == "match" and isinstance(parent[leaf], list) and parent[leaf]:
            template = parent[leaf][0]
            parent[leaf] = [{**template, **{k: (v[0] if isinstance(v, list) else v)
                                            for k, v in pattern.items()}}
                            for pattern in rule.items]
        elif rule.check == "value":
            if rule.equals is not None:
                parent[leaf] = rule.equals[0] if isinstance(rule.equals, list) else rule.equals
            else:
                parent[leaf] = rule.min if rule.min is not None else rule.max
            if isinstance(parent[leaf], float) and parent[leaf].is_integer():
                parent[leaf] = int(parent[leaf])
        elif rule.check == "recent":
            parent[leaf] = today.isoformat()
    return example


def _dates_today(data: Any, today: str) -> Any:
    if isinstance(data, dict):
        return {k: _dates_today(v, today) for k, v in data.items()}
    if isinstance(data, list):
        return [_dates_today(v, today) for v in data]
    return today if data == "2026-01-31" else data


def skeleton_data(policy: Policy, identity: dict[str, Any], today: dt.date,
                  severity: str = "SEV-2") -> dict[str, Any]:
    """The service data: ``identity`` (id, name, description, tier, lifecycle, owner) and every
    key the rules of the tier's required level check, with TODO values."""
    service = Service.model_validate(identity)
    required = policy.required_level(service.tier)
    data: dict[str, Any] = {}
    for rule in policy.rules:
        if Level.parse(rule.level) > required or not applies(rule, service):
            continue
        for path in rule.path_texts:
            if path.startswith("organisation.") or path.split(".")[0].split("[")[0] in identity:
                continue
            _merge(data, _rule_example(rule, path, today))
    data = _dates_today(data, today.isoformat())
    data = _valid({**identity, **data}, str(identity["owner"]))
    _references(data, severity)
    return _drop_invalid_sections(data, identity)


def _drop_invalid_sections(data: dict[str, Any], identity: dict[str, Any]) -> dict[str, Any]:
    """Never a file that does not validate: a top-level section the stand-ins could not make
    valid (a policy with unusual rules) is left out; ``opsready check`` then names it."""
    from pydantic import ValidationError

    try:
        Service.model_validate(data)
        return data
    except ValidationError as exc:
        bad = {err["loc"][0] for err in exc.errors(include_url=False) if err["loc"]}
    return {k: v for k, v in data.items() if k in identity or k not in bad}


def _references(data: dict[str, Any], severity: str) -> None:
    """What the catalog cross-checks, made consistent: one component that the other parts
    name, an external dependency named inline, severities of the organisation's scale."""
    arch = data.get("architecture")
    components = arch.get("components") if isinstance(arch, dict) else None
    component = "app"
    if isinstance(components, list) and components and isinstance(components[0], dict):
        components[0].update(id=component, kind="web")
    deps = arch.get("dependencies") if isinstance(arch, dict) else None
    for dep in deps if isinstance(deps, list) else []:
        if isinstance(dep, dict):
            dep.pop("service", None)
            dep.update(external="external-system",
                       name=f"{TODO}: the system it depends on (and its id above)")

    def walk(obj: Any, key: str = "") -> Any:
        if isinstance(obj, dict):
            for k, v in obj.items():
                if k == "severity" and isinstance(v, str):
                    obj[k] = severity
                elif k in ("component", "from", "to") and isinstance(v, str):
                    obj[k] = component
                else:
                    walk(v, k)
        elif isinstance(obj, list):
            for v in obj:
                walk(v, key)
        return obj

    walk(data)


def _valid(data: dict[str, Any], owner: str) -> dict[str, Any]:
    """Replace the values the model refuses by stand-ins it accepts (the owner for references,
    a slug for ids, a URL for links, ...), until the data validates (bounded)."""
    from pydantic import ValidationError

    tried: dict[tuple[Any, ...], int] = {}
    for _ in range(40):
        try:
            Service.model_validate(data)
            return data
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
        changed = False
        for err in errors:
            loc = tuple(err["loc"])
            parent: Any = data
            for part in loc[:-1]:
                if isinstance(parent, (dict, list)):
                    try:
                        parent = parent[part]  # type: ignore[index]
                    except (KeyError, IndexError, TypeError):
                        parent = None
                        break
            if parent is None or not loc:
                continue
            key = loc[-1]
            if err["type"] == "extra_forbidden" or (isinstance(parent, dict) and key not in
                                                    parent):
                if isinstance(parent, dict):
                    parent.pop(key, None)
                    changed = True
                continue
            n = tried.get(loc, 0)
            stand_ins = (owner, *_STAND_INS)
            if n >= len(stand_ins):
                if isinstance(parent, dict):
                    parent.pop(key, None)
                    changed = True
                continue
            tried[loc] = n + 1
            try:
                parent[key] = stand_ins[n]
                changed = True
            except (KeyError, IndexError, TypeError):
                continue
        if not changed:
            break
    return data


def count_todos(data: Any) -> int:
    """How many TODO values the data holds."""
    if isinstance(data, dict):
        return sum(count_todos(v) for v in data.values())
    if isinstance(data, list):
        return sum(count_todos(v) for v in data)
    return int(isinstance(data, str) and data.startswith(f"{TODO}:"))

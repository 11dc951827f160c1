"""The four rule kinds, each turning a service's values into failures (empty list: passes).

``present``  every path has real content (``require: any``: at least one path has);
``match``    a list holds, for each pattern of ``items``, an item with those values;
``value``    a value is within ``min``/``max`` or equal to (one of) ``equals``;
``recent``   a date (the newest, for ``[]`` paths) is no older than ``within_days``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel

from ..diagnostics import format_path
from ..model import Alert, Organisation, Service
from .file_format import Rule, age_for
from .paths import FieldPath, Resolved, YamlPath, field_by_key, resolve
from .presence import Memo, Placeholders, State, assess

FailureStatus = Literal["missing", "placeholder", "incomplete", "stale", "expired-exemption"]
"""What is wrong; ``expired-exemption`` is set by the engine on a failure an expired exemption
no longer covers."""


@dataclass(frozen=True)
class Failure:
    """Something a rule found wrong, at a concrete YAML path."""

    path: YamlPath
    status: FailureStatus
    message: str


@dataclass
class Context:
    """What checks need besides the service: the organisation, the word lists, the date, and
    the paths already resolved for the service being evaluated (rules share paths)."""

    organisation: Organisation
    placeholders: Placeholders
    today: dt.date
    _resolved: dict[tuple[str, int, str], list[Resolved]] = field(default_factory=dict)
    memo: Memo = field(default_factory=dict)
    """Presence verdicts on the objects of the service being evaluated (see ``assess``)."""

    def root(self, fp: FieldPath, service: Service) -> Any:
        """The object a path starts from."""
        return self.organisation if fp.root == "organisation" else service

    def resolve(self, fp: FieldPath, service: Service, where: Mapping[str, Any] | None = None
                ) -> list[Resolved]:
        """``paths.resolve`` for ``service``, memoised per path and filter."""
        # Rules share paths: equal path texts resolve once per service.
        key = (fp.text, id(service), repr(where) if where else "")
        found = self._resolved.get(key)
        if found is None:
            item_filter = (lambda item: matches(item, where, self.organisation)) if where else None
            found = self._resolved[key] = resolve(fp, self.root(fp, service), item_filter)
        return found


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def field_value(item: BaseModel, key: str, organisation: Organisation) -> Any:
    """A field of a list item, by YAML key; an alert's ``pages`` falls back to its severity's."""
    found = field_by_key(type(item), key)
    if found is None:
        return None
    value = getattr(item, found[0])
    if isinstance(item, Alert) and found[0] == "pages" and value is None:
        scale = {s.id: s for s in organisation.severity_scale}
        severity = scale.get(item.severity)
        value = bool(severity and severity.pages)
    return value


def matches(item: Any, pattern: Mapping[str, Any], organisation: Organisation) -> bool:
    """Whether every key of ``pattern`` holds the given value (or one of the given values)."""
    if not isinstance(item, BaseModel):
        return False
    for key, expected in pattern.items():
        value = _plain(field_value(item, key, organisation))
        options = expected if isinstance(expected, list) else [expected]
        if not any(same_value(value, o) for o in options):
            return False
    return True


def same_value(value: Any, option: Any) -> bool:
    """Equality that keeps booleans apart from numbers (YAML ``true`` is not ``1``)."""
    if isinstance(value, bool) or isinstance(option, bool):
        return isinstance(value, bool) and isinstance(option, bool) and value is option
    return bool(value == option)


def describe_pattern(pattern: Mapping[str, Any]) -> str:
    """``{role: ops, decision: approved}`` -> ``role ops, decision approved``."""
    parts = []
    for key, value in pattern.items():
        shown = " or ".join(_fmt(v) for v in value) if isinstance(value, list) else _fmt(value)
        parts.append(f"{key} {shown}")
    return ", ".join(parts)


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _resolved(rule: Rule, fp: FieldPath, service: Service, ctx: Context) -> list[Resolved]:
    return ctx.resolve(fp, service, rule.where or None)


def _presence_failures(items: list[Resolved], ctx: Context) -> list[Failure]:
    out = []
    for r in items:
        if not r.found:
            out.append(Failure(r.path, "missing", f"{format_path(r.path)} is missing"))
            continue
        found = assess(r.value, ctx.placeholders, ctx.memo)
        if found.state is State.PRESENT:
            continue
        path = (*r.path, *found.path)
        status: FailureStatus = "missing" if found.state is State.MISSING else "placeholder"
        out.append(Failure(path, status, f"{format_path(path)} {found.detail}"))
    return out


def check_present(rule: Rule, service: Service, ctx: Context) -> list[Failure]:
    """Every path (or, with ``require: any``, one path) has real content."""
    per_path = [_presence_failures(_resolved(rule, fp, service, ctx), ctx)
                for fp in rule.field_paths]
    if rule.require == "any":
        if any(not failures for failures in per_path):
            return []
        first = per_path[0][0]
        names = ", ".join(f"`{p}`" for p in rule.path_texts)
        return [Failure(first.path, first.status, f"none of {names} is filled in")]
    return [f for failures in per_path for f in failures]


def check_match(rule: Rule, service: Service, ctx: Context) -> list[Failure]:
    """The list holds an item matching each pattern (and that item is no placeholder)."""
    fp = rule.field_paths[0]
    (r,) = _resolved(rule, fp, service, ctx)
    where = format_path(r.path)
    if not r.found or not r.value:
        return [Failure(r.path, "missing", f"{where} is {'missing' if not r.found else 'empty'}")]
    unmatched: list[str] = []
    for pattern in rule.items:
        hits = [i for i, item in enumerate(r.value) if matches(item, pattern, ctx.organisation)]
        if not hits:
            unmatched.append(describe_pattern(pattern))
            continue
        judged = [(i, assess(r.value[i], ctx.placeholders, ctx.memo)) for i in hits]
        if all(f.state is not State.PRESENT for _, f in judged):
            i, f = judged[0]
            path = (*r.path, i, *f.path)
            return [Failure(path, "placeholder", f"{format_path(path)} {f.detail}")]
    if unmatched:
        return [Failure(r.path, "incomplete",
                        f"{where} has no entry with {'; none with '.join(unmatched)}")]
    return []


def check_value(rule: Rule, service: Service, ctx: Context) -> list[Failure]:
    """Each value reached is within bounds / equal to an accepted value."""
    out: list[Failure] = []
    for r in _resolved(rule, rule.field_paths[0], service, ctx):
        where = format_path(r.path)
        if not r.found or r.value is None:
            out.append(Failure(r.path, "missing", f"{where} is missing"))
            continue
        value = _plain(r.value)
        if rule.min is not None and isinstance(value, (int, float)) and value < rule.min:
            out.append(Failure(r.path, "incomplete",
                               f"{where} is {_fmt(value)}, below the minimum {_fmt(rule.min)}"))
        elif rule.max is not None and isinstance(value, (int, float)) and value > rule.max:
            out.append(Failure(r.path, "incomplete",
                               f"{where} is {_fmt(value)}, above the maximum {_fmt(rule.max)}"))
        elif rule.equals is not None:
            options = rule.equals if isinstance(rule.equals, list) else [rule.equals]
            if not any(same_value(value, o) for o in options):
                wanted = " or ".join(_fmt(o) for o in options)
                out.append(Failure(r.path, "incomplete",
                                   f"{where} is {_fmt(value)}; expected {wanted}"))
    return out


def check_recent(rule: Rule, service: Service, ctx: Context) -> list[Failure]:
    """The newest date reached is no older than ``within_days`` for the service's tier."""
    items = _resolved(rule, rule.field_paths[0], service, ctx)
    dated = [(r.value, r.path) for r in items if r.found and isinstance(r.value, dt.date)]
    if not dated:
        path = items[0].path if items else (*rule.field_paths[0].prefix,
                                            *(s.key for s in rule.field_paths[0].steps))
        return [Failure(path, "missing", f"{format_path(path)} is missing")]
    newest, path = max(dated, key=lambda d: d[0])
    limit = age_for(rule.within_days, service.tier)  # type: ignore[arg-type]
    age = (ctx.today - newest).days
    if limit is not None and age > limit:
        return [Failure(path, "stale", f"{format_path(path)} is {newest.isoformat()}, {age} days "
                        f"ago; at most {limit} days are allowed")]
    return []


CHECKS = {"present": check_present, "match": check_match, "value": check_value,
          "recent": check_recent}


def run_check(rule: Rule, service: Service, ctx: Context) -> list[Failure]:
    """Run the rule's check; failures at the same path are reported once."""
    seen: set[YamlPath] = set()
    out = []
    for failure in CHECKS[rule.check](rule, service, ctx):
        if failure.path not in seen:
            seen.add(failure.path)
            out.append(failure)
    return out

"""Schema validation of loaded YAML: pydantic errors turned into diagnostics a person can act on."""

from __future__ import annotations

import difflib
import types
import typing
from pathlib import Path
from typing import Any, TypeVar, Union

from pydantic import BaseModel, ValidationError

from .. import model
from ..diagnostics import Diagnostic, format_path
from ..model import base as model_base
from .yaml_loader import LoadedFile, YamlPath

M = TypeVar("M", bound=BaseModel)


def validate_file(loaded: LoadedFile, model: type[M], *, display: str, catalog_root: Path,
                  read_files: set[Path] | None = None) -> tuple[M | None, list[Diagnostic]]:
    """Validate a loaded file against ``model``; return the object or the diagnostics.

    The Markdown files that ``{file: ...}`` references read are added to ``read_files``.
    """
    # The catalog root is resolved here, once per file, not once per reference; never cached
    # across files (the working folder or a link may change between two loads).
    context: dict[str, Any] = {"base_dir": str(loaded.path.parent),
                               "catalog_root": str(Path(catalog_root).resolve())}
    if read_files is not None:
        context["read_files"] = read_files
    if not isinstance(loaded.data, dict):
        line, col = loaded.position(())
        kind = type(loaded.data).__name__ if loaded.data is not None else "nothing"
        return None, [Diagnostic(display, line, col, "", f"expected a mapping of keys at the top "
                                 f"of the file, found {_describe(loaded.data, kind)}")]
    # Top-level keys starting with "x-" are the user's own: a place for YAML anchors to reuse.
    data = {k: v for k, v in loaded.data.items() if not str(k).startswith("x-")}
    try:
        return model.model_validate(data, context=context), []
    except ValidationError as exc:
        return None, errors_to_diagnostics(exc, loaded, model, display)


def _describe(value: Any, kind: str | None = None) -> str:
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "..."
        return f"a string ({short!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "an empty value"
    return kind or type(value).__name__


def _data_path(data: Any, loc: tuple[str | int, ...], error_type: str) -> YamlPath:
    """Map a pydantic location onto the data, dropping union and tag labels pydantic adds."""
    path: list[str | int] = []
    current = data
    for i, part in enumerate(loc):
        if isinstance(current, dict) and isinstance(part, str):
            if part in current:
                path.append(part)
                current = current[part]
                continue
            if error_type in ("missing", "extra_forbidden") and i == len(loc) - 1:
                path.append(part)
            continue
        if isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            path.append(part)
            current = current[part]
            continue
    return tuple(path)


def _value_at(data: Any, path: YamlPath) -> Any:
    for part in path:
        data = data[part]  # type: ignore[index]
    return data


def _unwrap(annotation: Any) -> list[type[BaseModel]]:
    """All BaseModel classes reachable from a field annotation (through lists, unions, ...)."""
    found: list[type[BaseModel]] = []
    stack = [annotation]
    while stack:
        item = stack.pop()
        if isinstance(item, type) and issubclass(item, BaseModel):
            found.append(item)
            continue
        origin = typing.get_origin(item)
        if origin is typing.Annotated:
            stack.append(typing.get_args(item)[0])
        elif origin in (list, tuple, Union, types.UnionType, dict):
            stack.extend(typing.get_args(item))
    return found


def _model_at(model: type[BaseModel], path: YamlPath) -> type[BaseModel] | None:
    """The model class that describes the mapping at ``path``."""
    current: type[BaseModel] | None = model
    for part in path:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        if field is None:
            field = next((f for f in current.model_fields.values() if f.alias == part), None)
        if field is None:
            return None
        classes = _unwrap(field.annotation)
        current = classes[0] if classes else None
    return current


def allowed_keys(model: type[BaseModel]) -> list[str]:
    """The YAML keys a model accepts (aliases where set)."""
    return [f.alias or name for name, f in model.model_fields.items()]


# What a pattern means, in words: a regular expression is no answer to "what do I write?".
_PATTERN_MESSAGES = {
    model_base.SLUG_PATTERN: "must be a lowercase slug: a-z, 0-9 and single hyphens "
                             "(e.g. 'payments-api')",
    model_base.URL_PATTERN: "must be an absolute http(s) URL, a mailto: or tel: link, or a "
                            "site-relative path (no spaces)",
    model.ALERT_NAME_PATTERN: "must be an alert name as the alerting rule writes it: any text "
                              "with at least one visible character",
    model.DURATION_PATTERN: "must be a duration such as 15m, 2h or 30d",
}


def errors_to_diagnostics(exc: ValidationError, loaded: LoadedFile, model: type[BaseModel],
                          display: str) -> list[Diagnostic]:
    """Turn a pydantic ValidationError into diagnostics with positions and hints."""
    grouped: dict[YamlPath, list[Any]] = {}
    for err in exc.errors(include_url=False):
        path = _data_path(loaded.data, tuple(err["loc"]), err["type"])
        grouped.setdefault(path, []).append(err)
    # A misspelt required key is one mistake: report the unknown key (with its did-you-mean),
    # not also the required key it was meant to be.
    missing = {p for p, errs in grouped.items() if errs[0]["type"] == "missing"}
    meant: set[YamlPath] = set()
    for path, errs in grouped.items():
        if errs[0]["type"] == "extra_forbidden":
            parent = _model_at(model, path[:-1])
            options = [k for k in (allowed_keys(parent) if parent else [])
                       if (*path[:-1], k) in missing]
            close = difflib.get_close_matches(str(path[-1]), options, n=1, cutoff=0.6)
            if close:
                meant.add((*path[:-1], close[0]))
    diags = []
    for path, errs in grouped.items():
        if path in meant:
            continue
        diags.extend(_diagnose(path, errs, loaded, model, display))
    return diags


def _diagnose(path: YamlPath, errs: list[dict[str, Any]], loaded: LoadedFile,
              model: type[BaseModel], display: str) -> list[Diagnostic]:
    where = format_path(path)
    first = errs[0]
    if first["type"] == "extra_forbidden":
        key = str(path[-1])
        parent = _model_at(model, path[:-1])
        options = allowed_keys(parent) if parent else []
        close = difflib.get_close_matches(key, options, n=1, cutoff=0.6)
        required = parent is not None and any(
            (f.alias or n) == close[0] and f.is_required()
            for n, f in parent.model_fields.items()) if close else False
        also = " (a required key)" if required else ""
        hint = f"did you mean '{close[0]}'?{also}" if close else (
            f"allowed keys here: {', '.join(sorted(options))}" if options else "")
        line, col = loaded.position(path, key=True)
        return [Diagnostic(display, line, col, where, f"unknown key '{key}'", hint)]
    if first["type"] == "missing":
        key = str(path[-1])
        line, col = loaded.position(path[:-1])
        parent = _model_at(model, path[:-1])
        field = None
        if parent is not None:
            field = next((f for n, f in parent.model_fields.items()
                          if (f.alias or n) == key), None)
        hint = f"add '{key}:' ({field.description})" if field and field.description else (
            f"add '{key}:'")
        return [Diagnostic(display, line, col, where, f"missing required key '{key}'", hint)]
    line, col = loaded.position(path)
    try:
        value = _value_at(loaded.data, path)
    except (KeyError, IndexError, TypeError):
        value = None
    messages: list[str] = []
    for err in errs:
        msg = err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        if err["type"] == "string_pattern_mismatch":
            msg = _PATTERN_MESSAGES.get(str(err.get("ctx", {}).get("pattern")), msg)
        if msg not in messages:
            messages.append(msg)
    got = "" if first["type"] == "value_error" else f"; got {_describe(value)}"
    message = " or ".join(m[0].lower() + m[1:] if m else m for m in messages) + got
    return [Diagnostic(display, line, col, where, message)]

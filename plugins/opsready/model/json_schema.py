"""JSON Schema export of the catalog model: for editors, for ``opsready schema``, for the docs."""

from __future__ import annotations

import copy
import functools
import json
from typing import Any

from pydantic import BaseModel

from . import Organisation, Service, TeamsFile

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMAS: dict[str, type[BaseModel]] = {
    "service": Service,
    "teams": TeamsFile,
    "organisation": Organisation,
}


def json_schema(name: str = "service") -> dict[str, Any]:
    """The JSON Schema of one catalog file kind: ``service``, ``teams`` or ``organisation``
    (the caller's own copy: it may change it)."""
    return copy.deepcopy(_json_schema(name))


@functools.cache
def _json_schema(name: str) -> dict[str, Any]:
    """``json_schema``, generated once per process: pydantic takes about 40 ms for the service
    model, and the model does not change while the process runs."""
    model = SCHEMAS[name]
    schema = model.model_json_schema(by_alias=True, mode="validation")
    # Top-level "x-" keys are the user's own (a place for YAML anchors); the loader skips them.
    schema["patternProperties"] = {"^x-": {}}
    return {"$schema": SCHEMA_DIALECT, "$id": f"opsready-{name}.schema.json", **schema}


def schema_text(name: str = "service") -> str:
    """The schema as stable, pretty-printed JSON text (ends with a newline)."""
    return json.dumps(json_schema(name), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

"""The published JSON Schemas are the model's export, and they accept what the loader accepts."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from opsready.catalog.yaml_loader import load_yaml
from opsready.model.json_schema import SCHEMAS, json_schema, schema_text

REPO = Path(__file__).parents[1]


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_committed_schema_is_the_export(kind: str) -> None:
    committed = (REPO / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(kind), (
        f"schema/{kind}.schema.json is stale: run "
        f"`opsready schema {kind} -o schema/{kind}.schema.json`")


@pytest.mark.slow  # the 2020-12 metaschema's dynamic references: ~0.7 s of CPU for the service
@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_schema_is_valid_json_schema(kind: str) -> None:
    schema = json_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)


def test_example_catalog_files_validate_against_the_schema() -> None:
    catalog = REPO / "service_catalog"
    files = sorted(catalog.glob("*.yaml")) + sorted(catalog.glob("*/service.yaml"))
    if not files:
        pytest.skip("no example catalog yet")
    validators = {k: jsonschema.Draft202012Validator(json_schema(k)) for k in SCHEMAS}
    for path in files:
        kind = path.stem if path.stem in ("teams", "organisation") else "service"
        loaded, diags = load_yaml(path)
        assert loaded is not None, diags
        # JSON Schema sees dates as strings, as editors do.
        data = json.loads(json.dumps(loaded.data, default=str))
        errors = list(validators[kind].iter_errors(data))
        assert not errors, f"{path}: {errors[0].message} at {list(errors[0].path)}"


def test_schema_rejects_unknown_keys_and_accepts_extension_keys() -> None:
    validator = jsonschema.Draft202012Validator(json_schema("service"))
    base = {"id": "a", "name": "A", "description": "d", "tier": 1, "lifecycle": "beta",
            "owner": "t"}
    assert validator.is_valid(base)
    assert validator.is_valid({**base, "x-anchors": {"any": "thing"}})
    assert not validator.is_valid({**base, "tagz": []})
    assert not validator.is_valid({**base, "tier": 4})


def test_format_reference_lists_every_key_of_every_object() -> None:
    from opsready.pages.schema_page import format_reference_markdown

    page = format_reference_markdown()
    for kind in SCHEMAS:
        schema = json_schema(kind)
        objects = {kind: schema, **schema.get("$defs", {})}
        for name, obj in objects.items():
            for key in obj.get("properties", {}):
                assert f"| `{key}`" in page, f"{name}.{key} missing from the reference"
    assert "{#service}" in page and "Markdown (inline or `{file: …}`)" in page
    # every in-page link points at a section of the page
    import re

    anchors = set(re.findall(r"\{#([a-z0-9-]+)\}", page))
    assert set(re.findall(r"\]\(#([a-z0-9-]+)\)", page)) <= anchors

"""`opsready check` on diagram input: unknown kinds and flows to unknown parts, with file and line;
the JSON Schema lets editors complete the kinds; the check path never imports `diagrams`."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import jsonschema
import pytest

from opsready.catalog.kind_check import check_kinds, kind_hint
from opsready.catalog.load import load_catalog
from opsready.cli.main import main
from opsready.model import Service
from opsready.model import component_kinds as kinds
from opsready.model.json_schema import json_schema

TEAMS = "teams:\n  - {id: core, name: Core}\n"
SHOP = """\
    id: shop
    name: Shop
    description: Sells things.
    tier: 2
    lifecycle: production
    owner: core
    architecture:
      components:
        - {id: api, name: API, kind: web}
        - id: db
          name: Orders DB
          kind: postgress
        - {id: lb, name: Edge, kind: Load Balancer}
        - {id: fn, name: Resize, kind: aws.compute.Lambda}
      dependencies:
        - external: psp
          name: Card processor
          kind: aws.database.RDSS
          purpose: Takes card payments.
        - external: mail
          name: Mail
          kind: zzqxw
          purpose: Sends mail.
      interactions:
        - {from: api, to: dbb, data: orders, protocol: SQL, encrypted: true}
        - {from: api, to: psp, data: charges, protocol: HTTPS, encrypted: true}
    """


def write_catalog(root: Path, **files: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "teams.yaml").write_text(TEAMS, encoding="utf-8")
    for name, text in files.items():
        (root / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def bad_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_catalog(tmp_path_factory.mktemp("bad") / "catalog", shop=SHOP)


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_unknown_kinds_are_reported_with_place_and_suggestions(bad_catalog: Path) -> None:
    result = load_catalog(bad_catalog)
    found = {d.yaml_path: d for d in result.diagnostics if d.code == "unknown-kind"}
    assert set(found) == {"architecture.components[1].kind", "architecture.components[2].kind",
                          "architecture.dependencies[0].kind",
                          "architecture.dependencies[1].kind"}
    shop = bad_catalog / "shop.yaml"
    db = found["architecture.components[1].kind"]
    assert db.file.endswith("shop.yaml") and db.severity == "error"
    assert db.line == line_of(shop, "kind: postgress") and db.column == 13
    assert db.message == "unknown component kind 'postgress'"
    assert "'postgres'" in db.hint
    # Spaces and capitals are a typo like any other: no cryptic pattern error.
    assert "'load_balancer'" in found["architecture.components[2].kind"].hint
    psp = found["architecture.dependencies[0].kind"]
    assert psp.message == "unknown external system kind 'aws.database.RDSS'"
    assert psp.line == line_of(shop, "kind: aws.database.RDSS")
    assert "'aws.database.RDS'" in psp.hint
    # Nothing close: the hint says what a kind looks like instead.
    assert "aws.database.RDS" in found["architecture.dependencies[1].kind"].hint
    assert not [d for d in result.diagnostics if "pattern" in d.message]


def test_flow_to_unknown_component_is_reported(bad_catalog: Path) -> None:
    result = load_catalog(bad_catalog)
    flow = next(d for d in result.diagnostics
                if d.yaml_path == "architecture.interactions[0].to")
    assert flow.line == line_of(bad_catalog / "shop.yaml", "to: dbb")
    assert "'dbb'" in flow.message and "'db'" in flow.hint


def test_cli_check_fails_and_prints_file_line(bad_catalog: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(bad_catalog), "--format", "json"]) == 1
    diags = json.loads(capsys.readouterr().out)
    kinds_found = [d for d in diags if d["code"] == "unknown-kind"]
    assert len(kinds_found) == 4
    assert all(d["file"].endswith("shop.yaml") and d["line"] > 1 for d in kinds_found)


def test_known_kinds_pass(tmp_path: Path) -> None:
    good = SHOP.replace("postgress", "postgres").replace("Load Balancer", "load_balancer")
    good = good.replace("aws.database.RDSS", "aws.database.RDS").replace("zzqxw", "email")
    good = good.replace("to: dbb", "to: db")
    result = load_catalog(write_catalog(tmp_path / "c", shop=good))
    assert result.ok, result.diagnostics


def test_kind_of_a_service_dependency_is_left_to_the_reference_check(tmp_path: Path) -> None:
    other = SHOP.replace("id: shop", "id: other").replace("name: Shop", "name: Other")
    text = SHOP.replace("          purpose: Sends mail.\n", "          purpose: Sends mail.\n"
                        "        - {service: other, kind: nonsense, purpose: Stock.}\n")
    result = load_catalog(write_catalog(tmp_path / "c", shop=text, other=other))
    about = [d for d in result.diagnostics
             if d.file.endswith("shop.yaml") and d.yaml_path.startswith(
                 "architecture.dependencies[2]")]
    assert [d.message for d in about] == ["'name' and 'kind' describe external systems only"]


def test_invalid_files_are_checked_too(tmp_path: Path) -> None:
    # A schema error elsewhere in the file does not hide the kind problem.
    root = write_catalog(tmp_path / "c", shop=SHOP.replace("tier: 2", "tier: 9"))
    result = load_catalog(root)
    assert "shop" not in result.catalog.services
    assert any(d.code == "unknown-kind" for d in result.diagnostics)


def test_check_kinds_ignores_non_strings() -> None:
    class Source:
        display = "x.yaml"

        class loaded:  # noqa: N801 - mimics ServiceSource.loaded
            data = {"architecture": {"components": [{"id": "a", "kind": 3}, "junk"],
                                     "dependencies": None}}

        @staticmethod
        def position(path: tuple[str | int, ...]) -> tuple[int, int]:
            return 1, 1

    assert check_kinds(Service, [Source()]) == []  # type: ignore[list-item]


def test_hint_lists_matches() -> None:
    assert kind_hint("cahce").startswith("did you mean 'cache'")
    assert kind_hint("qqqqzz").startswith("use a short alias")


def test_schema_completes_aliases_and_accepts_dotted_names() -> None:
    schema = json_schema("service")
    kind = schema["$defs"]["Component"]["properties"]["kind"]
    consts = {entry["const"]: entry["description"] for entry in kind["anyOf"] if "const" in entry}
    assert set(consts) == set(kinds.ALIASES)
    assert all(description for description in consts.values())
    assert "database" in consts["sql"].lower() or "sql" in consts["sql"].lower()
    validator = jsonschema.Draft202012Validator(schema)
    base = {"id": "a", "name": "A", "description": "d", "tier": 1, "lifecycle": "beta",
            "owner": "t"}

    def valid(value: str) -> bool:
        doc = {**base, "architecture": {"components": [{"id": "c", "name": "C", "kind": value}],
                                        "dependencies": [{"external": "e", "kind": value,
                                                          "purpose": "p"}]}}
        return validator.is_valid(doc)

    assert valid("web") and valid("aws.database.RDS") and valid("onprem.queue.Kafka")
    assert not valid("cahce") and not valid("Load Balancer") and not valid("aws.database")


def test_every_library_kind_matches_the_schema_pattern() -> None:
    import re

    pattern = re.compile(kinds.DOTTED_PATTERN)
    assert all(pattern.match(k) for k in kinds.all_dotted_kinds())
    assert not [a for a in kinds.ALIASES if pattern.match(a)]


def test_check_never_imports_the_diagrams_library(bad_catalog: Path) -> None:
    code = ("import sys; from opsready.cli.main import main; main(['check', sys.argv[1]]); "
            "print(sorted(m for m in sys.modules if m == 'diagrams' or m.startswith('diagrams.')"
            " or m == 'graphviz'))")
    done = subprocess.run([sys.executable, "-c", code, str(bad_catalog)], capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_kind_fields_are_found_by_the_marker_declared_in_the_model() -> None:
    from typing import Annotated

    from pydantic import BaseModel

    from opsready.catalog.model_walk import iter_marked
    from opsready.model.base import DiagramKind

    class Box(BaseModel):
        shape: Annotated[str, DiagramKind()]
        label: str = ""

    class Shelf(BaseModel):
        boxes: list[Box] = []
        spare: Box | None = None
        kind: str = ""  # a field named kind without the marker is not a kind

    data = {"kind": "x", "boxes": [{"shape": "web"}, {"shape": 3}, "junk"],
            "spare": {"shape": "sqll", "label": "kind"}}
    found = [(m.path, m.value, m.model) for m in iter_marked(Shelf, data, DiagramKind)]
    assert found == [(("boxes", 0, "shape"), "web", Box), (("spare", "shape"), "sqll", Box)]


def test_shared_external_system_kinds_are_checked_with_place(tmp_path: Path) -> None:
    good = SHOP.replace("postgress", "postgres").replace("Load Balancer", "load_balancer")
    good = good.replace("aws.database.RDSS", "aws.database.RDS").replace("zzqxw", "email")
    root = write_catalog(tmp_path / "c", shop=good.replace("to: dbb", "to: db"))
    (root / "organisation.yaml").write_text(
        "name: Acme\nexternal_systems:\n  - id: mailer\n    name: Mailer\n"
        "    kind: smtpp-relay\n", encoding="utf-8")
    result = load_catalog(root)
    (diag,) = [d for d in result.diagnostics if d.code == "unknown-kind"]
    assert diag.file.endswith("organisation.yaml")
    assert (diag.line, diag.column, diag.yaml_path) == (5, 11, "external_systems[0].kind")
    assert diag.message == "unknown external system kind 'smtpp-relay'"

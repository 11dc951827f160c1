"""External systems described once in organisation.yaml and used by several services."""

from __future__ import annotations

from pathlib import Path

from opsready.catalog.load import load_catalog

TEAMS = "teams: [{id: t, name: T}]\n"
SERVICE = """\
id: {sid}
name: {sid}
description: d
tier: 3
lifecycle: beta
owner: t
architecture:
  components: [{{id: app, name: App, kind: web}}]
  dependencies:
    - {{external: kms, purpose: Encryption keys.{extra}}}
"""


def _catalog(tmp_path: Path, organisation: str, extra: str = "") -> Path:
    (tmp_path / "teams.yaml").write_text(TEAMS, encoding="utf-8")
    (tmp_path / "organisation.yaml").write_text(organisation, encoding="utf-8")
    (tmp_path / "a.yaml").write_text(SERVICE.format(sid="a", extra=""), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(SERVICE.format(sid="b", extra=extra), encoding="utf-8")
    return tmp_path


def test_dependencies_take_name_and_kind_from_the_shared_description(tmp_path: Path) -> None:
    org = "external_systems:\n  - {id: kms, name: Cloud KMS, kind: secrets}\n"
    result = load_catalog(_catalog(tmp_path, org, extra=", name: Our own KMS name"))
    assert result.ok, [d.text() for d in result.diagnostics]
    [a] = result.catalog.services["a"].architecture.dependencies
    [b] = result.catalog.services["b"].architecture.dependencies
    assert (a.name, a.kind) == ("Cloud KMS", "secrets")
    assert (b.name, b.kind) == ("Our own KMS name", "secrets")  # a service's own name wins


def test_shared_kinds_and_ids_are_checked(tmp_path: Path) -> None:
    org = ("external_systems:\n  - {id: kms, name: Cloud KMS, kind: secretz}\n"
           "  - {id: kms, name: Again}\n")
    messages = [(Path(d.file).name, d.line, d.message) for d in
                load_catalog(_catalog(tmp_path, org)).diagnostics]
    assert any(f == "organisation.yaml" and "duplicate external system id kms" in m
               for f, _, m in messages), messages
    org = "external_systems:\n  - {id: kms, name: Cloud KMS, kind: secretz}\n"
    diags = load_catalog(_catalog(tmp_path, org)).diagnostics
    [kind] = [d for d in diags if "secretz" in d.message]
    assert (Path(kind.file).name, kind.line, kind.yaml_path) == (
        "organisation.yaml", 2, "external_systems[0].kind")
    assert "secrets" in kind.hint

"""Backstage import and export: the public example entities, the issue's hard cases, and a
Backstage file met in a catalog folder."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml

from corpora import corpus
from opsready.catalog.load import load_catalog
from opsready.cli.backstage import run_export, run_import
from opsready.cli.main import main
from opsready.integrations.backstage.refs import EntityRef, parse_ref, slugify
from opsready.policy.engine import evaluate, today_from_env
from opsready.policy.load import load_policy

CORPUS = corpus("backstage-examples")
needs_corpus = pytest.mark.skipif(CORPUS is None, reason="shared/corpora/backstage-examples "
                                  "is not beside the repository")


def _raw_entities(root: Path) -> list[dict[str, Any]]:
    """The corpus read independently of the importer (PyYAML's safe loader)."""
    found = []
    for path in sorted(root.rglob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if isinstance(doc, dict) and str(doc.get("apiVersion", "")).startswith("backstage"):
                found.append(doc)
    return found


def _import(paths: list[Path], out: Path, **kw: Any) -> tuple[int, str]:
    buf, err = io.StringIO(), io.StringIO()
    code = run_import([str(p) for p in paths], str(out), out=buf, err=err, **kw)
    return code, buf.getvalue() + err.getvalue()


def test_entity_refs_and_ids() -> None:
    assert parse_ref("group:default/team-a", default_kind="group") == EntityRef(
        "group", "default", "team-a")
    assert parse_ref("default/team-a", default_kind="group") == EntityRef(
        "group", "default", "team-a")
    assert parse_ref("User:guest", default_kind="group") == EntityRef("user", "default", "guest")
    assert parse_ref("team-a", default_kind="group", default_namespace="ops") == EntityRef(
        "group", "ops", "team-a")
    assert slugify("Artist_Lookup.v2") == "artist-lookup-v2"
    assert slugify("invalid component") == "invalid-component"
    assert slugify("___") == "unnamed"
    assert len(slugify("x" * 200)) == 63


# --- the public examples --------------------------------------------------------------------


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    assert CORPUS is not None
    out = tmp_path_factory.mktemp("bs") / "service_catalog"
    code, text = _import([CORPUS], out)
    assert code == 0, text
    return out, text


@needs_corpus
def test_examples_import_and_pass_the_schema_check(imported: tuple[Path, str]) -> None:
    out, text = imported
    result = load_catalog(out)
    assert [d.text() for d in result.diagnostics if d.severity == "error"] == []
    raw = _raw_entities(CORPUS)  # type: ignore[arg-type]
    components = [e for e in raw if e["kind"] == "Component"]
    # Every component became a service, its original name kept as the display name.
    names = sorted(s.name for s in result.catalog.services.values())
    assert names == sorted(str(c["metadata"].get("title") or c["metadata"]["name"])
                           for c in components)
    assert result.catalog.services["invalid-component"].name == "invalid component"
    # Every group became a team, every user a contact.
    assert {e["metadata"]["name"] for e in raw if e["kind"] == "Group"} <= set(
        result.catalog.teams)
    assert len(result.catalog.contacts) == sum(e["kind"] == "User" for e in raw)
    assert "owner user:guest is a user" in text and "spec.subcomponentOf" in text


@needs_corpus
def test_owners_follow_groups_and_users_membership(imported: tuple[Path, str]) -> None:
    out, _ = imported
    services = load_catalog(out).catalog.services
    raw = _raw_entities(CORPUS)  # type: ignore[arg-type]
    users = {e["metadata"]["name"]: e for e in raw if e["kind"] == "User"
             and e["metadata"].get("namespace", "default") == "default"}
    groups = {e["metadata"]["name"] for e in raw if e["kind"] == "Group"}
    checked = 0
    for comp in (e for e in raw if e["kind"] == "Component"):
        ref = str(comp["spec"]["owner"])
        owner = ref.split(":")[-1].split("/")[-1]
        kind = ref.split(":")[0] if ":" in ref else ""
        if (kind == "user" or owner not in groups) and owner in users:
            expected = str(users[owner]["spec"]["memberOf"][0]).split("/")[-1]
        else:
            expected = slugify(owner)
        service = next(s for s in services.values()
                       if s.name == (comp["metadata"].get("title") or comp["metadata"]["name"]))
        assert service.owner == expected, comp["metadata"]["name"]
        checked += 1
    assert checked >= 20


@needs_corpus
def test_consumed_apis_become_dependencies_on_their_providers(
        imported: tuple[Path, str]) -> None:
    out, _ = imported
    services = load_catalog(out).catalog.services
    raw = _raw_entities(CORPUS)  # type: ignore[arg-type]
    providers = {str(api): slugify(c["metadata"]["name"]) for c in raw
                 if c["kind"] == "Component" for api in c["spec"].get("providesApis") or []}
    expected: dict[str, set[str]] = {}
    for comp in (e for e in raw if e["kind"] == "Component"):
        for ref in comp["spec"].get("consumesApis") or []:
            name = str(ref).split(":")[-1].split("/")[-1]
            target = name if str(ref).startswith("component:") else providers[name]
            expected.setdefault(slugify(comp["metadata"]["name"]), set()).add(target)
    assert expected  # the examples do consume APIs
    got = {sid: {d.service for d in s.architecture.dependencies}
           for sid, s in services.items() if s.architecture}
    assert got == expected


@needs_corpus
def test_check_shows_readiness_gaps_of_the_import(imported: tuple[Path, str],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = imported
    assert main(["check", str(out), "--no-cache", "--no-readiness"]) == 0
    capsys.readouterr()
    assert main(["check", str(out), "--no-cache"]) == 1
    printed = capsys.readouterr().out
    assert "[readiness-level]" in printed and "identity-description" in printed


@needs_corpus
def test_export_carries_names_owners_dependencies_levels_and_links(
        imported: tuple[Path, str], tmp_path: Path) -> None:
    out, _ = imported
    target = tmp_path / "catalog-info.yaml"
    err = io.StringIO()
    assert run_export(str(out), str(target), site_url="https://ops.example.com/docs/",
                      err=err) == 0
    entities = list(yaml.safe_load_all(target.read_text(encoding="utf-8")))
    components = {e["metadata"]["name"]: e for e in entities if e["kind"] == "Component"}
    result = load_catalog(out)
    evaluation = evaluate(result.catalog, load_policy().policy,  # type: ignore[arg-type]
                          today_from_env())
    assert set(components) == set(result.catalog.services)
    for sid, service in result.catalog.services.items():
        comp = components[sid]
        assert comp["metadata"]["title"] == service.name
        assert comp["spec"]["owner"] == f"group:default/{service.owner}"
        deps = [d.service for d in service.architecture.dependencies] if (
            service.architecture) else []
        assert comp["spec"].get("dependsOn", []) == [f"component:default/{d}" for d in deps]
        level = evaluation.services[sid].achieved.label
        assert comp["metadata"]["annotations"]["opsready/readiness-level"] == level
        urls = [link["url"] for link in comp["metadata"]["links"]]
        assert f"https://ops.example.com/docs/services/{sid}/runbook/" in urls
    assert {e["metadata"]["name"] for e in entities if e["kind"] == "Group"} == set(
        result.catalog.teams)
    # An existing file is never replaced.
    before = target.read_bytes()
    assert run_export(str(out), str(target), site_url="https://x.example/", err=err) == 2
    assert target.read_bytes() == before and "not overwritten" in err.getvalue()


@needs_corpus
def test_export_imports_back_to_the_same_catalog(imported: tuple[Path, str],
                                                 tmp_path: Path) -> None:
    out, _ = imported
    exported = tmp_path / "catalog-info.yaml"
    assert run_export(str(out), str(exported), site_url="https://ops.example.com/",
                      err=io.StringIO()) == 0
    again = tmp_path / "again"
    code, text = _import([exported], again)
    assert code == 0, text
    first, second = load_catalog(out).catalog, load_catalog(again).catalog
    assert set(second.services) == set(first.services)
    for sid, service in first.services.items():
        other = second.services[sid]
        assert (other.name, other.owner, other.lifecycle) == (
            service.name, service.owner, service.lifecycle)
        assert [d.ref for d in (other.architecture.dependencies if other.architecture
                                else [])] == [d.ref for d in (
                                    service.architecture.dependencies if service.architecture
                                    else [])]


@needs_corpus
def test_a_second_import_overwrites_nothing(imported: tuple[Path, str], tmp_path: Path) -> None:
    out = tmp_path / "cat"
    assert _import([CORPUS], out)[0] == 0  # type: ignore[list-item]
    before = {p: p.read_bytes() for p in out.iterdir()}
    code, text = _import([CORPUS], out)  # type: ignore[list-item]
    assert code == 0
    assert {p: p.read_bytes() for p in out.iterdir()} == before
    assert "wrote" not in text and "no existing entry changed" not in text
    assert text.count("exists: not") + text.count("exists: every team") == len(before)


# --- the hard cases of the issue --------------------------------------------------------------

HARD = """\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: team-a}
spec: {type: team, profile: {displayName: Team A, email: a@example.com}, children: []}
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: {name: artists-db, description: Artist details}
spec: {type: database, owner: team-a}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: Artist_Lookup.v2
  description: Finds artists.
  tags: [Java, data]
  annotations:
    github.com/project-slug: acme/artist-lookup
    pagerduty.com/service-id: PABC123
    pagerduty.com/integration-key: s3cr3t
    backstage.io/techdocs-ref: dir:.
    backstage.io/kubernetes-id: artist-lookup
  links: [{url: "https://grafana.example.com/d/1", title: Dashboard, icon: dashboard}]
spec:
  type: service
  lifecycle: production
  owner: group:default/team-a
  dependsOn: [component:search, resource:artists-db, resource:default/s3-archive]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: search, namespace: default}
spec: {type: service, lifecycle: experimental, owner: team-a}
"""


def test_the_issues_hard_cases_map(tmp_path: Path) -> None:
    source = tmp_path / "catalog-info.yaml"
    source.write_text(HARD, encoding="utf-8")
    out = tmp_path / "service_catalog"
    code, text = _import([source], out, tier=2)
    assert code == 0, text
    result = load_catalog(out)
    assert [d.text() for d in result.diagnostics] == []
    svc = result.catalog.services["artist-lookup-v2"]
    assert (svc.name, svc.owner, svc.tier, svc.lifecycle.value) == (
        "Artist_Lookup.v2", "team-a", 2, "production")
    assert svc.repository == "https://github.com/acme/artist-lookup"
    assert svc.tags == ["java", "data"]
    assert {(link.title, link.url) for link in svc.links} == {
        ("Dashboard", "https://grafana.example.com/d/1"),
        ("TechDocs source (. in the repository)", "https://github.com/acme/artist-lookup")}
    assert svc.runbook is not None and "PABC123" in str(svc.runbook.on_call)
    deps = svc.architecture.dependencies  # type: ignore[union-attr]
    assert [(d.service, d.external) for d in deps] == [
        ("search", None), (None, "artists-db"), (None, "s3-archive")]
    assert deps[1].kind == "sql" and deps[1].name == "artists-db"  # from organisation.yaml
    written = (out / "artist-lookup-v2.yaml").read_text(encoding="utf-8")
    assert "s3cr3t" not in written and "s3cr3t" not in text
    for note in ("pagerduty.com/integration-key not copied", "backstage.io/kubernetes-id",
                 "tag 'Java' became 'java'", "resource:default/s3-archive: not among"):
        assert note in text and note in written


def test_yaml_tags_in_entity_files_are_refused_not_run(tmp_path: Path) -> None:
    source = tmp_path / "evil.yaml"
    source.write_text("apiVersion: backstage.io/v1alpha1\nkind: Component\n"
                      "metadata: !!python/object/apply:os.system [touch pwned]\n",
                      encoding="utf-8")
    code, text = _import([source], tmp_path / "out")
    assert code == 1 and "evil.yaml:3" in text
    assert not (tmp_path / "pwned").exists()


def test_missing_teams_are_merged_into_the_existing_file_in_its_style(
        tmp_path: Path) -> None:
    source = tmp_path / "catalog-info.yaml"
    source.write_text(HARD, encoding="utf-8")
    out = tmp_path / "service_catalog"
    out.mkdir()
    before = ("# our teams\nteams:\n    - {id: other, name: Other}   # keep me\n"
              "    - id: team-b\n      name: Ours\n# end\n")
    source.write_text(HARD + "---\napiVersion: backstage.io/v1alpha1\nkind: Group\n"
                      "metadata: {name: team-b}\nspec: {type: team, children: []}\n",
                      encoding="utf-8")
    (out / "teams.yaml").write_text(before, encoding="utf-8")
    code, text = _import([source], out)
    assert code == 0 and "# Add to" not in text
    after = (out / "teams.yaml").read_text(encoding="utf-8")
    assert after.startswith(before.split("# end")[0])  # every line kept, entries unchanged
    assert "# end" in after
    data = yaml.safe_load(after)
    ids = [t["id"] for t in data["teams"]]
    assert ids[:2] == ["other", "team-b"] and "team-a" in ids and len(ids) == len(set(ids))
    assert data["teams"][1]["name"] == "Ours"  # never overwritten
    assert all(line.startswith(("    - ", "      ")) for line in after.splitlines()
               if line.startswith(" ") and "teams" not in line)  # the file's indentation
    assert "added" in text and "no existing entry changed" in text
    assert load_catalog(out).ok or not any(
        d.file.endswith("teams.yaml") for d in load_catalog(out).diagnostics)


def test_a_teams_file_that_cannot_be_edited_as_text_gets_the_entries_printed(
        tmp_path: Path) -> None:
    source = tmp_path / "catalog-info.yaml"
    source.write_text(HARD, encoding="utf-8")
    out = tmp_path / "service_catalog"
    out.mkdir()
    flow = "{teams: [{id: other, name: Other}]}\n"
    (out / "teams.yaml").write_text(flow, encoding="utf-8")
    code, text = _import([source], out)
    assert code == 0
    assert (out / "teams.yaml").read_text(encoding="utf-8") == flow
    assert "# Add to" in text and "id: team-a" in text


def test_a_backstage_file_in_the_catalog_gets_one_clear_message(tmp_path: Path) -> None:
    catalog = tmp_path / "service_catalog"
    catalog.mkdir()
    (catalog / "teams.yaml").write_text("teams:\n  - {id: team-a, name: A}\n", encoding="utf-8")
    (catalog / "catalog-info.yaml").write_text(HARD.split("---\n")[2], encoding="utf-8")
    (catalog / "multi.yaml").write_text(HARD, encoding="utf-8")
    diags = load_catalog(catalog).diagnostics
    assert len(diags) == 2
    for diag, name in zip(diags, ("catalog-info.yaml", "multi.yaml"), strict=True):
        assert diag.file.endswith(name)
        assert "this is a Backstage entity" in diag.message
        assert "opsready import backstage" in diag.message


# --- Location targets: only files under the folders given --------------------------------------

SECRET_COMPONENT = ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n"
                    "  name: secret-service\nspec: {type: service, lifecycle: production, "
                    "owner: team-a}\n")


def _location(*targets: str) -> str:
    listed = "".join(f"    - {t}\n" for t in targets)
    return ("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: all\n"
            f"spec:\n  targets:\n{listed}")


@pytest.mark.parametrize(("target", "why"), [
    ("/proc/self/environ", "absolute path"),
    ("{outside}/secret.yaml", "absolute path"),
    ("../outside/secret.yaml", "'..' leads out"),
    ("sub/../../outside/secret.yaml", "'..' leads out"),
    ("link.yaml", "link to a file outside"),
    ("linked-dir/secret.yaml", "link to a file outside"),
])
def test_location_targets_outside_the_folders_given_are_refused(tmp_path: Path, target: str,
                                                                why: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(SECRET_COMPONENT, encoding="utf-8")
    given = tmp_path / "given"
    (given / "sub").mkdir(parents=True)
    (given / "link.yaml").symlink_to(outside / "secret.yaml")
    (given / "linked-dir").symlink_to(outside)
    entry = given / "catalog-info.yaml"
    entry.write_text(_location("./sub/ok.yaml", target.format(outside=outside)),
                     encoding="utf-8")
    (given / "sub" / "ok.yaml").write_text(HARD.split("---\n")[2], encoding="utf-8")
    code, text = _import([entry], tmp_path / "out")
    assert "secret-service" not in text
    assert not (tmp_path / "out" / "secret-service.yaml").exists()
    assert "catalog-info.yaml:8:7: error: spec.targets.1: location target" in text, text
    assert why in text
    assert code == 0  # the target inside the folder was imported


def test_a_folder_walk_does_not_follow_a_link_out(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(SECRET_COMPONENT, encoding="utf-8")
    given = tmp_path / "given"
    given.mkdir()
    (given / "catalog-info.yaml").write_text(HARD.split("---\n")[2], encoding="utf-8")
    (given / "secret.yaml").symlink_to(outside / "secret.yaml")
    code, text = _import([given], tmp_path / "out")
    assert "secret.yaml:1:1: error:" in text and "link to a file outside" in text
    assert not (tmp_path / "out" / "secret-service.yaml").exists()

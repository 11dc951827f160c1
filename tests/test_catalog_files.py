"""Every file under the catalog folder is read or reported; nothing is read through a link that
leaves the catalog; Markdown files have a size limit."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import TEAMS_YAML, BuildFailed, build_site, service_yaml, write_files
from opsready.catalog.load import load_catalog
from opsready.catalog.yaml_loader import MAX_MARKDOWN_BYTES
from opsready.cli.main import main

# Each of these vanished without a word before: none is read, each must be named.
STRAYS = {
    "svc.YAML": "extension must be lower-case",
    ".svc.yaml": "hidden file",
    ".hidden/service.yaml": "hidden folder",
    "other/service.YAML": "extension must be lower-case",
    "svc.yaml.bak": "backup or editor file",
    "svc.json": "JSON file",
    "notes.md": "not referenced by any catalog file",
    "teams.yml": "name is reserved",
    "draft/notes.md": "its folder has no service.yaml",
    "checkout/old/service.yaml": "YAML file is not read",
    "checkout/diagram.png": "file is not read",
}


def _messy(root: Path) -> Path:
    files = {name: service_yaml("svc") for name in STRAYS}
    files.update({
        "teams.yaml": TEAMS_YAML,
        "README.md": "# Our catalog\n",  # allowed at the root
        "ledger.yaml": service_yaml("ledger", extra="runbook: {on_call: {file: on-call.md}}\n"),
        "on-call.md": "Weekly rotation.\n",  # at the root, but referenced: read
        "checkout/service.yaml": service_yaml("checkout"),
        "checkout/notes.md": "Unreferenced notes beside a service file are fine.\n",
    })
    files["draft/notes.md"] = "A folder without service.yaml.\n"
    return write_files(root, files)


def test_every_unread_file_is_named_with_what_to_do(tmp_path: Path) -> None:
    result = load_catalog(_messy(tmp_path / "catalog"))
    assert set(result.catalog.services) == {"checkout", "ledger"}
    unread = {Path(d.file).resolve().relative_to((tmp_path / "catalog").resolve()).as_posix(): d
              for d in result.diagnostics if d.code == "unread-file"}
    named = {".hidden" if k.startswith(".hidden") else k for k in STRAYS}
    assert set(unread) == named
    for name, message in STRAYS.items():
        diag = unread[".hidden" if name.startswith(".hidden") else name]
        assert message in diag.message and diag.hint and diag.severity == "warning", diag
    assert "service.yaml" in unread[".hidden"].message  # the folder's files are listed
    assert "rename it to svc.yaml" in unread["svc.YAML"].hint
    assert result.ok  # warnings only


def test_check_warns_and_fails_under_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = write_files(tmp_path / "catalog", {"teams.yaml": TEAMS_YAML,
                                              "svc.yaml": service_yaml("svc"),
                                              "svc.yaml.bak": service_yaml("svc")})
    monkeypatch.chdir(tmp_path)
    assert main(["check", "catalog", "--no-cache", "--no-readiness"]) == 0
    out = capsys.readouterr()
    assert "catalog/svc.yaml.bak:1:1: warning [unread-file]: backup or editor file" in out.out
    assert main(["check", str(catalog), "--no-cache", "--no-readiness", "--strict"]) == 1


def test_build_warns_and_strict_build_fails(tmp_path: Path) -> None:
    files = {"teams.yaml": TEAMS_YAML, "svc.yaml": service_yaml("svc"),
             "svc.json": "{}", ".hidden/service.yaml": service_yaml("hidden")}
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path, files, opsready={"diagrams": False})
    warnings = "\n".join(failed.value.warnings)
    assert "service_catalog/svc.json:1:1: -: JSON file is not read" in warnings
    assert "service_catalog/.hidden:1:1: -: hidden folder is not read (service.yaml)" in warnings


def test_links_out_of_the_catalog_are_errors_and_never_read(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.yaml").write_text(service_yaml("secret", "Secret From Elsewhere"),
                                         encoding="utf-8")
    (outside / "svc").mkdir()
    (outside / "svc" / "service.yaml").write_text(service_yaml("linked-folder"), "utf-8")
    (outside / "text.md").write_text("Read from elsewhere.\n", encoding="utf-8")
    catalog = write_files(tmp_path / "catalog", {
        "teams.yaml": TEAMS_YAML, "inside.yaml": service_yaml("inside"),
        "checkout/service.yaml": service_yaml("checkout", extra="runbook: {on_call: {file: "
                                              "on-call.md}}\n"),
    })
    os.symlink(outside / "secret.yaml", catalog / "secret.yaml")
    os.symlink(outside / "svc", catalog / "linked-folder")
    os.symlink(outside / "text.md", catalog / "checkout" / "on-call.md")
    os.symlink(outside / "secret.yaml", catalog / "checkout" / "service.yml")
    os.symlink(catalog / "inside.yaml", catalog / "alias.yaml")  # inside: read (a duplicate)

    result = load_catalog(catalog)
    errors = {(Path(d.file).name, d.message) for d in result.diagnostics
              if d.severity == "error"}
    assert ("secret.yaml", "is a link to a file outside the catalog folder: not read") in errors
    assert ("linked-folder", "is a link to a file outside the catalog folder: not read") in errors
    assert ("service.yml", "is a link to a file outside the catalog folder: not read") in errors
    assert any(f == "service.yaml" and "points outside the catalog folder" in m
               for f, m in errors)
    assert any("does not match the file name 'alias'" in m for _, m in errors)  # read
    assert "secret" not in result.catalog.services
    assert "linked-folder" not in result.catalog.services
    assert not any("Secret From Elsewhere" in d.message for d in result.diagnostics)


def test_markdown_files_have_a_size_limit(tmp_path: Path) -> None:
    big = "word " * (MAX_MARKDOWN_BYTES // 5 + 100)
    catalog = write_files(tmp_path / "catalog", {
        "teams.yaml": TEAMS_YAML,
        "checkout/service.yaml": service_yaml("checkout", extra="runbook: {on_call: {file: "
                                              "big.md}}\n"),
        "checkout/big.md": big,
    })
    result = load_catalog(catalog)
    [diag] = [d for d in result.diagnostics if d.severity == "error"]
    assert diag.file.endswith("checkout/service.yaml") and diag.yaml_path == "runbook.on_call.file"
    assert f"file 'big.md': file is {len(big):,} bytes, over the {MAX_MARKDOWN_BYTES:,}-byte " \
           "limit" in diag.message
    assert "checkout" not in result.catalog.services


def test_team_pages_have_a_size_limit(tmp_path: Path) -> None:
    big = "word " * (MAX_MARKDOWN_BYTES // 5 + 100)
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path, {"teams.yaml": TEAMS_YAML, "svc.yaml": service_yaml("svc")},
                   opsready={"diagrams": False}, strict=False,
                   docs_files={"index.md": "# Home\n", "services/svc/notes.md": big})
    assert f"docs/services/svc/notes.md: file is {len(big):,} bytes, over the " \
           f"{MAX_MARKDOWN_BYTES:,}-byte limit" in "\n".join(failed.value.errors)


def test_the_same_relative_catalog_path_in_two_folders_reads_each_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The catalog root is resolved for each load: a relative path that names another folder
    after a change of working folder is not judged against the first one (a per-process memo
    of the resolved root once refused every ``{file:}`` of the second catalog)."""
    for name in ("a", "b"):
        catalog = tmp_path / name / "catalog"
        write_files(catalog, {"teams.yaml": TEAMS_YAML,
                              "svc/service.yaml": service_yaml("svc").replace(
                                  "description: ", "description: {file: overview.md}\n# ", 1),
                              "svc/overview.md": f"The {name} service.\n"})
        monkeypatch.chdir(tmp_path / name)
        result = load_catalog(Path("catalog"))
        assert [d.message for d in result.diagnostics if d.severity == "error"] == []
        assert result.catalog.services["svc"].description.text == f"The {name} service.\n"

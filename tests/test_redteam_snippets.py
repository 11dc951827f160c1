"""Red team: a team's text must not include files through pymdownx.snippets.

Sites often enable ``pymdownx.snippets`` (its ``--8<-- "file"`` lines include a file of the
build machine into the page). A command in the catalog is shown verbatim in a fenced code block
and a team page is Markdown: either way the page's converter would read such a line and publish
the file (``.env``, ``.git/config`` with the CI's token, ...). The check refuses the line with
file, line and YAML path; the build refuses it too; a team page with one fails the build.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TEAMS_YAML, BuildFailed, build_site, service_yaml
from opsready.catalog.load import load_catalog

SNIPPETS = {"markdown_extensions": ["pymdownx.snippets", "pymdownx.superfences"]}
SECRET = "SECRET_TOKEN=hunter2"

COMMAND = service_yaml("svc", extra="""\
alerts:
  - name: SvcDown
    severity: SEV-3
    summary: Down.
    diagnosis:
      - title: Look at the logs
        command: |
          echo hi
          --8<-- ".env"
""")


def _plant_secret(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / ".env").write_text(SECRET + "\n", encoding="utf-8")


@pytest.mark.parametrize("line, found", [
    ('--8<-- ".env"', True), ('  -8<- ".env"', True), ("--8<--", True), ("---8<---", True),
    ('\t--8<-- "a"', True), ('echo --8<-- ".env"', False), ('--8< ".env"', False),
    (';--8<-- ".env"', False), ("8<--", False), ("- 8<-", False),
])
def test_snippet_lines_finds_what_snippets_reads(line: str, found: bool) -> None:
    from opsready.guard.includes import snippet_lines

    assert snippet_lines(f"echo a\n{line}\n") == ([1] if found else [])


def test_the_check_refuses_a_command_that_includes_a_file(tmp_path: Path) -> None:
    (tmp_path / "teams.yaml").write_text(TEAMS_YAML, encoding="utf-8")
    (tmp_path / "svc.yaml").write_text(COMMAND, encoding="utf-8")
    diags = [d for d in load_catalog(tmp_path).diagnostics if d.severity == "error"]
    assert len(diags) == 1, diags
    d = diags[0]
    assert (d.line, d.yaml_path) == (15, "alerts[0].diagnosis[0].command")
    assert d.file.endswith("svc.yaml") and "snippets" in d.message


@pytest.mark.parametrize("command", [
    '"echo hi\\n--\\x38\\x3c-- \\".env\\""',      # the marker written with an escape
    '"echo hi\\n--8<\\\n  -- \\".env\\""',     # joined by an escaped line break
])
def test_an_escaped_marker_is_found_too(tmp_path: Path, command: str) -> None:
    # The check skips files whose text holds neither the marker nor a backslash: an escape
    # must still be read.
    (tmp_path / "teams.yaml").write_text(TEAMS_YAML, encoding="utf-8")
    text = COMMAND.replace('|\n          echo hi\n          --8<-- ".env"', command)
    assert "8<-" not in text
    (tmp_path / "svc.yaml").write_text(text, encoding="utf-8")
    diags = [d for d in load_catalog(tmp_path).diagnostics if d.severity == "error"]
    assert [(d.yaml_path, "snippets" in d.message) for d in diags] == [
        ("alerts[0].diagnosis[0].command", True)]


def test_the_build_publishes_no_included_file_from_a_command(tmp_path: Path) -> None:
    _plant_secret(tmp_path)
    with pytest.raises(BuildFailed) as info:
        build_site(tmp_path, {"teams.yaml": TEAMS_YAML, "svc.yaml": COMMAND}, SNIPPETS)
    assert any("alerts[0].diagnosis[0].command" in e for e in info.value.errors)
    site = tmp_path / "site"
    assert not site.exists() or not any(
        SECRET in p.read_text(errors="replace") for p in site.rglob("*") if p.is_file())


def test_a_team_page_cannot_include_a_file(tmp_path: Path) -> None:
    _plant_secret(tmp_path)
    page = "---\ntitle: Notes\n---\n# Notes\n\n```\n--8<-- \".env\"\n```\n"
    catalog = {"teams.yaml": TEAMS_YAML, "svc.yaml": service_yaml("svc")}
    with pytest.raises(BuildFailed) as info:
        build_site(tmp_path, catalog, SNIPPETS,
                   {"index.md": "# Home\n", "services/svc/notes.md": page})
    assert any("services/svc/notes.md:7" in e and "snippets" in e for e in info.value.errors), \
        info.value.errors
    site = tmp_path / "site"
    assert not site.exists() or not any(
        SECRET in p.read_text(errors="replace") for p in site.rglob("*") if p.is_file())

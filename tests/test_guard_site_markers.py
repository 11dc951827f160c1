"""Markers a site chose for a file-reading extension (``mdx_include``'s ``syntax_left`` and
``syntax_right`` in ``mkdocs.yml``) in catalog text: the check refuses them once it knows the
site (``load_catalog(readers=...)``, which the plugin, ``generate`` and ``opsready check`` pass),
with file, line, YAML path and a hint. Fast: no build (the builds: ``test_guard_paths.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import TEAMS_YAML, service_yaml
from opsready.catalog.load import load_catalog
from opsready.cli.main import main
from opsready.guard.includes import configured

MARKERS = {"syntax_left": "@@", "syntax_right": "@@"}
SITE = configured([{"mdx_include": MARKERS}])
INCLUDE = "@@.git/config@@"
CASES = {
    # A command is shown verbatim in a fenced code block.
    "command": ("""\
        alerts:
          - name: SvcDown
            severity: SEV-3
            summary: Down.
            diagnosis:
              - title: Look at the logs
                command: |
                  echo hi
                  cat @@.git/config@@
        """, "service.yaml", 15, "alerts[0].diagnosis[0].command"),
    # Plain text keeps '@' as written.
    "plain": ("""\
        alerts:
          - name: SvcDown
            severity: SEV-3
            summary: Down @@.git/config@@
        """, "service.yaml", 10, "alerts[0].summary"),
    "prose": ("""\
        runbook:
          on_call: |
            Read this.

            @@.git/config@@
        """, "service.yaml", 11, "runbook.on_call"),
    "markdown-file": ("runbook: {on_call: {file: on-call.md}}\n", "on-call.md", 3,
                      "runbook.on_call"),
}


def _catalog(root: Path, case: str) -> Path:
    catalog = root / "service_catalog"
    (catalog / "svc").mkdir(parents=True)
    (catalog / "teams.yaml").write_text(TEAMS_YAML, encoding="utf-8")
    (catalog / "svc" / "service.yaml").write_text(service_yaml("svc", extra=CASES[case][0]),
                                                  encoding="utf-8")
    (catalog / "svc" / "on-call.md").write_text(f"# On call\n\n{INCLUDE}\n", encoding="utf-8")
    return catalog


def _errors(catalog: Path, readers: object = None) -> list[tuple[str, int, str]]:
    result = load_catalog(catalog, readers=readers)  # type: ignore[arg-type]
    return [(Path(d.file).name, d.line, d.yaml_path) for d in result.diagnostics
            if d.severity == "error"]


@pytest.mark.parametrize("case", list(CASES))
def test_the_check_refuses_the_sites_markers_with_file_line_path_and_hint(
        tmp_path: Path, case: str) -> None:
    catalog = _catalog(tmp_path, case)
    assert _errors(catalog) == []  # no site known: the default syntax of each extension only
    _, name, line, where = CASES[case]
    assert _errors(catalog, SITE) == [(name, line, where)]
    (found,) = [d for d in load_catalog(catalog, readers=SITE).diagnostics
                if d.severity == "error"]
    assert "'@@' ... '@@'" in found.message and "mdx_include" in found.message
    assert found.hint and found.code == "include"


def test_markers_written_apart_or_of_another_site_are_accepted(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path, "command")
    other = configured([{"mdx_include": {"syntax_left": "%%", "syntax_right": "%%"}}])
    assert _errors(catalog, other) == []
    text = (catalog / "svc/service.yaml").read_text(encoding="utf-8")
    (catalog / "svc/service.yaml").write_text(text.replace("@@.git", "@ @.git"),
                                              encoding="utf-8")
    assert _errors(catalog, SITE) == []


def _mkdocs_yml(path: Path, markers: dict[str, str] | None) -> Path:
    extensions: list[object] = ["toc"]
    if markers is not None:
        extensions.append({"mdx_include": markers})
    path.write_text(yaml.safe_dump({"site_name": "S", "markdown_extensions": extensions}),
                    encoding="utf-8")
    return path


def test_opsready_check_reads_the_sites_mkdocs_yml(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    _catalog(tmp_path, "command")
    monkeypatch.chdir(tmp_path)
    args = ["check", "service_catalog", "--no-readiness", "--no-cache"]
    assert main(args) == 0  # no mkdocs.yml here
    capsys.readouterr()
    _mkdocs_yml(tmp_path / "mkdocs.yml", MARKERS)  # found as ./mkdocs.yml, as alerts finds it
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "service_catalog/svc/service.yaml:15:" in out
    assert "alerts[0].diagnosis[0].command" in out and "'@@' ... '@@'" in out
    _mkdocs_yml(tmp_path / "plain.yml", None)
    assert main([*args, "--config", "plain.yml"]) == 0  # --config names the site
    assert main([*args, "--config", "missing.yml"]) == 2
    assert "config file 'missing.yml' does not exist" in capsys.readouterr().err

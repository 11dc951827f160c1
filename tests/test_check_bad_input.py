"""Every class of bad catalog input, one small catalog per case under fixtures/bad/.

Each case folder holds ``expected.txt``: one expected diagnostic per line as
``file|line|column|yaml.path|message substring[|hint substring]`` (an empty line or column is not
checked). The test asserts that each expected diagnostic is reported, with that exact place.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from opsready.catalog.load import load_catalog
from opsready.diagnostics import Diagnostic

BAD = Path(__file__).parent / "fixtures" / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())


def _expected(case: str) -> list[list[str]]:
    lines = (BAD / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    return [line.split("|") for line in lines if line.strip()]


def _matches(diag: Diagnostic, root: Path, spec: list[str]) -> bool:
    file, line, col, path, message, *hint = spec
    rel = Path(diag.file).resolve().relative_to(root.resolve()).as_posix()
    return (
        rel == file
        and (not line or diag.line == int(line))
        and (not col or diag.column == int(col))
        and diag.yaml_path == path
        and message in diag.message
        and (not hint or hint[0] in diag.hint)
    )


def test_every_case_has_an_expectation() -> None:
    assert len(CASES) >= 15
    for case in CASES:
        assert _expected(case), case


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_reported_with_file_line_and_path(case: str) -> None:
    root = BAD / case
    result = load_catalog(root)
    assert not result.ok
    for spec in _expected(case):
        assert any(_matches(d, root, spec) for d in result.diagnostics), (
            f"{case}: expected {spec}, got:\n" + "\n".join(d.text() for d in result.diagnostics)
        )


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    if args[:1] == ("check",) and "--help" not in args:
        args = (*args, "--no-cache")  # tests write nothing into the repository
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "plugins")}
    return subprocess.run([sys.executable, "-m", "opsready", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120, env=env)


@pytest.mark.parametrize("case", CASES)
def test_cli_reports_without_traceback_and_exits_1(case: str) -> None:
    proc = _cli("check", str(BAD / case))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    first = _expected(case)[0]
    assert first[0].split("/")[-1] in proc.stdout
    assert first[4] in proc.stdout
    assert "FAILED" in proc.stderr


def test_all_problems_of_a_catalog_are_reported_at_once(tmp_path: Path) -> None:
    # Several broken files in one catalog: every one of them is reported in one run.
    for case in ("duplicate-key", "unknown-key", "empty-file", "not-utf8", "yaml-syntax"):
        src = next(p for p in (BAD / case).iterdir() if p.name.endswith(".yaml")
                   and p.name != "teams.yaml")
        (tmp_path / f"{case}.yaml").write_bytes(src.read_bytes())
    (tmp_path / "teams.yaml").write_bytes((BAD / "unknown-key" / "teams.yaml").read_bytes())
    result = load_catalog(tmp_path)
    files = {Path(d.file).name for d in result.diagnostics}
    assert files >= {"duplicate-key.yaml", "unknown-key.yaml", "empty-file.yaml",
                     "not-utf8.yaml", "yaml-syntax.yaml"}


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    (tmp_path / "teams.yaml").write_text("teams: []\n", encoding="utf-8")
    (tmp_path / "huge.yaml").write_text("id: huge\nname: '" + "x" * (1024 * 1024) + "'\n",
                                        encoding="utf-8")
    result = load_catalog(tmp_path)
    [diag] = [d for d in result.diagnostics if d.file.endswith("huge.yaml")]
    assert "over the 1,048,576-byte limit" in diag.message


def test_missing_teams_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "checkout.yaml").write_text(
        "id: checkout\nname: Checkout\ndescription: d\ntier: 3\nlifecycle: beta\nowner: x\n",
        encoding="utf-8")
    result = load_catalog(tmp_path)
    messages = [d.message for d in result.diagnostics]
    assert any("teams.yaml is missing" in m for m in messages)
    assert any("unknown team 'x'" in m for m in messages)


def test_merge_keys_and_aliases_are_plain_data(tmp_path: Path) -> None:
    (tmp_path / "teams.yaml").write_text("teams: [{id: t, name: T}]\n", encoding="utf-8")
    text = ("id: svc\nname: Svc\ndescription: &d Desc\nx-base: &base {tier: 3}\n"
            "<<: [*base, {lifecycle: beta, owner: t}]\n")
    (tmp_path / "svc.yaml").write_text(text, encoding="utf-8")
    result = load_catalog(tmp_path)
    assert result.ok, [d.text() for d in result.diagnostics]
    assert result.catalog.services["svc"].tier == 3


def test_json_format_is_machine_readable() -> None:
    proc = _cli("check", str(BAD / "unknown-refs"), "--format", "json")
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    owner = next(d for d in data if d["yaml_path"] == "owner")
    assert owner["line"] == 6 and owner["file"].endswith("checkout.yaml")
    assert owner["hint"] == "did you mean 'payments'?"


def test_github_format_emits_workflow_annotations() -> None:
    proc = _cli("check", str(BAD / "unknown-key"), "--format", "github")
    assert proc.returncode == 1
    [line] = [ln for ln in proc.stdout.splitlines() if ln.startswith("::error ")]
    assert "line=7,col=1" in line and "title=runbok" in line
    assert line.endswith("::unknown key 'runbok' (hint: did you mean 'runbook'?)")


def test_junit_format_is_valid_xml_with_one_failure_per_problem(tmp_path: Path) -> None:
    # Without expected.txt, which the catalog reports as a file it does not read (a warning).
    shutil.copytree(BAD / "unknown-refs", tmp_path / "catalog",
                    ignore=shutil.ignore_patterns("expected.txt"))
    proc = _cli("check", str(tmp_path / "catalog"), "--format", "junit")
    suite = ElementTree.fromstring(proc.stdout)
    assert suite.tag == "testsuite"
    assert int(suite.get("failures", "0")) == len(suite.findall("testcase")) >= 5


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert _cli("check", str(tmp_path / "missing")).returncode == 2
    assert _cli("check", "--format", "yaml").returncode == 2
    assert _cli().returncode == 2


def test_clean_catalog_exits_0(tmp_path: Path) -> None:
    (tmp_path / "teams.yaml").write_text("teams: [{id: t, name: T}]\n", encoding="utf-8")
    (tmp_path / "svc.yaml").write_text(
        "id: svc\nname: Svc\ndescription: d\ntier: 3\nlifecycle: beta\nowner: t\n",
        encoding="utf-8")
    proc = _cli("check", str(tmp_path), "--no-readiness")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 service, 0 errors" in proc.stderr

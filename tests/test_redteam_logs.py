"""Red team: a catalog value cannot write lines of its own into a CI log.

Messages quote what the author wrote (an unknown team id, a key, an alert name). A line break in
such a value started a new line of `opsready check`'s text output and of the build log; in
GitHub Actions a line starting with ``::`` is a workflow command (``::error file=...::``,
``::stop-commands::``, ``::add-mask::``), and an escape character rewrites a terminal. Control
characters, line separators and bidirectional overrides show as escapes instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TEAMS_YAML, BuildFailed, build_site, service_yaml
from opsready.cli import main
from opsready.diagnostics import Diagnostic, to_text

HOSTILE = service_yaml("svc", owner='"platfor\\n::error file=README.md,line=1::owned\\e[2K"')


def _assert_single_lines(text: str) -> None:
    for line in text.splitlines():
        assert not line.lstrip().startswith("::"), line
    assert "\x1b" not in text and "\u202e" not in text and "\u2028" not in text


def test_a_diagnostic_prints_control_characters_as_escapes() -> None:
    d = Diagnostic("svc.yaml", 6, 8, "owner", "unknown team 'a\n::notice::x\x1b[2K\u202eb\u2028'",
                   "did you mean 'a\r\n::warning::y'?")
    text = to_text([d])
    _assert_single_lines(text)
    assert "unknown team 'a\\n::notice::x\\x1b[2K\\u202eb\\u2028'" in text
    assert text.count("\n") == 1  # the hint's own line


def test_opsready_check_prints_one_line_per_value(tmp_path: Path, capsys) -> None:
    (tmp_path / "teams.yaml").write_text(TEAMS_YAML, encoding="utf-8")
    (tmp_path / "svc.yaml").write_text(HOSTILE, encoding="utf-8")
    assert main(["check", "--no-readiness", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    _assert_single_lines(out + err)
    assert "platfor\\n::error" in out


def test_the_build_log_prints_one_line_per_value(tmp_path: Path) -> None:
    with pytest.raises(BuildFailed) as info:
        build_site(tmp_path, {"teams.yaml": TEAMS_YAML, "svc.yaml": HOSTILE})
    messages = info.value.errors + info.value.warnings
    assert any("platfor\\n::error" in m for m in messages), messages
    for message in messages:
        _assert_single_lines(message)


def test_backstage_import_prints_one_line_per_entity(tmp_path: Path, capsys) -> None:
    entity = tmp_path / "catalog-info.yaml"
    entity.write_text(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n"
        '  name: "bad name\\n::error file=README.md::pwned"\n'
        "spec: {type: service, lifecycle: production, owner: team-a}\n", encoding="utf-8")
    assert main(["import", "backstage", str(entity), "--out", str(tmp_path / "out")]) == 0
    out, err = capsys.readouterr()
    _assert_single_lines(out + err)
    assert "bad name\\n::error" in out

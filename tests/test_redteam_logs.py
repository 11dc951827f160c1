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
from opsready.cli.main import main
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


# File and folder names a team chose under docs/services/: a newline or an escape character in
# them must not write a workflow command or a terminal escape into the build or generate log.
EVIL_FILE = "notes\n::error file=README.md,line=1::pwned\x1b[2K.js"
EVIL_FOLDER = "x\n::warning::y\x1b]0;t\x07"


def _hostile_docs() -> dict[str, str]:
    return {"index.md": "# Home\n", f"services/svc/{EVIL_FILE}": "alert(1)\n",
            f"services/{EVIL_FOLDER}/notes.md": "# Notes\n"}


def test_the_build_log_escapes_team_file_and_folder_names(tmp_path: Path) -> None:
    site = build_site(tmp_path, {"teams.yaml": TEAMS_YAML, "svc.yaml": service_yaml("svc")},
                      docs_files=_hostile_docs(), strict=False,
                      expect_warnings=[r"not published", r"no service"])
    ours = [m for m in site.warnings if "services/" in m]
    assert any("notes\\n::error" in m for m in ours), ours
    assert any("x\\n::warning::y\\x1b" in m for m in ours), ours
    for message in ours:
        _assert_single_lines(message)
        assert "\x07" not in message


def test_generate_escapes_team_file_and_folder_names(tmp_path: Path, capsys) -> None:
    from generate_support import write_site

    config = write_site(tmp_path, docs=_hostile_docs())
    assert main(["generate", "--config", str(config)]) == 1  # the .js file is refused
    err = capsys.readouterr().err
    _assert_single_lines(err)
    assert "\x07" not in err
    assert "notes\\n::error" in err and "x\\n::warning::y" in err


def test_alerts_urls_escapes_alert_names_it_leaves_alone(tmp_path: Path, capsys) -> None:
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "teams.yaml").write_text(TEAMS_YAML, encoding="utf-8")
    (tmp_path / "catalog" / "svc.yaml").write_text(service_yaml("svc"), encoding="utf-8")
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "groups:\n- name: g\n  rules:\n"
        '  - alert: "Evil\\n::error file=README.md::pwned\\e[2K"\n'
        "    expr: up == 0\n    labels: {service: nobody}\n", encoding="utf-8")
    code = main(["alerts", "urls", "--rules", str(rules), "--catalog", str(tmp_path / "catalog"),
                 "--site-url", "https://docs.example.com/"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "left alone: Evil\\n::error" in err
    _assert_single_lines(err)

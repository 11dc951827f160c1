"""The policy file: the packaged default, a site's own file, and errors with file/line/path."""

from __future__ import annotations

from pathlib import Path

import pytest

from opsready.model.document_sections import SECTIONS
from opsready.policy.levels import Level
from opsready.policy.load import DEFAULT_POLICY_PATH, load_policy


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_policy_loads_and_covers_every_section() -> None:
    result = load_policy()
    assert result.ok, [d.text() for d in result.diagnostics]
    policy = result.policy
    assert policy is not None
    covered = {rule.section for rule in policy.rules}
    missing = [s.key for s in SECTIONS if s.key not in covered]
    assert missing == []
    assert policy.required_level(1) is Level.GOLD
    assert policy.required_level(2) is Level.SILVER
    assert policy.required_level(3) is Level.BRONZE
    assert not policy.enforced("experimental") and not policy.enforced("retired")
    assert policy.enforced("production")


def test_default_policy_has_every_level_and_the_paper_rules() -> None:
    policy = load_policy().policy
    assert policy is not None
    levels = {rule.level for rule in policy.rules}
    assert levels == {"bronze", "silver", "gold"}
    by_id = policy.rules_by_id
    assert by_id["release-signoff"].check == "match"
    assert by_id["runbook-alert-entries"].where == {"pages": True}
    assert by_id["ops-backup"].applies.flags == ["stateful"]
    assert DEFAULT_POLICY_PATH.is_file()


def test_site_policy_extends_replaces_and_disables(tmp_path: Path) -> None:
    path = _write(tmp_path, """
name: Harbourline policy
required_levels: {3: silver}
disable: [identity-repository]
rules:
  - id: runbook-escalation
    title: Escalation contacts, reviewed quarterly
    section: runbook#escalation
    level: bronze
    paths: [runbook.escalation]
    max_age_days: 90
  - id: own-rule
    title: Tracing everywhere
    section: ops-guide#tracing
    level: gold
    paths: [observability.tracing]
""")
    result = load_policy(path)
    assert result.ok, [d.text() for d in result.diagnostics]
    policy = result.policy
    assert policy is not None and policy.name == "Harbourline policy"
    ids = [r.id for r in policy.rules]
    assert "identity-repository" not in ids and "own-rule" in ids
    assert policy.rules_by_id["runbook-escalation"].max_age_days == 90
    assert policy.required_level(3) is Level.SILVER and policy.required_level(1) is Level.GOLD
    assert len(ids) == len(load_policy().policy.rules)  # type: ignore[union-attr]


def test_extends_none_keeps_only_the_files_rules(tmp_path: Path) -> None:
    path = _write(tmp_path, """
extends: none
rules:
  - id: only
    title: Only rule
    section: overview#identity
    level: bronze
    paths: [description]
""")
    policy = load_policy(path).policy
    assert policy is not None and [r.id for r in policy.rules] == ["only"]


@pytest.mark.parametrize("body, line, yaml_path, words", [
    ("rules:\n  - id: a\n    title: A\n    section: runbook#escalaton\n    level: bronze\n",
     4, "rules[0].section", ["unknown section", "did you mean 'runbook#escalation'"]),
    ("rules:\n  - id: a\n    title: A\n    section: runbook#escalation\n    level: bronze\n"
     "    paths: [runbook.escalaton]\n",
     6, "rules[0].paths[0]", ["no key 'escalaton'", "did you mean 'escalation'"]),
    ("rules:\n  - id: a\n    title: A\n    section: runbook#escalation\n    level: platinum\n",
     5, "rules[0].level", ["bronze", "gold"]),
    ("rules:\n  - id: a\n    title: A\n    section: runbook#escalation\n    level: gold\n"
     "    applies: {flags: [statefull]}\n",
     6, "rules[0].applies.flags[0]", ["unknown flag", "did you mean 'stateful'"]),
    ("rules:\n  - id: a\n    title: A\n    section: overview#sign-off\n    level: gold\n"
     "    check: match\n    path: release.signoffs\n    items: [{rle: ops}]\n",
     2, "rules[0]", ["items key 'rle'", "SignOff"]),
    ("rules:\n  - id: a\n    title: A\n    section: overview#sign-off\n    level: gold\n"
     "    check: recent\n    path: release.signoffs\n    within_days: 3\n",
     2, "rules[0]", ["needs a date"]),
    ("disable: [no-such-rule]\n", 1, "disable[0]", ["unknown rule 'no-such-rule'"]),
    ("rules:\n  - id: a\n    title: A\n    section: overview#identity\n    level: gold\n"
     "    colour: red\n", 6, "rules[0].colour", ["unknown key 'colour'"]),
])
def test_policy_errors_name_file_line_and_path(tmp_path: Path, body: str, line: int,
                                               yaml_path: str, words: list[str]) -> None:
    path = _write(tmp_path, body)
    result = load_policy(path)
    assert result.policy is None and not result.ok
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert len(errors) >= 1
    diag = errors[0]
    assert diag.file.endswith("policy.yaml")
    assert (diag.line, diag.yaml_path) == (line, yaml_path), diag.text()
    for word in words:
        assert word in diag.text(), diag.text()


def test_duplicate_rule_ids_are_an_error(tmp_path: Path) -> None:
    rule = "  - id: a\n    title: A\n    section: overview#identity\n    level: gold\n"
    result = load_policy(_write(tmp_path, "rules:\n" + rule + rule))
    assert result.policy is None
    (diag,) = result.diagnostics
    assert diag.line == 6 and "duplicate rule id 'a'" in diag.message


def test_missing_policy_file_is_a_clear_error(tmp_path: Path) -> None:
    result = load_policy(tmp_path / "nope.yaml")
    assert result.policy is None
    assert "does not exist" in result.diagnostics[0].message

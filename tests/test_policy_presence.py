"""What counts as present: placeholders, empty files, empty objects and lists."""

from __future__ import annotations

import pytest

from opsready.model import Backup, Step
from opsready.model.base import FileRef
from opsready.policy.presence import Placeholders, State, assess

P = Placeholders()


@pytest.mark.parametrize("text", [
    "TODO", "todo: ask the DBA", "TBD - waiting for ops", "FIXME", "fill me", "Fill me in",
    "Lorem ipsum dolor sit amet", "n/a", "N/A", "-", "?", "...", "**TBD**",
    "# Rollback\n\nTODO\n", "Real first line\n- TODO: second step", "<!-- x -->\nTBD",
])
def test_placeholders_count_as_placeholders(text: str) -> None:
    assert P.judge_text(text) is State.PLACEHOLDER


@pytest.mark.parametrize("text", [
    "", "   ", "# Only a heading\n", "<!-- a comment -->", "## A\n\n### B\n",
])
def test_blank_text_and_bare_headings_are_missing(text: str) -> None:
    assert P.judge_text(text) is State.MISSING


@pytest.mark.parametrize("text", [
    "Todos are tracked in Jira", "n/a because the service keeps no data", "None: no secrets",
    "Restart the pods", "# Rollback\n\nRedeploy the previous tag.",
])
def test_real_text_is_present(text: str) -> None:
    assert P.judge_text(text) is State.PRESENT


def test_placeholder_is_reported_at_the_exact_place() -> None:
    steps = [Step(title="Install"), Step(title="Configure", description="TBD")]
    found = assess(steps, P)
    assert found.state is State.PLACEHOLDER
    assert found.path == (1, "description")


def test_object_with_only_bookkeeping_is_missing() -> None:
    assert assess(Backup(last_reviewed="2026-01-01"), P).state is State.MISSING
    assert assess(Backup(schedule="hourly"), P).state is State.PRESENT


def test_empty_list_is_missing() -> None:
    assert assess([], P).state is State.MISSING


def test_empty_markdown_file_is_missing(tmp_path) -> None:
    (tmp_path / "empty.md").write_text("# Title only\n", encoding="utf-8")
    (tmp_path / "todo.md").write_text("# Title\n\nTODO\n", encoding="utf-8")
    (tmp_path / "real.md").write_text("# Title\n\nReal content.\n", encoding="utf-8")
    ctx = {"base_dir": str(tmp_path), "catalog_root": str(tmp_path)}
    empty = FileRef.model_validate({"file": "empty.md"}, context=ctx)
    todo = FileRef.model_validate({"file": "todo.md"}, context=ctx)
    real = FileRef.model_validate({"file": "real.md"}, context=ctx)
    found = assess(empty, P)
    assert found.state is State.MISSING and "empty.md" in found.detail
    assert assess(todo, P).state is State.PLACEHOLDER
    assert assess(real, P).state is State.PRESENT


def test_policy_word_lists_replace_the_defaults() -> None:
    custom = Placeholders(exact=["pending"], prefixes=["wip"])
    assert custom.judge_text("pending") is State.PLACEHOLDER
    assert custom.judge_text("WIP: rollback") is State.PLACEHOLDER
    assert custom.judge_text("TBD") is State.PRESENT

"""Gap placement as a pure function: findings (YAML path, status, message) and an immutable
positions map in, gaps with file and line out; no loader, no file."""

from __future__ import annotations

from opsready.catalog.positions import Positions, pack
from opsready.policy.file_format import Rule
from opsready.policy.placement import place_gaps
from opsready.policy.rule_kinds import Failure

RULE = Rule(id="on-call", title="On-call", section="runbook#on-call", level="silver",
            severity="critical", paths=["runbook.on_call"])


def _positions() -> Positions:
    # runbook: (line 3) / on_call: (line 4) / steps: (line 6) - {title: x} (line 7)
    keys = {("runbook",): pack(3, 1), ("runbook", "on_call"): pack(4, 3),
            ("runbook", "steps"): pack(6, 3)}
    values = {(): pack(1, 1), ("runbook",): pack(4, 3), ("runbook", "on_call"): pack(5, 5),
              ("runbook", "steps"): pack(7, 5), ("runbook", "steps", 0): pack(7, 7)}
    return Positions.from_paths(values, keys)


def test_findings_are_placed_at_the_key_of_their_nearest_written_ancestor() -> None:
    findings = [
        Failure(("runbook", "on_call", "primary"), "missing", "runbook.on_call.primary is "
                "missing"),
        Failure(("runbook", "steps", 0, "command"), "placeholder", "still TODO"),
        Failure(("runbook", "steps", 3), "incomplete", "item 3"),
        Failure(("architecture", "redundancy"), "missing", "not written at all"),
    ]
    gaps = place_gaps(RULE, findings, _positions(), "catalog/checkout.yaml")
    assert [(g.yaml_path, g.line, g.status) for g in gaps] == [
        ("runbook.on_call.primary", 4, "missing"),  # under on_call: its key's line
        ("runbook.steps[0].command", 7, "placeholder"),  # a list item: the item's line
        ("runbook.steps[3]", 6, "incomplete"),  # no such item: the list's key
        ("architecture.redundancy", 1, "missing"),  # nothing written: line 1
    ]
    first = gaps[0]
    assert (first.rule_id, first.title, first.section, first.level, first.severity) == (
        "on-call", "On-call", "runbook#on-call", "silver", "critical")
    assert first.file == "catalog/checkout.yaml"
    assert first.message == "runbook.on_call.primary is missing"
    assert first.hint == "fill in `runbook.on_call.primary` in catalog/checkout.yaml"


def test_the_rule_hint_wins_and_no_findings_place_nothing() -> None:
    rule = RULE.model_copy(update={"hint": "name the on-call team"})
    (gap,) = place_gaps(rule, [Failure(("runbook",), "missing", "m")], _positions(), "f.yaml")
    assert gap.hint == "name the on-call team" and gap.line == 3
    assert place_gaps(RULE, [], _positions(), "f.yaml") == ()

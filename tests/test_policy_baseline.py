"""The readiness baseline (``policy/baseline.py``): accepted debt, regressions, due dates,
removable entries, the file's validation and its comment-keeping edits, and ``opsready
baseline`` / ``opsready check`` on a small catalog."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from opsready.catalog.load import load_catalog
from opsready.cli.main import main
from opsready.output.site_files import Debt
from opsready.policy.baseline import (
    Baseline,
    BaselineEntry,
    apply_baseline,
    edit_file_text,
    load_baseline,
    new_file_text,
)
from opsready.policy.build_readiness import site_readiness
from opsready.policy.engine import evaluate
from opsready.policy.load import load_policy
from test_policy_support import TODAY, complete_service, two_service_catalog, write_catalog


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPSREADY_TODAY", TODAY.isoformat())


@pytest.fixture()
def catalog(tmp_path: Path) -> Path:
    return two_service_catalog(tmp_path / "catalog")


def _evaluate(catalog: Path, entries: list[BaselineEntry], today: dt.date = TODAY):  # type: ignore[no-untyped-def]
    result = load_catalog(catalog)
    policy = load_policy(None).policy
    assert policy is not None
    evaluation = evaluate(result.catalog, policy, today)
    outcome = apply_baseline(evaluation, Baseline(tuple(entries), Path("b.yaml"), "b.yaml"))
    return evaluation, outcome


def _entry(rule: str = "runbook-escalation", due: str = "2026-09-01",
           service: str = "broken") -> BaselineEntry:
    return BaselineEntry(service, rule, "bronze", "team-a", dt.date.fromisoformat(due),
                         "b.yaml", 7)


def test_a_baselined_gap_is_debt_not_a_failure(catalog: Path) -> None:
    evaluation, outcome = _evaluate(catalog, [])
    assert not evaluation.ok  # without the baseline, 'broken' fails
    evaluation, outcome = _evaluate(catalog, [_entry()])
    assert evaluation.ok
    broken = evaluation.services["broken"]
    assert broken.in_debt and not broken.below_required
    assert broken.achieved < broken.required  # the level is not raised: the debt shows
    assert [e.rule for e in outcome.accepted] == ["runbook-escalation"]
    assert not evaluation.diagnostics


def test_a_gap_not_in_the_baseline_still_fails(tmp_path: Path) -> None:
    broken = complete_service("broken")
    del broken["runbook"]["escalation"]
    del broken["architecture"]["overview"]  # a second gap: the regression
    catalog = write_catalog(tmp_path / "c", [broken])
    evaluation, _ = _evaluate(catalog, [_entry()])
    assert not evaluation.ok
    blocking = [r.rule.id for r in evaluation.services["broken"].blocking()]
    assert "runbook-escalation" not in blocking and blocking  # only the new gap blocks


def test_an_entry_past_its_due_date_fails_at_its_line(catalog: Path) -> None:
    evaluation, outcome = _evaluate(catalog, [_entry(due="2026-05-31")])
    assert not evaluation.ok
    assert [e.rule for e in outcome.overdue] == ["runbook-escalation"]
    (diag,) = evaluation.diagnostics
    assert (diag.file, diag.line, diag.severity) == ("b.yaml", 7, "error")
    assert "was due on 2026-05-31" in diag.message and "broken" in diag.message
    # the due date itself still counts
    assert _evaluate(catalog, [_entry(due=TODAY.isoformat())])[0].ok


def test_the_gaps_pages_flag_carry_their_entry(catalog: Path) -> None:
    """``gaps_for`` (what the pages ask) gives each gap its baseline entry: owner, due date,
    overdue, and whether it fails the build again; other gaps carry none."""
    evaluation, _ = _evaluate(catalog, [])
    (section,) = {g.section for g in evaluation.services["broken"].gaps}
    assert all(g.debt is None for g in evaluation.gaps_for("broken", section))
    note = BaselineEntry("broken", "runbook-escalation", "bronze", "team-a",
                         dt.date(2026, 9, 1), "b.yaml", 7, "PLAT-9")
    evaluation, _ = _evaluate(catalog, [note])
    gaps = evaluation.gaps_for("broken", section)
    assert gaps and {g.debt for g in gaps} == {Debt("team-a", "2026-09-01", note="PLAT-9")}
    assert [replace(g, debt=None) for g in gaps] == evaluation.services["broken"].gaps
    late, _ = _evaluate(catalog, [_entry(due="2026-05-31")])
    assert {g.debt for g in late.gaps_for("broken", section)} == {
        Debt("team-a", "2026-05-31", overdue=True, fails_build=True)}
    # overdue on a service whose lifecycle is not enforced: overdue, but it fails nothing
    lab = complete_service("lab", tier=2)
    lab["lifecycle"] = "experimental"
    del lab["runbook"]["escalation"]
    result = load_catalog(write_catalog(catalog.parent / "lab", [lab]))
    policy = load_policy(None).policy
    assert policy is not None
    lab_eval = evaluate(result.catalog, policy, TODAY)
    apply_baseline(lab_eval, Baseline((_entry(due="2026-05-31", service="lab"),)))
    assert {g.debt for g in lab_eval.gaps_for("lab", section)} == {
        Debt("team-a", "2026-05-31", overdue=True, fails_build=False)}


def test_fixed_entries_are_removable(catalog: Path) -> None:
    evaluation, outcome = _evaluate(catalog, [_entry(), _entry("arch-overview"),
                                              _entry(service="gone")])
    assert evaluation.ok
    assert sorted((e.service, e.rule) for e in outcome.removable) == [
        ("broken", "arch-overview"), ("gone", "runbook-escalation")]
    assert {d.severity for d in evaluation.diagnostics} == {"notice"}


def test_site_readiness_is_the_one_verdict(catalog: Path, tmp_path: Path) -> None:
    path = tmp_path / "readiness-baseline.yaml"
    path.write_text(new_file_text([_entry()]), encoding="utf-8")
    result = load_catalog(catalog)
    readiness = site_readiness(result.catalog, None, TODAY, baseline_path=path)
    assert readiness.evaluation is not None and readiness.evaluation.ok
    assert not readiness.below_required
    assert "1 below it with gaps the baseline accepts" in readiness.summary()
    late = site_readiness(result.catalog, None, dt.date(2026, 10, 1), baseline_path=path)
    assert late.below_required
    assert "readiness-baseline.yaml:7: broken [runbook-escalation] was due on 2026-09-01" in (
        late.summary())


@pytest.mark.parametrize(("text", "where", "expected"), [
    ("entries:\n  - service: a\n    rule: r\n    level: bronze\n    due: 2026-01-01\n",
     "entries[0].owner", "missing"),
    ("entries:\n  - service: a\n    rule: r\n    level: platinum\n    owner: t\n"
     "    due: 2026-01-01\n", "entries[0].level", "bronze"),
    ("entries:\n  - service: a\n    rule: r\n    level: gold\n    owner: t\n    due: soon\n",
     "entries[0].due", "date"),
    ("entries:\n  - {service: a, rule: r, level: gold, owner: t, due: 2026-01-01}\n"
     "  - {service: a, rule: r, level: gold, owner: u, due: 2026-01-01}\n",
     "entries[1]", "second entry"),
    ("entires: []\n", "entires", "entries"),
])
def test_bad_baseline_files_name_file_line_and_what_was_expected(
        tmp_path: Path, text: str, where: str, expected: str) -> None:
    path = tmp_path / "readiness-baseline.yaml"
    path.write_text(text, encoding="utf-8")
    baseline, diags = load_baseline(path)
    assert baseline is None and diags
    assert any(d.yaml_path == where and expected in (d.message + d.hint) for d in diags), diags
    assert all(d.file.endswith("readiness-baseline.yaml") and d.line >= 1 for d in diags)


def test_missing_file_is_no_baseline_unless_named(tmp_path: Path) -> None:
    assert load_baseline(tmp_path / "nope.yaml")[0] == Baseline(
        path=tmp_path / "nope.yaml", display=load_baseline(tmp_path / "nope.yaml")[0].display)  # type: ignore[union-attr]
    baseline, diags = load_baseline(tmp_path / "nope.yaml", required=True)
    assert baseline is None and "does not exist" in diags[0].message


def test_edits_keep_comments_and_indentation() -> None:
    text = ("# reviewed by the platform team\nversion: 1\nentries:\n"
            "    # legacy services\n"
            "    - service: a   # keep\n      rule: r1\n      level: bronze\n      owner: t\n"
            "      due: 2026-01-01\n\n"
            "    - service: b\n      rule: r2\n      level: silver\n      owner: t\n"
            "      due: 2026-02-01\n"
            "# trailing comment\n")
    edited = edit_file_text(text, [_entry("x", service="c")], [("a", "r1")])
    assert "# reviewed by the platform team" in edited and "# trailing comment" in edited
    assert "# legacy services" in edited and "service: a" not in edited
    assert "    - service: c\n      rule: x\n" in edited
    data = yaml.safe_load(edited)
    assert [(e["service"], e["rule"]) for e in data["entries"]] == [("b", "r2"), ("c", "x")]
    emptied = edit_file_text(edited, [], [("b", "r2"), ("c", "x")])
    assert yaml.safe_load(emptied)["entries"] == []
    assert "# reviewed by the platform team" in emptied
    refilled = edit_file_text(emptied, [_entry()], [])
    assert yaml.safe_load(refilled)["entries"][0]["service"] == "broken"


def test_baseline_command_then_check(catalog: Path, tmp_path: Path, capsys,  # type: ignore[no-untyped-def]
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    baseline = tmp_path / "readiness-baseline.yaml"  # beside the catalog folder: the default
    assert main(["check", str(catalog)]) == 1  # cached: a new baseline must change the key
    assert main(["baseline", str(catalog), "--due", "30"]) == 0
    out = capsys.readouterr().out
    assert "1 added" in out and "broken" in out
    entry = yaml.safe_load(baseline.read_text(encoding="utf-8"))["entries"][0]
    assert entry == {"service": "broken", "rule": "runbook-escalation", "level": "bronze",
                     "owner": "team-a", "due": dt.date(2026, 7, 1)}
    assert main(["check", str(catalog)]) == 0
    capsys.readouterr()
    assert main(["scorecard", str(catalog), "--format", "json"]) in (0, 1)
    monkeypatch.setenv("OPSREADY_TODAY", "2026-07-02")
    assert main(["check", str(catalog)]) == 1  # cached outcome of another day is not reused
    out = capsys.readouterr().out
    assert "readiness-baseline.yaml:" in out and "was due on 2026-07-01" in out
    # fixed: the entry is reported as removable, and --prune removes it
    monkeypatch.setenv("OPSREADY_TODAY", TODAY.isoformat())
    fixed = complete_service("broken")
    (catalog / "broken.yaml").write_text(json.dumps(fixed), encoding="utf-8")
    assert main(["baseline", str(catalog)]) == 0
    assert "can be removed" in capsys.readouterr().out
    assert main(["baseline", str(catalog), "--prune"]) == 0
    assert yaml.safe_load(baseline.read_text(encoding="utf-8"))["entries"] == []


def test_scorecard_shows_debt_with_dates(catalog: Path) -> None:
    from opsready.scorecard.data import build_scorecard
    from opsready.scorecard.page import scorecard_markdown
    from opsready.scorecard.text import table_text

    result = load_catalog(catalog)
    evaluation, _ = _evaluate(catalog, [_entry()])
    sc = build_scorecard(evaluation, result.catalog)
    broken = next(s for s in sc["services"] if s["id"] == "broken")
    assert broken["in_debt"] and not broken["below_required"]
    assert broken["debt"] == [{"rule": "runbook-escalation", "level": "bronze",
                               "owner": "team-a", "due": "2026-09-01", "overdue": False}]
    assert sc["summary"]["debt"] == 1 and sc["summary"]["in_debt"] == 1
    page = scorecard_markdown(sc)
    assert "## Readiness debt" in page
    assert "| runbook-escalation | bronze | team-a | 2026-09-01 |" in page
    assert "below (baselined)" in table_text(sc)
    late, _ = _evaluate(catalog, [_entry(due="2026-05-01")])
    page = scorecard_markdown(build_scorecard(late, result.catalog))
    assert "**2026-05-01 (overdue)**" in page
    # without a baseline: no debt section
    plain, _ = _evaluate(catalog, [])
    assert "Readiness debt" not in scorecard_markdown(build_scorecard(plain, result.catalog))


def test_matrix_cells_say_debt_or_overdue_with_the_date(tmp_path: Path) -> None:
    """A deliverable whose failing rules all have a baseline entry says ``debt`` (``overdue``
    past the date) with the date, through the gaps' own entries (``Gap.debt``); one failing
    rule without an entry keeps it a plain ``fail``; passing cells do not change."""
    from opsready.scorecard.data import build_scorecard
    from opsready.scorecard.page import matrix_cell, scorecard_markdown

    broken = complete_service("broken")
    del broken["runbook"]["escalation"]  # bronze rule
    del broken["runbook"]["on_call"]  # silver rule: tier 1 needs gold, both block
    small = complete_service("small", tier=3, owner="team-b")
    del small["architecture"]["redundancy"]  # gold rule: next level for tier 3
    catalog = write_catalog(tmp_path / "catalog", [broken, small])
    result = load_catalog(catalog)

    def cells(*entries: BaselineEntry) -> tuple[dict[str, Any], dict[str, Any], str]:
        evaluation, _ = _evaluate(catalog, list(entries))
        sc = build_scorecard(evaluation, result.catalog)
        by_id = {s["id"]: s["deliverables"] for s in sc["services"]}
        return by_id["broken"]["NOC runbook"], by_id["small"], scorecard_markdown(sc)

    on_call = _entry("runbook-on-call", due="2026-08-01")
    noc, small_cells, _page = cells(_entry(due="2026-09-01"))
    assert noc["status"] == "fail" and noc["debt"] is None  # on-call has no entry
    assert matrix_cell(noc, "t") == "[fail](t)"
    noc, small_cells, page = cells(_entry(due="2026-09-01"), on_call)
    assert noc["debt"] == {"due": "2026-08-01", "overdue": False}  # the earliest date
    assert matrix_cell(noc, "t") == ('[debt](t) <small class="opsready-due"><span>2026-</span>'
                                     "<wbr><span>08-01</span></small>")
    assert "| [debt](../services/broken/runbook.md#" in page
    assert small_cells["Architecture design"]["next_level"] is True
    assert small_cells["Architecture design"]["debt"] is None
    passing = small_cells["NOC runbook"]
    assert passing["debt"] is None and matrix_cell(passing, "t") == "[pass](t)"
    # one entry past its date: overdue, with that date (not the later one)
    noc, _small, _page = cells(_entry(due="2026-09-01"), _entry("runbook-on-call",
                                                                 due="2026-05-01"))
    assert noc["debt"] == {"due": "2026-05-01", "overdue": True}
    assert matrix_cell(noc, "t").startswith("[overdue](t) ")
    # a next-level gap with an entry: the entry is what the cell says
    _noc, small_cells, _page = cells(_entry("arch-redundancy", due="2026-07-01",
                                            service="small"))
    assert small_cells["Architecture design"]["debt"] == {"due": "2026-07-01", "overdue": False}
    # the date is the baseline's data: neutralised, never HTML or Markdown
    odd = {"status": "fail", "debt": {"due": "<b>2026</b>-{{ x }}|*", "overdue": False}}
    text = matrix_cell(odd, "t")
    assert "<b>" not in text and "{{" not in text and "|" not in text and "*" not in text

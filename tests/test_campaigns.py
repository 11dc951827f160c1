"""Campaigns in the policy: validation with file and line, ``check`` warning before the due date
and failing after it (naming services, gaps and owners), and the campaign JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from history_support import policy_text, write_state
from opsready.catalog.load import load_catalog
from opsready.cli.main import main
from opsready.policy.campaigns import campaigns_document
from opsready.policy.engine import evaluate
from opsready.policy.load import load_policy

TODAY = "2026-06-01"
CAMPAIGNS = """campaigns:
  - id: tier1-gold
    name: Every tier-1 service at gold
    goal: {level: gold}
    select: {tiers: [1]}
    owner: platform
    due: 2026-05-01
  - id: repositories
    name: A repository everywhere
    goal: {rules: [has-repository]}
    owner: alice
    due: 2026-06-08
    warn_days: 10
  - id: blue-tags
    name: Blue tags
    goal: {rules: [has-tags]}
    select: {teams: [blue]}
    owner: bob
    due: 2026-12-31
"""


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("OPSREADY_TODAY", TODAY)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    # alpha (tier 1, red): silver; beta (tier 2, red): no repository; gamma (tier 3, blue): gold.
    write_state(tmp_path, 1, {"alpha": {"repo", "tags"}, "beta": {"tags"},
                              "gamma": {"repo", "tags", "tickets"}})
    (tmp_path / "policy.yaml").write_text(policy_text("gold") + CAMPAIGNS, encoding="utf-8")
    return tmp_path


def test_overdue_campaign_fails_check_naming_services_gaps_owner_and_line(site: Path,
                                                                           capsys) -> None:  # type: ignore[no-untyped-def]
    policy = site / "policy.yaml"
    # Every service at its own required level but alpha: only the campaigns decide.
    assert main(["check", str(site / "catalog"), "--policy", str(policy), "--no-cache",
                 "--format", "json"]) == 1
    diags = [d for d in json.loads(capsys.readouterr().out) if d["code"] == "campaign"]
    by_path = {d["yaml_path"]: d for d in diags}
    overdue = by_path["campaigns[0]"]
    assert overdue["severity"] == "error"
    assert overdue["file"].endswith("policy.yaml")
    lines = policy.read_text(encoding="utf-8").splitlines()
    assert lines[overdue["line"] - 1].strip() == "- id: tier1-gold"
    assert "was due 2026-05-01 (31 days ago)" in overdue["message"]
    assert "1 of 1 services still short: alpha (team red, at silver: has-tickets)" in \
        overdue["message"]
    assert "platform" in overdue["hint"]
    soon = by_path["campaigns[1]"]
    assert soon["severity"] == "warning"
    assert "is due 2026-06-08 (in 7 days)" in soon["message"]
    assert "1 of 3 services still short: beta (team red, at none: has-repository)" in \
        soon["message"]
    assert "campaigns[2]" not in by_path  # met (gamma has tags)


def test_a_campaign_due_next_week_only_warns(site: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    policy = site / "policy.yaml"
    # Tier 1 needs only silver here: the gold campaign is the one thing asking for more.
    policy.write_text(policy_text("gold").replace("{1: gold", "{1: silver")
                      + CAMPAIGNS.replace("due: 2026-05-01", "due: 2026-06-08"),
                      encoding="utf-8")
    (site / "catalog" / "alpha.yaml").write_text(
        (site / "catalog" / "alpha.yaml").read_text(encoding="utf-8")
        + "release:\n  tickets:\n    - {id: A-1, title: Launch}\n", encoding="utf-8")
    (site / "catalog" / "beta.yaml").write_text(
        (site / "catalog" / "beta.yaml").read_text(encoding="utf-8")
        .replace("tags: [core]", "tags: [core]\nrepository: https://git.example.com/b"),
        encoding="utf-8")
    assert main(["check", str(site / "catalog"), "--policy", str(policy), "--no-cache"]) == 0
    # Now nothing is short: no campaign diagnostic at all.
    assert "campaign" not in capsys.readouterr().out
    (site / "catalog" / "alpha.yaml").write_text(
        (site / "catalog" / "alpha.yaml").read_text(encoding="utf-8").split("release:")[0],
        encoding="utf-8")
    assert main(["check", str(site / "catalog"), "--policy", str(policy), "--no-cache"]) == 0
    out = capsys.readouterr().out
    assert "warning [campaign]" in out and "'tier1-gold'" in out and "in 7 days" in out


def test_campaign_document(site: Path) -> None:
    result = load_catalog(site / "catalog")
    loaded = load_policy(site / "policy.yaml")
    assert loaded.policy is not None
    import datetime as dt

    doc = campaigns_document(evaluate(result.catalog, loaded.policy, dt.date(2026, 6, 1)))
    assert doc["schema"] == "opsready-campaigns/1"
    first, second, third = doc["campaigns"]
    assert (first["id"], first["state"], first["selected"], first["done"]) == (
        "tier1-gold", "overdue", 1, 0)
    assert first["short"] == [{"service": "alpha", "name": "Alpha", "team": "red",
                               "level": "silver", "gaps": ["has-tickets"]}]
    assert (second["state"], second["percent"], second["days_left"]) == ("due-soon", 66.7, 7)
    assert (third["state"], third["selected"], third["percent"]) == ("met", 1, 100.0)


@pytest.mark.parametrize(("entry", "path", "expected"), [
    ("  - {id: c, name: C, owner: o, due: 2026-01-01, goal: {}}", "campaigns[0].goal",
     "exactly one of them"),
    ("  - {id: c, name: C, owner: o, due: someday, goal: {level: gold}}", "campaigns[0].due",
     "valid date"),
    ("  - {id: c, name: C, owner: o, due: 2026-01-01, goal: {level: platinum}}",
     "campaigns[0].goal.level", "bronze"),
    ("  - {id: c, name: C, owner: o, due: 2026-01-01, goal: {rules: [has-tag]}}",
     "campaigns[0].goal.rules[0]", "did you mean 'has-tags'"),
    ("  - {id: c, name: C, due: 2026-01-01, goal: {level: gold}}", "campaigns[0].owner",
     "owner"),
    ("  - {id: c, name: C, owner: o, due: 2026-01-01, goal: {level: gold}, "
     "select: {tier: [1]}}", "campaigns[0].select", "tier"),
])
def test_bad_campaigns_are_reported_with_file_line_and_path(tmp_path: Path, entry: str,
                                                            path: str, expected: str) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(policy_text("gold") + "campaigns:\n" + entry + "\n", encoding="utf-8")
    loaded = load_policy(policy)
    assert loaded.policy is None
    diag = next(d for d in loaded.diagnostics if d.yaml_path.startswith(path))
    assert diag.file.endswith("policy.yaml")
    assert diag.line == len(policy_text("gold").splitlines()) + 2
    assert expected in diag.message + diag.hint

"""Scorecard data, JSON, badges, page Markdown and comparisons, from hand-made catalogs."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from opsready.catalog.load import load_catalog
from opsready.output.site_paths import SitePaths
from opsready.policy import evaluate, load_policy
from opsready.scorecard import (
    SCHEMA,
    build_scorecard,
    compare_scorecards,
    load_scorecard_json,
    scorecard_files,
    scorecard_markdown,
    service_badge,
)
from opsready.scorecard.data import combine_status
from opsready.scorecard.text import comparison_text, markdown_text, table_text
from test_policy_support import TODAY, complete_service, write_catalog


def _fleet(tmp_path: Path) -> tuple[Any, Any]:
    gold = complete_service("gold-svc")
    below = complete_service("below-svc", tier=2, owner="team-b")
    below["name"] = "Below | <b>bold</b> {{ x }}"
    del below["runbook"]["on_call"]  # silver rule: tier 2 needs silver
    lab = complete_service("lab", tier=3, owner="team-b")
    lab["lifecycle"] = "experimental"
    del lab["runbook"]
    root = write_catalog(tmp_path / "catalog", [gold, below, lab])
    result = load_catalog(root)
    assert result.ok, [d.text() for d in result.diagnostics]
    policy = load_policy().policy
    assert policy is not None
    return result.catalog, evaluate(result.catalog, policy, TODAY)


@pytest.fixture()
def fleet(tmp_path: Path) -> tuple[Any, Any, dict[str, Any]]:
    catalog, ev = _fleet(tmp_path)
    return catalog, ev, build_scorecard(ev, catalog)


def test_scorecard_shape_and_verdicts(fleet) -> None:  # type: ignore[no-untyped-def]
    _catalog, ev, sc = fleet
    assert sc["schema"] == SCHEMA and sc["date"] == TODAY.isoformat()
    by_id = {s["id"]: s for s in sc["services"]}
    assert list(by_id) == ["below-svc", "gold-svc", "lab"]
    assert (by_id["gold-svc"]["achieved"], by_id["gold-svc"]["meets_required"]) == ("gold", True)
    below = by_id["below-svc"]
    assert (below["required"], below["achieved"], below["below_required"]) == ("silver",
                                                                              "bronze", True)
    assert below["rules"]["runbook-on-call"] == "fail"
    assert [g["rule"] for g in below["gaps"]] == ["runbook-on-call"]
    assert below["deliverables"]["NOC runbook"] == {
        "status": "fail", "section": "runbook#on-call",
        "rules": ["runbook-escalation", "runbook-severity-scale", "runbook-alert-entries",
                  "runbook-on-call", "runbook-routine-checks", "runbook-maintenance"],
        "next_level": False, "debt": None}  # the silver gap keeps a tier-1 service below
    # silver: blocking
    lab = by_id["lab"]
    assert (lab["enforced"], lab["below_required"], lab["achieved"]) == (False, False, "none")
    assert sc["summary"]["below_required"] == 1 and sc["summary"]["not_enforced"] == 1
    assert sc["summary"]["levels"] == {"none": 1, "bronze": 1, "silver": 0, "gold": 1}
    teams = {t["id"]: t for t in sc["teams"]}
    assert teams["team-b"]["services"] == 2 and teams["team-b"]["below_required"] == 1
    assert by_id["gold-svc"]["url"] == "services/gold-svc/"
    assert len(ev.services["gold-svc"].results) == by_id["gold-svc"]["applicable"]


def test_combine_status_worst_first() -> None:
    assert combine_status(["pass", "fail", "stale"]) == "fail"
    assert combine_status(["pass", "stale"]) == "stale"
    assert combine_status(["pass", "exempt", "na"]) == "exempt"
    assert combine_status(["na", "na"]) == "na"
    assert combine_status(["pass", "na"]) == "pass"


def test_badges_are_valid_svg_and_say_the_level(fleet) -> None:  # type: ignore[no-untyped-def]
    _catalog, _ev, sc = fleet
    by_id = {s["id"]: s for s in sc["services"]}
    gold = ET.fromstring(service_badge(by_id["gold-svc"]))
    texts = [t.text for t in gold.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == ["readiness", "gold"]
    below = ET.fromstring(service_badge(by_id["below-svc"]))
    assert [t.text for t in below.iter("{http://www.w3.org/2000/svg}text")][1] == "bronze < silver"
    assert 'fill="#c0392b"' in service_badge(by_id["below-svc"])


def test_page_markdown_escapes_catalog_values_and_links_sections(fleet) -> None:  # type: ignore[no-untyped-def]
    _catalog, _ev, sc = fleet
    page = scorecard_markdown(sc, SitePaths())
    assert "render_macros: false" in page
    assert "<b>" not in page and "{{" not in page
    row = next(line for line in page.splitlines() if "services/below-svc/index.md)" in line)
    assert row.count(" | ") == 8  # the '|' in the name did not add a column
    assert "[1](../services/below-svc/runbook.md#on-call)" in page
    assert "[fail](../services/below-svc/runbook.md#on-call)" in page
    assert '<script src="scorecard.js"></script>' in page


def test_published_files(fleet) -> None:  # type: ignore[no-untyped-def]
    catalog, ev, _sc = fleet
    sc, files = scorecard_files(ev, catalog, SitePaths("docs-prefix"))
    paths = {f.src_path: f for f in files}
    assert set(paths) == {
        "docs-prefix/scorecard/index.md", "docs-prefix/scorecard/scorecard.json",
        "docs-prefix/scorecard/badges/gold-svc.svg", "docs-prefix/scorecard/badges/below-svc.svg",
        "docs-prefix/scorecard/badges/lab.svg", "docs-prefix/scorecard/scorecard.js",
        "docs-prefix/scorecard/scorecard.css"}
    data = json.loads(paths["docs-prefix/scorecard/scorecard.json"].content)  # type: ignore[arg-type]
    assert data == json.loads(json.dumps(sc))
    assert "function" in paths["docs-prefix/scorecard/scorecard.js"].content  # type: ignore[operator]


def test_compare_scorecards(fleet, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _catalog, _ev, new = fleet
    old = copy.deepcopy(new)
    old_below = next(s for s in old["services"] if s["id"] == "below-svc")
    old_below["rules"]["runbook-on-call"] = "pass"
    old_below["achieved"] = "silver"
    old_gold = next(s for s in old["services"] if s["id"] == "gold-svc")
    old_gold["rules"]["arch-redundancy"] = "fail"
    old["services"].append({**old_gold, "id": "gone", "name": "Gone"})
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    cmp = compare_scorecards(load_scorecard_json(path), new)
    by_id = {c.id: c for c in cmp.changes}
    assert by_id["below-svc"].direction == "worse"
    assert [(r.rule, r.old, r.new) for r in by_id["below-svc"].worse] == [
        ("runbook-on-call", "pass", "fail")]
    assert by_id["gold-svc"].direction == "better"
    assert cmp.removed == ["gone"] and cmp.added == []
    assert cmp.to_dict()["regressed"] == ["below-svc"]
    text = comparison_text(cmp)
    assert "below-svc: worse: silver -> bronze" in text and "-runbook-on-call" in text


def test_load_scorecard_json_rejects_other_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "something-else"}', encoding="utf-8")
    with pytest.raises(ValueError, match="not an opsready scorecard"):
        load_scorecard_json(bad)
    bad.write_text("{nope", encoding="utf-8")
    with pytest.raises(ValueError, match="not valid JSON"):
        load_scorecard_json(bad)


def test_table_and_markdown_text(fleet) -> None:  # type: ignore[no-untyped-def]
    _catalog, _ev, sc = fleet
    table = table_text(sc)
    assert table.splitlines()[0].split() == ["SERVICE", "TIER", "TEAM", "REQUIRED", "ACHIEVED",
                                             "STATUS", "PASSED", "GAPS"]
    assert "BELOW" in next(line for line in table.splitlines() if line.startswith("below-svc"))
    md = markdown_text(sc)
    assert "❌ **below**" in md and "`runbook-on-call` `runbook.on_call`" in md
    assert "<b>" not in md

"""Policy packs: enabled for a site, some services or some tiers, their rules apply; not
enabled, they do not; each pack documents the checklist items it covers."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import markdown
import pytest
from bs4 import BeautifulSoup

from corpora import corpus
from opsready.catalog.load import load_catalog
from opsready.output.site_paths import SitePaths
from opsready.pages import RenderInputs, TemplateSet, generate_pages
from opsready.policy.docs import packs_markdown
from opsready.policy.engine import Evaluation, evaluate
from opsready.policy.file_format import pack_names
from opsready.policy.levels import Level
from opsready.policy.load import load_policy
from opsready.policy.packs import load_pack
from test_policy_support import TODAY, complete_service, write_catalog

PACKS = ("api", "data", "delivery", "kubernetes-runtime")


def _pack_rule_ids(name: str) -> set[str]:
    pack, diags = load_pack(name)
    assert pack is not None, diags
    return {r.id for r in pack.rules}


ALL_PACK_RULES = set().union(*(_pack_rule_ids(p) for p in PACKS))


def _with_pack_fields(service: dict[str, Any]) -> dict[str, Any]:
    ops = service.setdefault("operations", {})
    ops["runtime"] = {"graceful_shutdown": "Stops accepting, drains for 20 s, then exits.",
                      "pre_stop": "sleep 10", "run_as_non_root": True}
    for res in ops.get("resources") or []:
        res.update({"cpu": "500m", "memory": "512Mi"})
    ops["dead_letter"] = "Failed settlements go to settle.dlq; the on-call replays them."
    ops.setdefault("backup", {}).update({
        "point_in_time_recovery": "WAL archiving: any second of the last 7 days.",
        "monitoring": "Alert BackupMissing fires when no backup finished in 26 h."})
    release = service.setdefault("release", {})
    release["delivery"] = {"strategy": "canary", "zero_downtime": True,
                           "automated_rollback": True, "pinned_images": True,
                           "build_pipeline": "https://ci.example/pipelines/payments",
                           "dependency_updates": "Renovate, weekly"}
    release.setdefault("deployment_plan", {})["migrations"] = (
        "Expand-and-contract migrations with the migration tool, before the deploy.")
    guide = service.setdefault("service_guide", {})
    guide["rate_limits"] = "100 requests/s per client; 429 with Retry-After above."
    guide["api_versioning"] = "/v1 and /v2 in the path; a version lives 12 months."
    for dep in service.get("architecture", {}).get("dependencies", []):
        dep.update({"timeout": "2 s", "retries": "3 attempts, exponential back-off"})
    return service


def _evaluate(tmp_path: Path, services: list[dict[str, Any]], policy: str | None) -> Evaluation:
    root = write_catalog(tmp_path / "catalog", services)
    result = load_catalog(root)
    assert result.ok, [d.text() for d in result.diagnostics]
    path = None
    if policy is not None:
        path = tmp_path / "policy.yaml"
        path.write_text(policy, encoding="utf-8")
    loaded = load_policy(path)
    assert loaded.policy is not None, [d.text() for d in loaded.diagnostics]
    return evaluate(result.catalog, loaded.policy, TODAY)


def _applied(ev: Evaluation, sid: str) -> dict[str, str]:
    return {r.rule.id: r.status for r in ev.services[sid].results}


def test_the_four_packs_ship_and_load() -> None:
    assert set(PACKS) <= set(pack_names())
    assert len(ALL_PACK_RULES) == 18


def test_packs_not_enabled_add_no_rule(tmp_path: Path) -> None:
    ev = _evaluate(tmp_path, [complete_service("pay")], None)
    assert not set(_applied(ev, "pay")) & ALL_PACK_RULES
    assert ev.services["pay"].achieved is Level.GOLD


def test_enabled_packs_apply_and_pass_only_with_their_fields(tmp_path: Path) -> None:
    policy = "packs: [api, data, delivery, kubernetes-runtime]\n"
    bare = _evaluate(tmp_path / "a", [complete_service("pay")], policy)
    applied = _applied(bare, "pay")
    assert set(applied) >= ALL_PACK_RULES
    assert {rid for rid in ALL_PACK_RULES if applied[rid] == "fail"} == ALL_PACK_RULES
    assert bare.services["pay"].achieved is Level.NONE  # k8s-non-root etc. are bronze
    done = _evaluate(tmp_path / "b", [_with_pack_fields(complete_service("pay"))], policy)
    assert {rid: s for rid, s in _applied(done, "pay").items() if s != "pass"} == {}
    assert done.services["pay"].achieved is Level.GOLD


def test_a_pack_for_some_services_or_tiers_only(tmp_path: Path) -> None:
    policy = ("packs:\n  - {pack: data, services: [ledger]}\n"
              "  - {pack: delivery, tiers: [1]}\n")
    ev = _evaluate(tmp_path, [complete_service("ledger", tier=2),
                              complete_service("pay", tier=1)], policy)
    data, delivery = _pack_rule_ids("data"), _pack_rule_ids("delivery")
    assert data <= set(_applied(ev, "ledger")) and not data & set(_applied(ev, "pay"))
    assert delivery <= set(_applied(ev, "pay")) and not delivery & set(_applied(ev, "ledger"))


def test_data_rules_follow_the_stateful_flag_and_accept_not_applicable(tmp_path: Path) -> None:
    stateless = complete_service("edge", stateful=False)
    stateful = _with_pack_fields(complete_service("ledger"))
    stateful["operations"].pop("dead_letter")
    stateful["operations"]["not_applicable_parts"] = {
        "dead_letter": "No queues: every call is synchronous."}
    ev = _evaluate(tmp_path, [stateless, stateful], "packs: [data]\n")
    assert not _pack_rule_ids("data") & set(_applied(ev, "edge"))
    assert _applied(ev, "ledger")["data-dead-letter"] == "na"


def test_site_rules_replace_and_disable_pack_rules(tmp_path: Path) -> None:
    policy = """\
packs: [kubernetes-runtime]
disable: [k8s-pre-stop]
rules:
  - {id: k8s-non-root, title: Non-root (gold here), section: architecture#network,
     level: gold, check: value, path: operations.runtime.run_as_non_root, equals: true}
"""
    ev = _evaluate(tmp_path, [complete_service("pay")], policy)
    by_id = {r.rule.id: r.rule for r in ev.services["pay"].results}
    assert "k8s-pre-stop" not in by_id and by_id["k8s-non-root"].level == "gold"


@pytest.mark.parametrize(("text", "message"), [
    ("packs: [kubernetes]\n", "did you mean 'kubernetes-runtime'"),
    ("packs: [api, {pack: api, tiers: [1]}]\n", "pack 'api' is enabled twice"),
    ("packs: [{pack: data, services: [Bad_Id]}]\n", "packs[0]"),
])
def test_bad_pack_settings_are_reported_with_their_place(tmp_path: Path, text: str,
                                                         message: str) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_policy(path)
    assert loaded.policy is None
    assert any(message in d.text() and d.file.endswith("policy.yaml") and d.line == 1
               for d in loaded.diagnostics), [d.text() for d in loaded.diagnostics]



COVERAGE = corpus("checklist-coverage.tsv")


@pytest.mark.skipif(COVERAGE is None, reason="shared/corpora/checklist-coverage.tsv is absent")
def test_packs_cover_checklist_items_the_default_policy_lacks() -> None:
    assert COVERAGE is not None
    with COVERAGE.open(encoding="utf-8") as handle:
        rows = {(r["source"], r["item"]): r["class"]
                for r in csv.DictReader(handle, delimiter="\t")}
    for name in PACKS:
        pack, _ = load_pack(name)
        assert pack is not None
        covered: set[str] = set()
        for cover in pack.covers:
            assert (cover.source, cover.item) in rows, (name, cover.item)
            assert rows[(cover.source, cover.item)] != "rule"  # the default had no rule for it
            assert set(cover.rules) <= {r.id for r in pack.rules}
            covered |= set(cover.rules)
        assert covered == {r.id for r in pack.rules}, name  # every rule answers an item


def test_pack_documentation_lists_items_and_rules() -> None:
    text = packs_markdown()
    for name in PACKS:
        pack, _ = load_pack(name)
        assert pack is not None
        assert f"`{name}`" in text
        for rule in pack.rules:
            assert f"`{rule.id}`" in text
    assert "Graceful shutdown" in text and "mercari-pre" in text


# --- the pack fields on the generated pages ------------------------------------------------------


def _pages(tmp_path: Path, services: list[dict[str, Any]],
           templates: TemplateSet) -> dict[str, BeautifulSoup]:
    root = write_catalog(tmp_path / "catalog", services)
    result = load_catalog(root)
    assert result.ok, [d.text() for d in result.diagnostics]
    inputs = RenderInputs(result.catalog, SitePaths())  # type: ignore[call-arg]
    out = {}
    for page in generate_pages(templates, inputs):
        body = str(page.content).split("\n---\n", 1)[1]
        out[page.src_path] = BeautifulSoup(markdown.markdown(
            body, extensions=["tables", "attr_list", "toc", "admonition"]), "html.parser")
    return out


def _section_text(doc: BeautifulSoup, anchor: str) -> str:
    heading = doc.find(id=anchor)
    assert heading is not None, anchor
    parts = []
    for node in heading.find_next_siblings():
        if node.name == "h2":
            break
        parts.append(node.get_text(" ", strip=True))
    return " ".join(parts)


def test_pack_fields_show_in_their_sections(tmp_path: Path,
                                           packaged_templates: TemplateSet) -> None:
    full = _with_pack_fields(complete_service("pay"))
    only = {"id": "lean", "name": "Lean", "description": "Small.", "tier": 3,
            "lifecycle": "production", "owner": "team-a",
            "operations": {"runtime": {"pre_stop": "sleep 5"}},
            "release": {"delivery": {"strategy": "rolling"}},
            "service_guide": {"rate_limits": "10 requests/s per client."}}
    pages = _pages(tmp_path, [full, only], packaged_templates)
    handbook = pages["services/pay/operators-handbook.md"]
    assert "drains for 20 s" in _section_text(handbook, "degradation")
    assert "settle.dlq" in _section_text(handbook, "degradation")
    assert "WAL archiving" in _section_text(handbook, "backup")
    assert "BackupMissing" in _section_text(handbook, "backup")
    overview = _section_text(pages["services/pay/index.md"], "deployment-plan")
    assert "canary" in overview and "Renovate" in overview and "Expand-and-contract" in overview
    assert "Retry-After" in _section_text(pages["services/pay/service-guide.md"],
                                          "api-reference")
    deps = _section_text(pages["services/pay/architecture.md"], "dependencies")
    assert "exponential back-off" in deps
    # A service with pack fields only: the sections show them, nothing breaks.
    assert "sleep 5" in _section_text(pages["services/lean/operators-handbook.md"],
                                      "degradation")
    assert "rolling" in _section_text(pages["services/lean/index.md"], "deployment-plan")
    assert "10 requests/s" in _section_text(pages["services/lean/service-guide.md"],
                                            "api-reference")

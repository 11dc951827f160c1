"""A new service is guided: names, near team names, one report per misspelt key, a YAML example
of the expected shape in hints, and ``opsready explain``."""

from __future__ import annotations

from pathlib import Path

import pytest

from opsready.catalog.validate import validate_file
from opsready.catalog.yaml_loader import load_yaml
from opsready.cli.explain import explain_text
from opsready.cli.main import main
from opsready.cli.new_service import NewService, check_new, display_name
from opsready.model import Service
from opsready.policy.examples import example_for_path, gap_example
from opsready.policy.load import load_policy
from test_policy_support import yaml_data, yaml_text


@pytest.mark.parametrize(("slug", "name"), [
    ("billing-api", "Billing API"), ("order-history", "Order history"), ("sso", "SSO"),
    ("api-gateway", "API gateway"), ("k8s-dns-sync", "K8S DNS sync"), ("ledger", "Ledger"),
])
def test_names_from_ids(slug: str, name: str) -> None:
    assert display_name(slug) == name


def test_unknown_team_suggests_the_near_one(tmp_path: Path) -> None:
    spec = NewService("billing-api", "Billing API", 2, "paymnets")
    (problem,) = check_new(tmp_path, spec, {"payments", "platform"})
    assert "unknown team 'paymnets': did you mean 'payments'?" in problem


def test_a_misspelt_required_key_is_reported_once(tmp_path: Path) -> None:
    path = tmp_path / "svc.yaml"
    path.write_text("id: svc\nname: Svc\ndescripton: What it does\ntier: 3\n"
                    "lifecycle: production\nowner: team-a\n", encoding="utf-8")
    loaded, _ = load_yaml(path)
    assert loaded is not None
    parsed, diags = validate_file(loaded, Service, display="svc.yaml", catalog_root=tmp_path)
    assert parsed is None
    (diag,) = diags
    assert diag.message == "unknown key 'descripton'" and diag.line == 3
    assert "did you mean 'description'? (a required key)" in diag.hint


def test_examples_are_generated_from_the_model_in_the_expected_shape() -> None:
    example = example_for_path("runbook.escalation")
    step = example["runbook"]["escalation"][0]
    assert step["level"] == 1 and step["contact"].startswith("TODO: ")
    mitigation = example_for_path("alerts[].mitigation")["alerts"][0]["mitigation"]
    assert isinstance(mitigation, list) and "title" in mitigation[0]
    signoff = example_for_path("release.signoffs")["release"]["signoffs"][0]
    assert signoff["role"] == "ops" and signoff["decision"] == "approved"  # enum values
    # a gap placed at the nearest existing key gets the example of its rule's path
    text = gap_example("architecture", ("architecture.components",))
    assert yaml_data(text) == example_for_path("architecture.components")
    assert "\n" not in text


def test_check_hints_show_the_expected_shape(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from test_policy_support import complete_service, write_catalog

    broken = complete_service("broken")
    del broken["runbook"]["escalation"]
    catalog = write_catalog(tmp_path / "c", [broken])
    assert main(["check", str(catalog), "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert "For example: {runbook: {escalation: [{level: 1, contact: 'TODO: " in out


def test_explain_every_rule_of_the_default_policy() -> None:
    policy = load_policy(None).policy
    assert policy is not None
    for rule in policy.rules:
        text = explain_text(policy, rule.id)
        assert text is not None
        assert text.startswith(f"{rule.id}: {rule.title}")
        assert "Why it matters:" in text and "counts for:" in text
        example = text.split("replace each TODO):\n", 1)[1]
        data = yaml_data("\n".join(ln[2:] for ln in example.splitlines()))
        assert isinstance(data, dict) and data


def test_explain_command(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["explain", "runbook-escalation"]) == 0
    out = capsys.readouterr().out
    assert "counts for: bronze, silver and gold" in out
    assert "tier 1 (gold), tier 2 (silver) and tier 3 (bronze)" in out
    assert main(["explain", "runbok-escalation"]) == 2
    assert "did you mean 'runbook-escalation'?" in capsys.readouterr().err


def _fill(data: object) -> object:
    """What an author does: replace each TODO with a real text (nothing else)."""
    if isinstance(data, dict):
        return {k: _fill(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_fill(v) for v in data]
    if isinstance(data, str) and data.startswith("TODO: "):
        return "Written by the team: " + data.removeprefix("TODO: ")
    return data


@pytest.mark.parametrize(("tier", "level"), [(1, "gold"), (2, "silver"), (3, "bronze")])
def test_new_skeleton_filled_where_the_todos_say_reaches_the_tier_level(
        tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
        tier: int, level: str) -> None:
    from opsready.catalog.load import load_catalog
    from opsready.policy.engine import evaluate

    monkeypatch.setenv("OPSREADY_TODAY", "2026-11-26")
    assert main(["init", str(tmp_path)]) == 0
    catalog = tmp_path / "service_catalog"
    assert main(["new", "billing-api", "--tier", str(tier), "--owner", "platform",
                 "--lifecycle", "production", "--catalog", str(catalog)]) == 0
    assert "TODOs to replace" in capsys.readouterr().out
    path = catalog / "billing-api.yaml"
    text = path.read_text(encoding="utf-8")
    assert f"A tier {tier} service must reach {level}" in text
    data = yaml_data(text)
    assert data["name"] == "Billing API" and data["lifecycle"] == "production"
    policy = load_policy(None).policy
    assert policy is not None
    # as written: valid, every TODO a gap, the service below its level
    result = load_catalog(catalog)
    assert result.ok, [d.text() for d in result.diagnostics]
    readiness = evaluate(result.catalog, policy, result_today()).services["billing-api"]
    assert readiness.below_required
    # every TODO on its own line, one line each
    todo_lines = [ln for ln in text.splitlines() if "TODO" in ln]
    assert todo_lines and all(ln.count("TODO") == 1 for ln in todo_lines)
    # filled in only where the TODOs say: the required level
    path.write_text(yaml_text(_fill(data)), encoding="utf-8")
    result = load_catalog(catalog)
    assert result.ok, [d.text() for d in result.diagnostics]
    readiness = evaluate(result.catalog, policy, result_today()).services["billing-api"]
    assert readiness.achieved.label == level, [g.message for g in readiness.gaps][:5]


def result_today():  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.date(2026, 11, 26)


def test_new_example_prints_the_complete_service_in_sync_with_the_fleet(capsys) -> None:  # type: ignore[no-untyped-def]
    root = Path(__file__).resolve().parents[1] / "service_catalog" / "api-gateway"
    assert main(["new", "--example"]) == 0
    shipped = yaml_data(capsys.readouterr().out)

    def inline(x: object) -> object:
        if isinstance(x, dict):
            if set(x) == {"file"}:
                return (root / str(x["file"])).read_text(encoding="utf-8")
            return {k: inline(v) for k, v in x.items()}
        if isinstance(x, list):
            return [inline(v) for v in x]
        return x

    fleet = inline(yaml_data((root / "service.yaml").read_text(encoding="utf-8")))
    assert shipped == fleet  # regenerate data/examples/complete-service.yaml when it differs
    assert main(["new"]) == 2
    assert "--example" in capsys.readouterr().err


def test_the_package_ships_the_format_reference(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["schema", "--reference"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("---") or text.startswith("#")
    assert "escalation" in text and "severity_scale" in text

"""A new service is guided: names, near team names, one report per misspelt key, a YAML example
of the expected shape in hints, and ``opsready explain``."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from opsready.cli import main
from opsready.loader import load_yaml
from opsready.model import Service
from opsready.policy.examples import example_for_path, gap_example
from opsready.policy.explain import explain_text
from opsready.policy.load import load_policy
from opsready.scaffold import NewService, check_new, display_name
from opsready.validate import validate_file


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
    assert yaml.safe_load(text) == example_for_path("architecture.components")
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
        data = yaml.safe_load("\n".join(ln[2:] for ln in example.splitlines()))
        assert isinstance(data, dict) and data


def test_explain_command(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["explain", "runbook-escalation"]) == 0
    out = capsys.readouterr().out
    assert "counts for: bronze, silver and gold" in out
    assert "tier 1 (gold), tier 2 (silver) and tier 3 (bronze)" in out
    assert main(["explain", "runbok-escalation"]) == 2
    assert "did you mean 'runbook-escalation'?" in capsys.readouterr().err

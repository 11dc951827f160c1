"""Reading Prometheus alerting rules: both file shapes, multi-document streams, broken files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from opsready.catalog.yaml_loader import load_yaml_documents
from opsready.integrations.alert_rules.rules import read_rule_file, read_rule_files

FIXTURES = Path(__file__).parent / "fixtures" / "alert_rules"
BROKEN = sorted((FIXTURES / "broken").iterdir())


def test_groups_file_gives_alerting_rules_with_positions_and_merged_labels() -> None:
    rs = read_rule_file(FIXTURES / "rules.yml")
    assert rs.ok and rs.diagnostics == []
    assert [r.alert for r in rs.rules] == [
        "CheckoutHighErrorRate", "CheckoutLatencyHigh", "CheckoutPodCrashLooping",
        "LedgerReplicationLag", "LedgerDiskFull"]
    assert rs.recording_rules == 1
    first = rs.rules[0]
    assert (first.line, first.column) == (16, 16)
    assert first.yaml_path == "groups[1].rules[0]"
    assert first.group == "checkout.alerts"
    assert first.duration == "5m"
    # Group labels (Prometheus 3) are merged under the rule's own labels.
    assert dict(first.labels) == {"team": "payments", "severity": "critical",
                                  "service": "checkout"}
    assert first.runbook_url == "https://ops.example.com/runbooks/checkout/CheckoutHighErrorRate/"
    assert first.runbook_url_position == (26, 24)
    assert "humanizePercentage" in first.annotations["summary"]  # templates kept as text
    flow = rs.rules[-1]
    assert dict(flow.labels) == {"severity": "critical", "service": "ledger"}
    assert flow.runbook_url is None


def test_prometheusrule_manifest_in_a_multi_document_file() -> None:
    rs = read_rule_file(FIXTURES / "prometheusrule.yaml")
    assert rs.ok
    assert [(r.alert, r.yaml_path, r.line) for r in rs.rules] == [
        ("LedgerReplicationLag", "spec.groups[0].rules[0]", 22),
        ("LedgerDiskFull", "spec.groups[0].rules[1]", 31)]
    # The ConfigMap beside it is skipped with a notice; the trailing `---` is no error.
    assert [(d.severity, d.code, d.line) for d in rs.diagnostics] == [
        ("notice", "skipped-manifest", 4)]


def test_kubernetes_list_of_prometheusrules(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text(
        "apiVersion: v1\nkind: List\nitems:\n"
        "  - apiVersion: monitoring.coreos.com/v1\n    kind: PrometheusRule\n"
        "    metadata: {name: a}\n    spec:\n      groups:\n        - name: g\n"
        "          rules:\n            - alert: A\n              expr: vector(1)\n",
        encoding="utf-8")
    rs = read_rule_file(path)
    assert rs.ok
    assert [(r.alert, r.yaml_path, r.line) for r in rs.rules] == [
        ("A", "items[0].spec.groups[0].rules[0]", 11)]


def test_several_files_collect_everything_and_sort_diagnostics() -> None:
    rs = read_rule_files([FIXTURES / "broken" / "typo-annotations.yml", FIXTURES / "rules.yml",
                          FIXTURES / "broken" / "missing-expr.yml"])
    assert len(rs.files) == 3
    assert len(rs.rules) == 5  # the two broken rules are left out, the good file is read
    assert [Path(d.file).name for d in rs.diagnostics] == ["missing-expr.yml",
                                                          "typo-annotations.yml"]
    assert not rs.ok


@pytest.mark.parametrize("path", BROKEN, ids=[p.name for p in BROKEN])
def test_broken_file_gives_the_diagnostic_written_beside_it(path: Path) -> None:
    header = path.read_bytes().split(b"\n", 1)[0].decode("ascii")
    m = re.match(r"# expect: (\d+):(\d+) (.+)$", header)
    assert m, f"{path.name} needs an '# expect: line:col message' first line"
    line, col, message = int(m.group(1)), int(m.group(2)), m.group(3)
    rs = read_rule_file(path)
    errors = [d for d in rs.diagnostics if d.severity == "error"]
    assert errors, f"{path.name}: no error reported"
    found = errors[0]
    assert message in found.message
    assert found.file.endswith(path.name)
    if line:  # 0:0 means the position is not part of the expectation
        assert (found.line, found.column) == (line, col)
    assert "Traceback" not in found.text()


def test_rules_with_several_problems_report_each(tmp_path: Path) -> None:
    path = tmp_path / "r.yml"
    path.write_text(
        "groups:\n  - rules:\n      - alert: A\n        expr: up == 0\n        labels: x\n"
        "      - expr: up\n      - just a string\n", encoding="utf-8")
    rs = read_rule_file(path, display="r.yml")
    got = [(d.line, d.message) for d in rs.diagnostics]
    assert (2, "rule group has no `name`") in got
    assert (5, "`labels` must be a mapping of names to values, found a string ('x')") in got
    assert (6, "rule has no alert name") in got
    assert any(line == 7 and "a rule must be a mapping" in msg for line, msg in got)
    assert rs.rules == []


def test_empty_file_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "empty.yml"
    path.write_text("# nothing yet\n---\n", encoding="utf-8")
    rs = read_rule_file(path)
    assert [(d.severity, d.message) for d in rs.diagnostics] == [
        ("warning", "file holds no YAML document")]


def test_label_and_annotation_values_are_read_as_strings(tmp_path: Path) -> None:
    path = tmp_path / "r.yml"
    path.write_text("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: 1\n"
                    "        labels: {priority: 1, page: true, empty: null}\n", encoding="utf-8")
    (rule,) = read_rule_file(path).rules
    assert dict(rule.labels) == {"priority": "1", "page": "true", "empty": ""}
    assert rule.expr == "1"


def test_load_yaml_documents_marks_are_positions_in_the_whole_stream(tmp_path: Path) -> None:
    path = tmp_path / "multi.yaml"
    path.write_text("a: 1\n---\n---\nb:\n  c: 2\n...\n", encoding="utf-8")
    docs, diags = load_yaml_documents(path)
    assert diags == []
    assert [d.data for d in docs if d.data is not None] == [{"a": 1}, {"b": {"c": 2}}]
    second = [d for d in docs if d.data is not None][1]
    assert second.position(("b", "c")) == (5, 6)


def test_load_yaml_documents_bounds_expansion_across_documents(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    path.write_text("---\n".join("[1, 2, 3, 4]\n" for _ in range(5)), encoding="utf-8")
    docs, diags = load_yaml_documents(path, max_nodes=12)
    assert docs == []
    assert "more than 12 values" in diags[0].message


def test_anchors_shared_by_many_rules_stay_within_the_bound(tmp_path: Path) -> None:
    rules = "".join(f"      - alert: A{i}\n        expr: up == 0\n        labels: *common\n"
                    "        annotations: *notes\n" for i in range(400))
    path = tmp_path / "anchors.yml"
    path.write_text("x-common: &common {service: api, team: core, severity: critical}\n"
                    "x-notes: &notes {summary: down, description: the api is down}\n"
                    f"groups:\n  - name: g\n    rules:\n{rules}", encoding="utf-8")
    rs = read_rule_file(path)
    assert rs.diagnostics == [] and len(rs.rules) == 400
    assert dict(rs.rules[-1].labels)["team"] == "core"

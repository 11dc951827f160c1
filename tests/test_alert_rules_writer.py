"""The rules-file writer of `opsready alerts urls` never loses data (issue 10, item 8): random
temporary files, modes and links kept, read-only files refused, one YAML reader shared with
`alerts check`, multi-document files, shared anchors refused, honest exit codes, Helm templates."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from opsready.cli.main import main
from opsready.integrations.alert_rules.annotate import RulesInputError, WriteRefused, annotate_text
from opsready.integrations.alert_rules.files import annotate_file
from opsready.integrations.alert_rules.rules import read_rule_file

FIXTURES = Path(__file__).parent / "fixtures" / "alert_rules"
SITE = "https://ops.example.com/"
RULES = ("groups:\n  - name: ledger\n    rules:\n      - alert: LedgerDiskFull\n"
         "        expr: disk_used > 0.9\n        annotations:\n          summary: Disk full\n")
URL = f"{SITE}runbooks/ledger/LedgerDiskFull/"


def url_for(alert: str, labels: dict[str, str]) -> str | None:
    return f"{SITE}runbooks/ledger/{alert}/"


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def cli(tmp_path: Path, *args: str) -> int:
    return main(["alerts", "urls", "--catalog", str(FIXTURES / "catalog"), "--site-url", SITE,
                 *args])


# --- temporary file, modes, read-only files, links ----------------------------------------------


def test_the_temporary_file_has_a_random_name_so_no_user_file_is_touched(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yml"
    rules.write_text(RULES, encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    # The old fixed temporary name, once as a user's file and once as a link to another file.
    (tmp_path / ".rules.yml.opsready-tmp").write_text("mine\n", encoding="utf-8")
    other = tmp_path / "other.yml"
    other.write_text(RULES, encoding="utf-8")
    (tmp_path / ".other.yml.opsready-tmp").symlink_to(victim)
    annotate_file(rules, url_for, backup=True)
    annotate_file(other, url_for, backup=True)
    assert (tmp_path / ".rules.yml.opsready-tmp").read_text(encoding="utf-8") == "mine\n"
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert (tmp_path / ".other.yml.opsready-tmp").is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".other.yml.opsready-tmp", ".rules.yml.opsready-tmp", "other.yml", "other.yml.bak",
        "rules.yml", "rules.yml.bak", "victim.txt"]


@pytest.mark.parametrize("bits", [0o600, 0o640, 0o755])
def test_in_place_keeps_the_mode_of_the_file_and_gives_it_to_the_backup(
        tmp_path: Path, umask_022: None, bits: int) -> None:
    rules = tmp_path / "rules.yml"
    rules.write_text(RULES, encoding="utf-8")
    rules.chmod(bits)
    annotate_file(rules, url_for, backup=True)
    assert read_rule_file(rules).rules[0].runbook_url == URL
    assert mode(rules) == bits
    assert mode(tmp_path / "rules.yml.bak") == bits


def test_a_new_file_gets_the_mode_of_the_rules_file_an_overwritten_one_keeps_its_own(
        tmp_path: Path, umask_022: None) -> None:
    rules = tmp_path / "rules.yml"
    rules.write_text(RULES, encoding="utf-8")
    rules.chmod(0o600)
    annotate_file(rules, url_for, target=tmp_path / "new.yml")
    assert mode(tmp_path / "new.yml") == 0o600
    (tmp_path / "new.yml").chmod(0o644)
    annotate_file(rules, url_for, target=tmp_path / "new.yml", overwrite=True)
    assert mode(tmp_path / "new.yml") == 0o644


def test_a_read_only_file_is_refused_with_a_clear_message(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules.yml"
    rules.write_text(RULES, encoding="utf-8")
    rules.chmod(0o444)
    assert cli(tmp_path, "--rules", str(rules), "--in-place") == 2
    err = capsys.readouterr().err
    assert f"{rules} is read-only (mode 0444)" in err
    assert rules.read_text(encoding="utf-8") == RULES and mode(rules) == 0o444
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rules.yml"]
    # Overwriting a read-only target is refused the same way.
    target = tmp_path / "target.yml"
    target.write_text("keep me\n", encoding="utf-8")
    target.chmod(0o444)
    with pytest.raises(WriteRefused, match="read-only"):
        annotate_file(rules, url_for, target=target, overwrite=True)
    assert target.read_text(encoding="utf-8") == "keep me\n"


def test_a_symlinked_rules_file_is_edited_at_its_target(tmp_path: Path) -> None:
    real = tmp_path / "monitoring" / "rules.yml"
    real.parent.mkdir()
    real.write_text(RULES, encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "rules.yml"
    link.symlink_to(real)
    annotate_file(link, url_for, backup=True)
    assert link.is_symlink() and link.resolve() == real
    assert read_rule_file(real).rules[0].runbook_url == URL
    assert mode(real) == 0o640
    backup = tmp_path / "rules.yml.bak"
    assert not backup.is_symlink() and backup.read_text(encoding="utf-8") == RULES
    assert sorted(p.name for p in real.parent.iterdir()) == ["rules.yml"]


def test_write_to_a_symlink_writes_its_target_and_a_dangling_link_is_refused(
        tmp_path: Path) -> None:
    rules = tmp_path / "rules.yml"
    rules.write_text(RULES, encoding="utf-8")
    real = tmp_path / "out" / "real.yml"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.yml"
    link.symlink_to(real)
    annotate_file(rules, url_for, target=link, overwrite=True)
    assert link.is_symlink() and read_rule_file(real).rules[0].runbook_url == URL
    dangling = tmp_path / "dangling.yml"
    dangling.symlink_to(tmp_path / "nowhere" / "x.yml")
    with pytest.raises(WriteRefused, match="does not exist"):
        annotate_file(rules, url_for, target=dangling, overwrite=True)
    assert not (tmp_path / "nowhere").exists()


def test_a_backup_name_taken_by_a_link_is_refused_not_followed(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yml"
    rules.write_text(RULES, encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    (tmp_path / "rules.yml.bak").symlink_to(victim)
    with pytest.raises(WriteRefused, match="already exists"):
        annotate_file(rules, url_for, backup=True)
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert rules.read_text(encoding="utf-8") == RULES


def test_a_file_with_other_hard_links_is_refused(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yml"
    rules.write_text(RULES, encoding="utf-8")
    os.link(rules, tmp_path / "same.yml")
    with pytest.raises(WriteRefused, match="2 hard links"):
        annotate_file(rules, url_for, backup=True)
    assert (tmp_path / "same.yml").read_text(encoding="utf-8") == RULES


# --- one YAML reader ------------------------------------------------------------------------------


def test_a_trailing_tab_reads_the_same_for_check_and_write(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules.yml"
    rules.write_text(RULES.replace("LedgerDiskFull\n", "LedgerDiskFull\t\n"), encoding="utf-8")
    assert main(["alerts", "check", "--catalog", str(FIXTURES / "catalog"), "--site-url", SITE,
                 "--service", "ledger", str(rules)]) == 1  # LedgerReplicationLag has no rule
    assert "YAML" not in capsys.readouterr().out
    assert cli(tmp_path, "--rules", str(rules), "--write-to", str(tmp_path / "out.yml")) == 0
    assert read_rule_file(tmp_path / "out.yml").rules[0].runbook_url == URL


def test_a_yaml_error_names_the_file_and_line_in_check_and_in_write(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules.yml"
    rules.write_text(RULES.replace("summary: Disk full", "summary: [Disk full"),
                     encoding="utf-8")
    assert main(["alerts", "check", "--catalog", str(FIXTURES / "catalog"), str(rules)]) == 1
    checked = capsys.readouterr().out
    assert f"{rules}:8:1: error: YAML syntax error" in checked
    with pytest.raises(RulesInputError) as caught:
        annotate_text(rules.read_text(encoding="utf-8"), url_for, display=str(rules))
    assert f"{rules}:8:1: error: YAML syntax error" in str(caught.value)
    assert "<unicode string>" not in str(caught.value)


# --- multi-document files and shared anchors ------------------------------------------------------

MANIFEST = ("apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n"
            "  name: {name}\nspec:\n  groups:\n  - name: {name}\n    rules:\n"
            "    - alert: {alert}\n      expr: up == 0\n      annotations:\n"
            "        summary: down\n")


def test_documents_with_rules_at_the_same_position_each_get_their_url(tmp_path: Path) -> None:
    text = "---\n".join(MANIFEST.format(name=n, alert=a) for n, a in
                        [("ledger", "LedgerDiskFull"), ("ledger2", "LedgerReplicationLag")])
    rules = tmp_path / "rules.yaml"
    rules.write_text(text, encoding="utf-8")
    result = annotate_file(rules, url_for, target=tmp_path / "out.yaml")
    assert result.changed == ["LedgerDiskFull", "LedgerReplicationLag"]
    got = read_rule_file(tmp_path / "out.yaml").rules
    assert [(r.document, r.yaml_path, r.runbook_url) for r in got] == [
        (0, "spec.groups[0].rules[0]", URL),
        (1, "spec.groups[0].rules[0]", f"{SITE}runbooks/ledger/LedgerReplicationLag/")]


SHARED = """\
groups:
  - name: ledger
    rules:
      - alert: LedgerDiskFull
        expr: disk_used > 0.9
        annotations: &common
          summary: Ledger in trouble
      - alert: LedgerReplicationLag
        expr: lag > 30
        annotations: *common
"""


@pytest.mark.parametrize("text", [SHARED, SHARED.replace(
    "summary: Ledger in trouble", "summary: Ledger in trouble\n          runbook_url: https://x/")])
def test_annotations_shared_through_an_anchor_are_refused_by_name_and_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> None:
    rules = tmp_path / "rules.yml"
    rules.write_text(text, encoding="utf-8")
    assert cli(tmp_path, "--rules", str(rules), "--in-place") == 1
    err = capsys.readouterr().err
    assert (f"{rules}:6: alerts LedgerDiskFull, LedgerReplicationLag share their annotations "
            "through the YAML anchor &common") in err
    assert "give each rule its own annotations" in err
    assert rules.read_text(encoding="utf-8") == text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rules.yml"]


def test_own_annotations_that_merge_an_anchor_are_edited_in_their_own_mapping() -> None:
    text = SHARED.replace("annotations: *common", "annotations:\n          <<: *common")

    def only_lag(alert: str, labels: dict[str, str]) -> str | None:
        return url_for(alert, labels) if alert == "LedgerReplicationLag" else None

    result = annotate_text(text, only_lag)
    assert result.changed == ["LedgerReplicationLag"]
    assert result.text == text.replace(
        "          <<: *common\n", '          runbook_url: "https://ops.example.com/runbooks/'
        'ledger/LedgerReplicationLag/"\n          <<: *common\n')
    # Setting the first rule's URL would reach the second through the merge: refused.
    with pytest.raises(RulesInputError, match="&common"):
        annotate_text(text, url_for)


def test_annotations_coming_only_from_a_merge_key_are_refused(tmp_path: Path) -> None:
    text = ("base: &base\n  annotations:\n    summary: s\ngroups:\n  - name: g\n    rules:\n"
            "      - alert: LedgerDiskFull\n        expr: up\n        <<: *base\n")
    with pytest.raises(RulesInputError, match=r"<rules>:7: alert 'LedgerDiskFull' takes its "
                       r"annotations from a merge key"):
        annotate_text(text, url_for)


# --- exit codes -----------------------------------------------------------------------------------


def test_exit_codes_0_clean_1_input_problems_2_usage(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules.yml"
    rules.write_text(RULES, encoding="utf-8")
    assert cli(tmp_path, "--rules", str(rules), "--write-to", str(tmp_path / "a.yml")) == 0
    assert cli(tmp_path, "--rules", str(rules), "--write-to", str(tmp_path / "a.yml")) == 2
    broken = tmp_path / "broken.yml"
    shutil.copy(FIXTURES / "broken" / "syntax.yml", broken)
    assert cli(tmp_path, "--rules", str(broken), "--write-to", str(tmp_path / "b.yml")) == 1
    shared = tmp_path / "shared.yml"
    shared.write_text(SHARED, encoding="utf-8")
    assert cli(tmp_path, "--rules", str(shared), "--write-to", str(tmp_path / "c.yml")) == 1
    assert cli(tmp_path, "--rules", str(shared)) == 1  # printing refuses the same way
    assert not (tmp_path / "b.yml").exists() and not (tmp_path / "c.yml").exists()


# --- Helm templates -------------------------------------------------------------------------------

HELM = """\
{{- if .Values.defaultRules.create }}
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: {{ include "chart.fullname" . }}-ledger
spec:
  groups:
  - name: ledger
    rules:
    - alert: LedgerDiskFull
      annotations:
        summary: {{`{{ $labels.instance }}`}} is full
      expr: disk_used > 0.9
{{- end }}
"""


def test_alerts_check_on_a_helm_template_says_once_to_render_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    chart = tmp_path / "ledger.rules.yaml"
    chart.write_text(HELM, encoding="utf-8")
    assert main(["alerts", "check", "--catalog", str(FIXTURES / "catalog"), "--site-url", SITE,
                 str(chart)]) == 1
    captured = capsys.readouterr()
    out = captured.out
    assert out.count("error") == 1
    assert f"{chart}:1:1: error [helm-template]: this is a Helm chart template" in out
    assert "helm template" in out
    assert "YAML syntax error" not in out and "unmatched-runbook" not in out
    assert "runbook entries were not checked" in captured.err
    assert cli(tmp_path, "--rules", str(chart)) == 1
    assert "[helm-template]" in capsys.readouterr().out


def test_prometheus_templates_in_a_valid_file_are_not_mistaken_for_helm(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yml"
    rules.write_text(RULES.replace("summary: Disk full",
                                   "summary: '{{ if gt $value 0.9 }}full{{ end }}'"),
                     encoding="utf-8")
    result = read_rule_file(rules)
    assert result.ok and not result.diagnostics and result.rules[0].alert == "LedgerDiskFull"


def test_a_file_changed_during_the_edit_is_not_overwritten(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from opsready.integrations.alert_rules import atomic

    rules = tmp_path / "rules.yml"
    rules.write_text(RULES, encoding="utf-8")
    write_fd = atomic._write_fd

    def meanwhile(*args: object) -> None:
        write_fd(*args)  # type: ignore[arg-type]
        rules.write_text(RULES + "# a colleague's edit\n", encoding="utf-8")

    monkeypatch.setattr(atomic, "_write_fd", meanwhile)
    with pytest.raises(WriteRefused, match="changed while it was being edited"):
        annotate_file(rules, url_for, backup=True)
    assert rules.read_text(encoding="utf-8").endswith("# a colleague's edit\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rules.yml"]


def test_a_byte_order_mark_and_crlf_line_ends_are_kept(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yml"
    rules.write_bytes(b"\xef\xbb\xbf" + RULES.replace("\n", "\r\n").encode("utf-8"))
    annotate_file(rules, url_for, backup=True)
    edited = rules.read_bytes()
    assert edited.startswith(b"\xef\xbb\xbf") and b"\n" not in edited.replace(b"\r\n", b"")
    assert f'          runbook_url: "{URL}"\r\n'.encode() in edited
    assert read_rule_file(rules).rules[0].runbook_url == URL

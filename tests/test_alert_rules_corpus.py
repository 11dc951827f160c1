"""Real-world alerting rules (kube-prometheus manifests, awesome-prometheus-alerts, Helm-templated
kube-prometheus-stack rules), read from ../shared/corpora/prometheus-rules/ where they are kept:
`alerts check` never ends in a traceback, `alerts urls --write-to` changes only runbook_url
lines and reads back, Helm templates get one clear message, and every alert name, however
written, is documented, gets a page URL and matches its rule (issues 10 and 14)."""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

import pytest

from corpora import corpus
from opsready.catalog.load import load_catalog
from opsready.cli.main import main
from opsready.integrations.alert_rules.rules import expand_paths, read_rule_file, read_rule_files
from opsready.integrations.alert_rules.urls import SiteSettings, runbook_url
from opsready.output.site_paths import alert_slug

CORPUS = corpus("prometheus-rules")
pytestmark = pytest.mark.skipif(CORPUS is None, reason="shared/corpora/prometheus-rules is not "
                                "beside the repository")
SITE = "https://ops.example.com/"
SETTINGS = SiteSettings(SITE)


def _files(sub: str) -> list[Path]:
    return expand_paths([CORPUS / sub]) if CORPUS is not None else []


KUBE = _files("kube-prometheus")
AWESOME = _files("awesome")
HELM = _files("helm")


def _id(path: Path) -> str:
    assert CORPUS is not None
    return str(path.relative_to(CORPUS))


@pytest.fixture(scope="module")
def names() -> list[str]:
    """Every distinct alert name of the kube-prometheus and awesome-prometheus-alerts rules."""
    return sorted({r.alert for r in read_rule_files(KUBE + AWESOME).rules})


@pytest.fixture(scope="module")
def catalog_dir(tmp_path_factory: pytest.TempPathFactory, names: list[str]) -> Path:
    """One service documenting every alert of the corpus, names exactly as the rules write them."""
    root = tmp_path_factory.mktemp("corpus-catalog")
    (root / "teams.yaml").write_text("teams:\n  - id: noc\n    name: NOC\n    email: noc@"
                                     "example.com\n", encoding="utf-8")
    lines = ["id: corpus", "name: Corpus", "description: Real-world rules.", "tier: 3",
             "lifecycle: production", "owner: noc", "alerts:"]
    for name in names:
        lines += [f"  - name: {json.dumps(name)}", "    severity: SEV-2", "    summary: fires"]
    (root / "corpus.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def test_the_corpus_is_what_the_tests_expect(names: list[str]) -> None:
    assert (len(KUBE), len(AWESOME), len(HELM)) == (8, 112, 41)
    classic = re.compile(r"[A-Za-z_][A-Za-z0-9_:]*\Z")
    awesome = {r.alert for r in read_rule_files(AWESOME).rules}
    assert len([n for n in awesome if not classic.match(n)]) == 66


# --- any alert name (issue 14) --------------------------------------------------------------------


def test_every_alert_name_is_documented_and_gets_its_own_page_url(
        catalog_dir: Path, names: list[str]) -> None:
    loaded = load_catalog(catalog_dir)
    assert [d.text() for d in loaded.diagnostics if d.severity == "error"] == []
    documented = [a.name for a in loaded.catalog.services["corpus"].alerts]
    assert documented == names
    slugs = {alert_slug(n).lower(): n for n in names}
    assert len(slugs) == len(names)  # no two pages collide, whatever the case
    for name in ("MysqlTooManyConnections(>80%)", "JvmNon-heapMemoryFillingUp", "PveVm/ctDown"):
        assert name in names
    assert runbook_url(SETTINGS, "corpus", "PveVm/ctDown") == (
        f"{SITE}runbooks/corpus/PveVm-ctDown/")
    assert runbook_url(SETTINGS, "corpus", "MysqlTooManyConnections(>80%)") == (
        f"{SITE}runbooks/corpus/MysqlTooManyConnections-80/")
    assert runbook_url(SETTINGS, "corpus", "KubePodCrashLooping") == (
        f"{SITE}runbooks/corpus/KubePodCrashLooping/")


def test_alerts_check_matches_every_rule_by_its_real_name(
        catalog_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert CORPUS is not None
    code = main(["alerts", "check", "--catalog", str(catalog_dir), "--site-url", SITE,
                 "--format", "json", str(CORPUS / "awesome"), str(CORPUS / "kube-prometheus")])
    report = json.loads(capsys.readouterr().out)
    codes = {d["code"] for d in report["diagnostics"]}
    assert "missing-runbook" not in codes and "unmatched-runbook" not in codes
    corpus = report["services"]["corpus"]
    assert len(corpus["matched"]) == 1079 and corpus["missing_runbook"] == []
    # Only the URLs are not ours yet: kube-prometheus points at its own runbooks.
    assert codes <= {"runbook-url-missing", "runbook-url-mismatch", "runbook-url-templated"}
    assert code == 1


# --- alerts check never ends in a traceback; Helm templates get one message -----------------------


@pytest.mark.parametrize("sub", ["kube-prometheus", "awesome", "helm"])
def test_alerts_check_reads_every_file_without_a_traceback(
        catalog_dir: Path, capsys: pytest.CaptureFixture[str], sub: str) -> None:
    assert CORPUS is not None
    code = main(["alerts", "check", "--catalog", str(catalog_dir), "--site-url", SITE,
                 "--format", "json", str(CORPUS / sub)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    report = json.loads(captured.out)
    read_errors = [d for d in report["diagnostics"] if d["code"] not in (
        "runbook-url-missing", "runbook-url-mismatch", "runbook-url-templated",
        "unmatched-runbook")]
    if sub != "helm":
        assert read_errors == [] and code == 1  # unmatched entries of the other corpus
        return
    assert code == 1
    assert sorted(d["file"] for d in read_errors) == sorted(str(p) for p in HELM)
    assert {d["code"] for d in read_errors} == {"helm-template"}
    assert all("helm template" in d["hint"] for d in read_errors)
    assert not any(d["code"] == "unmatched-runbook" for d in report["diagnostics"])


# --- alerts urls --write-to changes only runbook_url lines and reads back -------------------------

_URL_LINE = re.compile(r"\s*runbook_url: ")


def _only_runbook_url_lines_changed(before: str, after: str) -> list[str]:
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    wrong = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new,
                                                       autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        wrong += [f"-{line!r}" for line in old[i1:i2] if not _URL_LINE.match(line)]
        wrong += [f"+{line!r}" for line in new[j1:j2] if not _URL_LINE.match(line)]
    return wrong


def _write_and_read_back(catalog_dir: Path, source: Path, target: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    before = read_rule_file(source)
    assert before.ok
    code = main(["alerts", "urls", "--catalog", str(catalog_dir), "--site-url", SITE,
                 "--rules", str(source), "--write-to", str(target)])
    err = capsys.readouterr().err
    assert code == 0, err
    original = source.read_text(encoding="utf-8")
    edited = target.read_text(encoding="utf-8")
    assert _only_runbook_url_lines_changed(original, edited) == []
    after = read_rule_file(target)
    assert after.ok and len(after.rules) == len(before.rules)
    for old, new in zip(before.rules, after.rules, strict=True):
        assert (new.alert, new.expr, dict(new.labels)) == (old.alert, old.expr, dict(old.labels))
        assert new.runbook_url == runbook_url(SETTINGS, "corpus", new.alert)
        assert {k: v for k, v in new.annotations.items() if k != "runbook_url"} == {
            k: v for k, v in old.annotations.items() if k != "runbook_url"}


@pytest.mark.parametrize("source", KUBE + AWESOME, ids=_id)
def test_alerts_urls_write_to_changes_only_runbook_url_lines(
        catalog_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        source: Path) -> None:
    _write_and_read_back(catalog_dir, source, tmp_path / "out.yaml", capsys)


def test_alerts_urls_on_the_kube_prometheus_manifests_in_one_file(
        catalog_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    texts = [p.read_text(encoding="utf-8") for p in KUBE]
    both = tmp_path / "kube-prometheus.yaml"
    both.write_text("".join("---\n" + t.rstrip("\n") + "\n" for t in texts), encoding="utf-8")
    rules = read_rule_file(both).rules
    assert len({r.document for r in rules}) == 8
    assert len({r.yaml_path for r in rules}) < len(rules)  # documents share rule positions
    _write_and_read_back(catalog_dir, both, tmp_path / "out.yaml", capsys)

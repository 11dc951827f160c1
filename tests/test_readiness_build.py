"""Readiness in real MkDocs builds: flags on pages, log levels, the scorecard, the failing build.

One strict site is built once for the module and shared; the tests that need another outcome
(a failing build, other options) build their own small site.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import BuildFailed, BuiltSite, build_site
from opsready.cli.main import main
from opsready.output.site_paths import SitePaths
from test_policy_support import complete_service, yaml_text

pytestmark = pytest.mark.build  # every test builds a site

TODAY = "2026-06-01"


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPSREADY_TODAY", TODAY)


def _catalog(*services: dict[str, Any]) -> dict[str, str]:
    teams = sorted({s["owner"] for s in services})
    files = {"teams.yaml": yaml.safe_dump(
        {"teams": [{"id": t, "name": t.replace("-", " ").title()} for t in teams]})}
    for s in services:
        files[f"{s['id']}.yaml"] = yaml_text(s)
    return files


def _fleet() -> dict[str, str]:
    """A gold tier-1 service, a tier-3 one meeting bronze with a placeholder and a gold gap, and
    an experimental tier-2 one far below silver (scored, never enforced)."""
    gold = complete_service("gold-svc")
    small = complete_service("small", tier=3, owner="team-b")
    small["name"] = "Small <b>svc</b> | x"
    small["runbook"]["on_call"] = "TODO: ask the team lead"  # silver rule, placeholder
    del small["architecture"]["redundancy"]  # gold rule
    lab = complete_service("lab", tier=2, owner="team-b")
    lab["lifecycle"] = "experimental"
    del lab["runbook"]
    return _catalog(gold, small, lab)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = tmp_path_factory.mktemp("readiness-site")
    with pytest.MonkeyPatch.context() as mp:  # module scope: the autouse fixture is per test
        mp.setenv("OPSREADY_TODAY", TODAY)
        return build_site(root, _fleet(), strict=True,
                          opsready={"readiness": True, "diagrams_cache_dir": str(root / "cache")})


def _admonitions(site: BuiltSite, url: str, anchor: str) -> list[str]:
    """Texts of the admonitions between the heading ``anchor`` and the next heading."""
    head = site.article(url).find(id=anchor)
    assert head is not None, f"no #{anchor} in {url}"
    found = []
    for sib in head.find_next_siblings():
        if re.fullmatch(r"h[1-6]", sib.name or "") and int(sib.name[1]) <= int(head.name[1]):
            break
        if "admonition" in (sib.get("class") or []):
            found.append(sib.get_text(" ", strip=True))
    return found


def test_missing_and_placeholder_sections_are_flagged_in_place(site: BuiltSite) -> None:
    (flag,) = _admonitions(site, "services/small/runbook/", "on-call")
    assert "runbook-on-call" in flag and "placeholder" in flag
    assert "runbook.on_call" in flag and re.search(r"small\.yaml:\d+", flag)
    assert "on-call rotation" in flag  # the rule's one-line hint
    (flag,) = _admonitions(site, "services/small/architecture/", "resilience")
    assert "arch-redundancy" in flag and "architecture.redundancy" in flag
    assert _admonitions(site, "services/small/runbook/", "escalation") == []
    for doc in ("", "runbook/", "architecture/", "ops-guide/"):
        assert "Missing:" not in site.article(f"services/gold-svc/{doc}").get_text()


def test_gaps_that_do_not_block_are_summed_up_in_one_info_line(site: BuiltSite) -> None:
    # build_site already failed the test on any warning: with warn_gaps: blocking, gaps of
    # services meeting their level (and of experimental ones) are not warnings, so --strict
    # passes; they are debug records (mkdocs build --verbose), counted in one info line.
    assert not any("[runbook-on-call]" in m for m in site.infos)
    (quiet,) = [m for m in site.infos if "gaps that block no build" in m]
    assert re.match(r"opsready: readiness: \d+ gaps that block no build", quiet)
    assert "--verbose" in quiet
    summary = next(m for m in site.infos if m.startswith("opsready: readiness: 3 services"))
    assert "0 below the required level" in summary


def _table(site: BuiltSite, heading: str) -> list[list[Any]]:
    """Rows (cells as (text, hrefs)) of the first table after ``heading`` on the scorecard."""
    article = site.article("scorecard/")
    head = article.find(id=heading)
    assert head is not None, heading
    table = head.find_next("table")
    rows = []
    for tr in table.select("tr"):
        rows.append([(c.get_text(" ", strip=True), [a["href"] for a in c.select("a")])
                     for c in tr.select("th, td")])
    return rows


def _check_json(site: BuiltSite) -> list[dict[str, Any]]:
    cwd = os.getcwd()
    os.chdir(site.root)  # file names as the build printed them
    try:
        from contextlib import redirect_stdout
        from io import StringIO

        out = StringIO()
        with redirect_stdout(out):
            code = main(["check", "service_catalog", "--format", "json", "--all-gaps"])
    finally:
        os.chdir(cwd)
    assert code == 0  # no enforced service below its level
    return json.loads(out.getvalue())


def test_scorecard_page_json_and_check_agree(site: BuiltSite) -> None:
    sc = json.loads((site.site_dir / "scorecard" / "scorecard.json").read_text(encoding="utf-8"))
    by_id = {s["id"]: s for s in sc["services"]}
    assert {k: (v["required"], v["achieved"]) for k, v in by_id.items()} == {
        "gold-svc": ("gold", "gold"), "small": ("bronze", "bronze"), "lab": ("silver", "none")}

    # opsready check, same engine, without building: the same gaps, rule by rule.
    diags = _check_json(site)
    from_check = sorted((Path(d["file"]).stem, d["code"], d["yaml_path"]) for d in diags
                        if d["code"] not in ("readiness-level", "readiness-exemption"))
    from_json = sorted((s["id"], g["rule"], g["yaml_path"]) for s in sc["services"]
                       for g in s["gaps"])
    assert from_check == from_json and from_json

    # The page: one row per service with the same levels and gap counts as the JSON.
    rows = _table(site, "services")
    header = [text for text, _ in rows[0]]
    assert header[:7] == ["Service", "Tier", "Team", "Lifecycle", "Required", "Achieved",
                          "Status"]
    seen = {}
    for row in rows[1:]:
        cells = dict(zip(header, row, strict=True))
        sid = cells["Service"][1][0].strip("/").split("/")[-1]
        seen[sid] = (cells["Required"][0], cells["Achieved"][0], cells["Status"][0],
                     int(cells["Gaps"][0]))
    assert seen == {sid: (s["required"], s["achieved"],
                          "meets" if s["meets_required"] else "not enforced", s["gap_count"])
                    for sid, s in by_id.items()}
    assert "Small <b>svc</b> | x" in [r[0][0] for r in rows[1:]]  # escaped, one cell


def test_matrix_cells_match_the_json_and_link_to_existing_sections(site: BuiltSite) -> None:
    sc = json.loads((site.site_dir / "scorecard" / "scorecard.json").read_text(encoding="utf-8"))
    by_name = {s["name"]: s for s in sc["services"]}
    rows = _table(site, "deliverables-by-service")
    header = [text for text, _ in rows[0]]
    assert header[1:] == [d["name"] for d in sc["deliverables"]]
    words = {"pass": "pass", "fail": "fail", "stale": "stale", "na": "n/a", "exempt": "exempt",
             "expired-exemption": "expired"}
    checked = 0
    for row in rows[1:]:
        service = by_name[row[0][0]]
        for name, (text, hrefs) in zip(header[1:], row[1:], strict=True):
            entry = service["deliverables"].get(name)
            if entry is None:
                assert text == "—" and not hrefs
                continue
            assert text == ("next level" if entry["next_level"] else words[entry["status"]])
            (href,) = hrefs
            page, anchor = href.split("#")
            target = (site.site_dir / "scorecard" / page).resolve() / "index.html"
            assert anchor == entry["section"].split("#")[1]
            assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), href
            checked += 1
    assert checked > 40
    small = by_name["Small <b>svc</b> | x"]
    assert small["deliverables"]["NOC runbook"]["status"] == "fail"
    # Tier 3 requires bronze: its silver on-call gap is next-level information, not a failure.
    assert small["deliverables"]["NOC runbook"]["next_level"] is True
    noc_cell = next(cells for cells in rows[1:] if cells[0][0] == small["name"])[
        header.index("NOC runbook")]
    assert noc_cell[0] == "next level"


def test_badges_and_assets_are_published(site: BuiltSite) -> None:
    for sid, level in (("gold-svc", "gold"), ("small", "bronze"), ("lab", "none")):
        svg = ET.parse(site.site_dir / SitePaths().badge(sid).replace(".md", ""))
        texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
        assert texts == ["readiness", level]
    html = site.html("scorecard/")
    assert '<script src="scorecard.js"></script>' in html
    assert (site.site_dir / "scorecard" / "scorecard.js").is_file()
    assert (site.site_dir / "scorecard" / "scorecard.css").is_file()
    assert not re.search(r'<(script|link)[^>]+(src|href)="https?://', html)


def test_scorecard_sorts_and_filters_in_a_browser(site: BuiltSite) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page()
            page.goto((site.site_dir / "scorecard" / "index.html").as_uri())
            table = page.locator("table").nth(0)  # the services table, first
            def names() -> list[str]:
                return [n.strip() for n in table.locator("tbody tr:visible td:first-child")
                        .all_inner_texts()]
            # Below the required level first, then not enforced, then the others; by tier.
            assert names() == ["Lab", "Gold Svc", "Small <b>svc</b> | x"]
            header = table.locator("th", has_text="Rules passed")
            header.click()
            assert header.get_attribute("aria-sort") == "ascending"
            ordered = names()
            assert ordered[0] == "Lab" and ordered[-1] == "Gold Svc"
            header.click()
            assert names() == list(reversed(ordered))
            page.locator(".opsready-filter").first.fill("not enforced")
            assert names() == ["Lab"]
            assert page.locator(".opsready-count").first.inner_text() == "1 of 3"
        finally:
            browser.close()


def _write_site(root: Path, files: dict[str, str], options: dict[str, Any]) -> None:
    (root / "service_catalog").mkdir(parents=True)
    for name, text in files.items():
        (root / "service_catalog" / name).write_text(text, encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    config = {"site_name": "Failing", "theme": {"name": "material", "font": False},
              "plugins": [{"opsready": {"diagrams": False, **options}}]}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")


def test_removing_a_required_section_fails_mkdocs_build(tmp_path: Path) -> None:
    service = complete_service("payments")
    del service["runbook"]["escalation"]
    _write_site(tmp_path, _catalog(service), {})
    mkdocs = shutil.which("mkdocs", path=str(Path(sys.executable).parent))
    assert mkdocs is not None
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "OPSREADY_TODAY": TODAY}
    proc = subprocess.run([mkdocs, "build"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert "payments (tier 1" in out and "none, requires gold" in out
    assert "[runbook-escalation] runbook.escalation" in out
    assert re.search(r"payments\.yaml:\d+: runbook\.escalation: \[runbook-escalation\]", out)


def test_enforce_false_builds_and_warns(tmp_path: Path) -> None:
    service = complete_service("payments", owner="team-a")
    del service["runbook"]["escalation"]
    site = build_site(tmp_path, _catalog(service), strict=False,
                      opsready={"readiness": True, "enforce": False, "diagrams": False},
                      expect_warnings=[r"diagrams are off",
                                       r"payments\.yaml:\d+: runbook\.escalation: "
                                       r"\[runbook-escalation\] runbook\.escalation is missing",
                                       r"1 service below the required readiness level"])
    assert site.exists("scorecard/")


def test_baselined_gaps_are_marked_as_debt_on_their_pages(tmp_path: Path) -> None:
    """A gap the baseline accepts and one whose entry is past its due date: each flag says so
    in its first line, with the owner and the date; the baseline's text stays text."""
    payments = complete_service("payments", owner="team-a")
    late = complete_service("late", owner="team-b")
    for service in (payments, late):
        del service["runbook"]["escalation"]
    (tmp_path / "readiness-baseline.yaml").write_text(yaml.safe_dump({"version": 1, "entries": [
        {"service": "payments", "rule": "runbook-escalation", "level": "bronze",
         "owner": "team-a", "due": "2026-09-01", "note": "PLAT-123"},
        {"service": "late", "rule": "runbook-escalation", "level": "bronze",
         "owner": "night <b>shift</b> {{ 7*7 }}", "due": "2026-05-01"}]}), encoding="utf-8")
    site = build_site(tmp_path, _catalog(payments, late), strict=False,
                      opsready={"readiness": True, "enforce": False, "diagrams": False},
                      expect_warnings=[r"diagrams are off",
                                       r"late\.yaml:\d+: runbook\.escalation: "
                                       r"\[runbook-escalation\]",
                                       r"1 service below the required readiness level"])
    flags = {}
    for sid in ("payments", "late"):
        (flag,) = site.article(f"services/{sid}/runbook/").select("div.admonition.opsready-debt")
        assert flag.find_previous("h2").get("id") == "escalation"
        assert flag.select_one(".admonition-title").get_text(strip=True) == (
            "Missing: Escalation contacts")
        flags[sid] = flag
    assert flags["payments"].select("p")[1].get_text(" ", strip=True) == (
        "Accepted debt · owner: Team A · due\xa02026-09-01 · PLAT-123")
    assert "opsready-overdue" in flags["late"]["class"]
    line = flags["late"].select("p")[1]
    assert line.get_text(" ", strip=True) == (
        "Overdue debt · owner: night <b>shift</b> {{ 7*7 }} · was\xa0due\xa02026-05-01 · "
        "fails the build again")
    assert [b.get_text() for b in line.find_all(["b", "strong"])] == ["Overdue debt"]
    errors = [m for level, m in site.logs if level >= logging.ERROR]
    assert any("readiness-baseline.yaml:" in m and "was due on 2026-05-01" in m for m in errors)
    # The scorecard's matrix says it too, in words (debt, overdue) with the date on its own
    # line; the other cells keep their status word.
    matrix = site.article("scorecard/").find(id="deliverables-by-service").find_next("table")
    header = [th.get_text(strip=True) for th in matrix.select("thead th")]
    rows = {tr.td.get_text(strip=True): [(" ".join(td.get_text().split()),
                                           [a["href"] for a in td.select("a")])
                                          for td in tr.select("td")]
            for tr in matrix.select("tbody tr")}
    noc = {name: cells[header.index("NOC runbook")] for name, cells in rows.items()}
    assert noc["Payments"] == ("debt 2026-09-01", ["../services/payments/runbook/#escalation"])
    assert noc["Late"] == ("overdue 2026-05-01", ["../services/late/runbook/#escalation"])
    assert {text for cells in rows.values() for text, _ in cells[1:]} == {
        "pass", "debt 2026-09-01", "overdue 2026-05-01"}
    dates = [small.get_text() for small in matrix.select("td > small.opsready-due")]
    assert sorted(dates) == ["2026-05-01", "2026-09-01"]
    legend = site.article("scorecard/").find(id="deliverables-by-service").find_next("p")
    assert "debt marks a deliverable" in legend.get_text(" ", strip=True)


def test_warn_gaps_all_makes_every_gap_a_warning(tmp_path: Path) -> None:
    small = complete_service("small", tier=3, owner="team-a")
    del small["architecture"]["redundancy"]
    build_site(tmp_path, _catalog(small), strict=False,
               opsready={"readiness": True, "warn_gaps": "all", "diagrams": False},
               expect_warnings=[r"diagrams are off",
                                r"small\.yaml:\d+: architecture\.redundancy: \[arch-redundancy\]"])


def test_expired_exemption_fails_the_build(tmp_path: Path) -> None:
    service = complete_service("payments", owner="team-a")
    del service["security"]["secrets"]["rotation"]
    service["exemptions"] = [{"rule": "sec-secret-rotation", "reason": "Vault migration",
                              "approved_by": "CISO", "expires": "2026-05-01"}]
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path, _catalog(service), strict=False,
                   opsready={"readiness": True, "diagrams": False})
    text = "\n".join(failed.value.errors + failed.value.warnings)
    assert "exemption (exemptions[0]) expired on 2026-05-01" in text
    assert "payments (tier 1" in text and "silver, requires gold" in text


def test_policy_file_errors_stop_the_build(tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_text(
        "rules:\n  - id: x\n    title: X\n    section: runbook#escalation\n    level: gold\n"
        "    paths: [runbook.escalaton]\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path, _catalog(complete_service("payments", owner="team-a")),
                   strict=False, opsready={"readiness": True, "diagrams": False,
                                           "policy": "policy.yaml"})
    text = "\n".join(failed.value.errors)
    assert "policy.yaml:6:" in text and "rules[0].paths[0]" in text
    assert "did you mean 'escalation'" in text

"""Readiness over time on a Git repository built in the test (``history_support``): history
points, per-team series, the per-commit cache, shallow clones, and ``check --compare``."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import markdown
import pytest
import yaml

from history_support import EXPECTED, fleet_of, run_git, scripted_repo
from opsready.cli.main import main
from opsready.policy.git_tree import GitError
from opsready.policy.history import build_history


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("history") / "repo"
    return folder, scripted_repo(folder)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("OPSREADY_TODAY", "2026-02-01")


def test_history_points_are_the_hand_computed_ones(repo: tuple[Path, list[str]],
                                                   tmp_path: Path) -> None:
    folder, shas = repo
    run = build_history(folder / "catalog", folder / "policy.yaml", cache_dir=tmp_path / "c")
    points = run.document["points"]
    assert [p["commit"] for p in points] == shas  # the README-only commit is not a point
    assert run.document["schema"] == "opsready-history/1"
    for i, (point, state) in enumerate(zip(points, EXPECTED, strict=True)):
        assert point["error"] is None
        assert point["date"] == f"2026-01-{i + 1:02d}"
        got = {sid: (s["level"], s["gaps"]) for sid, s in point["services"].items()}
        assert got == state, f"step {i + 1}"
        fleet = fleet_of(state)
        assert point["summary"]["levels"] == fleet["levels"]
        assert point["summary"]["gaps"] == fleet["gaps"]
    # Per-team series, by hand: red = alpha + beta, blue = gamma.
    red_gaps = [p["teams"]["red"]["gaps"] for p in points]
    blue_gaps = [p["teams"]["blue"]["gaps"] for p in points]
    assert red_gaps == [6, 5, 3, 1, 1, 2, 1, 1, 1, 1, 2, 1]
    assert blue_gaps == [3, 3, 3, 3, 2, 2, 2, 1, 1, 0, 0, 0]
    assert [p["teams"]["red"]["levels"]["gold"] for p in points] == [
        0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1]


def test_a_second_run_evaluates_no_commit(repo: tuple[Path, list[str]], tmp_path: Path) -> None:
    folder, shas = repo
    first = build_history(folder / "catalog", folder / "policy.yaml", cache_dir=tmp_path / "c")
    assert first.evaluated == shas and first.cached == 0
    second = build_history(folder / "catalog", folder / "policy.yaml", cache_dir=tmp_path / "c")
    assert second.evaluated == [] and second.cached == len(shas)
    assert second.document == first.document


def test_every_week_keeps_the_last_commit_of_each_iso_week(repo: tuple[Path, list[str]],
                                                          tmp_path: Path) -> None:
    folder, shas = repo
    run = build_history(folder / "catalog", folder / "policy.yaml", every="week",
                        cache_dir=tmp_path / "c")
    # 2026-01-01 is a Thursday: weeks end on the 4th and the 11th; the 12th starts a new one.
    assert [p["date"] for p in run.document["points"]] == ["2026-01-04", "2026-01-11",
                                                           "2026-01-12"]
    assert [p["commit"] for p in run.document["points"]] == [shas[3], shas[10], shas[11]]


def test_history_command_writes_json_and_reports_the_cache(repo: tuple[Path, list[str]],
                                                           tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    folder, _ = repo
    out = tmp_path / "h.json"
    args = ["history", str(folder / "catalog"), "--policy", str(folder / "policy.yaml"),
            "-o", str(out), "--cache-dir", str(tmp_path / "c")]
    assert main(args) == 0
    assert "12 commits evaluated, 0 from the cache" in capsys.readouterr().err
    assert len(json.loads(out.read_text(encoding="utf-8"))["points"]) == 12
    assert main(args) == 0
    assert "0 commits evaluated, 12 from the cache" in capsys.readouterr().err


def test_shallow_clone_gets_the_fetch_depth_to_ask_for(repo: tuple[Path, list[str]],
                                                       tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    folder, _ = repo
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{folder}", str(clone)],
                   check=True, capture_output=True)
    with pytest.raises(GitError, match="fetch-depth: 0"):
        build_history(clone / "catalog", clone / "policy.yaml", cache_dir=tmp_path / "c")
    assert main(["history", str(clone / "catalog")]) == 2
    assert "shallow clone" in capsys.readouterr().err


def test_not_a_repository_is_a_clear_error(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "catalog").mkdir()
    assert main(["history", str(tmp_path / "catalog")]) == 2
    assert "not inside a Git work tree" in capsys.readouterr().err


# --- check --compare ---------------------------------------------------------------------------

@pytest.fixture()
def worktree(repo: tuple[Path, list[str]], tmp_path: Path) -> tuple[Path, list[str]]:
    """A clone whose work tree can be moved between the steps."""
    folder, shas = repo
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(folder), str(clone)], check=True,
                   capture_output=True)
    return clone, shas


def _compare(clone: Path, shas: list[str], old: int, new: int, capsys,  # type: ignore[no-untyped-def]
             fmt: str = "json", *extra: str) -> tuple[int, str]:
    run_git(clone, "checkout", "-q", shas[new - 1])
    code = main(["check", str(clone / "catalog"), "--policy", str(clone / "policy.yaml"),
                 "--compare", shas[old - 1], "--format", fmt, *extra])
    return code, capsys.readouterr().out


@pytest.mark.parametrize(("old", "new", "regressions", "improved"), [
    (5, 6, ["alpha"], []),                 # alpha loses its tickets: gold -> silver
    (6, 7, [], ["beta"]),                  # beta gains them: silver -> gold
    (8, 9, ["alpha", "gamma"], []),        # the policy change alone lowers two services
    (10, 11, ["beta"], []),                # beta loses its repository: gold -> none
    (1, 12, [], ["alpha", "beta", "gamma"]),  # beta: none -> none with fewer gaps: better
    (11, 12, [], ["alpha"]),
])
def test_compare_lists_exactly_the_regressions_and_improvements(
        worktree: tuple[Path, list[str]], capsys, old: int, new: int,  # type: ignore[no-untyped-def]
        regressions: list[str], improved: list[str]) -> None:
    clone, shas = worktree
    code, out = _compare(clone, shas, old, new, capsys)
    assert code == 0
    data = json.loads(out)
    assert data["schema"] == "opsready-scorecard-comparison/1"
    assert data["level_regressions"] == regressions
    assert data["improved"] == improved
    assert [s["id"] for s in data["services"] if s["regression"]] == regressions
    # Regressions come first.
    assert [s["id"] for s in data["services"]][:len(regressions)] == regressions


def test_compare_names_gaps_added_and_removed(worktree: tuple[Path, list[str]], capsys) -> None:  # type: ignore[no-untyped-def]
    clone, shas = worktree
    _, out = _compare(clone, shas, 10, 11, capsys)
    beta = next(s for s in json.loads(out)["services"] if s["id"] == "beta")
    assert (beta["old_level"], beta["new_level"]) == ("gold", "none")
    assert beta["gaps_added"] == ["has-repository:repository"]
    assert beta["gaps_removed"] == [] and beta["exemptions_added"] == []
    _, out = _compare(clone, shas, 6, 7, capsys)
    beta = next(s for s in json.loads(out)["services"] if s["id"] == "beta")
    assert beta["gaps_removed"] == ["has-tickets:release"]  # the whole section was missing


def test_fail_on_regression_exits_1(worktree: tuple[Path, list[str]], capsys) -> None:  # type: ignore[no-untyped-def]
    clone, shas = worktree
    assert _compare(clone, shas, 5, 6, capsys, "text", "--fail-on-regression")[0] == 1
    assert _compare(clone, shas, 6, 7, capsys, "text", "--fail-on-regression")[0] == 0


def test_compare_markdown_renders_as_a_table_with_the_regression_first(
        worktree: tuple[Path, list[str]], capsys) -> None:  # type: ignore[no-untyped-def]
    from html.parser import HTMLParser

    clone, shas = worktree
    _, out = _compare(clone, shas, 9, 11, capsys, "markdown")
    html = markdown.markdown(out, extensions=["tables"])

    class Rows(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.rows: list[list[str]] = []
            self.cell: list[str] | None = None

        def handle_starttag(self, tag: str, attrs: object) -> None:
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.cell = []

        def handle_endtag(self, tag: str) -> None:
            if tag in ("td", "th") and self.cell is not None:
                self.rows[-1].append("".join(self.cell).strip())
                self.cell = None

        def handle_data(self, data: str) -> None:
            if self.cell is not None:
                self.cell.append(data)

    parser = Rows()
    parser.feed(html)
    assert "<h4>" in html and "1 regression(s)" in html
    header, *body = parser.rows
    assert header[1:4] == ["Service", "Before", "After"]
    assert body[0][1:4] == ["Beta (beta)", "gold", "none"]
    assert "regression" in body[0][0]
    assert body[0][4] == "has-repository:repository"
    assert [row[1] for row in body] == ["Beta (beta)", "Gamma (gamma)"]


def test_compare_with_an_unknown_ref_is_a_usage_error(worktree: tuple[Path, list[str]],
                                                      capsys) -> None:  # type: ignore[no-untyped-def]
    clone, _ = worktree
    assert main(["check", str(clone / "catalog"), "--compare", "no-such-branch"]) == 2
    assert "unknown Git reference 'no-such-branch'" in capsys.readouterr().err


def test_a_planted_history_entry_is_not_believed(repo: tuple[Path, list[str]],
                                                 tmp_path: Path) -> None:
    folder, shas = repo
    cache = tmp_path / "c"
    build_history(folder / "catalog", folder / "policy.yaml", cache_dir=cache)
    entries = sorted(p for p in (cache / "history").glob("*/*") if p.is_file())
    assert len(entries) == len(shas)
    forged = entries[0].read_text(encoding="utf-8").replace('"gold"', '"none"')
    entries[0].write_text(forged, encoding="utf-8")  # the signature no longer matches
    again = build_history(folder / "catalog", folder / "policy.yaml", cache_dir=cache)
    assert len(again.evaluated) == 1 and again.cached == len(shas) - 1


def test_exemptions_added_and_regressions_first_in_the_comparison() -> None:
    from opsready.scorecard.compare import compare_scorecards

    def sc(level_a: str, exempt: bool, level_b: str) -> dict[str, object]:
        return {"schema": "opsready-scorecard/1", "date": "d", "services": [
            {"id": "a", "name": "A", "achieved": level_a, "percent": 50.0,
             "rules": {"r1": "exempt" if exempt else "fail"}, "gaps": []},
            {"id": "b", "name": "B", "achieved": level_b, "percent": 50.0,
             "rules": {"r1": "pass"}, "gaps": []}]}

    cmp = compare_scorecards(sc("bronze", False, "gold"), sc("silver", True, "silver"))
    assert [c.id for c in cmp.changes] == ["b", "a"]  # b lost a level: first
    assert [c.id for c in cmp.regressions] == ["b"]
    a = next(c for c in cmp.changes if c.id == "a")
    assert a.exemptions_added == ["r1"] and not a.regression


def test_compare_only_options_need_compare(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "catalog").mkdir()
    for extra in (["--format", "markdown"], ["--fail-on-regression"], ["-o", "x.md"]):
        assert main(["check", str(tmp_path / "catalog"), *extra]) == 2
        assert "go with --compare REF" in capsys.readouterr().err
    assert main(["check", str(tmp_path / "catalog"), "--compare", "HEAD", "--format",
                 "junit"]) == 2
    assert "--compare prints text, json, markdown" in capsys.readouterr().err


def test_compare_lists_the_baseline_debt_added(worktree: tuple[Path, list[str]], capsys) -> None:  # type: ignore[no-untyped-def]
    """A baseline written in the work tree (not at the old commit): the gaps it accepts are
    debt added, read through the same verdict as the build (``site_readiness``)."""
    clone, shas = worktree
    run_git(clone, "checkout", "-q", shas[5])
    catalog, policy = clone / "catalog", clone / "policy.yaml"
    assert main(["baseline", str(catalog), "--policy", str(policy)]) == 0
    baseline = (clone / "readiness-baseline.yaml").read_text(encoding="utf-8")
    accepted = {(e["service"], e["rule"]) for e in yaml.safe_load(baseline)["entries"]}
    assert accepted  # the step has gaps that fail the build
    capsys.readouterr()
    main(["check", str(catalog), "--policy", str(policy), "--compare", shas[5],
          "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    added = {(s["id"], r) for s in doc["services"] for r in s["debt_added"]}
    assert added == accepted

"""Cache correctness, as a property over a small copy of the example catalog: whatever input
changes (a service file, a ``{file: ...}`` Markdown file, a team page, a template, the policy,
an option, the date, the readiness baseline, the code), a warm run produces exactly what a cold
run produces, byte for byte, for ``opsready check`` in every format and for the tree ``opsready
generate`` writes (the scorecard page too, whose matrix marks baselined gaps); and undoing the
change gives the old result back (an unmerged change's entries are never published by the next
run of the reviewed files)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from opsready.cli.main import main

# Each case runs check and generate cold and warm many times: out of the fast target.
pytestmark = pytest.mark.build

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "service_catalog"
SUBSET = ("teams.yaml", "organisation.yaml", "payments", "ledger", "notifications.yaml",
          "customer-profile", "parcel-tracking.yaml")
FORMATS = ("text", "json", "github", "junit")
TODAY = "2026-11-26"
POLICY = "name: Site policy\nrequired_levels: {3: bronze}\n"


@pytest.fixture()
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "site"
    for name in SUBSET:
        source = EXAMPLE / name
        target = root / "service_catalog" / name
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
    docs = root / "docs"
    (docs / "services" / "payments").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (docs / "services" / "payments" / "notes.md").write_text("# Payment notes\n\nText.\n",
                                                            encoding="utf-8")
    (root / "templates").mkdir()
    (root / "templates" / "alert.md.j2").write_text(
        "# {{ alert.name }}\n\nAlert of {{ service.name }}.\n", encoding="utf-8")
    (root / "policy.yaml").write_text(POLICY, encoding="utf-8")
    config = {"site_name": "Small", "theme": {"name": "material", "font": False},
              "plugins": ["search", {"opsready": {"diagrams": False, "policy": "policy.yaml",
                                                  "enforce": False}}]}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("OPSREADY_TODAY", TODAY)
    return root


class Runs:
    """Check and generate, warm (one cache kept across runs) or cold (a new, empty cache)."""

    def __init__(self, site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                 capsys: pytest.CaptureFixture[str]) -> None:
        self.site, self.tmp, self.monkeypatch, self.capsys = site, tmp_path, monkeypatch, capsys
        self.warm = tmp_path / "warm-cache"
        self.count = 0
        self.check_args: list[str] = []

    def _fresh(self, name: str) -> Path:
        self.count += 1
        return self.tmp / f"{name}-{self.count}"

    def check(self, warm: bool) -> dict[str, tuple[int, str]]:
        cache = ["--cache-dir", str(self.warm / "check")] if warm else ["--no-cache"]
        found = {}
        for fmt in FORMATS:
            code = main(["check", "service_catalog", "--format", fmt, "--policy", "policy.yaml",
                         *self.check_args, *cache])
            out, err = self.capsys.readouterr()
            found[fmt] = (code, out + "\n--- stderr ---\n" + err)
        return found

    def generate(self, warm: bool) -> dict[str, bytes]:
        home = self.warm if warm else self._fresh("cold-cache")
        self.monkeypatch.setenv("XDG_CACHE_HOME", str(home))
        out = self._fresh("out")
        code = main(["generate", "--out", str(out)])
        self.capsys.readouterr()
        assert code == 0
        return {p.relative_to(out).as_posix(): p.read_bytes()
                for p in sorted(out.rglob("*")) if p.is_file()}

    def both(self, warm: bool) -> tuple[dict[str, tuple[int, str]], dict[str, bytes]]:
        return self.check(warm), self.generate(warm)


def _edit(path: Path, old: str, new: str) -> Callable[[], None]:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return lambda: path.write_text(text, encoding="utf-8")


def _set_option(site: Path, **options: object) -> Callable[[], None]:
    path = site / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    config = yaml.safe_load(text)
    config["plugins"][1]["opsready"].update(options)
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return lambda: path.write_text(text, encoding="utf-8")


CHANGES: dict[str, tuple[Callable[[Path, Runs, pytest.MonkeyPatch], Callable[[], None]],
                         bool]] = {
    # name: (apply the change, returning its undo; whether check's output must change)
    "service file": (lambda s, r, m: _edit(s / "service_catalog" / "notifications.yaml",
                                           "\nname: ", "\nname: Renamed "), False),
    "file reference": (lambda s, r, m: _replace(s / "service_catalog" / "payments" /
                                                "capacity-plan.md", "TODO\n"), True),
    "team page": (lambda s, r, m: _edit(s / "docs" / "services" / "payments" / "notes.md",
                                        "# Payment notes", "# Payment runbook notes"), False),
    "template": (lambda s, r, m: _edit(s / "templates" / "alert.md.j2", "Alert of",
                                       "Page of"), False),
    "policy": (lambda s, r, m: _edit(s / "policy.yaml", "{3: bronze}",
                                     "{1: gold, 2: gold, 3: gold}"), True),
    "option": (lambda s, r, m: _options_and_flags(s, r), True),
    "date": (lambda s, r, m: _date(m), True),
    "baseline": (lambda s, r, m: _baseline(s), True),
}


def _baseline(site: Path) -> Callable[[], None]:
    """A readiness baseline beside the policy (none before): an entry past its due date for a
    gap of parcel-tracking. Its pages mark the gap as overdue debt; check reports the entry."""
    path = site / "readiness-baseline.yaml"
    assert not path.exists()
    path.write_text("version: 1\nentries:\n  - {service: parcel-tracking, rule: arch-redundancy,"
                    " level: gold, owner: platform, due: 2026-10-01}\n", encoding="utf-8")
    return path.unlink


def _replace(path: Path, text: str) -> Callable[[], None]:
    old = path.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    return lambda: path.write_text(old, encoding="utf-8")


def _options_and_flags(site: Path, runs: Runs) -> Callable[[], None]:
    undo = _set_option(site, chat_url="https://chat.example/{name}", prefix="ops")
    runs.check_args = ["--all-gaps"]

    def undo_both() -> None:
        undo()
        runs.check_args = []
    return undo_both


def _date(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    monkeypatch.setenv("OPSREADY_TODAY", "2028-06-01")  # every review is stale by then
    return lambda: monkeypatch.setenv("OPSREADY_TODAY", TODAY)


def test_warm_equals_cold_for_every_kind_of_input_and_undoing_restores(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    runs = Runs(site, tmp_path, monkeypatch, capsys)
    base_check, base_tree = runs.both(warm=False)
    assert runs.both(warm=True) == (base_check, base_tree)  # fills the warm cache
    assert base_check["text"][0] == 0 and len(base_tree) > 40
    for name, (change, check_changes) in CHANGES.items():
        undo = change(site, runs, monkeypatch)
        warm_check, warm_tree = runs.both(warm=True)
        cold_check, cold_tree = runs.both(warm=False)
        assert warm_check == cold_check, name
        assert warm_tree == cold_tree, name
        assert warm_tree != base_tree, f"{name}: the change shows in the generated pages"
        if name == "baseline":  # on the service's own pages and in the scorecard's matrix
            assert any("**Overdue debt** · owner: ".encode() in body for path, body in
                       warm_tree.items() if path.startswith("services/parcel-tracking/"))
            overdue = (b"[overdue](../services/parcel-tracking/architecture.md#resilience) "
                       b'<small class="opsready-due"><span>2026-</span><wbr><span>10-01</span>')
            assert overdue in warm_tree["scorecard/index.md"]
            assert overdue not in base_tree["scorecard/index.md"]
        if check_changes:
            assert warm_check != base_check, f"{name}: the change shows in the check"
        undo()
        assert runs.both(warm=True) == (base_check, base_tree), f"{name}: undone"


def test_the_file_reference_defect_of_issue_21(site: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A tier-1 service's capacity plan replaced by TODO: a warm check fails as a cold one."""
    cache = str(tmp_path / "cache")
    args = ["check", "service_catalog", "--policy", "policy.yaml", "--cache-dir", cache]
    assert main(args) == 0
    undo = _replace(site / "service_catalog" / "payments" / "capacity-plan.md", "TODO\n")
    assert main(args) == 1
    assert "capacity_plan file 'capacity-plan.md' holds only placeholder text" in \
        capsys.readouterr().out
    undo()
    assert main(args) == 0  # and the TODO the change stored is not the reviewed text's


@pytest.fixture()
def package_copy(tmp_path: Path) -> Iterator[Path]:
    """A copy of the installed opsready package, to change one line of its code."""
    target = tmp_path / "pkg"
    shutil.copytree(ROOT / "plugins" / "opsready", target / "opsready",
                    ignore=shutil.ignore_patterns("__pycache__"))
    yield target


def test_a_code_change_is_a_new_salt(site: Path, package_copy: Path, tmp_path: Path) -> None:
    """Change the text of a readiness message in the code: a warm check prints the new text,
    exactly as a cold one."""
    env = {**os.environ, "OPSREADY_TODAY": TODAY, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    cache = str(tmp_path / "salted-cache")

    def check(package: Path, *flags: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "opsready", "check", "service_catalog", "--format", "json",
             "--policy", "policy.yaml", *flags], cwd=site, capture_output=True, text=True,
            env={**env, "PYTHONPATH": str(package)}, check=False)
        return done.stdout
    _replace(site / "service_catalog" / "payments" / "capacity-plan.md", "TODO\n")
    before = check(package_copy, "--cache-dir", cache)
    assert "fill in the gaps reported for this file" in before
    _edit(package_copy / "opsready" / "policy" / "report.py",
          "fill in the gaps reported for this file", "complete the gaps of this file")
    warm = check(package_copy, "--cache-dir", cache)
    assert warm == check(package_copy, "--no-cache") != before
    assert "complete the gaps of this file" in warm


def test_a_template_change_in_the_package_is_a_new_salt(site: Path, package_copy: Path,
                                                        tmp_path: Path) -> None:
    """Upgrade opsready with a changed packaged template: warm ``generate`` writes the new
    pages, exactly as a cold one."""
    def generate(package: Path, home: Path) -> dict[str, bytes]:
        out = tmp_path / f"out-{len(list(tmp_path.glob('out-*')))}"
        subprocess.run([sys.executable, "-m", "opsready", "generate", "--out", str(out)],
                       cwd=site, capture_output=True, check=True,
                       env={**os.environ, "OPSREADY_TODAY": TODAY, "XDG_CACHE_HOME": str(home),
                            "PYTHONPATH": str(package)})
        return {p.relative_to(out).as_posix(): p.read_bytes()
                for p in sorted(out.rglob("*")) if p.is_file()}
    warm_home = tmp_path / "warm"
    before = generate(package_copy, warm_home)
    _edit(package_copy / "opsready" / "templates" / "runbook.md.j2", "\n", "\n<!-- v2 -->\n")
    warm = generate(package_copy, warm_home)
    assert warm == generate(package_copy, tmp_path / "cold") != before
    assert b"<!-- v2 -->" in warm["services/payments/runbook.md"]


def test_a_warm_mkdocs_build_publishes_the_file_reference_as_a_cold_one(tmp_path: Path) -> None:
    """The one warm ``mkdocs build`` case: the caches of pages and converted HTML, and the
    search index, follow a ``{file: ...}`` Markdown file; and undoing the change publishes the
    reviewed text again, not the unmerged one the cache saw."""
    from conftest import build_site, rich_catalog

    warm = {"cache_dir": str(tmp_path / "warm"), "diagrams": False}
    warnings = [r"diagrams are off"]

    def page(overview: str, options: dict[str, object], name: str) -> tuple[str, bytes]:
        site = build_site(tmp_path / name, rich_catalog(overview), opsready=options,
                          strict=False, expect_warnings=warnings)
        index = (site.site_dir / "search" / "search_index.json").read_bytes()
        return site.html("services/checkout/"), index

    reviewed = page("Checkout **takes** the basket.\n", warm, "a")
    changed = page("Checkout **planted** words.\n", warm, "a")
    assert "planted" in changed[0] and b"planted" in changed[1]
    cold = {"cache_dir": str(tmp_path / "cold"), "diagrams": False}
    assert changed == page("Checkout **planted** words.\n", cold, "b")
    assert page("Checkout **takes** the basket.\n", warm, "a") == reviewed

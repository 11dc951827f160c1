"""``opsready init``: a repository that checks and builds with nothing but pip; never overwrites;
the pre-commit hooks of this repository and of the new one are well formed and run."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import yaml

from opsready.cli import main
from opsready.init_site import FILES

REPO = Path(__file__).resolve().parents[1]


def test_init_builds_and_checks_without_graphviz(tmp_path: Path, capsys) -> None:
    target = tmp_path / "docs-repo"
    assert main(["init", str(target), "--site-name", "Acme operations", "--team", "sre"]) == 0
    for _, destination in FILES:
        assert (target / destination).is_file(), destination
    assert main(["check", str(target / "service_catalog"), "--no-cache"]) == 0
    assert "0 errors" in capsys.readouterr().err
    # A real strict build, with a PATH that has no Graphviz: pip-installed tools only.
    env = {**os.environ, "PATH": str(Path(sys.executable).parent),
           "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=target,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Graphviz (dot) not found" in done.stderr
    page = (target / "site" / "services" / "example-service" / "index.html").read_text(
        encoding="utf-8")
    assert "Example service" in page
    assert "Acme operations" in (target / "site" / "index.html").read_text(encoding="utf-8")


def test_init_never_overwrites(tmp_path: Path, capsys) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: mine\n", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: mine\n"
    assert f"kept {tmp_path / 'mkdocs.yml'}" in out
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert main(["init", str(tmp_path)]) == 0
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
    assert "wrote" not in capsys.readouterr().out


def test_init_refuses_bad_names(tmp_path: Path, capsys) -> None:
    assert main(["init", str(tmp_path / "x"), "--team", "Bad_Team"]) == 2
    assert main(["init", str(tmp_path / "x"), "--site-name", "a: {b}"]) == 2
    assert not (tmp_path / "x").exists()


def test_ci_workflows_run_the_gate_and_the_comparison(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path)]) == 0
    github = yaml.safe_load((tmp_path / ".github/workflows/docs.yml").read_text())
    steps = [s.get("run", "") for s in github["jobs"]["build"]["steps"]]
    assert any("opsready check" in s for s in steps)
    assert any("mkdocs build --strict" in s for s in steps)
    assert any("opsready check service_catalog --compare" in s and "--format markdown" in s
               and "GITHUB_STEP_SUMMARY" in s for s in steps)
    assert any("gh pr comment" in s for s in steps)
    uses = [s.get("uses", "") for job in github["jobs"].values() for s in job["steps"]]
    assert any(u.startswith("actions/deploy-pages") for u in uses)
    assert any(u.startswith("actions/cache") for u in uses)
    gitlab = yaml.safe_load((tmp_path / ".gitlab-ci.yml").read_text())
    assert "public" in gitlab["pages"]["artifacts"]["paths"]
    assert any("--compare FETCH_HEAD --format markdown" in line
               for line in gitlab["scorecard"]["script"])


def _hooks(path: Path) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data if isinstance(data, list) else [h for r in data["repos"] for h in r["hooks"]]


def _run_hook(hook: dict, cwd: Path) -> int:
    argv = shlex.split(hook["entry"]) + list(hook.get("args", []))
    scripts = {ep.name for ep in entry_points(group="console_scripts")
               if ep.dist is not None and ep.dist.name == "opsready"}
    assert argv[0] in scripts  # the entry is a console script the package installs
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return main(argv[1:])
    finally:
        os.chdir(old)


def test_pre_commit_hooks_are_well_formed_and_check_the_catalog(tmp_path: Path) -> None:
    hooks = _hooks(REPO / ".pre-commit-hooks.yaml")
    assert [h["id"] for h in hooks] == ["opsready-check"]
    hook = hooks[0]
    for key in ("id", "name", "entry", "language"):
        assert isinstance(hook[key], str) and hook[key]
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    assert main(["init", str(tmp_path)]) == 0
    local = _hooks(tmp_path / ".pre-commit-config.yaml")
    for h in (hook, *local):
        assert _run_hook(h, tmp_path) == 0
    (tmp_path / "service_catalog" / "broken.yaml").write_text("id: broken\n", encoding="utf-8")
    for h in (hook, *local):
        assert _run_hook(h, tmp_path) == 1


def test_a_folder_that_cannot_be_written_is_an_error_not_a_traceback(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "/proc/opsready-cannot-exist"]) == 1
    err = capsys.readouterr().err
    assert "opsready init: error: /proc/opsready-cannot-exist/" in err and "Traceback" not in err

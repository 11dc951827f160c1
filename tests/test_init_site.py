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

from opsready.cli.init_site import FILES
from opsready.cli.main import main

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
    assert "not included in the \"nav\"" not in done.stderr  # fleet map's entry left out
    assert "left out: no fleet map was drawn" in done.stderr
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


# -- how the new repository installs opsready (direct_url.json, PEP 610) ----------------------

def test_requirement_from_an_index_is_pinned() -> None:
    from opsready.cli.init_site import install_source, requirements_text

    req = install_source("1.2.3", None)
    assert req.line == "opsready==1.2.3" and req.wheel is None
    lines = [ln for ln in requirements_text(req).splitlines() if not ln.startswith("#")]
    assert lines == ["opsready==1.2.3"]


def test_requirement_from_git_keeps_the_url_and_revision() -> None:
    from opsready.cli.init_site import install_source

    req = install_source("1.2.3", {"url": "https://git.example.com/ops/opsready.git",
                                   "vcs_info": {"vcs": "git", "requested_revision": "v1.2.3",
                                                "commit_id": "abc123"}})
    assert req.line == "opsready @ git+https://git.example.com/ops/opsready.git@v1.2.3"
    unpinned = install_source("1.2.3", {"url": "https://h/o.git",
                                        "vcs_info": {"vcs": "git", "commit_id": "abc123"}})
    assert unpinned.line.endswith("@abc123")


def test_requirement_from_a_local_wheel_copies_it_into_vendor(tmp_path: Path) -> None:
    from opsready.cli.init_site import InitOptions, init_site, install_source

    wheel = tmp_path / "dist" / "opsready-1.2.3-py3-none-any.whl"
    wheel.parent.mkdir()
    wheel.write_bytes(b"PK wheel")
    req = install_source("1.2.3", {"url": wheel.as_uri(), "archive_info": {}})
    assert req.line == "./vendor/opsready-1.2.3-py3-none-any.whl" and req.wheel == wheel
    report = init_site(tmp_path / "site", InitOptions(), req)
    assert (tmp_path / "site" / "vendor" / wheel.name).read_bytes() == b"PK wheel"
    text = (tmp_path / "site" / "requirements.txt").read_text(encoding="utf-8")
    assert "\n./vendor/opsready-1.2.3-py3-none-any.whl\n" in text and not report.notes


def test_requirement_from_a_local_folder_says_what_to_replace(tmp_path: Path) -> None:
    from opsready.cli.init_site import InitOptions, init_site, install_source

    req = install_source("1.2.3", {"url": "file:///home/me/opsready",
                                   "dir_info": {"editable": True}})
    assert "/home/me/opsready" not in req.line  # never a path CI cannot reach
    assert req.comment.startswith("# REPLACE") and "git+https://" in req.comment
    report = init_site(tmp_path / "site", InitOptions(), req)
    assert report.notes and "replace" in report.notes[0]
    gone = install_source("1.2.3", {"url": (tmp_path / "gone.whl").as_uri(),
                                    "archive_info": {}})
    assert gone.wheel is None and gone.comment.startswith("# REPLACE")


def test_generate_then_plugin_build_is_strict_clean_and_gitignored(tmp_path: Path) -> None:
    """The README's commands in order: init, generate (writes docs/), a strict plugin build.
    The plugin recognises generate's files by its manifest; .gitignore covers every one."""
    import json

    target = tmp_path / "docs-repo"
    assert main(["init", str(target)]) == 0
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    env.pop("NO_MKDOCS_2_WARNING", None)
    done = subprocess.run([sys.executable, "-m", "opsready", "generate"], cwd=target, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    manifest = json.loads((target / "docs" / ".opsready-generated.json").read_text())
    assert "services/example-service/runbook.md" in manifest["files"]
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=target,
                          env={**env, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "WARNING" not in done.stderr and "Traceback" not in done.stderr
    assert "DeprecationWarning" not in done.stderr
    assert "not included in the \"nav\"" not in done.stderr
    assert "written by 'opsready generate'" in done.stderr
    subprocess.run(["git", "init", "-q", str(target)], check=True)
    listed = [f"docs/{rel}" for rel in manifest["files"]] + ["docs/.opsready-generated.json"]
    ignored = subprocess.run(["git", "check-ignore", "--no-index", *listed], cwd=target,
                             capture_output=True, text=True).stdout.split()
    assert sorted(ignored) == sorted(listed)
    kept = subprocess.run(["git", "check-ignore", "--no-index", "docs/index.md",
                           "docs/services/example-service/notes.md", "service_catalog/teams.yaml"],
                          cwd=target, capture_output=True, text=True).stdout
    assert kept == ""  # the site's own pages are not ignored


def test_init_mkdocs_yml_has_the_search_separator_and_the_fleet_map(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path)]) == 0
    text = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    config = yaml.safe_load(text.replace("{site_name}", "x"))
    search = next(p["search"] for p in config["plugins"] if isinstance(p, dict) and "search" in p)
    assert "(?=[A-Z][a-z])" in search["separator"]
    assert {"Fleet map": "architecture/fleet-map.md"} in config["nav"]


def test_mkdocs_macros_chatter_is_quiet_unless_verbose() -> None:
    import logging

    from opsready.mkdocs_plugin.macros import MACROS_LOGGER, quiet_macros_log

    macros_log, mkdocs_log = logging.getLogger(MACROS_LOGGER), logging.getLogger("mkdocs")
    saved = (macros_log.level, mkdocs_log.level)
    try:
        macros_log.setLevel(logging.NOTSET)
        mkdocs_log.setLevel(logging.INFO)
        quiet_macros_log()
        assert not macros_log.isEnabledFor(logging.INFO)
        assert macros_log.isEnabledFor(logging.WARNING)  # its warnings still count
        macros_log.setLevel(logging.NOTSET)
        mkdocs_log.setLevel(logging.DEBUG)  # mkdocs build --verbose
        quiet_macros_log()
        assert macros_log.isEnabledFor(logging.INFO)
    finally:
        macros_log.setLevel(saved[0])
        mkdocs_log.setLevel(saved[1])


def test_ci_workflows_silence_the_end_of_life_banner(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path)]) == 0
    github = yaml.safe_load((tmp_path / ".github" / "workflows" / "docs.yml").read_text())
    gitlab = yaml.safe_load((tmp_path / ".gitlab-ci.yml").read_text())
    assert github["env"]["NO_MKDOCS_2_WARNING"] == "1"
    assert gitlab["variables"]["NO_MKDOCS_2_WARNING"] == "1"
    # both install opsready from requirements.txt, which names how to get it
    assert "pip install -r requirements.txt" in (tmp_path / ".gitlab-ci.yml").read_text()
    assert "pip install -r requirements.txt" in (
        tmp_path / ".github" / "workflows" / "docs.yml").read_text()

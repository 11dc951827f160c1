"""The README's setup script: when everything is installed already it changes nothing and
succeeds, with and without --test (a failing `&&` under `set -e` once broke the first command)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs the setup script

REPO = Path(__file__).parents[1]


def _axe_version() -> str:
    found = re.search(r"^AXE_VERSION=(\S+)$", (REPO / "scripts" / "setup.sh").read_text(),
                      re.MULTILINE)
    assert found is not None, "setup.sh pins no axe-core version"
    return found.group(1)


@pytest.mark.parametrize("args", [[], ["--test"]])
def test_setup_is_idempotent_when_everything_is_there(tmp_path: Path, args: list[str]) -> None:
    if shutil.which("dot") is None or (args and not Path("/usr/bin/chromium").exists()):
        pytest.skip("this test checks the no-install path: Graphviz (and chromium) present")
    (tmp_path / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "setup.sh", tmp_path / "scripts" / "setup.sh")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    venv_bin = tmp_path / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    python = venv_bin / "python"
    python.write_text("#!/bin/sh\necho \"unexpected: $*\" >&2\nexit 3\n", encoding="utf-8")
    python.chmod(0o755)
    for stamp in (".opsready-installed", ".opsready-installed-test"):
        (tmp_path / ".venv" / stamp).touch()  # newer than pyproject.toml: nothing to install
    axe = tmp_path / ".venv" / "node" / "node_modules" / "axe-core"
    axe.mkdir(parents=True)  # the pinned axe-core is there: npm is not called
    (axe / "package.json").write_text(f'{{"name": "axe-core", "version": "{_axe_version()}"}}',
                                      encoding="utf-8")
    proc = subprocess.run(["bash", "scripts/setup.sh", *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "setup: ready" in proc.stderr and "unexpected" not in proc.stderr


def test_setup_test_installs_the_pinned_axe_core_with_npm_when_it_is_missing(
        tmp_path: Path) -> None:
    if shutil.which("dot") is None or not Path("/usr/bin/chromium").exists():
        pytest.skip("this test checks the axe-core step only: Graphviz and chromium present")
    (tmp_path / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "setup.sh", tmp_path / "scripts" / "setup.sh")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "python").symlink_to(shutil.which("true") or "/bin/true")
    (tmp_path / ".venv" / ".opsready-installed-test").touch()
    # An older axe-core is installed: the pinned one replaces it. A stand-in npm records its call.
    old = tmp_path / ".venv" / "node" / "node_modules" / "axe-core"
    old.mkdir(parents=True)
    (old / "package.json").write_text('{"version": "3.0.0"}', encoding="utf-8")
    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir()
    npm = bin_dir / "npm"
    npm.write_text(f'#!/bin/sh\necho "$*" >> "{tmp_path}/npm.log"\n', encoding="utf-8")
    npm.chmod(0o755)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path)}
    for _ in range(2):
        proc = subprocess.run(["bash", "scripts/setup.sh", "--test"], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        (old / "package.json").write_text(f'{{"version": "{_axe_version()}"}}', encoding="utf-8")
    calls = (tmp_path / "npm.log").read_text().splitlines()
    assert len(calls) == 1, calls  # the second run found the pinned version and did nothing
    assert "--prefix .venv/node" in calls[0] and f"axe-core@{_axe_version()}" in calls[0]

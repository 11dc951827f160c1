"""The README's setup script: when everything is installed already it changes nothing and
succeeds, with and without --test (a failing `&&` under `set -e` once broke the first command)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).parents[1]


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
    proc = subprocess.run(["bash", "scripts/setup.sh", *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "setup: ready" in proc.stderr and "unexpected" not in proc.stderr

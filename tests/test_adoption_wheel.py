"""Adopting opsready as a new organisation would, from a wheel in a fresh virtual environment.

The wheel is built once per session from this checkout; the fresh environment sees the shared
environment's dependencies through a ``.pth`` file (offline: nothing is downloaded) and opsready
only from the wheel (checked). Then the README's commands: ``init``, ``import backstage`` of the
public example entities with ``--baseline``, ``check`` and ``mkdocs build --strict`` pass; a new
gap on a baselined service fails both, naming it; a date past the due date fails them, naming the
baseline entry; a fixed gap is pruned by ``baseline --prune``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from corpora import corpus

ROOT = Path(__file__).resolve().parent.parent
BACKSTAGE = corpus("backstage-examples")
TODAY = "2026-11-26"


@dataclass(frozen=True)
class Env:
    """A fresh virtual environment with opsready installed from the wheel."""

    bin: Path
    wheel: Path

    def run(self, *args: str, cwd: Path, today: str = TODAY,
            check: bool | None = None) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        env.update(OPSREADY_TODAY=today, NO_MKDOCS_2_WARNING="1", PATH=f"{self.bin}:/usr/bin:/bin")
        # mkdocs is a dependency from the shared environment: its module, the venv's Python
        command = ([str(self.bin / "python"), "-m", "mkdocs"] if args[0] == "mkdocs"
                   else [str(self.bin / args[0])])
        done = subprocess.run([*command, *args[1:]], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=600)
        if check is not None:
            assert (done.returncode == 0) == check, (args, done.stdout[-4000:],
                                                     done.stderr[-4000:])
        return done


@pytest.fixture(scope="session")
def wheel_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    base = tmp_path_factory.mktemp("wheel")
    # Built from a copy of what the wheel is made of: setuptools leaves build/ in the tree it
    # builds, and a stale build/lib would put deleted modules into the next wheel.
    source = base / "src"
    shutil.copytree(ROOT / "plugins", source / "plugins",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps",
                            "-w", str(base / "dist"), "-q"],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (base / "dist").glob("opsready-*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    purelib = Path(subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_path("
         "'purelib'))"], capture_output=True, text=True, check=True).stdout.strip())
    # without PYTHONPATH: pip must not find the source tree's opsready "already installed"
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    installed = subprocess.run([sys.executable, "-m", "pip", "--python",
                                str(venv / "bin" / "python"), "install", "--no-deps",
                                "--no-index", "-q", str(wheel)],
                               capture_output=True, text=True, timeout=600, env=clean)
    assert installed.returncode == 0, installed.stderr[-3000:]
    # then the shared environment's dependencies, after the venv's own site-packages
    (purelib / "shared-deps.pth").write_text(sysconfig.get_path("purelib") + "\n",
                                             encoding="utf-8")
    yield Env(venv / "bin", wheel)


def test_opsready_comes_from_the_wheel(wheel_env: Env, tmp_path: Path) -> None:
    done = wheel_env.run("python", "-c", "import opsready, mkdocs; print(opsready.__file__)",
                         cwd=tmp_path, check=True)
    where = Path(done.stdout.strip())
    assert where.is_relative_to(wheel_env.bin.parent), where  # not the source tree
    assert not where.is_relative_to(ROOT)


@pytest.mark.skipif(BACKSTAGE is None, reason="shared/corpora/backstage-examples is absent")
def test_adopting_a_backstage_fleet_with_a_baseline(wheel_env: Env, tmp_path: Path) -> None:
    site = tmp_path / "ops-docs"
    wheel_env.run("opsready", "init", str(site), cwd=tmp_path, check=True)
    # installed from a wheel: CI installs the same wheel, copied into the repository
    requirements = (site / "requirements.txt").read_text(encoding="utf-8")
    assert f"./vendor/{wheel_env.wheel.name}" in requirements.splitlines()
    assert (site / "vendor" / wheel_env.wheel.name).is_file()

    done = wheel_env.run("opsready", "import", "backstage", str(BACKSTAGE), "--baseline",
                         cwd=site, check=True)
    assert "teams.yaml (no existing entry changed)" in done.stdout
    assert (site / "readiness-baseline.yaml").is_file()
    done = wheel_env.run("opsready", "check", cwd=site, check=True)
    assert "0 below the required level" in done.stderr
    done = wheel_env.run("mkdocs", "build", "--strict", cwd=site, check=True)
    assert "WARNING" not in done.stderr
    scorecard = (site / "site" / "scorecard" / "index.html").read_text(encoding="utf-8")
    assert "Readiness debt" in scorecard

    # a new gap on a baselined service fails the build, naming the service and the rule
    path = site / "service_catalog" / "searcher.yaml"
    original = path.read_text(encoding="utf-8")
    assert "description: Searcher\n" in original
    path.write_text(original.replace("description: Searcher\n", "description: TODO\n"),
                    encoding="utf-8")  # still valid, but a placeholder: a new gap
    done = wheel_env.run("opsready", "check", cwd=site, check=False)
    assert "searcher.yaml" in done.stdout and "[identity-description]" in done.stdout
    done = wheel_env.run("mkdocs", "build", "--strict", cwd=site, check=False)
    assert "searcher" in done.stderr and "identity-description" in done.stderr
    path.write_text(original, encoding="utf-8")

    # past the due date: the baseline entries fail, named with the file and line
    due = yaml.safe_load((site / "readiness-baseline.yaml").read_text())["entries"][0]["due"]
    late = due.replace(year=due.year + 1).isoformat()
    done = wheel_env.run("opsready", "check", cwd=site, today=late, check=False)
    assert "readiness-baseline.yaml:7:" in done.stdout and "was due on" in done.stdout
    done = wheel_env.run("mkdocs", "build", "--strict", cwd=site, today=late, check=False)
    assert "readiness-baseline.yaml:7:" in done.stderr and "past the due date" in done.stderr

    # a fixed gap is reported as removable, and --prune removes its entry
    path.write_text(original.replace("tier: 3\n",
                                     "tier: 3\nrepository: https://git.example.com/searcher\n"),
                    encoding="utf-8")
    done = wheel_env.run("opsready", "check", "--all-gaps", cwd=site, check=True)
    assert "searcher" in done.stdout and "remove it" in done.stdout
    done = wheel_env.run("opsready", "baseline", "--prune", cwd=site, check=True)
    assert "1 removed" in done.stdout
    entries = yaml.safe_load((site / "readiness-baseline.yaml").read_text())["entries"]
    assert ("searcher", "identity-repository") not in {(e["service"], e["rule"])
                                                       for e in entries}
    assert any(e["service"] == "searcher" for e in entries)
    wheel_env.run("mkdocs", "build", "--strict", cwd=site, check=True)


def test_readme_adoption_commands_are_real() -> None:
    """Every opsready command of the README's 'In your own docs repository' block parses with
    the real command line (the wheel test above runs them)."""
    import shlex

    from opsready.cli.main import build_parser

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## In your own docs repository", 1)[1].split("```bash", 1)[1]
    block = block.split("```", 1)[0]
    commands = [shlex.split(part.split("#", 1)[0]) for line in block.splitlines()
                for part in line.split("&&") if part.strip().startswith("opsready ")]
    assert {c[1] for c in commands} >= {"init", "check", "import", "generate"}
    parser = build_parser()
    for command in commands:
        args = parser.parse_args(command[1:])
        assert getattr(args, "func", None) is not None, command
    assert any("--baseline" in c for c in commands)
    assert "pip install dist/opsready-*.whl" in block and "git+https://" in block

"""Benchmark ``opsready history``: N commits of an M-service synthetic catalog, cold (every
commit evaluated) and warm (every point from the signed per-commit cache).

    .venv/bin/python bench/history_bench.py --commits 20 --services 50
    .venv/bin/python bench/history_bench.py --commits 200 --services 250   # the issue's size

Each commit after the first rewrites a few service files (a different seed), so every commit
changes the catalog. Writes everything under bench/out/history (ignored by Git).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from fleet import write_fleet  # noqa: E402

from opsready.policy.history import build_history  # noqa: E402

OUT = Path(__file__).parent / "out" / "history"


def _git(repo: Path, *args: str, when: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
           "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def make_repo(repo: Path, commits: int, services: int, changed: int) -> None:
    """A repository whose catalog changes in every one of ``commits`` commits."""
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main", when="2026-01-01T12:00:00+00:00")
    catalog = repo / "catalog"
    write_fleet(catalog, services, seed=1)
    scratch = OUT / "scratch"
    for i in range(commits):
        if i:
            # A few services rewritten from another seed: their documentation changes.
            shutil.rmtree(scratch, ignore_errors=True)
            write_fleet(scratch, services, seed=100 + i)
            files = sorted(p for p in scratch.glob("*.yaml") if p.name != "teams.yaml")
            for k in range(changed):
                source = files[(i * changed + k) % len(files)]
                shutil.copy(source, catalog / source.name)
        when = f"2026-{1 + i // 28 % 12:02d}-{1 + i % 28:02d}T12:00:00+00:00"
        _git(repo, "add", "-A", when=when)
        _git(repo, "commit", "-q", "--allow-empty", "-m", f"step {i}", when=when)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=20)
    parser.add_argument("--services", type=int, default=50)
    parser.add_argument("--changed", type=int, default=3, help="services changed per commit")
    ns = parser.parse_args()
    repo, cache = OUT / "repo", OUT / "cache"
    started = time.perf_counter()
    make_repo(repo, ns.commits, ns.services, ns.changed)
    print(f"repository: {ns.commits} commits x {ns.services} services "
          f"({time.perf_counter() - started:.1f} s to write)")
    shutil.rmtree(cache, ignore_errors=True)
    for label in ("cold", "warm"):
        started = time.perf_counter()
        run = build_history(repo / "catalog", cache_dir=cache)
        took = time.perf_counter() - started
        print(f"{label}: {took:.2f} s, {len(run.document['points'])} points, "
              f"{len(run.evaluated)} evaluated, {run.cached} from the cache"
              + (f" ({took / max(1, len(run.evaluated)) * 1000:.0f} ms per evaluated commit)"
                 if run.evaluated else ""))


if __name__ == "__main__":
    main()

"""Benchmark readiness on a synthetic fleet: policy evaluation, placing the gaps (YAML
positions), the scorecard, and ``opsready check`` with and without readiness.

    .venv/bin/python bench/readiness_bench.py [--services 1000] [--runs 3]

CPU times (process_time) are reported for the in-process steps, so a busy machine distorts
them less than wall time; the check command is timed by wall clock. Writes its fleets under
bench/out/readiness (ignored by Git).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).parent))

from fleet import write_fleet  # noqa: E402

from opsready.catalog.load import load_catalog  # noqa: E402
from opsready.policy import Evaluation, evaluate, load_policy, today_from_env  # noqa: E402
from opsready.scorecard import build_scorecard  # noqa: E402

OUT = Path(__file__).parent / "out" / "readiness"
T = TypeVar("T")


def _cpu(fn: Callable[[], T], runs: int) -> tuple[float, T]:
    """Minimum CPU time of ``runs`` calls, and the last result."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        result = fn()
        times.append(time.process_time() - start)
    return min(times), result


def _wall(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_fleet(kind: str, root: Path, runs: int, exe: str) -> None:
    """Time every readiness step on one generated fleet and print the results."""
    catalog = load_catalog(root).catalog
    today = today_from_env()

    def run_evaluate() -> Evaluation:
        # A fresh policy per run: its placeholder memo would otherwise make later runs cheaper.
        policy = load_policy().policy
        assert policy is not None
        return evaluate(catalog, policy, today)

    cpu_eval, evaluation = _cpu(run_evaluate, runs)
    start = time.process_time()
    gaps = sum(len(r.gaps) for r in evaluation.services.values())
    cpu_place = time.process_time() - start
    cpu_sc, _ = _cpu(lambda: build_scorecard(evaluation, catalog), runs)
    cmd = [exe, "check", str(root), "--no-cache"]
    wall_plain = _wall([*cmd, "--no-readiness"], runs)
    wall_ready = _wall(cmd, runs)
    count = max(len(catalog.services), 1)
    print(f"{kind:9} {len(catalog.services)} services, {len(evaluation.policy.rules)} rules, "
          f"{gaps} gaps, {len(evaluation.below_required())} below required")
    print(f"  evaluate (cpu)                {cpu_eval:6.2f} s  ({1000 * cpu_eval / count:.2f} "
          "ms/service)")
    print(f"  place every gap (cpu)         {cpu_place:6.2f} s  (YAML positions, once per file)")
    print(f"  scorecard data (cpu)          {cpu_sc:6.2f} s")
    print(f"  opsready check --no-readiness {wall_plain:6.2f} s  (wall, median)")
    print(f"  opsready check                {wall_ready:6.2f} s  (wall, median)")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--services", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    exe = str(Path(sys.executable).parent / "opsready")
    for kind, complete in (("realistic", False), ("complete", True)):
        root = OUT / f"{kind}-{args.services}"
        if not root.is_dir():
            write_fleet(root, args.services, complete=complete)
        bench_fleet(kind, root, args.runs, exe)


if __name__ == "__main__":
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    main()

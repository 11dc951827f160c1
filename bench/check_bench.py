"""Benchmark: ``opsready check`` on a generated catalog of 1,000 services.

Prints the median wall time and CPU time (user + system, of the process and its workers) of
the whole command (process start, imports, load, validation, references, readiness) over a few
runs, and, as a ratio, the time of a bare floor that only composes the same files with
libyaml, as opsready's loader does, and does nothing else: what any YAML checker that reports
line numbers pays. Targets (issue #13), on a 2-core machine: warm 2 s or less, cold within
1.2x the floor (wall time; the CPU ratio shows what the worker processes cost).

Variants: cold without caches (``--no-cache``), cold with an empty cache folder (what a first
run pays, writing its caches), warm with nothing changed (the cached outcome of the whole check),
and warm after one service file was edited (the outcome is checked again, with the parse and
evaluation caches of the other files).

    .venv/bin/python bench/check_bench.py [--count 1000] [--runs 5] [--complete | --example]
        [--out bench/out/check_bench.json]

``--example`` checks copies of the example catalog (``bench/fleet.py clone_example``): every
service documented as a real team would, with Markdown beside some of them (issue #21 measures
``--example --count 1008``: 112 copies of its 9 services).

The figures are also written as JSON (``--out``), side by side: each variant with its wall and
CPU time and its ratios to two floors, libyaml composing the files (what the check's parse does
before building plain data) and libyaml loading them into data (``yaml.load`` with
``CSafeLoader``: the same result as the check's parse, without positions).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from fleet import clone_example, write_fleet  # noqa: E402

EXAMPLE = Path(__file__).resolve().parent.parent / "service_catalog"

FLOOR = """
import sys, pathlib, yaml
for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml')):
    yaml.compose(p.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)
"""
LOAD_FLOOR = FLOOR.replace("yaml.compose(", "yaml.load(")
OUT = Path(__file__).resolve().parent / "out" / "check_bench.json"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time(cmd: list[str], runs: int, before: Callable[[int], None] | None = None
          ) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Median wall time and median CPU time (of the command and its worker processes);
    ``before(run)`` prepares each run (an empty cache folder, an edited file)."""
    walls, cpus = [], []
    proc = None
    for run in range(runs):
        if before is not None:
            before(run)
        cpu = _children_cpu()
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        walls.append(time.perf_counter() - start)
        cpus.append(_children_cpu() - cpu)
    assert proc is not None
    return statistics.median(walls), statistics.median(cpus), proc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--complete", action="store_true",
                        help="every service documented completely (tier-1 size)")
    parser.add_argument("--example", action="store_true",
                        help="copies of the example catalog (bench/fleet.py clone_example)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"JSON results (default {OUT})")
    ns = parser.parse_args()
    record: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="minutes"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_average": os.getloadavg(), "services": ns.count, "runs": ns.runs,
        "catalog": "example" if ns.example else "complete" if ns.complete else "synthetic",
        "rows": {}}
    with tempfile.TemporaryDirectory() as tmp:
        if ns.example:
            root = clone_example(EXAMPLE, Path(tmp) / "catalog", ns.count)
        else:
            root = write_fleet(Path(tmp) / "catalog", ns.count, complete=ns.complete)
        size = sum(p.stat().st_size for p in root.rglob("*.yaml"))
        print(f"catalog: {ns.count} services, {size / 1e6:.1f} MB of YAML", flush=True)
        cache = Path(tmp) / "cache"
        fresh = Path(tmp) / "fresh-cache"
        opsready = [sys.executable, "-m", "opsready", "check", str(root)]
        has_readiness = "--no-readiness" in subprocess.run(
            opsready[:4] + ["--help"], capture_output=True, text=True).stdout
        edited = sorted(root.rglob("*.yaml"))[-1]
        original = edited.read_text(encoding="utf-8")

        def empty_cache(_run: int) -> None:
            shutil.rmtree(fresh, ignore_errors=True)

        def edit_one(run: int) -> None:
            edited.write_text(original + f"# edit {run}\n", encoding="utf-8")

        variants: list[tuple[str, list[str], Callable[[int], None] | None]] = [
            ("cold (--no-cache)", ["--no-cache"], None),
            ("cold, empty cache folder", ["--cache-dir", str(fresh)], empty_cache),
            ("warm, nothing changed", ["--cache-dir", str(cache)], None),
            ("warm, one file edited", ["--cache-dir", str(cache)], edit_one)]
        if has_readiness:
            variants += [("cold, schema only", ["--no-cache", "--no-readiness"], None),
                         ("warm, schema only", ["--cache-dir", str(cache), "--no-readiness"],
                          None)]
        for extra in (["--cache-dir", str(cache)], ["--cache-dir", str(cache),
                                                    "--no-readiness"]):
            subprocess.run(opsready + extra, capture_output=True)  # fill the caches
        record["yaml_mb"] = size / 1e6
        t_base, c_base, _ = _time([sys.executable, "-c", FLOOR, str(root)], ns.runs)
        print(f"floor: libyaml compose only, one process: {t_base:.2f} s wall, "
              f"{c_base:.2f} s CPU")
        t_load, c_load, _ = _time([sys.executable, "-c", LOAD_FLOOR, str(root)], ns.runs)
        print(f"floor: libyaml load (CSafeLoader), one process: {t_load:.2f} s wall, "
              f"{c_load:.2f} s CPU")
        record["rows"]["floor: libyaml compose"] = {"wall": t_base, "cpu": c_base}
        record["rows"]["floor: libyaml load"] = {"wall": t_load, "cpu": c_load}
        for label, extra, before in variants:
            t_check, c_check, proc = _time(opsready + extra, ns.runs, before)
            edited.write_text(original, encoding="utf-8")
            summary = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
            print(f"opsready check, {label}: {t_check:.2f} s wall, {c_check:.2f} s CPU = "
                  f"{t_check / t_base:.2f}x the floor's wall, {c_check / c_base:.2f}x its CPU; "
                  f"{t_check / t_load:.2f}x / {c_check / c_load:.2f}x the load floor "
                  f"(exit {proc.returncode}; {summary})")
            record["rows"][f"check {label}"] = {
                "wall": t_check, "cpu": c_check, "exit": proc.returncode,
                "x compose floor": {"wall": t_check / t_base, "cpu": c_check / c_base},
                "x load floor": {"wall": t_check / t_load, "cpu": c_check / c_load}}
    ns.out.parent.mkdir(parents=True, exist_ok=True)
    ns.out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

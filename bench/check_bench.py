"""Benchmark: ``opsready check`` on a generated catalog of 1,000 services.

Prints the median wall time of the whole command (process start, imports, load, validation,
references) over a few runs, and, as a ratio, the time of a bare baseline that only parses the
same files with PyYAML's libyaml loader and does nothing else: the floor any YAML-based checker
pays. Target: 2 s or less on a 2-core machine.

    .venv/bin/python bench/check_bench.py [--count 1000] [--runs 5] [--complete]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from fleet import write_fleet  # noqa: E402

BASELINE = """
import sys, pathlib, yaml
for p in sorted(pathlib.Path(sys.argv[1]).glob('*.yaml')):
    yaml.load(p.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)
"""


def _time(cmd: list[str], runs: int) -> tuple[float, subprocess.CompletedProcess[str]]:
    times = []
    proc = None
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
    assert proc is not None
    return statistics.median(times), proc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--complete", action="store_true",
                        help="every service documented completely (tier-1 size)")
    ns = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = write_fleet(Path(tmp) / "catalog", ns.count, complete=ns.complete)
        size = sum(p.stat().st_size for p in root.iterdir())
        print(f"catalog: {ns.count} services, {size / 1e6:.1f} MB of YAML", flush=True)
        cache = Path(tmp) / "cache"
        opsready = [sys.executable, "-m", "opsready", "check", str(root)]
        has_readiness = "--no-readiness" in subprocess.run(
            opsready[:4] + ["--help"], capture_output=True, text=True).stdout
        variants = [("cold (--no-cache)", ["--no-cache"]),
                    ("warm (parse cache)", ["--cache-dir", str(cache)])]
        if has_readiness:
            variants += [("cold, schema only", ["--no-cache", "--no-readiness"]),
                         ("warm, schema only", ["--cache-dir", str(cache), "--no-readiness"])]
        subprocess.run(opsready + ["--cache-dir", str(cache)], capture_output=True)  # fill it
        t_base, _ = _time([sys.executable, "-c", BASELINE, str(root)], ns.runs)
        print(f"baseline: libyaml parse only, one process: {t_base:.2f} s")
        for label, extra in variants:
            t_check, proc = _time(opsready + extra, ns.runs)
            summary = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
            verdict = "within" if t_check <= 2.0 else "over"
            print(f"opsready check, {label}: {t_check:.2f} s = {t_check / t_base:.2f}x "
                  f"baseline; {verdict} the 2 s target (exit {proc.returncode}; {summary})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

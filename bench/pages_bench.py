"""Benchmark opsready's own per-service work: ``opsready generate`` of the example site with its
catalog cloned to N services (``fleet.clone_example``), cold (every cache empty) in one process
and on all cores, then warm (caches filled); optionally the same cold run with the code of an
earlier commit (``--before REV``: that revision's ``plugins/`` exported with ``git archive``).

Each variant is a fresh process; the figures are its wall time, CPU time (with its worker
processes) and peak RSS. The generated folders of all variants are compared byte for byte.

    .venv/bin/python bench/pages_bench.py [--size 250] [--before REV]
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from fleet import clone_example  # noqa: E402
from site_scale import REPO, measure, site_config, write_yaml  # noqa: E402


def _same_tree(a: Path, b: Path) -> bool:
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or cmp.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    return not mismatch and not errors and all(_same_tree(a / d, b / d) for d in cmp.common_dirs)


def _set_concurrency(config: dict[str, Any], value: int) -> dict[str, Any]:
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "opsready" in plugin:
            plugin["opsready"]["concurrency"] = value
    return config


def run(size: int, tmp: Path, before: str | None) -> dict[str, Any]:
    """Every variant at ``size`` services."""
    catalog = clone_example(REPO / "service_catalog", tmp / "catalog", size)
    docs = tmp / "docs"
    shutil.copytree(REPO / "docs", docs)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
           "OPSREADY_TODAY": os.environ.get("OPSREADY_TODAY", "2026-11-26")}
    variants: list[tuple[str, int, str, str]] = []  # name, concurrency, cache, plugins dir
    if before:
        old = tmp / "before"
        old.mkdir()
        archive = subprocess.run(["git", "-C", str(REPO), "archive", before, "plugins"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        variants.append(("before, cold", 0, "c-before", str(old / "plugins")))
    here = str(REPO / "plugins")
    variants += [("cold, 1 process", 1, "c-serial", here), ("cold, all cores", 0, "c-all", here),
                 ("warm", 0, "c-all", here)]
    results: dict[str, Any] = {"services": size}
    outs = []
    for name, concurrency, cache, plugins in variants:
        cfg = write_yaml(tmp / f"mkdocs-{concurrency}.yml",
                         _set_concurrency(site_config(catalog, docs), concurrency))
        out = tmp / f"out-{len(outs)}"
        cmd = [sys.executable, "-m", "opsready", "generate", "--config", str(cfg), "--out",
               str(out)]
        results[name] = measure(cmd, {**env, "PYTHONPATH": plugins,
                                      "XDG_CACHE_HOME": str(tmp / cache)})
        outs.append(out)
        print(f"{name:18} {results[name]['wall']:6.1f} s wall {results[name]['cpu']:6.1f} s CPU "
              f"{results[name]['rss_mb']:5.0f} MB", flush=True)
    results["identical"] = all(_same_tree(outs[-1], o) for o in outs[:-1])
    print("generated folders byte-identical:", results["identical"])
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=250)
    parser.add_argument("--before", help="a git revision to measure cold, for comparison")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "pages_bench.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="opsready-pages-bench-") as tmp:
        results = run(args.size, Path(tmp), args.before)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

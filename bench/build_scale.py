"""Benchmark: does a site build stay linear in the size of the fleet?

For each fleet size N (default 25, 50, 100, 200 services of ``fleet.py``, 10 pages each: six
documents and four alert runbooks), builds

* ``opsready``: the catalog through the plugin (diagrams off: they have their own benchmark);
* ``plain``: plain MkDocs on the very Markdown opsready generates, written to disk, with a
  navigation of index pages only (the structure measured to stay linear);
* ``full-nav`` (with ``--full-nav``): opsready with every service listed in every page's
  navigation (``nav_max_services`` above N), to show what the per-page view saves.

Each build runs in a fresh process; the time is the build itself (imports excluded): its CPU
time (user + system, which other load on the machine barely changes) and its wall time. The
memory is the process's peak RSS. Prints CPU seconds, CPU ms per page, wall seconds, peak MB and
the ratios opsready/plain. Linear means ms per page stays flat as N grows.

    .venv/bin/python bench/build_scale.py [--sizes 25 50 100 200] [--runs 2] [--full-nav]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from fleet import write_fleet  # noqa: E402

THEME = {"name": "material", "font": False,
         "features": ["navigation.indexes", "navigation.prune", "navigation.path"]}

RUNNER = """
import json, logging, os, resource, sys, time
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
from mkdocs.commands.build import build
from mkdocs.config import load_config
logging.getLogger("mkdocs").setLevel(logging.ERROR)
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
cfg = load_config(sys.argv[1])
start, start_cpu = time.perf_counter(), cpu()
build(cfg)
seconds, cpu_seconds = time.perf_counter() - start, cpu() - start_cpu
pages = sum(files.count("index.html") for _, _, files in os.walk(cfg.site_dir))
print(json.dumps({"seconds": seconds, "cpu": cpu_seconds, "pages": pages,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_build(config: Path, runs: int) -> dict[str, float]:
    """Build the site of ``config`` ``runs`` times, each in a fresh process; the fastest run's
    (least CPU) run (the minimum filters out other load on the machine)."""
    results = []
    for _ in range(runs):
        proc = subprocess.run([sys.executable, "-c", RUNNER, str(config)], capture_output=True,
                              text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        if proc.returncode != 0:
            raise SystemExit(f"build of {config} failed:\n{proc.stderr[-3000:]}")
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return min(results, key=lambda r: r["cpu"])


def write_config(root: Path, plugins: list[object], nav: list[object] | None = None) -> Path:
    config: dict[str, object] = {"site_name": "Scale", "theme": THEME, "plugins": plugins}
    if nav is not None:
        config["nav"] = nav
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    return path


def export_markdown(catalog_dir: Path, docs: Path) -> None:
    """Write the pages opsready generates for a catalog into ``docs`` (for the plain build)."""
    from opsready.catalog.load import load_catalog
    from opsready.pages import RenderInputs, generate_pages, make_environment
    from opsready.pages.templates import PACKAGED_DIR

    result = load_catalog(catalog_dir)
    for page in generate_pages(make_environment(None), RenderInputs(result.catalog)):
        target = docs / page.src_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(str(page.content), encoding="utf-8")
    script = docs / "assets/opsready/services-filter.js"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text((PACKAGED_DIR / "assets/services-filter.js").read_text(), encoding="utf-8")


def measure(size: int, tmp: Path, full_nav: bool, runs: int) -> dict[str, dict[str, float]]:
    """Build the three variants of a fleet of ``size`` services."""
    base = tmp / f"n{size}"
    catalog = write_fleet(base / "catalog", size)
    out: dict[str, dict[str, float]] = {}
    ops = base / "opsready"
    ops.mkdir(parents=True)
    # Diagrams have their own benchmark; the synthetic fleet is not meant to pass readiness.
    options = {"catalog_dir": str(catalog), "diagrams": False, "readiness": False}
    out["opsready"] = run_build(write_config(ops, ["search", {"opsready": options}]), runs)
    plain = base / "plain"
    plain.mkdir()
    config = write_config(plain, ["search"], [{"Home": "index.md"},
                                              {"Services": "services/index.md"},
                                              {"Runbooks": "runbooks/index.md"}])
    export_markdown(catalog, plain / "docs")
    out["plain"] = run_build(config, runs)
    if full_nav:
        full = base / "full"
        full.mkdir()
        options = {**options, "nav_max_services": size + 1}
        out["full-nav"] = run_build(write_config(full, ["search", {"opsready": options}]), runs)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25, 50, 100, 200])
    parser.add_argument("--runs", type=int, default=2, help="builds per variant (fastest kept)")
    parser.add_argument("--full-nav", action="store_true",
                        help="also build with every service in every page's navigation")
    ns = parser.parse_args()
    variants = ["opsready", "plain"] + (["full-nav"] if ns.full_nav else [])
    head = f"{'services':>8} {'pages':>6} " + " ".join(
        f"{v + ' cpu s':>14} {'ms/page':>8} {'wall s':>7} {'MB':>5}" for v in variants) + \
        f" {'cpu x':>6} {'RSS x':>6}"
    print(head, flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for size in ns.sizes:
            r = measure(size, Path(tmp), ns.full_nav, ns.runs)
            pages = int(r["opsready"]["pages"])
            cells = " ".join(
                f"{r[v]['cpu']:>14.1f} {1000 * r[v]['cpu'] / r[v]['pages']:>8.1f} "
                f"{r[v]['seconds']:>7.1f} {r[v]['rss_mb']:>5.0f}" for v in variants)
            ratio_t = r["opsready"]["cpu"] / r["plain"]["cpu"]
            ratio_m = r["opsready"]["rss_mb"] / r["plain"]["rss_mb"]
            print(f"{size:>8} {pages:>6} {cells} {ratio_t:>6.2f} {ratio_m:>6.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark the diagrams: cold vs warm `mkdocs build` of the example site, against plain MkDocs
building the same Markdown, and the drawing alone on a synthetic fleet.

    .venv/bin/python bench/diagrams_bench.py                  # example site, 3 runs each
    .venv/bin/python bench/diagrams_bench.py --fleet 100      # + drawing 100 services' diagrams

Every build is a fresh `mkdocs build` process (start-up and imports included), so the figures
are what a user waits for. Cold: the diagram cache is emptied before each run. Warm: the cache
of the previous run is kept, nothing is drawn. Off: `diagrams: false`. Plain: MkDocs with
mkdocs-material and no opsready plugin, building the Markdown pages and SVG files that opsready
generated (the floor any generator on MkDocs pays). Writes under bench/out/diagrams.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from fleet import write_fleet  # noqa: E402

from opsready.catalog.load import load_catalog  # noqa: E402
from opsready.diagrams.batch import render_all  # noqa: E402
from opsready.diagrams.fleet import fleet_map, site_diagrams  # noqa: E402
from opsready.output.reuse import drawn_diagrams, open_store  # noqa: E402
from opsready.output.site_paths import SitePaths  # noqa: E402
from opsready.pages import RenderInputs, generate_pages, make_environment  # noqa: E402
from opsready.pages.plan import plan_pages  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out" / "diagrams"
MKDOCS = str(Path(sys.executable).with_name("mkdocs"))
THEME = {"name": "material", "font": False}


def write_project(root: Path, catalog: Path, plugin: dict[str, object] | None) -> Path:
    """A MkDocs project in ``root`` over ``catalog``; ``plugin`` None means plain MkDocs."""
    if root.exists():
        shutil.rmtree(root)
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    plugins: list[object] = ["search"]
    if plugin is not None:
        shutil.copytree(catalog, root / "service_catalog")
        plugins.append({"opsready": plugin})
    config = {"site_name": "Bench", "theme": THEME, "plugins": plugins,
              "markdown_extensions": ["attr_list", "admonition", "tables", "toc"]}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return root


def export_markdown(catalog_dir: Path, docs: Path, cache: Path) -> int:
    """Write the pages and images opsready generates as plain files; return how many."""
    catalog = load_catalog(catalog_dir).catalog
    paths = SitePaths()
    drawn = drawn_diagrams(open_store(cache), catalog, paths, levels=None,
                           use_directory_urls=True)
    inputs = RenderInputs(catalog, paths, diagrams=drawn.by_service, fleet_map=drawn.fleet_map)
    plan = plan_pages(catalog, paths, fleet_map=drawn.fleet_map is not None)
    files = generate_pages(make_environment(None), inputs, plan) + drawn.files
    for g in files:
        target = docs / g.src_path
        target.parent.mkdir(parents=True, exist_ok=True)
        if g.abs_path is not None:
            shutil.copyfile(g.abs_path, target)
        elif isinstance(g.content, bytes):
            target.write_bytes(g.content)
        else:
            target.write_text(g.content or "", encoding="utf-8")
    return len(files)


def build_once(project: Path) -> float:
    """Wall time of one `mkdocs build` process in ``project``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    done = subprocess.run([MKDOCS, "build", "-q"], cwd=project, env=env, capture_output=True,
                          text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"build failed in {project}:\n{done.stderr}")
    return elapsed


def interleaved(variants: dict[str, tuple[Path, Callable[[], None] | None]],
                runs: int) -> dict[str, float]:
    """Median build time per variant; runs alternate between variants so that a busy machine
    slows them all alike instead of whichever ran during the busy minute."""
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(runs):
        for name, (project, before) in variants.items():
            if before is not None:
                before()
            times[name].append(build_once(project))
    return {name: statistics.median(values) for name, values in times.items()}


def example_site(runs: int) -> None:
    catalog = REPO / "service_catalog"
    n_services = len(load_catalog(catalog).catalog.services)
    cache_rel = ".cache/opsready/diagrams"
    site = write_project(OUT / "site", catalog, {"diagrams_cache_dir": cache_rel})
    cache = site / cache_rel
    off = write_project(OUT / "site-off", catalog, {"diagrams": False})
    plain = write_project(OUT / "plain", catalog, None)
    pages = export_markdown(catalog, plain / "docs", OUT / "export-cache")
    n_diagrams = len(list((OUT / "export-cache").glob("*.svg")))
    print(f"example site: {n_services} services, {n_diagrams} diagrams, "
          f"{pages} generated files; median of {runs} builds, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f} at start")

    build_once(site)  # fill the cache for the first warm run
    t = interleaved({
        "cold": (site, lambda: shutil.rmtree(cache, ignore_errors=True)),
        "warm": (site, None),
        "off": (off, None),
        "plain": (plain, None),
    }, runs)
    t_cold, t_warm, t_off, t_plain = t["cold"], t["warm"], t["off"], t["plain"]
    print(f"  cold (empty diagram cache):  {t_cold:5.2f} s = {t_cold / t_plain:.2f}x plain")
    print(f"  warm (nothing to draw):      {t_warm:5.2f} s = {t_warm / t_plain:.2f}x plain")
    print(f"  diagrams: false:             {t_off:5.2f} s = {t_off / t_plain:.2f}x plain")
    print(f"  plain MkDocs, same Markdown: {t_plain:5.2f} s")
    print(f"  drawing cost in a cold build: {t_cold - t_warm:.2f} s "
          f"({(t_cold - t_warm) / max(n_diagrams, 1) * 1000:.0f} ms per diagram)")


def fleet_drawing(count: int) -> None:
    catalog_dir = write_fleet(OUT / "fleet" / "catalog", count)
    catalog = load_catalog(catalog_dir).catalog
    specs = [d.spec for d in site_diagrams(catalog, SitePaths())]
    print(f"synthetic fleet: {count} services, {len(specs)} diagrams (render_all only)")
    for workers in sorted({1, os.cpu_count() or 1}):
        start = time.perf_counter()
        report = render_all(specs, concurrency=workers)
        cold = time.perf_counter() - start
        start = time.perf_counter()
        again = render_all(specs, concurrency=workers, known=report.drawn)
        warm = time.perf_counter() - start
        assert report.ok and not again.rendered, (report.errors, again.rendered)
        print(f"  {workers} worker(s): cold {cold:5.2f} s ({cold / len(specs) * 1000:.0f} ms per "
              f"diagram), warm {warm:.3f} s ({len(again.cached)} from the cache)")
    big = fleet_map(catalog, SitePaths())
    assert big is not None
    start = time.perf_counter()
    render_all([big.spec])
    print(f"  fleet map alone ({count} boxes, {len(big.spec.edges)} edges): "
          f"{time.perf_counter() - start:.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fleet", type=int, default=0,
                        help="also draw the diagrams of a synthetic fleet of this many services")
    ns = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    example_site(ns.runs)
    if ns.fleet:
        fleet_drawing(ns.fleet)
    return 0


if __name__ == "__main__":
    sys.exit(main())

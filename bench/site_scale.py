"""Benchmark the real site at scale, side by side with plain MkDocs and Zensical, in one run.

For each fleet size N (default 50, 250, 1000: the example catalog cloned to N services,
``fleet.clone_example``), measures

* ``check cold`` / ``check warm``: ``opsready check`` with readiness, parse cache empty / filled;
* ``yaml floor``: parsing every YAML file of the catalog with libyaml and nothing else;
* ``opsready cold`` / ``opsready warm``: ``mkdocs build`` of the example site's own configuration
  (readiness, diagrams, macros, search; the user guide pages included), caches empty / filled;
* ``serve edit``: one rebuild of ``mkdocs serve`` after editing one service's YAML, in the
  process that built the site before (``serve_edit.py``; only the rebuild is measured);
* ``generate cold`` / ``generate warm``: ``opsready generate --out`` of the same configuration
  into a fresh folder, caches empty / into the same folder again, caches filled;
* ``plain``: plain MkDocs, same theme, extensions and search settings, on the very Markdown
  (and SVG files) opsready generated, with the example site's navigation of index pages;
* ``zensical``: ``zensical build`` of that same folder, when the ``zensical`` command exists.

Every variant but ``serve edit`` is a fresh process (start-up and imports included: what a user
waits for); the figures are its wall time, CPU time (user + system of the process and its
children) and peak RSS (the largest process). Prints the table of issue #13 with the ratios,
the linearity between sizes and PASS/FAIL per target of the issue; writes
``bench/out/site_scale.json`` and draws ``docs/guide/img/site-scale.svg`` (time against N per
variant). ``--profile`` also builds the largest size cold and warm under cProfile (extra,
unmeasured runs) and writes ``profile-<N>-<cold|warm>.md`` beside the JSON. Exits 0 (it is a
report) unless ``--fail-on-target`` is given and a target failed.

    .venv/bin/python bench/site_scale.py [--sizes 50,250,1000] [--profile] [--no-plot]
        [--out FILE] [--fail-on-target]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from fleet import clone_example  # noqa: E402
from plot_svg import line_plot  # noqa: E402
from scale_profile import profile_build, report  # noqa: E402
from scale_report import VARIANTS, linearity, measured, ratios, table, targets, targets_text  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
OUT = REPO / "bench" / "out" / "site_scale.json"
PLOT = REPO / "docs" / "guide" / "img" / "site-scale.svg"

# Runs a command and reports its children's resources: a fresh process per measurement, so the
# peak RSS is this command's own.
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": r.ru_utime + r.ru_stime, "rss_mb": r.ru_maxrss / 1024,
                  "rc": proc.returncode, "stderr": proc.stderr.decode()[-2000:]}))
"""

# A MkDocs hook that writes every page's Markdown (after opsready and mkdocs-macros) and every
# other file into EXPORT_DIR: the input of the plain MkDocs and Zensical builds.
EXPORT_HOOK = '''
import os
from pathlib import Path
from mkdocs.plugins import event_priority

OUT = Path(os.environ["OPSREADY_BENCH_EXPORT"])

@event_priority(-100)
def on_files(files, config):
    for f in files:
        if not f.is_documentation_page():
            target = OUT / f.src_uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(f.content_bytes)
    return files

@event_priority(-100)
def on_page_markdown(markdown, page, config, files):
    target = OUT / page.file.src_uri
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(markdown, encoding="utf-8")
    return markdown
'''


# The floor any YAML-based checker pays: libyaml parsing every file of the catalog, nothing else.
YAML_FLOOR = """
import sys, pathlib, yaml
for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml')):
    yaml.load(p.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)
"""


class BuildFailed(RuntimeError):
    """A measured command exited with an unexpected code (its stderr in the message)."""


def measure(cmd: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,),
            cwd: Path | None = None) -> dict[str, Any]:
    """Wall, CPU and peak RSS of ``cmd`` run in a fresh process; fails on an unexpected exit."""
    proc = subprocess.run([sys.executable, "-c", MEASURE, *cmd], env=env, capture_output=True,
                          text=True, check=True, cwd=cwd)
    result: dict[str, Any] = json.loads(proc.stdout)
    if result["rc"] not in ok:
        raise BuildFailed(f"{' '.join(cmd)} exited {result['rc']}:\n{result['stderr']}")
    del result["stderr"], result["rc"]
    return result


def site_config(catalog: Path, docs: Path) -> dict[str, Any]:
    """The example site's own mkdocs.yml, pointed at ``catalog`` and ``docs``."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(docs)
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "opsready" in plugin:
            options = plugin["opsready"]
            options["catalog_dir"] = str(catalog)
            for key in ("templates_dir", "policy", "baseline", "history"):
                if options.get(key):  # relative to the repository's mkdocs.yml
                    options[key] = str(REPO / options[key])
    return config


def plain_config(config: dict[str, Any], docs: Path) -> dict[str, Any]:
    """The same site without opsready and mkdocs-macros: same theme, extensions, search, nav."""
    plain = dict(config, docs_dir=str(docs))
    plain["plugins"] = [p for p in config["plugins"]
                        if not (isinstance(p, dict) and ({"opsready", "macros"} & set(p)))]
    return plain


def write_yaml(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def export_generated(config: dict[str, Any], base: Path, env: dict[str, str]) -> Path:
    """The Markdown and files opsready generates for the site of ``config``, written to a
    folder (through a MkDocs hook in an extra, unmeasured build). The one place that knows how
    the generated site is captured: switch it to ``opsready generate`` when that exists."""
    export = base / "export"
    hook = base / "export_hook.py"
    hook.write_text(EXPORT_HOOK, encoding="utf-8")
    cfg = write_yaml(base / "mkdocs-export.yml", dict(config, hooks=[str(hook)]))
    subprocess.run([str(BIN / "mkdocs"), "build", "-q", "-f", str(cfg), "-d",
                    str(base / "export-site")], env={**env, "OPSREADY_BENCH_EXPORT": str(export)},
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return export


def edited_service(catalog: Path) -> Path:
    """The service file ``serve edit`` changes: the middle flat YAML file in name order."""
    flat = sorted(p for p in catalog.glob("*.yaml")
                  if p.name not in ("teams.yaml", "organisation.yaml"))
    return flat[len(flat) // 2]


def profile_size(size: int, base: Path, cfg: Path, env: dict[str, str],
                 out_dir: Path) -> list[Path]:
    """Cold and warm builds of ``cfg`` under cProfile (caches of their own), as Markdown
    reports ``profile-<size>-<cold|warm>.md`` in ``out_dir``."""
    env = {**env, "XDG_CACHE_HOME": str(base / "profile-cache")}
    build = [str(BIN / "mkdocs"), "build", "-q", "-f", str(cfg), "-d",
             str(base / "profile-site")]
    written = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for kind in ("cold", "warm"):
        stats = base / f"profile-{kind}.prof"
        profile_build(build, stats, env, sys.executable)
        target = out_dir / f"profile-{size}-{kind}.md"
        target.write_text(report(stats, f"Profile: {kind} build, {size:,} services"),
                          encoding="utf-8")
        written.append(target)
    return written


def page_metrics(site: Path, sample: str) -> dict[str, Any]:
    """What each page of a built site carries: navigation items and bytes of one service page
    (``sample``, its path under the site), and the size of the whole site."""
    page = site / sample
    html = page.read_text(encoding="utf-8") if page.is_file() else ""
    total = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    return {"nav_items": html.count('class="md-nav__item'), "page_kb": len(html.encode()) / 1e3,
            "site_mb": total / 1e6}


def _sum(*parts: dict[str, Any]) -> dict[str, Any]:
    """Two commands run one after the other: times add up, the peak is the larger one."""
    return {"wall": sum(p["wall"] for p in parts), "cpu": sum(p["cpu"] for p in parts),
            "rss_mb": max(p["rss_mb"] for p in parts)}


ALL = ("check", "opsready", "opsready warm", "generate", "generate + builder", "plain", "zensical",
       "serve edit")


def run_size(size: int, tmp: Path, env: dict[str, str],
             profile_dir: Path | None = None, only: tuple[str, ...] = ALL) -> dict[str, Any]:
    """The variants named in ``only`` at ``size`` services (and the profiles when
    ``profile_dir`` is given)."""
    base = tmp / f"n{size}"
    catalog = clone_example(REPO / "service_catalog", base / "catalog", size)
    docs = base / "docs"
    shutil.copytree(REPO / "docs", docs)
    cache = base / "cache"
    env = {**env, "XDG_CACHE_HOME": str(cache)}  # cold: this folder does not exist
    out: dict[str, Any] = {"services": size}
    sample = f"services/{edited_service(catalog).stem}/index.html"  # a service page
    if "check" in only:
        check = [str(BIN / "opsready"), "check", str(catalog)]
        out["check cold"] = measure(check, env, ok=(0, 1))
        out["check warm"] = measure(check, env, ok=(0, 1))
        out["yaml floor"] = measure([sys.executable, "-c", YAML_FLOOR, str(catalog)], env)
        shutil.rmtree(cache, ignore_errors=True)
    config = site_config(catalog, docs)
    cfg = write_yaml(base / "mkdocs.yml", config)
    build = [str(BIN / "mkdocs"), "build", "-q", "-f", str(cfg), "-d", str(base / "site")]
    if "opsready" in only:
        out["opsready cold"] = measure(build, env)
        out["opsready cold pages"] = page_metrics(base / "site", sample)
        if "opsready warm" in only:
            out["opsready warm"] = measure(build, env)
        out["pages"] = sum(f.endswith(".html") for _, _, fs in os.walk(base / "site") for f in fs)
        shutil.rmtree(cache, ignore_errors=True)
    if "generate" in only:
        generate = [str(BIN / "opsready"), "generate", "--config", str(cfg), "--out",
                    str(base / "generated")]
        out["generate cold"] = measure(generate, env)
        out["generate warm"] = measure(generate, env)
        shutil.rmtree(cache, ignore_errors=True)
    if "generate + builder" in only:
        # What a site without the plugin runs: generate into its docs folder (a copy), then
        # plain MkDocs on the builder config generate wrote. Caches empty: a cold build.
        gdocs = base / "gdocs"
        shutil.copytree(REPO / "docs", gdocs)
        gcfg = write_yaml(base / "mkdocs-g.yml", site_config(catalog, gdocs))
        builder = base / "builder.yml"
        gen = measure([str(BIN / "opsready"), "generate", "--config", str(gcfg),
                       "--builder-config", str(builder)], env)
        built = measure([str(BIN / "mkdocs"), "build", "-q", "-f", str(builder), "-d",
                         str(base / "gsite")], env)
        out["generate + builder"] = _sum(gen, built)
        out["generate + builder parts"] = {"generate": gen, "builder": built}
        out["generate + builder pages"] = page_metrics(base / "gsite", sample)
        shutil.rmtree(base / "gsite", ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
    if "plain" in only or "zensical" in only:
        export = export_generated(config, base, env)
        plain = write_yaml(base / "mkdocs-plain.yml", plain_config(config, export))
        shutil.rmtree(cache, ignore_errors=True)
    if "plain" in only:
        out["plain"] = measure([str(BIN / "mkdocs"), "build", "-q", "-f", str(plain), "-d",
                                str(base / "plain-site")], env)
        out["plain pages"] = page_metrics(base / "plain-site", sample)
    zensical = shutil.which("zensical", path=str(BIN)) or shutil.which("zensical")
    if zensical and "zensical" in only:  # its docs_dir and site_dir must lie under the folder
        zcfg = write_yaml(base / "zensical.yml", dict(plain_config(config, export),
                                                      docs_dir="export", site_dir="zsite"))
        try:
            out["zensical"] = measure([zensical, "build", "--clean", "-f", str(zcfg)], env,
                                      cwd=base)
        except BuildFailed as exc:  # reported in the table; the other figures stand
            out["zensical"] = {"error": str(exc).strip().splitlines()[-1]}
    # Last: it edits the catalog. Its own process reports the rebuild's figures.
    if "serve edit" in only:
        serve = subprocess.run([sys.executable, str(REPO / "bench" / "serve_edit.py"),
                                str(cfg), str(edited_service(catalog))], env=env,
                               capture_output=True, text=True)
        if serve.returncode:
            raise BuildFailed(f"serve edit exited {serve.returncode}:\n{serve.stderr[-2000:]}")
        out["serve edit"] = json.loads(serve.stdout.strip().splitlines()[-1])
    if profile_dir is not None:
        out["profiles"] = [str(p) for p in profile_size(size, base, cfg, env, profile_dir)]
    out["ratios"] = ratios(out)
    shutil.rmtree(base, ignore_errors=True)  # a 1,000-service run writes gigabytes
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,250,1000",
                        help="comma-separated fleet sizes (default 50,250,1000)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"JSON results (default {OUT})")
    parser.add_argument("--plot", type=Path, default=PLOT, help="SVG plot to write")
    parser.add_argument("--no-plot", action="store_true")
    parser.add_argument("--profile", action="store_true",
                        help="also profile a cold and a warm build of the largest size "
                             "(extra runs) into profile-<N>-<cold|warm>.md beside the JSON")
    parser.add_argument("--only", default=",".join(ALL),
                        help="comma-separated variant groups to run (default all: "
                             f"{', '.join(ALL)})")
    parser.add_argument("--fail-on-target", action="store_true",
                        help="exit 1 when a target of issue #13 failed")
    ns = parser.parse_args()
    sizes = sorted(int(s) for s in ns.sizes.split(",") if s.strip())
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
           "OPSREADY_TODAY": os.environ.get("OPSREADY_TODAY", "2026-11-26")}
    results = []
    ns.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="site-scale-") as tmp:
        for size in sizes:
            profile = ns.out.parent if ns.profile and size == sizes[-1] else None
            only = tuple(v.strip() for v in ns.only.split(",") if v.strip())
            unknown = set(only) - set(ALL)
            if unknown:
                parser.error(f"unknown variant group(s): {', '.join(sorted(unknown))}")
            results.append(run_size(size, Path(tmp), env, profile, only))
            print(f"N={size}: " + json.dumps(results[-1]), file=sys.stderr, flush=True)
            # keep what was measured so far
            ns.out.write_text(json.dumps({"results": results}, indent=2) + "\n",
                              encoding="utf-8")
    print(table(results))
    lin = linearity(results)
    for pair, found in lin.items():
        small, large = pair.split("->")
        print(f"linearity t({large})/t({small}): " +
              ", ".join(f"{k} {v:.2f}" for k, v in found.items()))
    checked = targets(results)
    print(targets_text(checked))
    meta = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="minutes"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
            "load_average": os.getloadavg(), "python": platform.python_version()}
    ns.out.write_text(json.dumps({"meta": meta, "results": results, "linearity": lin,
                                  "targets": checked}, indent=2) + "\n", encoding="utf-8")
    if not ns.no_plot:
        series = {v: [(r["services"], r[v]["wall"]) for r in results if measured(r.get(v))]
                  for v in VARIANTS}
        ns.plot.parent.mkdir(parents=True, exist_ok=True)
        ns.plot.write_text(line_plot({k: v for k, v in series.items() if v},
                                     "Build time against fleet size", "services",
                                     "wall seconds"), encoding="utf-8")
    failed = any(row["status"] == "FAIL" for row in checked)
    return 1 if ns.fail_on_target and failed else 0


if __name__ == "__main__":
    sys.exit(main())

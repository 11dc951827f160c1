"""Benchmark the runbook pack (``opsready pack``) against the site's builds, at N services.

For each fleet size N (default 50: the example catalog cloned to N services,
``fleet.clone_example``), measures in fresh processes, caches empty unless said:

* ``site cold``: ``mkdocs build`` of the example site's configuration (packs off);
* ``plain``: plain MkDocs on the very Markdown opsready generated (``site_scale.py``'s ``plain``);
* ``pack html cold`` / ``pack html warm``: ``opsready pack --fleet --no-pdf`` (one HTML file of
  the whole fleet), caches empty / filled by the previous run;
* ``pack pdf warm``: ``opsready pack --fleet`` (the HTML file and its PDF printed by Chromium),
  caches filled;
* ``pack default warm``: ``opsready pack`` (every rotation, every tier and the fleet, with PDFs).

Prints the figures, the fleet file's size and the ratios of the pack to plain MkDocs and to the
site's cold build; writes ``bench/out/pack_bench.json``.

    .venv/bin/python bench/pack_bench.py [--sizes 50] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from fleet import clone_example  # noqa: E402
from site_scale import (  # noqa: E402
    BIN,
    REPO,
    export_generated,
    measure,
    plain_config,
    site_config,
    write_yaml,
)

OUT = REPO / "bench" / "out" / "pack_bench.json"


def _without_packs(config: dict[str, Any]) -> dict[str, Any]:
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "opsready" in plugin:
            plugin["opsready"]["runbook_packs"] = False
    return config


def run_size(size: int, tmp: Path, env: dict[str, str]) -> dict[str, Any]:
    """Every variant at ``size`` services."""
    base = tmp / f"n{size}"
    catalog = clone_example(REPO / "service_catalog", base / "catalog", size)
    docs = base / "docs"
    shutil.copytree(REPO / "docs", docs)
    cache = base / "cache"
    env = {**env, "XDG_CACHE_HOME": str(cache)}
    config = _without_packs(site_config(catalog, docs))
    cfg = write_yaml(base / "mkdocs.yml", config)
    out: dict[str, Any] = {"services": size}
    out["site cold"] = measure([str(BIN / "mkdocs"), "build", "-q", "-f", str(cfg), "-d",
                                str(base / "site")], env)
    export = export_generated(config, base, env)
    plain = write_yaml(base / "mkdocs-plain.yml", plain_config(config, export))
    out["plain"] = measure([str(BIN / "mkdocs"), "build", "-q", "-f", str(plain), "-d",
                            str(base / "plain-site")], env)
    shutil.rmtree(cache, ignore_errors=True)
    pack = [str(BIN / "opsready"), "pack", "--config", str(cfg)]
    html_only = [*pack, "--fleet", "--no-pdf", "--out", str(base / "packs-html")]
    out["pack html cold"] = measure(html_only, env)
    out["pack html warm"] = measure(html_only, env)
    out["pack pdf warm"] = measure([*pack, "--fleet", "--out", str(base / "packs-pdf")], env)
    out["pack default warm"] = measure([*pack, "--out", str(base / "packs-all")], env)
    out["fleet html bytes"] = (base / "packs-html" / "fleet.html").stat().st_size
    out["fleet pdf bytes"] = (base / "packs-pdf" / "fleet.pdf").stat().st_size
    out["alerts"] = sum(a["alert"] != "" for p in json.loads(
        (base / "packs-html" / "pack.json").read_text(encoding="utf-8"))["packs"]
        for a in p["alerts"])
    out["ratios"] = {
        f"{name} / {ref}": round(out[name]["wall"] / out[ref]["wall"], 2)
        for name in ("pack html cold", "pack html warm", "pack pdf warm", "pack default warm")
        for ref in ("plain", "site cold")}
    shutil.rmtree(base, ignore_errors=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50", help="comma-separated fleet sizes (default 50)")
    parser.add_argument("--out", default=str(OUT), help="where to write the JSON")
    args = parser.parse_args()
    import os

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    results = []
    with tempfile.TemporaryDirectory(prefix="opsready-pack-bench-") as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            result = run_size(size, Path(tmp), env)
            results.append(result)
            print(f"\n{size} services, {result['alerts']} alerts; fleet.html "
                  f"{result['fleet html bytes'] / 1e6:.2f} MB, fleet.pdf "
                  f"{result['fleet pdf bytes'] / 1e6:.2f} MB")
            for name, figures in result.items():
                if isinstance(figures, dict) and "wall" in figures:
                    print(f"  {name:<18} {figures['wall']:7.1f} s wall {figures['cpu']:7.1f} s CPU "
                          f"{figures['rss_mb']:7.0f} MB")
            for name, ratio in result["ratios"].items():
                print(f"  {name:<32} {ratio:5.2f}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time the fleet map alone: specs from the model and Graphviz drawing, at several fleet sizes.

    .venv/bin/python bench/fleet_map_bench.py [--sizes 250 1000]

Prints, per size, the seconds spent building the fleet diagrams' specs (with their alt texts and
tables) and drawing them with Graphviz (no cache, one process), and the number of diagrams.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from fleet import write_fleet  # noqa: E402

from opsready.catalog.load import load_catalog  # noqa: E402
from opsready.diagrams import fleet, from_model  # noqa: E402
from opsready.diagrams.render import render_svg  # noqa: E402
from opsready.output.site_paths import SitePaths  # noqa: E402


def fleet_diagrams(catalog: object) -> list[from_model.SiteDiagram]:
    """The fleet's diagrams (the overview and team maps, or the single map)."""
    made = [d for d in fleet.site_diagrams(catalog, SitePaths())  # type: ignore[arg-type]
            if d.service_id is None]
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 1000])
    ns = parser.parse_args()
    print(f"{'services':>8} {'diagrams':>8} {'specs s':>8} {'draw s':>8} {'largest s':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in ns.sizes:
            catalog = load_catalog(write_fleet(Path(tmp) / f"n{size}", size)).catalog
            start = time.perf_counter()
            specs = fleet_diagrams(catalog)
            spec_s = time.perf_counter() - start
            times = []
            for d in specs:
                t0 = time.perf_counter()
                render_svg(d.spec, timeout=600)
                times.append(time.perf_counter() - t0)
            print(f"{size:>8} {len(specs):>8} {spec_s:>8.2f} {sum(times):>8.2f} "
                  f"{max(times):>9.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

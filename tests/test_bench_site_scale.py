"""The scale benchmark's own parts (never its timings): the cloned fleet, the table, the plot."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

from fleet import clone_example  # noqa: E402
from plot_svg import line_plot  # noqa: E402
from site_scale import linearity, plain_config, site_config, table  # noqa: E402

from opsready.catalog import load_catalog  # noqa: E402

EXAMPLE = BENCH.parent / "service_catalog"


@pytest.mark.slow  # writes and loads two copies of the example fleet (about 2 s of CPU)
def test_the_example_cloned_to_n_services_is_a_valid_catalog(tmp_path: Path) -> None:
    original = load_catalog(EXAMPLE).catalog
    n = len(original.services) * 2 + 3  # two copies and a partial third
    result = load_catalog(clone_example(EXAMPLE, tmp_path / "c", n))
    assert result.ok, [str(d) for d in result.diagnostics][:5]
    services = result.catalog.services
    assert len(services) == n and set(original.services) <= set(services)
    alerts = [a.name for s in services.values() for a in s.alerts]
    assert len(alerts) == len(set(alerts)) > 0  # runbook URLs stay unique
    # A copy depends on the same copy of its dependencies.
    deps = {d.service for s in services.values() if s.id.endswith("-c1") and s.architecture
            for d in s.architecture.dependencies if d.service}
    assert deps and all(d.endswith("-c1") for d in deps)


def test_a_clone_smaller_than_the_example_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least one copy"):
        clone_example(EXAMPLE, tmp_path / "c", 2)


def test_the_plain_build_keeps_theme_extensions_and_search_without_opsready(
        tmp_path: Path) -> None:
    config = site_config(tmp_path / "catalog", tmp_path / "docs")
    plain = plain_config(config, tmp_path / "export")
    assert plain["theme"] == config["theme"] and plain["nav"] == config["nav"]
    assert plain["markdown_extensions"] == config["markdown_extensions"]
    names = [p if isinstance(p, str) else next(iter(p)) for p in plain["plugins"]]
    assert names == ["search"] and plain["docs_dir"] == str(tmp_path / "export")


def result(n: int, scale: float) -> dict[str, object]:
    m = {"wall": 10.0 * scale, "cpu": 8.0 * scale, "rss_mb": 100.0 * scale}
    return {"services": n, "pages": n * 10, "check cold": m, "check warm": m,
            "opsready cold": {**m, "wall": 12.0 * scale}, "opsready warm": m, "plain": m,
            "zensical": None}


def test_the_table_and_the_plot() -> None:
    rows = [result(50, 1), result(250, 5)]
    text = table(rows).splitlines()
    assert text[2].startswith("| 50 (500) | 12.0 s wall, 8.0 s CPU, 100 MB |")
    assert "| 1.20x, 1.00x | 1.00x, 1.00x |" in text[3] and "not installed" in text[3]
    assert linearity(rows)["opsready cold"] == pytest.approx(5.0)
    svg = ET.fromstring(line_plot({"plain": [(50, 10.0), (250, 50.0)],
                                   "opsready <cold>": [(50, 12.0), (250, 60.0)]},
                                  "Build time", "services", "seconds"))
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.find(f"{ns}title").text == "Build time"
    assert "opsready <cold>: 50 -> 12.0, 250 -> 60.0" in svg.find(f"{ns}desc").text
    assert len(svg.findall(f"{ns}polyline")) == 2

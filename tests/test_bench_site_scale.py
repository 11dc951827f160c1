"""The scale benchmark's own parts (never its timings): the cloned fleet, the table, the
targets, the profile grouping, the plot, and one tiny run of the whole command."""

from __future__ import annotations

import cProfile
import json
import pstats
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown
import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

from fleet import clone_example  # noqa: E402
from plot_svg import line_plot, style  # noqa: E402
from scale_profile import group_of, group_times, report  # noqa: E402
from scale_report import VARIANTS, linearity, targets, targets_text  # noqa: E402
from serve_edit import edit_service  # noqa: E402
from site_scale import edited_service, plain_config, site_config, table  # noqa: E402

from opsready.catalog.load import load_catalog  # noqa: E402

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
            "yaml floor": {**m, "wall": 5.0 * scale},
            "opsready cold": {**m, "wall": 12.0 * scale}, "opsready warm": m, "plain": m,
            "serve edit": m, "generate cold": {**m, "wall": 0.5 * scale},
            "generate warm": m, "zensical": None}


def test_the_table_and_the_plot() -> None:
    rows = [result(50, 1), result(250, 5)]
    text = table(rows).splitlines()
    assert text[2].startswith("| 50 (500) | 12.0 s wall, 8.0 s CPU, 100 MB |")
    assert "| 1.20x, 1.00x | 1.00x, 1.00x | 0.05x, 1.00x |" in text[3]
    assert "not installed" in text[3] and "| 50.0 s / 50.0 s / 25.0 s |" in text[3]
    assert linearity(rows)["50->250"]["opsready cold"] == pytest.approx(5.0)
    svg = ET.fromstring(line_plot({"plain": [(50, 10.0), (250, 50.0)],
                                   "opsready <cold>": [(50, 12.0), (250, 60.0)]},
                                  "Build time", "services", "seconds"))
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.find(f"{ns}title").text == "Build time"
    assert "opsready <cold>: 50 -> 12.0, 250 -> 60.0" in svg.find(f"{ns}desc").text
    assert len(svg.findall(f"{ns}polyline")) == 2
    # every variant of the benchmark gets a line style of its own
    assert len({style(i) for i in range(len(VARIANTS))}) == len(VARIANTS)


def test_targets_are_judged_at_the_issue_sizes() -> None:
    rows = [result(250, 1), result(1000, 4.4)]
    rows[1]["opsready warm"] = {"wall": 20.0, "cpu": 9.0, "rss_mb": 1600.0}
    found = {(r["target"], r["at"]): r for r in targets(rows)}
    assert found[("cold build <= 1.10x plain MkDocs", "N=250")]["status"] == "FAIL"
    assert found[("cold build <= 1.10x plain MkDocs", "N=1000")]["value"] == pytest.approx(1.2)
    assert found[("warm build <= 0.5x plain MkDocs", "N=1000")]["status"] == "PASS"
    assert found[("generate + plain <= 1.10x plain MkDocs", "N=250")]["status"] == "PASS"
    assert found[("check warm <= 2 s", "N=1000")]["status"] == "FAIL"  # 44 s
    assert found[("peak RSS <= 1.5 GB", "N=1000")]["status"] == "FAIL"  # 1,600 MB
    linear = found[("linear: opsready cold t(1,000) / t(250) <= 4.50", "N=250->1000")]
    assert linear["status"] == "PASS" and linear["value"] == pytest.approx(4.4)
    assert not any(r["indicative"] for r in found.values())
    text = targets_text(list(found.values()))
    assert "FAIL     check warm <= 2 s at N=1000: 44.00s (CPU 35.20s)" in text


def test_targets_at_other_sizes_are_indicative_and_missing_ones_not_run() -> None:
    rows = targets([result(9, 1)])
    assert {r["status"] for r in rows if r["target"].startswith("linear")} == {"NOT RUN"}
    judged = [r for r in rows if r["status"] != "NOT RUN"]
    assert judged and all(r["indicative"] and r["at"] == "N=9" for r in judged)
    assert "indicative only" in targets_text(rows)


def _markdown_work() -> None:
    markdown.markdown("# title\n\n" + "some *text* and `code`\n\n" * 200)


def test_the_profile_groups_add_up_to_the_profiled_time(tmp_path: Path) -> None:
    prof = cProfile.Profile()
    prof.runcall(_markdown_work)
    prof.dump_stats(tmp_path / "p.prof")
    stats = pstats.Stats(str(tmp_path / "p.prof")).stats  # type: ignore[attr-defined]
    times = group_times(stats)
    own = sum(v[2] for v in stats.values())
    assert sum(times.values()) == pytest.approx(own)
    assert max(times, key=times.__getitem__) == "Python-Markdown conversion"
    assert group_of(("/x/site-packages/material/plugins/search/plugin.py", 1, "f")) \
        == "search plugin"
    assert group_of(("/x/plugins/opsready/pages/render.py", 1, "generate_pages")) \
        == "opsready generate_pages (templates, prose)"
    assert group_of(("~", 0, "<built-in method builtins.len>")) is None  # its callers decide
    text = report(tmp_path / "p.prof", "Profile")
    assert "| Python-Markdown conversion |" in text and "## Top 20 functions by own time" in text


@pytest.mark.slow  # clones the example fleet and loads it twice
def test_serve_edit_changes_one_description(tmp_path: Path) -> None:
    catalog = clone_example(EXAMPLE, tmp_path / "c", 9)
    target = edited_service(catalog)
    before = target.read_text(encoding="utf-8")
    edit_service(target)
    assert target.read_text(encoding="utf-8") != before
    assert load_catalog(catalog).ok


@pytest.mark.slow
@pytest.mark.build
def test_the_whole_benchmark_on_a_tiny_fleet(tmp_path: Path) -> None:
    out = tmp_path / "out" / "scale.json"
    proc = subprocess.run([sys.executable, str(BENCH / "site_scale.py"), "--sizes", "9",
                           "--no-plot", "--out", str(out)], capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    (row,) = data["results"]
    for variant in VARIANTS:
        if variant == "zensical" and variant not in row:
            continue  # not installed
        figures = row[variant]
        assert all(isinstance(figures[k], float) and figures[k] > 0
                   for k in ("wall", "cpu", "rss_mb")), (variant, figures)
    assert row["pages"] > 100 and {"cold / plain", "warm / plain"} <= set(row["ratios"])
    statuses = {t["target"]: t["status"] for t in data["targets"]}
    assert set(statuses.values()) <= {"PASS", "FAIL", "NOT RUN"} and len(statuses) >= 10
    assert "Targets of issue #13" in proc.stdout and "| 9 (" in proc.stdout

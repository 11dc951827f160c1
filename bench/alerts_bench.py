"""Benchmark the alert tooling on a synthetic fleet: the rules cross-check, writing runbook_url
annotations, and the link check of a built site.

    .venv/bin/python bench/alerts_bench.py --services 100          # builds a site: ~1 min
    .venv/bin/python bench/alerts_bench.py --services 2000 --no-site

Writes everything under bench/out/alerts (ignored by Git).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))

from fleet import write_fleet  # noqa: E402

from opsready.catalog.load import load_catalog  # noqa: E402
from opsready.guard.linkcheck import check_site  # noqa: E402
from opsready.integrations.alert_rules import (
    SiteSettings,
    annotate_file,
    cross_check,
    owners_of,
    read_rule_files,
    runbook_url,
)

OUT = Path(__file__).parent / "out" / "alerts"
SITE = SiteSettings("https://ops.example.com/")


def write_rules(catalog_root: Path, target: Path) -> int:
    """One rules file with a rule per documented alert (half without runbook_url)."""
    catalog = load_catalog(catalog_root).catalog
    rules = []
    for sid, service in catalog.services.items():
        for i, alert in enumerate(service.alerts):
            annotations = {"summary": alert.summary}
            if i % 2 == 0:
                annotations["runbook_url"] = runbook_url(SITE, sid, alert.name)
            rules.append({"alert": alert.name, "expr": f'up{{job="{sid}"}} == 0', "for": "5m",
                          "labels": {"severity": "critical", "service": sid},
                          "annotations": annotations})
    target.write_text(yaml.safe_dump({"groups": [{"name": "fleet", "rules": rules}]},
                                     sort_keys=False), encoding="utf-8")
    return len(rules)


def timed(label: str, func, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = func(*args, **kwargs)
    print(f"{label:<44} {time.perf_counter() - start:8.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=100)
    parser.add_argument("--no-site", action="store_true", help="skip the site build/link check")
    ns = parser.parse_args()
    shutil.rmtree(OUT, ignore_errors=True)
    catalog_root = write_fleet(OUT / "fleet", ns.services, complete=True)
    rules_file = OUT / "rules.yml"
    count = write_rules(catalog_root, rules_file)
    print(f"{ns.services} services, {count} alerting rules "
          f"({rules_file.stat().st_size / 1024:.0f} KiB rules file), {os.cpu_count()} CPUs")
    catalog = timed("load catalog", load_catalog, catalog_root).catalog
    ruleset = timed("read rules file", read_rule_files, [rules_file])
    result = timed("cross-check", cross_check, catalog, ruleset.rules, SITE)
    print(f"  -> {len(result.diagnostics)} diagnostics")

    def url_for(alert: str, labels: dict[str, str]) -> str | None:
        owners = owners_of(catalog, alert, labels)
        return runbook_url(SITE, owners[0], alert) if len(owners) == 1 else None

    edited = timed("annotate (write to a new file, re-read)", annotate_file, rules_file,
                   url_for, target=OUT / "rules.annotated.yml")
    print(f"  -> {len(edited.changed)} rules changed")
    if ns.no_site:
        return
    project = OUT / "project"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# Ops\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: Bench\ntheme: {name: material, font: false}\n"
        f"plugins:\n  - search\n  - opsready:\n      catalog_dir: {catalog_root}\n",
        encoding="utf-8")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    timed("mkdocs build", build, load_config(str(project / "mkdocs.yml"),
                                             site_dir=str(project / "site")))
    report = timed("linkcheck (parallel)", check_site, project / "site")
    timed("linkcheck (one process)", check_site, project / "site", jobs=1)
    print(f"  -> {report.pages} pages, {report.links} links, {len(report.diagnostics)} problems")


if __name__ == "__main__":
    main()

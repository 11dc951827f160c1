"""``opsready import backstage`` and ``opsready export backstage``: the commands over the core."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from ..diagnostics import FORMATTERS, printable
from ..integrations.backstage.entities import read_entities
from ..integrations.backstage.mapping import map_entities
from ..integrations.backstage.write import write_plan

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def run_import(paths: list[str], out_dir: str, *, tier: int = 3, out: TextIO | None = None,
               err: TextIO | None = None, baseline: str | None = None,
               due: str | None = None) -> int:
    """Read the entity files, write the catalog files, print what did not map."""
    out = out or sys.stdout
    err = err or sys.stderr
    read = read_entities([Path(p) for p in paths])
    if read.diagnostics:
        err.write(FORMATTERS["text"](read.diagnostics) + "\n")
    if not read.entities:
        err.write("opsready import backstage: no Backstage entity found in "
                  f"{', '.join(paths)}\n")
        return EXIT_PROBLEMS
    plan = map_entities(read.entities, tier=tier)
    catalog = Path(out_dir)
    report = write_plan(plan, catalog)
    for path in report.written:
        out.write(f"wrote {path}\n")
    for path, what in report.merged:
        out.write(f"added {what} to {path} (no existing entry changed)\n")
    for path, why in report.skipped:
        out.write(f"skipped {path}: {why}\n")
    if report.teams_to_add:
        out.write(f"\n# Add to {catalog / 'teams.yaml'}:\n{report.teams_to_add}\n")
    if plan.notes:
        out.write("\nNot mapped or changed on the way, per entity:\n")
        for entity, notes in plan.notes.items():
            out.write(f"  {printable(str(entity))}\n")
            for note in notes:
                out.write(f"    - {printable(note)}\n")
    out.write(f"\n{len(read.entities)} entities from {len(read.files)} files: "
              f"{len(plan.services)} services, {len(plan.teams)} teams, "
              f"{len(plan.contacts)} contacts, {len(plan.external_systems)} external systems. "
              f"Every service got tier {tier} (Backstage has no tier): set the right one.\n")
    if baseline is None:
        out.write(f"next: `opsready check {catalog}` lists what each service still needs; "
                  "`opsready baseline` accepts today's gaps as debt for a green build\n")
        return EXIT_OK
    return _write_baseline(catalog, baseline, due, out, err)


def _write_baseline(catalog: Path, baseline: str, due: str | None, out: TextIO,
                    err: TextIO) -> int:
    """``--baseline``: accept the imported fleet's gaps as debt (``opsready baseline``)."""
    from ..policy.baseline_path import default_baseline_path
    from ..policy.engine import today_from_env
    from .baseline import due_date, update_baseline

    try:
        today = today_from_env()
        day = due_date(due, today)
    except ValueError as exc:
        err.write(f"opsready import backstage: error: {exc}\n")
        return EXIT_USAGE
    path = Path(baseline) if baseline else default_baseline_path(None,
                                                                 catalog.resolve().parent)
    update = update_baseline(catalog, None, path, due=day, today=today)
    if update.diagnostics:
        err.write(FORMATTERS["text"](update.diagnostics) + "\n")
    if not update.ok:
        err.write("opsready import backstage: no baseline written: fix the errors above, then "
                  "run `opsready baseline`\n")
        return EXIT_PROBLEMS
    out.write("\n".join(update.lines()) + "\n")
    out.write(f"next: `opsready check {catalog}` and `mkdocs build --strict` pass; the "
              "scorecard lists the debt with its owners and due dates\n")
    return EXIT_OK


def _site_settings(config: str | None, site_url: str | None):  # type: ignore[no-untyped-def]
    from ..integrations.alert_rules.urls import resolve_site_settings

    return resolve_site_settings(config, site_url)


def run_export(catalog_dir: str, output: str | None, *, site_url: str | None = None,
               config: str | None = None, policy: str | None = None,
               out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Write the catalog as Backstage entities (one multi-document YAML stream)."""
    from ..catalog.load import load_catalog
    from ..integrations.backstage.export import export_entities
    from ..integrations.backstage.write import dump
    from ..policy.engine import evaluate, today_from_env
    from ..policy.load import load_policy

    out = out or sys.stdout
    err = err or sys.stderr
    try:
        settings = _site_settings(config, site_url)
        today = today_from_env()
    except ValueError as exc:
        err.write(f"opsready export backstage: error: {exc}\n")
        return EXIT_USAGE
    root = Path(catalog_dir)
    if not root.is_dir():
        err.write(f"opsready export backstage: error: catalog folder '{root}' does not exist\n")
        return EXIT_USAGE
    result = load_catalog(root)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        err.write(FORMATTERS["text"](errors) + "\nopsready export backstage: the catalog has "
                  "errors (see `opsready check`); nothing exported\n")
        return EXIT_PROBLEMS
    loaded = load_policy(policy)
    if loaded.policy is None:
        err.write(FORMATTERS["text"](loaded.diagnostics) + "\n")
        return EXIT_PROBLEMS
    evaluation = evaluate(result.catalog, loaded.policy, today)
    levels = {sid: (r.achieved.label, r.required.label)
              for sid, r in evaluation.services.items()}
    if not settings.site_url:
        err.write("opsready export backstage: no site URL (--site-url or site_url in "
                  "mkdocs.yml): the entities carry no links to the generated pages\n")
    entities = export_entities(result.catalog, levels, site_url=settings.site_url,
                               prefix=settings.prefix,
                               use_directory_urls=settings.use_directory_urls)
    text = "".join(("---\n" if i else "") + dump(e) for i, e in enumerate(entities))
    if output is None:
        out.write(text)
        return EXIT_OK
    try:
        with Path(output).open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        err.write(f"opsready export backstage: error: {output} exists: not overwritten\n")
        return EXIT_USAGE
    err.write(f"wrote {output}: {len(entities)} entities\n")
    return EXIT_OK

"""``opsready import backstage`` and ``opsready export backstage``: the commands over the core."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from ..diagnostics import FORMATTERS
from .entities import read_entities
from .mapping import map_entities
from .write import write_plan

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def run_import(paths: list[str], out_dir: str, *, tier: int = 3, out: TextIO | None = None,
               err: TextIO | None = None) -> int:
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
    for path, why in report.skipped:
        out.write(f"skipped {path}: {why}\n")
    if report.teams_to_add:
        out.write(f"\n# Add to {catalog / 'teams.yaml'}:\n{report.teams_to_add}\n")
    if plan.notes:
        out.write("\nNot mapped or changed on the way, per entity:\n")
        for entity, notes in plan.notes.items():
            out.write(f"  {entity}\n")
            for note in notes:
                out.write(f"    - {note}\n")
    out.write(f"\n{len(read.entities)} entities from {len(read.files)} files: "
              f"{len(plan.services)} services, {len(plan.teams)} teams, "
              f"{len(plan.contacts)} contacts, {len(plan.external_systems)} external systems. "
              f"Every service got tier {tier} (Backstage has no tier): set the right one.\n"
              f"next: `opsready check {catalog}` lists what each service still needs\n")
    return EXIT_OK

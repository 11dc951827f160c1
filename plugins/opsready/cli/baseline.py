"""``opsready baseline``: record today's gaps in the baseline file, or prune fixed entries."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic

if TYPE_CHECKING:  # the model is imported when the command runs, not when the parser is built
    from ..policy.baseline import BaselineEntry

DEFAULT_DUE_DAYS = 90


@dataclass
class BaselineUpdate:
    """What ``update_baseline`` did (or found it could not do)."""

    path: Path
    added: list[BaselineEntry] = field(default_factory=list)
    removed: list[BaselineEntry] = field(default_factory=list)
    removable: list[BaselineEntry] = field(default_factory=list)
    kept: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the file could be read and written."""
        return not any(d.severity == "error" for d in self.diagnostics)

    def lines(self) -> list[str]:
        """What to print."""
        out = [f"{self.path}: {len(self.added)} added, {len(self.removed)} removed, "
               f"{self.kept} kept"]
        by_service: dict[str, list[BaselineEntry]] = {}
        for e in self.added:
            by_service.setdefault(e.service, []).append(e)
        for sid, entries in by_service.items():
            rules = ", ".join(e.rule for e in entries[:3]) + (
                f" and {len(entries) - 3} more" if len(entries) > 3 else "")
            out.append(f"  + {sid}: {len(entries)} gap{'s' if len(entries) != 1 else ''} "
                       f"({rules}), owner {entries[0].owner}, due {entries[0].due.isoformat()}")
        for e in self.removed:
            out.append(f"  - {e.service} [{e.rule}] (fixed)")
        if self.removable:
            n = len(self.removable)
            out.append(f"{n} entr{'y is' if n == 1 else 'ies are'} fixed and can be removed: "
                       "run `opsready baseline --prune`")
            out += [f"  {e.file}:{e.line}: {e.service} [{e.rule}]" for e in self.removable]
        return out


def due_date(value: str | None, today: dt.date) -> dt.date:
    """``--due``: a number of days from today, or a date (YYYY-MM-DD). Raises ValueError."""
    if not value:
        return today + dt.timedelta(days=DEFAULT_DUE_DAYS)
    if value.strip().isdigit():
        return today + dt.timedelta(days=int(value))
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"--due {value!r}: give a number of days or a date "
                         "(YYYY-MM-DD)") from None


def update_baseline(catalog_dir: Path, policy_path: str | Path | None, baseline_path: Path, *,
                    due: dt.date, today: dt.date, prune: bool = False,
                    owner: str | None = None, add: bool = True) -> BaselineUpdate:
    """Add an entry for every gap that fails the build and is not in the baseline yet (unless
    ``add`` is False); with ``prune``, remove entries whose gap is fixed. Existing entries keep
    their owner and date; the file keeps its comments."""
    from ..catalog.load import load_catalog
    from ..policy.baseline import (
        BaselineEntry,
        current_gaps,
        edit_file_text,
        load_baseline,
        new_file_text,
    )
    from ..policy.engine import evaluate
    from ..policy.load import load_policy

    update = BaselineUpdate(baseline_path)
    result = load_catalog(catalog_dir)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        update.diagnostics = errors + [Diagnostic(str(catalog_dir), 1, 1, "",
                                                  "the catalog has errors: fix them first "
                                                  "(the baseline records readiness gaps, not "
                                                  "invalid files)")]
        return update
    loaded = load_policy(policy_path)
    baseline, diags = load_baseline(baseline_path)
    if loaded.policy is None or baseline is None:
        update.diagnostics = loaded.diagnostics + diags
        return update
    evaluation = evaluate(result.catalog, loaded.policy, today)
    existing = baseline.by_key()
    failing = {(sid, r.rule.id) for sid, s in evaluation.services.items()
               for r in s.results if not r.passed}
    if add:
        update.added = [BaselineEntry(sid, rule, level, owner or team, due)
                        for sid, rule, level, team in current_gaps(evaluation)
                        if (sid, rule) not in existing]
    fixed = [e for key, e in existing.items() if key not in failing]
    if prune:
        update.removed = fixed
    else:
        update.removable = fixed
    update.kept = len(existing) - len(update.removed)
    if not update.added and not update.removed and baseline_path.exists():
        return update
    if baseline_path.exists():
        text = baseline_path.read_text(encoding="utf-8")
        if text.strip() and not all(not ln.strip() or ln.lstrip().startswith("#")
                                    for ln in text.splitlines()):
            text = edit_file_text(text, update.added, [e.key for e in update.removed])
        else:
            text = text + new_file_text(update.added).split("\n", 4)[-1]
    else:
        text = new_file_text(update.added)
    baseline_path.parent.mkdir(parents=True, exist_ok=True)
    baseline_path.write_text(text, encoding="utf-8")
    return update


def add_baseline_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """``opsready baseline``."""
    base = sub.add_parser(
        "baseline", help="record today's readiness gaps as debt with an owner and a due date "
        "(readiness-baseline.yaml): the build then fails only on new gaps and on entries past "
        "their date")
    base.add_argument("catalog", nargs="?", default="service_catalog",
                      help="catalog folder (default: service_catalog)")
    base.add_argument("--policy", metavar="FILE",
                      help="readiness policy file (default: the packaged default policy)")
    base.add_argument("--baseline", metavar="FILE", help="the baseline file (default: "
                      "readiness-baseline.yaml beside --policy, else beside the catalog folder)")
    base.add_argument("--due", metavar="DAYS|DATE", help="due date of new entries: days from "
                      "today or YYYY-MM-DD (default: 90 days)")
    base.add_argument("--owner", help="owner of new entries (default: the service's owner team)")
    base.add_argument("--prune", action="store_true",
                      help="also remove entries whose gap is fixed")
    base.add_argument("--prune-only", action="store_true",
                      help="only remove fixed entries; add none")
    base.set_defaults(func=run_baseline_command)


def run_baseline_command(args: argparse.Namespace) -> int:
    """Run ``opsready baseline``; the exit code (0 written, 1 problems, 2 usage)."""
    from ..diagnostics import FORMATTERS
    from ..policy.baseline_path import baseline_path_for
    from ..policy.engine import today_from_env

    root = Path(args.catalog)
    if not root.is_dir():
        print(f"opsready: error: catalog folder '{root}' does not exist", file=sys.stderr)
        return 2
    try:
        today = today_from_env()
        due = due_date(args.due, today)
    except ValueError as exc:
        print(f"opsready baseline: error: {exc}", file=sys.stderr)
        return 2
    update = update_baseline(root, args.policy, baseline_path_for(args.baseline, args.policy,
                                                                  root),
                             due=due, today=today, prune=args.prune or args.prune_only,
                             owner=args.owner, add=not args.prune_only)
    if update.diagnostics:
        print(FORMATTERS["text"](update.diagnostics), file=sys.stderr)
    if not update.ok:
        print("opsready baseline: FAILED (nothing written)", file=sys.stderr)
        return 1
    print("\n".join(update.lines()))
    return 0

"""The readiness baseline: today's gaps, accepted as debt with an owner and a due date.

A brownfield fleet gets a green build on day one without hiding anything: ``opsready
baseline`` records every gap that fails the build (service, rule, level) in a reviewed YAML
file (``readiness-baseline.yaml``), each entry with an owner and a due date. The evaluation
then treats a baselined gap as debt: it is shown (pages, scorecard), it does not fail the
build until its due date; a gap that is not in the file (a regression, a new service) still
fails. Entries whose gap is fixed are reported as removable (``baseline --prune``).

The file is data from a reviewed file: read with the catalog's safe loader and validated like
the policy (file, line, YAML path, what was expected). It is written by a small emitter of
our own, so ``--prune`` and additions keep the file's comments and layout.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from ..diagnostics import Diagnostic
from .baseline_entries import (
    Baseline,
    BaselineEntry,
    BaselineFile,
    BaselineOutcome,
)

if TYPE_CHECKING:
    from .engine import Evaluation

CODE = "readiness-baseline"
HEADER = """\
# Readiness baseline: gaps this site accepts as debt, each with an owner and a due date.
# The build fails on a gap that is not listed here (a regression, a new service) and on an
# entry past its due date. Review changes to this file like code. `opsready baseline`
# adds entries for new gaps; `opsready baseline --prune` removes entries whose gap is fixed.
"""


def _display(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def load_baseline(path: Path | str | None, *, required: bool = False
                  ) -> tuple[Baseline | None, list[Diagnostic]]:
    """Read and validate a baseline file.

    A missing file is no baseline (an empty one), unless ``required`` (the path was given
    explicitly). Returns ``None`` with error diagnostics when the file is not valid.
    """
    from ..catalog.validate import validate_file
    from ..catalog.yaml_loader import load_yaml

    if path is None:
        return Baseline(), []
    path = Path(path)
    display = _display(path)
    if not path.is_file():
        if required:
            return None, [Diagnostic(display, 1, 1, "", "baseline file does not exist",
                                     "fix the path of the 'baseline' option or of --baseline, "
                                     "or write one with `opsready baseline`", code=CODE)]
        return Baseline(path=path, display=display), []
    text = path.read_text(encoding="utf-8", errors="replace")
    if all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return Baseline(path=path, display=display), []
    loaded, diags = load_yaml(path, display=display)
    if loaded is None:
        return None, diags
    parsed, diags = validate_file(loaded, BaselineFile, display=display,
                                  catalog_root=path.parent)
    if parsed is None:
        return None, diags
    entries = []
    seen: dict[tuple[str, str], int] = {}
    for i, e in enumerate(parsed.entries):
        line, col = loaded.position(("entries", i))
        if (e.service, e.rule) in seen:
            diags.append(Diagnostic(display, line, col, f"entries[{i}]",
                                    f"second entry for service '{e.service}' and rule "
                                    f"'{e.rule}' (first: entries[{seen[e.service, e.rule]}])",
                                    "keep one of them", code=CODE))
            continue
        seen[e.service, e.rule] = i
        entries.append(BaselineEntry(e.service, e.rule, e.level, e.owner, e.due, display, line,
                                     e.note))
    if diags:
        return None, diags
    return Baseline(tuple(entries), path, display), []


def apply_baseline(evaluation: Evaluation, baseline: Baseline) -> BaselineOutcome:
    """Mark the gaps the baseline accepts as debt on ``evaluation`` (in place) and add a
    diagnostic per overdue entry (an error, at the entry's line) and per removable one."""
    outcome = BaselineOutcome()
    if not baseline.entries:
        return outcome
    entries = baseline.by_key()
    by_service: dict[str, list[BaselineEntry]] = {}
    for e in entries.values():
        by_service.setdefault(e.service, []).append(e)
    today = evaluation.today
    used: set[tuple[str, str]] = set()
    for sid, readiness in list(evaluation.services.items()):
        mine = by_service.get(sid)
        if not mine:
            continue
        failing = {r.rule.id for r in readiness.results if not r.passed}
        debt = tuple(e for e in mine if e.rule in failing)
        if debt:
            evaluation.services[sid] = replace(readiness, debt=debt, accepted=frozenset(
                e.rule for e in debt if not e.overdue(today)))
        for e in debt:
            used.add(e.key)
            (outcome.overdue if e.overdue(today) else outcome.accepted).append(e)
    gone = [e for key, e in entries.items() if key not in used]
    outcome.removable = gone
    for e in outcome.overdue:
        evaluation.diagnostics.append(Diagnostic(
            e.file, e.line, 1, "", f"baseline entry for service '{e.service}', rule '{e.rule}' "
            f"was due on {e.due.isoformat()} (owner: {e.owner}): the gap fails the build again",
            "fix the gap, or agree a new due date and change it in the baseline", code=CODE))
    for e in gone:
        evaluation.diagnostics.append(Diagnostic(
            e.file, e.line, 1, "", f"baseline entry for service '{e.service}', rule '{e.rule}' "
            "is fixed (or the service or rule is gone): remove it",
            "`opsready baseline --prune` removes fixed entries", severity="notice", code=CODE))
    evaluation.baseline = outcome
    return outcome


def current_gaps(evaluation: Evaluation) -> list[tuple[str, str, str, str]]:
    """(service, rule, level, owner) of every gap that fails the build without a baseline:
    failing rules at or below the required level of enforced services below it."""
    out: list[tuple[str, str, str, str]] = []
    for sid, r in evaluation.services.items():
        if not r.enforced or r.meets_required:
            continue
        for res in r.results:
            if not res.passed and res.level <= r.required:
                out.append((sid, res.rule.id, res.rule.level, r.service.owner))
    return out


# -- writing ---------------------------------------------------------------------------------


def _scalar(value: str) -> str:
    """A plain scalar when YAML reads it back as the same string, else a quoted one."""
    try:
        plain_ok = yaml.safe_load(value) == value and "\n" not in value and value == value.strip()
    except yaml.YAMLError:
        plain_ok = False
    if plain_ok and not value.startswith(("'", '"', "#", "&", "*", "!", "|", ">", "%", "@")):
        return value
    return "'" + value.replace("'", "''") + "'"


def entry_lines(entry: BaselineEntry, indent: str = "  ") -> list[str]:
    """The entry as YAML lines of a block list item at ``indent``."""
    inner = indent + "  "
    lines = [f"{indent}- service: {_scalar(entry.service)}",
             f"{inner}rule: {_scalar(entry.rule)}",
             f"{inner}level: {entry.level}",
             f"{inner}owner: {_scalar(entry.owner)}",
             f"{inner}due: {entry.due.isoformat()}"]
    if entry.note:
        lines.append(f"{inner}note: {_scalar(entry.note)}")
    return lines


def new_file_text(entries: Iterable[BaselineEntry]) -> str:
    """The text of a new baseline file."""
    items = [ln for e in entries for ln in entry_lines(e)]
    body = "entries:\n" + "\n".join(items) + "\n" if items else "entries: []\n"
    return HEADER + "version: 1\n" + body


def edit_file_text(text: str, add: Iterable[BaselineEntry],
                   remove: Iterable[tuple[str, str]] = ()) -> str:
    """``text`` with the entries of ``remove`` (service, rule) taken out and ``add`` appended
    to the list, every other line (comments included) as it was (``yaml_edit``)."""
    from ..catalog.yaml_edit import edit_list

    drop = set(remove)
    data = yaml.safe_load(text)
    entries = data.get("entries") if isinstance(data, dict) else None
    indexes = [n for n, e in enumerate(entries or [])
               if isinstance(e, dict) and (str(e.get("service")), str(e.get("rule"))) in drop]
    edited = edit_list(text, "entries", list(add), indexes,
                       lines_of=lambda e, dash: entry_lines(e, " " * dash))
    if edited is None:  # not a block list: write the entries anew, below the file's header
        kept = [e for n, e in enumerate(entries or []) if n not in indexes]
        return new_file_text([*(_from_plain(e) for e in kept), *add])
    return edited


def _from_plain(e: dict[str, object]) -> BaselineEntry:
    due = e.get("due")
    return BaselineEntry(str(e.get("service")), str(e.get("rule")), str(e.get("level")),
                         str(e.get("owner")), due if isinstance(due, dt.date) else dt.date.min,
                         note=str(e["note"]) if e.get("note") else None)

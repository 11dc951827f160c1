"""Readiness outcomes as text: diagnostics for ``opsready check``, log lines and summaries."""

from __future__ import annotations

from collections import Counter

from ..diagnostics import Diagnostic, plural, printable
from ..output.site_files import Gap
from .engine import Evaluation, ServiceReadiness
from .examples import gap_example
from .levels import Level

LEVEL_CODE = "readiness-level"
MAX_LISTED = 20


def gap_log_line(gap: Gap) -> str:
    """``file:line: path: [rule-id] message``: one build-log line per gap."""
    path = f" {gap.yaml_path}:" if gap.yaml_path else ""
    return f"{gap.file}:{gap.line}:{path} [{gap.rule_id}] {gap.message}"


def _level_message(r: ServiceReadiness) -> str:
    failing = ", ".join(res.rule.id for res in r.blocking())
    return (f"service '{r.id}' (tier {r.service.tier}) is at {r.achieved.label}, below the "
            f"required {r.required.label}; failing rules: {failing}")


def readiness_diagnostics(evaluation: Evaluation, *, all_gaps: bool = False) -> list[Diagnostic]:
    """Diagnostics of an evaluation.

    Gaps that keep an enforced service below its required level are errors, with one more
    error per such service naming its level; with ``all_gaps`` every other gap is a notice.
    Problems with exemptions (unknown rule ids) are warnings.
    """
    diags = list(evaluation.diagnostics)
    for r in evaluation.services.values():
        for result in r.results:
            blocking = r.blocks(result)
            if result.passed or not (blocking or all_gaps):
                continue
            for gap in result.gaps:
                example = (gap_example(gap.yaml_path, result.rule.path_texts)
                           if gap.status == "missing" else "")
                hint = f"{gap.hint} For example: {example}" if example else gap.hint
                diags.append(Diagnostic(
                    gap.file, gap.line, 1, gap.yaml_path,
                    f"{gap.message} ({gap.level}: {gap.title})", hint,
                    severity="error" if blocking else "notice", code=gap.rule_id))
        if r.below_required:
            line, col = r.id_position
            diags.append(Diagnostic(r.file, line, col, "id", _level_message(r),
                                    "fill in the gaps reported for this file, or add "
                                    "exemptions with a reason and an expiry date",
                                    code=LEVEL_CODE))
    return diags


def level_counts(evaluation: Evaluation) -> dict[str, int]:
    """How many services reached each level (``none`` .. ``gold``)."""
    counts = Counter(r.achieved.label for r in evaluation.services.values())
    return {level.label: counts.get(level.label, 0) for level in Level}


def fleet_line(evaluation: Evaluation) -> str:
    """One line: services per level and how many are below their required level."""
    counts = level_counts(evaluation)
    levels = ", ".join(f"{counts[lv.label]} {lv.label}" for lv in reversed(Level))
    below = len(evaluation.below_required())
    debt = sum(r.in_debt for r in evaluation.services.values())
    in_debt = f", {debt} below it with gaps the baseline accepts" if debt else ""
    return (f"readiness: {plural(len(evaluation.services), 'service')} ({levels}); "
            f"{below} below the required level{in_debt}")


def overdue_summary(evaluation: Evaluation) -> str:
    """Baseline entries past their due date, each with the file and line of the entry."""
    outcome = evaluation.baseline
    if outcome is None or not outcome.overdue:
        return ""
    n = len(outcome.overdue)
    lines = [f"{n} baseline {'entry' if n == 1 else 'entries'} past the due date:"]
    for e in outcome.overdue[:MAX_LISTED]:
        lines.append(f"  {e.file}:{e.line}: {e.service} [{e.rule}] was due on "
                     f"{e.due.isoformat()} (owner: {e.owner})")
    if n > MAX_LISTED:
        lines.append(f"  ... and {n - MAX_LISTED} more (opsready check lists all)")
    return "\n".join(lines)


def below_required_summary(evaluation: Evaluation) -> str:
    """Services below their required level and why: service, levels, failing rules and paths."""
    below = evaluation.below_required()
    overdue = overdue_summary(evaluation)
    if not below:
        return overdue
    lines = [f"{len(below)} service{'s' if len(below) != 1 else ''} below the required "
             "readiness level:"]
    for r in below:
        # One line each, whatever a file name or a gap's message holds (``printable``): the
        # summary's own line breaks are the only ones.
        lines.append(printable(f"  {r.id} (tier {r.service.tier}, {r.file}): "
                               f"{r.achieved.label}, requires {r.required.label}"))
        gaps = [g for res in r.blocking() for g in res.gaps]
        for gap in gaps[:MAX_LISTED]:
            lines.append(printable(f"    - [{gap.rule_id}] {gap.yaml_path} (line {gap.line}): "
                                   f"{gap.message}"))
        if len(gaps) > MAX_LISTED:
            lines.append(f"    ... and {len(gaps) - MAX_LISTED} more (opsready check lists all)")
    if overdue:
        lines.append(overdue)
    return "\n".join(lines)

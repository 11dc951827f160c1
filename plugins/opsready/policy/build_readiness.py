"""Readiness for a site build, without MkDocs: what to log, at which level, and the verdict.

The MkDocs plugin only forwards these records to its logger and raises when told to; another
site generator could do the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..catalog.fleet import Catalog
from ..diagnostics import Diagnostic, printable
from .baseline import apply_baseline, load_baseline
from .engine import Evaluation, Evaluator, evaluate
from .load import load_policy
from .report import below_required_summary, fleet_line, gap_log_line

LogLevel = Literal["error", "warning", "info", "debug"]
WarnGaps = Literal["blocking", "all", "none"]
WARN_GAPS_CHOICES: tuple[str, ...] = ("blocking", "all", "none")


@dataclass
class SiteReadiness:
    """The policy, the evaluation and the problems met on the way (``evaluation`` is None when
    the policy has errors)."""

    evaluation: Evaluation | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def log_records(self, warn_gaps: WarnGaps | str = "blocking") -> list[tuple[LogLevel, str]]:
        """One record per policy problem and per gap, ``file:line: path: [rule] message``.

        ``blocking``: a gap is a warning when it keeps an enforced service below its required
        level (so ``--strict`` fails exactly when the policy is not met); every other gap is a
        debug record (``mkdocs build --verbose`` shows it), counted in one info line.
        ``all``: every gap is a warning. ``none``: every gap is a debug record.
        """
        records: list[tuple[LogLevel, str]] = []
        for d in self.diagnostics:
            level: LogLevel = "error" if d.severity == "error" else (
                "warning" if d.severity == "warning" else "info")
            path = f" {d.yaml_path}:" if d.yaml_path else ""
            hint = f" (hint: {d.hint})" if d.hint else ""
            records.append((level, printable(f"{d.file}:{d.line}:{path} {d.message}{hint}")))
        if self.evaluation is None:
            return records
        quiet = 0
        for readiness in self.evaluation.services.values():
            for gap in readiness.gaps:
                warn = warn_gaps == "all" or (warn_gaps == "blocking"
                                              and readiness.is_blocking(gap))
                quiet += not warn
                records.append(("warning" if warn else "debug", gap_log_line(gap)))
        if quiet:
            many = quiet != 1
            records.append(("info", f"readiness: {quiet} gap{'s' if many else ''} "
                            f"that block{'' if many else 's'} no build (flagged on the pages "
                            "and the scorecard; "
                            "'mkdocs build --verbose' or 'opsready check --all-gaps' lists "
                            "them)"))
        return records

    @property
    def below_required(self) -> bool:
        """Whether an enforced service is below its required level."""
        return self.evaluation is not None and not self.evaluation.ok

    def summary(self) -> str:
        """The end-of-build summary: the fleet line, then services below their level and why."""
        if self.evaluation is None:
            return "readiness: not evaluated (the policy has errors)"
        below = below_required_summary(self.evaluation)
        return fleet_line(self.evaluation) + (f"\n{below}" if below else "")


def site_readiness(catalog: Catalog, policy_path: Path | str | None,
                   today: dt.date, *, evaluate: Evaluator = evaluate,
                   baseline_path: Path | str | None = None,
                   baseline_required: bool = False) -> SiteReadiness:
    """Load the policy (``None``: the packaged default) and the baseline, and evaluate the
    catalog with ``evaluate`` (the orchestration's keeps outcomes between runs). The one place
    the build, ``generate`` and ``check`` get their verdict from."""
    loaded = load_policy(policy_path)
    baseline, baseline_diags = load_baseline(baseline_path, required=baseline_required)
    if loaded.policy is None or baseline is None:
        return SiteReadiness(None, loaded.diagnostics + baseline_diags)
    evaluation = evaluate(catalog, loaded.policy, today)
    apply_baseline(evaluation, baseline)
    return SiteReadiness(evaluation, loaded.diagnostics + evaluation.diagnostics)

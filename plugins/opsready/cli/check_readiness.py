"""The readiness part of ``opsready check``: same engine and verdict as the build, no build."""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic

if TYPE_CHECKING:  # the engine is imported when readiness runs, not when the parser is built
    from ..catalog.fleet import Catalog
    from ..policy.engine import Evaluation, Evaluator


@dataclass
class ReadinessCheck:
    """What ``check`` adds: diagnostics, the evaluation, and whether the fleet passes."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    evaluation: Evaluation | None = None
    usage_error: str = ""

    @property
    def ok(self) -> bool:
        """No policy error and no enforced service below its required level."""
        return (self.evaluation is not None and self.evaluation.ok
                and not any(d.severity == "error" for d in self.diagnostics))

    def summary(self) -> str:
        """One line for the end of the text report."""
        from ..policy.report import fleet_line

        if self.evaluation is None:
            return "readiness: not evaluated (policy errors)"
        return fleet_line(self.evaluation)


def add_readiness_options(parser: argparse.ArgumentParser) -> None:
    """``--policy``, ``--no-readiness``, ``--all-gaps`` for ``opsready check``."""
    parser.add_argument("--policy", metavar="FILE",
                        help="readiness policy file (default: the packaged default policy)")
    parser.add_argument("--baseline", metavar="FILE",
                        help="readiness baseline: gaps accepted as debt until their due date "
                        "(default: readiness-baseline.yaml beside --policy, else beside the "
                        "catalog folder, when it exists)")
    parser.add_argument("--no-readiness", action="store_true",
                        help="validate only; do not evaluate readiness")
    parser.add_argument("--all-gaps", action="store_true",
                        help="also report gaps that do not keep a service below its required "
                        "level (as notices)")


def run_readiness(catalog: Catalog, policy_path: str | None, *, all_gaps: bool = False,
                  today: dt.date | None = None,
                  evaluate: Evaluator | None = None,
                  baseline_path: Path | str | None = None,
                  baseline_required: bool = False) -> ReadinessCheck:
    """Load the policy and the baseline and evaluate the catalog (``site_readiness``, as the
    build does); policy and baseline problems become diagnostics. ``evaluate`` replaces
    ``engine.evaluate`` (the ``check`` command's keeps outcomes)."""
    from ..policy.build_readiness import site_readiness
    from ..policy.campaigns import campaign_diagnostics
    from ..policy.engine import evaluate as evaluate_afresh
    from ..policy.engine import today_from_env
    from ..policy.report import readiness_diagnostics

    try:
        day = today or today_from_env()
    except ValueError as exc:
        return ReadinessCheck(usage_error=str(exc))
    readiness = site_readiness(catalog, policy_path, day, evaluate=evaluate or evaluate_afresh,
                               baseline_path=baseline_path,
                               baseline_required=baseline_required)
    evaluation = readiness.evaluation
    if evaluation is None:
        return ReadinessCheck(readiness.diagnostics)
    policy_diags = [d for d in readiness.diagnostics if d not in evaluation.diagnostics]
    return ReadinessCheck(policy_diags + readiness_diagnostics(evaluation, all_gaps=all_gaps)
                          # Campaigns: a warning before their due date, an error after it.
                          + campaign_diagnostics(evaluation), evaluation)

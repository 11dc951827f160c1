"""Readiness policy: rules as data, presence checks, evaluation, levels, exemptions, staleness.

Pure core (no MkDocs): ``load_policy()`` -> ``evaluate(catalog, policy, today)`` -> an
``Evaluation`` with per-service levels and gaps; it also answers ``gaps_for`` for templates.
Exports are resolved on first use, so importing a light submodule (the CLI's option helpers)
does not build the pydantic models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import lazy_getattr

_EXPORTS = {
    "Evaluation": "engine", "RuleResult": "engine", "ServiceReadiness": "engine",
    "applies": "engine", "evaluate": "engine", "evaluate_service": "engine",
    "today_from_env": "engine", "Level": "levels", "gate_level": "levels",
    "DEFAULT_POLICY_PATH": "load", "Policy": "load", "PolicyResult": "load",
    "load_policy": "load", "PolicyFile": "model", "Rule": "model",
    "below_required_summary": "report", "fleet_line": "report", "gap_log_line": "report",
    "readiness_diagnostics": "report",
}
__all__ = ["DEFAULT_POLICY_PATH", "Evaluation", "Level", "Policy", "PolicyFile", "PolicyResult",
    "Rule", "RuleResult", "ServiceReadiness", "applies", "below_required_summary", "evaluate",
    "evaluate_service", "fleet_line", "gap_log_line", "gate_level", "load_policy",
    "readiness_diagnostics", "today_from_env"]

if TYPE_CHECKING:
    from .engine import (
        Evaluation,
        RuleResult,
        ServiceReadiness,
        applies,
        evaluate,
        evaluate_service,
        today_from_env,
    )
    from .file_format import PolicyFile, Rule
    from .levels import Level, gate_level
    from .load import DEFAULT_POLICY_PATH, Policy, PolicyResult, load_policy
    from .report import below_required_summary, fleet_line, gap_log_line, readiness_diagnostics


__getattr__ = lazy_getattr(__name__, _EXPORTS)

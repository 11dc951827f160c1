"""Readiness policy: rules as data, presence checks, evaluation, levels, exemptions, staleness.

Pure core (no MkDocs): ``load_policy()`` -> ``evaluate(catalog, policy, today)`` -> an
``Evaluation`` with per-service levels and gaps; it also answers ``gaps_for`` for templates.
"""

from __future__ import annotations

from .evaluate import (
    Evaluation,
    RuleResult,
    ServiceReadiness,
    applies,
    evaluate,
    evaluate_service,
    today_from_env,
)
from .levels import Level, gate_level
from .load import DEFAULT_POLICY_PATH, Policy, PolicyResult, load_policy
from .model import PolicyFile, Rule
from .report import below_required_summary, fleet_line, gap_log_line, readiness_diagnostics

__all__ = [
    "DEFAULT_POLICY_PATH", "Evaluation", "Level", "Policy", "PolicyFile", "PolicyResult", "Rule",
    "RuleResult", "ServiceReadiness", "applies", "below_required_summary", "evaluate",
    "evaluate_service", "fleet_line", "gap_log_line", "gate_level", "load_policy",
    "readiness_diagnostics", "today_from_env",
]

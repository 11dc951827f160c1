"""A service's exemptions: the valid one of each rule, and a warning for each one naming an
unknown rule or a rule exempted twice."""

from __future__ import annotations

import difflib

from ..catalog.positions import Positions
from ..diagnostics import Diagnostic, format_path
from ..model import Exemption, Service
from .load import Policy


def valid_exemptions(service: Service, positions: Positions, file: str, policy: Policy
                     ) -> tuple[dict[str, tuple[int, Exemption]], list[Diagnostic]]:
    """(rule id -> (index, exemption)) of the exemptions that count, and the warnings of the
    others, placed in ``file``."""
    known = policy.rules_by_id
    found: dict[str, tuple[int, Exemption]] = {}
    diags = []
    for i, ex in enumerate(service.exemptions):
        path = ("exemptions", i, "rule")
        if ex.rule not in known:
            line, col = positions.position(path)
            close = difflib.get_close_matches(ex.rule, list(known), n=1, cutoff=0.6)
            diags.append(Diagnostic(file, line, col, format_path(path),
                                    f"exemption names unknown rule '{ex.rule}'",
                                    f"did you mean '{close[0]}'?" if close else
                                    "use a rule id of the policy (see `opsready scorecard`)",
                                    severity="warning", code="readiness-exemption"))
        elif ex.rule in found:
            line, col = positions.position(path)
            diags.append(Diagnostic(file, line, col, format_path(path),
                                    f"second exemption for rule '{ex.rule}' (first: "
                                    f"exemptions[{found[ex.rule][0]}])", "keep one of them",
                                    severity="warning", code="readiness-exemption"))
        else:
            found[ex.rule] = (i, ex)
    return found, diags

"""The NOC runbook and incident response."""

from __future__ import annotations

from pydantic import Field

from .base import InlineMarkdown, NonEmptyStr, PartyRef, Prose, Slug, Strict, Tracked
from .guide import Step

# --- NOC runbook and incident response -----------------------------------------------------------


class EscalationLevel(Strict):
    """One level of the escalation path."""

    level: int = Field(ge=1)
    contact: PartyRef
    when: NonEmptyStr = Field(description="When to escalate to this level.")
    how: NonEmptyStr = Field(description="How to reach them (pager, phone, chat channel).")


class MaintenanceTask(Strict):
    """A routine maintenance task."""

    id: Slug
    task: NonEmptyStr
    schedule: InlineMarkdown = Field(description="How often, e.g. 'monthly, first Tuesday'.")
    owner: PartyRef | None = None
    procedure: list[Step] = Field(default_factory=list)


class Runbook(Tracked):
    """NOC runbook: escalation, on-call and routine maintenance (alerts are under `alerts`)."""

    escalation: list[EscalationLevel] = Field(default_factory=list)
    on_call: Prose | None = Field(None, description="The on-call rotation and schedule.")
    routine_checks: list[Step] = Field(default_factory=list)
    maintenance: list[MaintenanceTask] = Field(default_factory=list)


class IncidentResponse(Tracked):
    """Security incident response procedure (NIST SP 800-61 phases)."""

    assessment: Prose | None = Field(None, description="Assess severity; contain the spread.")
    containment: Prose | None = None
    escalation: Prose | None = Field(None, description="Who is told, in which order.")
    communication: Prose | None = Field(
        None, description="Notifying affected parties, legal and regulators."
    )
    forensics: Prose | None = Field(None, description="Evidence collection and analysis.")
    post_incident_review: Prose | None = None

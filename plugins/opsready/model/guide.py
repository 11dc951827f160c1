"""The service guide: steps (with their references to other pages) and settings."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import Link, NonEmptyStr, Prose, ServiceRef, Slug, Strict, Tracked
from .common import AlertName

# --- service guide -------------------------------------------------------------------------------


DocumentSlug = Literal["overview", "service-guide", "operators-handbook", "ops-guide", "runbook",
                       "architecture"]


class StepRef(Strict):
    """Something a step points the reader to, published as a link: another alert's runbook, a
    document of the service (optionally one of its sections), or one of its dashboards."""

    alert: AlertName | None = Field(
        None, description="An alert name: its runbook page (of this service unless `service` "
        "is set).")
    service: ServiceRef | None = Field(
        None, description="The service the alert or document belongs to (default: this one).")
    document: DocumentSlug | None = Field(
        None, description="A document of the service: overview, service-guide, "
        "operators-handbook, ops-guide, runbook or architecture.")
    section: Slug | None = Field(
        None, description="A section anchor of that document, e.g. `failover`.")
    dashboard: NonEmptyStr | None = Field(
        None, description="The title of one of the service's dashboards "
        "(`observability.dashboards`) or links (`links`).")

    @model_validator(mode="after")
    def _one_target(self) -> StepRef:
        targets = [k for k in ("alert", "document", "dashboard") if getattr(self, k)]
        if len(targets) != 1:
            raise ValueError("a reference names exactly one of 'alert', 'document' or "
                             "'dashboard'")
        if self.section and not self.document:
            raise ValueError("'section' goes with 'document'")
        return self


class Step(Strict):
    """One step of a procedure."""

    title: NonEmptyStr
    description: Prose | None = None
    command: str | None = Field(None, description="A command to run, shown as a code block.")
    expected: str | None = Field(
        None, description="What the engineer should see when the step worked (so they know "
        "whether to go on or escalate).")
    see: list[StepRef] = Field(
        default_factory=list, description="Alerts, documents and dashboards the step refers "
        "to, published as links under the step (and checked by the link checker).")


class Setting(Strict):
    """A configuration setting."""

    name: NonEmptyStr
    description: NonEmptyStr
    default: str | int | float | bool | None = None
    required: bool = False
    secret: bool = Field(False, description="Held in the secret store, never in files.")


class ServiceGuide(Tracked):
    """Service guide: installation, configuration, client setup, billing."""

    installation: list[Step] = Field(default_factory=list)
    configuration: list[Setting] = Field(default_factory=list)
    client_account_setup: list[Step] = Field(default_factory=list)
    billing: Prose | None = Field(None, description="Client-specific billing settings.")
    api_reference: Link | None = None
    rate_limits: Prose | None = Field(
        None, description="Limits on clients' request rates and what a client sees when it "
        "exceeds them (api policy pack).")
    api_versioning: Prose | None = Field(
        None, description="How the API is versioned and how long old versions are kept (api "
        "policy pack).")

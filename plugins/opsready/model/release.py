"""The release process: delivery, staging, checks and sign-offs."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from .base import Link, NonEmptyStr, Prose, Strict, Tracked, Url
from .guide import Step

# --- release process -----------------------------------------------------------------------------


class Debrief(Strict):
    """The project manager's release debrief."""

    scope: Prose
    objectives: list[NonEmptyStr] = Field(default_factory=list)
    risks: list[NonEmptyStr] = Field(default_factory=list)


class Ticket(Strict):
    """A tracking ticket."""

    id: NonEmptyStr
    title: NonEmptyStr
    url: Url | None = None
    assignee: str | None = None
    due: dt.date | None = None


class DeploymentPlan(Tracked):
    """How a release is deployed and rolled back."""

    steps: list[Step] = Field(default_factory=list)
    rollback: list[Step] = Field(default_factory=list)
    migrations: Prose | None = Field(
        None, description="How schema and data migrations are run, and rolled back or kept "
        "compatible with the previous release (data policy pack).")


class Delivery(Tracked):
    """How releases are built and rolled out (delivery policy pack)."""

    strategy: Literal["canary", "blue-green", "progressive", "rolling", "recreate"] | None = Field(
        None, description="How a release reaches production.")
    zero_downtime: bool = Field(False, description="Deployments cause no downtime.")
    automated_rollback: bool = Field(
        False, description="A failing release is rolled back automatically (health checks or "
        "SLO burn).")
    build_pipeline: Url | None = Field(None, description="The CI pipeline that builds releases.")
    pinned_images: bool = Field(
        False, description="Images and dependencies are pinned (digests or exact versions, never "
        "'latest').")
    dependency_updates: str | None = Field(
        None, description="What proposes dependency updates, e.g. 'Renovate, weekly'.")


class Staging(Tracked):
    """Automated deployment to staging."""

    automated: bool = False
    pipeline: Url | None = None
    verified_by: str | None = None
    verified_on: dt.date | None = None


class ProcessCheck(Strict):
    """A pre-release check."""

    kind: Literal["capacity", "functional", "chaos"]
    date: dt.date
    outcome: Literal["pass", "fail", "partial"]
    notes: str | None = None
    evidence: list[Link] = Field(default_factory=list)


class SignOff(Strict):
    """A formal sign-off."""

    role: Literal["ops", "qa", "pm", "security", "engineering"]
    name: NonEmptyStr
    date: dt.date
    decision: Literal["approved", "approved-with-conditions", "rejected"]
    notes: str | None = None


class Release(Tracked):
    """The release process."""

    debrief: Debrief | None = None
    tickets: list[Ticket] = Field(default_factory=list)
    deployment_plan: DeploymentPlan | None = None
    staging: Staging | None = None
    monitoring_setup: Prose | None = Field(
        None, description="Metrics and alerts configured before launch, and where."
    )
    process_checks: list[ProcessCheck] = Field(default_factory=list)
    signoffs: list[SignOff] = Field(default_factory=list)
    delivery: Delivery | None = None

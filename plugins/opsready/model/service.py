"""A service: every deliverable of one service file, and its readiness exemptions."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from .architecture import Architecture
from .base import Link, NonEmptyStr, Prose, Slug, Strict, TeamRef, Url
from .business import Business, OpsRequirements
from .common import Flags, Lifecycle
from .guide import ServiceGuide
from .observability import Alert, Observability
from .operations import Operations
from .release import Release
from .runbook import IncidentResponse, Runbook
from .security import Security
from .testing import Testing

# --- readiness bookkeeping -----------------------------------------------------------------------


class Exemption(Strict):
    """A temporary exemption from one readiness rule."""

    rule: NonEmptyStr = Field(description="Id of the policy rule.")
    reason: NonEmptyStr
    approved_by: NonEmptyStr
    expires: dt.date


# --- the service ---------------------------------------------------------------------------------


class Service(Strict):
    """One service of the catalog: one YAML file."""

    id: Slug = Field(description="Unique id; also the URL of its pages.")
    name: NonEmptyStr
    description: Prose
    tier: Literal[1, 2, 3] = Field(
        description="1 = business-critical, 2 = important, 3 = internal or experimental."
    )
    lifecycle: Lifecycle
    owner: TeamRef
    repository: Url | None = None
    links: list[Link] = Field(default_factory=list)
    tags: list[Slug] = Field(default_factory=list)
    flags: Flags = Field(default_factory=lambda: Flags.model_validate({}))
    last_reviewed: dt.date | None = None

    architecture: Architecture | None = None
    security: Security | None = None
    business: Business | None = None
    ops_requirements: OpsRequirements | None = None
    service_guide: ServiceGuide | None = None
    testing: Testing | None = None
    operations: Operations | None = None
    observability: Observability | None = None
    alerts: list[Alert] = Field(default_factory=list)
    runbook: Runbook | None = None
    incident_response: IncidentResponse | None = None
    release: Release | None = None
    exemptions: list[Exemption] = Field(default_factory=list)

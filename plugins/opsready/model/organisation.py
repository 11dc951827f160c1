"""Teams, contacts and the organisation (teams.yaml, organisation.yaml)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from .base import NonEmptyStr, RefTo, Slug, Strict, Url
from .common import ComponentKind

# --- teams, contacts and the organisation --------------------------------------------------------


class Contact(Strict):
    """A person or a shared channel the NOC can reach."""

    id: Slug
    name: NonEmptyStr
    role: str | None = None
    email: str | None = None
    phone: str | None = None
    chat: str | None = Field(None, description="Chat handle or channel.")
    pager: str | None = Field(None, description="Pager service or schedule.")


class Team(Strict):
    """A team that owns services."""

    id: Slug
    name: NonEmptyStr
    description: str | None = None
    email: str | None = None
    chat: str | None = None
    pager: str | None = None
    members: list[Annotated[Slug, RefTo("contact")]] = Field(
        default_factory=list, description="Contact ids."
    )


class TeamsFile(Strict):
    """`teams.yaml`: teams and contacts, defined once and referenced by id."""

    teams: list[Team] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)


class Severity(Strict):
    """One level of the organisation's incident severity scale."""

    id: NonEmptyStr = Field(description="e.g. SEV-1.")
    name: NonEmptyStr
    description: NonEmptyStr
    response: NonEmptyStr = Field(description="Expected response, e.g. 'page now, 15 min'.")
    pages: bool = Field(description="Whether alerts of this severity page on-call.")


DEFAULT_SEVERITIES: tuple[Severity, ...] = (
    Severity(id="SEV-1", name="Critical", description="Customer-facing outage or data loss; "
             "security breach.", response="Page on-call now; acknowledge within 5 minutes; "
             "incident commander and status page.", pages=True),
    Severity(id="SEV-2", name="Major", description="Major feature unavailable or badly degraded "
             "for many users.", response="Page on-call; acknowledge within 15 minutes.",
             pages=True),
    Severity(id="SEV-3", name="Minor", description="Partial degradation with a workaround; "
             "risk of a bigger incident.", response="Ticket; handle within business hours.",
             pages=False),
    Severity(id="SEV-4", name="Low", description="Cosmetic or internal issue, no user impact.",
             response="Ticket; next sprint.", pages=False),
    Severity(id="SEV-5", name="Informational", description="Heads-up, no action needed now.",
             response="Read in the daily review.", pages=False),
)


class ExternalSystem(Strict):
    """A system outside the catalog that several services depend on, described once."""

    id: Slug
    name: NonEmptyStr
    kind: ComponentKind | None = Field(None, description="Diagram kind (e.g. `saas`).")
    description: str | None = None
    url: Url | None = Field(None, description="Status page, console or vendor documentation.")


class Organisation(Strict):
    """`organisation.yaml` (optional): settings for the whole catalog."""

    name: NonEmptyStr = "Example Corp"
    external_systems: list[ExternalSystem] = Field(
        default_factory=list,
        description="External systems described once: a service's dependency `external: <id>` "
        "takes its name and kind from here unless it sets its own.",
    )
    severity_scale: list[Severity] = Field(
        default_factory=lambda: list(DEFAULT_SEVERITIES),
        description="Incident severities, most severe first. When unsure, treat an incident as "
        "the higher severity.",
    )
    link_schemes: list[Slug] = Field(
        default_factory=list,
        description="Link schemes prose may use besides http, https, mailto and tel, e.g. "
        "`slack` or `zoommtg` for the site's chat or pager (links with any other scheme are "
        "refused).",
    )

    @model_validator(mode="after")
    def _unique_ids(self) -> Organisation:
        for what, ids in (("severity", [x.id for x in self.severity_scale]),
                          ("external system", [x.id for x in self.external_systems])):
            repeated = sorted({i for i in ids if ids.count(i) > 1})
            if repeated:
                raise ValueError(f"duplicate {what} id {', '.join(repeated)}: ids must be unique")
        return self

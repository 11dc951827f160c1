"""Business input and ops input: features, KPIs, SLOs and expected load."""

from __future__ import annotations

from pydantic import Field

from .base import InlineMarkdown, NonEmptyStr, PartyRef, Prose, Slug, Strict, Tracked

# --- business input ------------------------------------------------------------------------------


class Feature(Strict):
    """A feature described from the business side."""

    id: Slug
    title: NonEmptyStr
    description: Prose | None = None
    user_stories: list[NonEmptyStr] = Field(default_factory=list)
    acceptance_criteria: list[InlineMarkdown] = Field(default_factory=list)


class Kpi(Strict):
    """A measurable indicator with its target."""

    name: NonEmptyStr
    target: NonEmptyStr = Field(description="e.g. 'p99 < 300 ms', '>= 500 req/s'.")
    measured: str | None = Field(None, description="Last measured value.")
    description: str | None = None


class Business(Tracked):
    """Business input: features, business KPIs, hours of operation."""

    features: list[Feature] = Field(default_factory=list)
    kpis: list[Kpi] = Field(default_factory=list)
    hours_of_operation: str | None = Field(None, description="e.g. '24x7', 'Mon-Fri 07-19 CET'.")


# --- ops input -----------------------------------------------------------------------------------


class Slo(Strict):
    """A service level objective."""

    name: NonEmptyStr
    sli: NonEmptyStr = Field(description="What is measured, and how.")
    objective: NonEmptyStr = Field(description="e.g. '99.9% of requests succeed'.")
    window: str = Field("30d", description="The window the objective is measured over.")
    owner: PartyRef | None = Field(None, description="Team or contact id owning the SLO.")


class Load(Strict):
    """Expected load."""

    peak: NonEmptyStr
    normal: NonEmptyStr
    quiet: str | None = None


class OpsRequirements(Tracked):
    """Ops input: what operations needs from the service."""

    monitoring: Prose | None = None
    logging: Prose | None = None
    maintenance: Prose | None = None
    slos: list[Slo] = Field(default_factory=list)
    error_budget_policy: Prose | None = None
    expected_load: Load | None = None
    environment_differences: Prose | None = Field(
        None, description="How production differs from staging."
    )

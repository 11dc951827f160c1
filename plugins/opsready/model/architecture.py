"""Architecture: zones, components, dependencies and interactions."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import InlineMarkdown, NonEmptyStr, Prose, ServiceRef, Slug, Strict, Tracked
from .common import ComponentKind

# --- architecture -------------------------------------------------------------------------------


class Zone(Strict):
    """A trust zone or network segment; components are grouped by zone in diagrams."""

    id: Slug
    name: NonEmptyStr
    trust: Literal["public", "dmz", "internal", "restricted"] = Field(
        "internal", description="How much the zone is trusted."
    )
    description: Prose | None = None


class Component(Strict):
    """A deployable or stateful part of the service (also users and clients that call it)."""

    id: Slug
    name: NonEmptyStr
    kind: ComponentKind
    description: Prose | None = None
    zone: Slug | None = Field(None, description="Id of the zone (in `architecture.zones`).")
    technology: InlineMarkdown | None = Field(None, description="Language, framework or product.")
    replicas: int | None = Field(None, ge=0, description="Running instances in production.")
    single_point_of_failure: bool = Field(
        False, description="True when losing this component stops the service."
    )


class Dependency(Strict):
    """Something the service needs: another service of the catalog or an external system."""

    service: ServiceRef | None = None
    external: Slug | None = Field(None, description="Id of an external system (name it below).")
    name: str | None = Field(None, description="Display name of an external system.")
    kind: ComponentKind | None = Field(None, description="Diagram kind of an external system.")
    purpose: NonEmptyStr = Field(description="What the service uses it for.")
    critical: bool = Field(False, description="The service cannot work without it.")
    failure_impact: Prose | None = Field(
        None, description="What happens to this service when the dependency fails."
    )
    fallback: Prose | None = Field(None, description="How the service degrades or recovers.")
    timeout: str | None = Field(
        None, description="Timeout of calls to it, e.g. '2 s connect, 5 s per request' (api "
        "policy pack).")
    retries: str | None = Field(
        None, description="How failed calls are retried, e.g. '3 attempts, exponential back-off, "
        "idempotent calls only' (api policy pack).")

    @property
    def ref(self) -> str:
        """The id interactions use to name this dependency."""
        return self.service or self.external or ""


class Interaction(Strict):
    """A flow of data between two parts (component ids or dependency ids)."""

    source: Slug = Field(alias="from", description="Id of a component or dependency.")
    target: Slug = Field(alias="to", description="Id of a component or dependency.")
    data: NonEmptyStr = Field(description="What flows (e.g. 'payment requests').")
    protocol: NonEmptyStr = Field(description="e.g. HTTPS, gRPC, AMQP, PostgreSQL wire.")
    encrypted: bool = Field(description="Whether the flow is encrypted in transit.")
    encryption: str | None = Field(None, description="e.g. 'TLS 1.3', 'mTLS'.")
    description: Prose | None = None


class Architecture(Tracked):
    """Architecture design: components, dependencies, data flows and failure analysis."""

    overview: Prose | None = None
    zones: list[Zone] = Field(default_factory=list)
    components: list[Component] = Field(default_factory=list)
    dependencies: list[Dependency] = Field(default_factory=list)
    interactions: list[Interaction] = Field(default_factory=list)
    redundancy: Prose | None = Field(None, description="How the service survives losing a part.")

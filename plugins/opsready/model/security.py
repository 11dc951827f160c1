"""Security architecture review: roles, access control, encryption, network, secrets, data."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from .base import InlineMarkdown, NonEmptyStr, PartyRef, Prose, Strict, Tracked

# --- security architecture review ---------------------------------------------------------------


class Review(Strict):
    """Who reviewed something, when, and what they decided."""

    reviewer: NonEmptyStr
    date: dt.date
    outcome: Literal["approved", "approved-with-actions", "rejected"] = "approved"
    notes: Prose | None = None


class Role(Strict):
    """A role with access to the service's critical systems."""

    role: NonEmptyStr
    responsibilities: NonEmptyStr
    access: InlineMarkdown = Field(description="Level of access the role needs.")
    holders: list[PartyRef] = Field(default_factory=list, description="Team or contact ids.")


class AccessControl(Tracked):
    """How access to critical systems is granted, logged and reviewed."""

    policy: Prose | None = Field(None, description="Need-to-know rules; how access is granted.")
    logging: Prose | None = Field(None, description="How access is logged for audit.")
    review_cadence: str | None = Field(None, description="How often permissions are reviewed.")
    least_privilege: bool = False


class BreakGlass(Tracked):
    """Emergency access to critical systems."""

    criteria: Prose | None = Field(None, description="When emergency access may be used.")
    approval: Prose | None = Field(None, description="Who approves, and how.")
    logging: Prose | None = Field(None, description="How use is logged for accountability.")
    post_event_review: Prose | None = Field(None, description="How use is reviewed afterwards.")


class Encryption(Tracked):
    """Encryption of data in transit or at rest."""

    method: str | None = Field(None, description="e.g. 'TLS 1.2+ everywhere', 'AES-256 (KMS)'.")
    details: Prose | None = None


class Network(Tracked):
    """Network and infrastructure security."""

    exposure: Literal["internet", "partner", "internal", "isolated"] | None = None
    firewall: Prose | None = None
    segmentation: Prose | None = None


class Secrets(Tracked):
    """How secrets are stored and rotated."""

    management: Prose | None = Field(None, description="Where secrets live (e.g. Vault).")
    rotation: str | None = Field(None, description="Rotation schedule (e.g. '90 days').")


class DataClassification(Tracked):
    """What data the service holds and how sensitive it is."""

    classification: Literal["public", "internal", "confidential", "restricted"] | None = None
    personal_data: Prose | None = Field(None, description="Which personal data, and why.")
    retention: str | None = None


class Security(Tracked):
    """Security architecture review."""

    review: Review | None = None
    roles: list[Role] = Field(default_factory=list)
    access_control: AccessControl | None = None
    break_glass: BreakGlass | None = None
    authentication: Prose | None = Field(None, description="How users and services authenticate.")
    authorization: Prose | None = Field(None, description="Role-based rules protecting functions.")
    data_in_transit: Encryption | None = None
    data_at_rest: Encryption | None = None
    network: Network | None = None
    secrets: Secrets | None = None
    data_classification: DataClassification | None = None
    security_logs: list[InlineMarkdown] = Field(
        default_factory=list, description="Security-relevant logs the service writes."
    )

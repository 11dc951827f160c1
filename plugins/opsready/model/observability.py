"""The ops guide: logs, tools, security monitoring, observability and alerts."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from .base import (
    InlineMarkdown,
    Link,
    NonEmptyStr,
    PartyRef,
    Prose,
    SeverityRef,
    Strict,
    Tracked,
    Url,
)
from .common import AlertName, Duration
from .guide import Step

# --- ops guide -----------------------------------------------------------------------------------


class LogSource(Strict):
    """A log the service writes."""

    name: NonEmptyStr
    location: NonEmptyStr = Field(description="Where to find it (index, path, stream).")
    format: InlineMarkdown = Field(description="e.g. 'JSON lines', 'nginx combined'.")
    parsing_rules: list[InlineMarkdown] = Field(default_factory=list)
    retention: str | None = None


class Tool(Strict):
    """An operations tool."""

    name: NonEmptyStr
    purpose: NonEmptyStr
    url: Url | None = None


class SecurityLogRule(Strict):
    """A log parsing rule for security events."""

    name: NonEmptyStr
    detects: InlineMarkdown
    query: str | None = None


class SecurityAlert(Strict):
    """An alert for a suspected security incident."""

    name: NonEmptyStr
    severity: SeverityRef
    escalation: NonEmptyStr = Field(description="Who is told, and how fast.")


class SecurityMonitoring(Tracked):
    """Security monitoring and alerting."""

    ids_ips: Prose | None = Field(None, description="IDS/IPS configuration.")
    log_rules: list[SecurityLogRule] = Field(default_factory=list)
    alerts: list[SecurityAlert] = Field(default_factory=list)


class Observability(Tracked):
    """Ops guide: logs, tools, dashboards, alerting, tracing, security monitoring."""

    logs: list[LogSource] = Field(default_factory=list)
    tools: list[Tool] = Field(default_factory=list)
    dashboards: list[Link] = Field(default_factory=list)
    alert_routing: Prose | None = Field(
        None, description="Where alerts go (e.g. warning -> ticket, critical -> pager)."
    )
    tracing: Prose | None = None
    security_monitoring: SecurityMonitoring | None = None


class Escalation(Strict):
    """Who to escalate an alert to, and after how long."""

    after: Duration
    to: PartyRef


class Alert(Strict):
    """An alert the service raises, with its runbook entry."""

    name: AlertName
    severity: SeverityRef
    summary: NonEmptyStr = Field(description="One line: what fired.")
    meaning: Prose | None = Field(None, description="What the alert means.")
    impact: Prose | None = Field(None, description="What users or systems suffer.")
    diagnosis: list[Step] = Field(default_factory=list)
    mitigation: list[Step] = Field(default_factory=list)
    escalation: list[Escalation] = Field(default_factory=list)
    dashboards: list[Link] = Field(default_factory=list)
    logs: list[Link] = Field(default_factory=list)
    pages: bool | None = Field(
        None, description="Pages the on-call engineer; defaults to the severity's setting."
    )
    aliases: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] = Field(
        default_factory=list, description="Other names the NOC may search for: old alert "
        "names, the metric names of the rule's expression. Shown on the page and found by the "
        "site search.")

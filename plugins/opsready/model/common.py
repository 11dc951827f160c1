"""Shared field types of the catalog model: alert names, durations, percentages, component
kinds, lifecycle and flags."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from pydantic import Field, StringConstraints, WithJsonSchema

from .base import DiagramKind, Strict
from .component_kinds import kind_json_schema

# In Prometheus an alert name is the value of the `alertname` label: any text. Its page URL is
# a slug of it (site_paths.alert_slug).
ALERT_NAME_PATTERN = r"^\s*\S"
DURATION_PATTERN = r"^\d+(\.\d+)?\s*(s|m|h|d|w|min|mins|minutes|hours|days|weeks)$"
AlertName = Annotated[
    str,
    StringConstraints(pattern=ALERT_NAME_PATTERN, max_length=1000),
    Field(description="The alert name exactly as the alerting rule names it (`HighErrorRate`, "
          "`MysqlTooManyConnections(>80%)`): any text."),
]
Duration = Annotated[
    str,
    StringConstraints(pattern=DURATION_PATTERN),
    Field(description="A duration such as `15m`, `2h`, `30d`."),
]
Percent = Annotated[float, Field(ge=0, le=100, description="A percentage, 0-100.")]
# Editors complete the aliases from the schema; `opsready check` reports an unknown kind with
# close matches (kind_check), so validation here only bounds the string.
ComponentKind = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200),
    DiagramKind(),
    WithJsonSchema(kind_json_schema()),
    Field(
        description="What the component is, for diagrams: a short alias (`web`, `worker`, `queue`, "
        "`sql`, `cache`, `saas`, ...) or a dotted `diagrams` class such as `aws.database.RDS`."
    ),
]


class Lifecycle(str, Enum):
    """Where a service is in its life."""

    experimental = "experimental"
    development = "development"
    beta = "beta"
    production = "production"
    deprecated = "deprecated"
    retired = "retired"


# --- identity -----------------------------------------------------------------------------------


class Flags(Strict):
    """Facts about the service that decide which readiness rules apply."""

    stateful: bool = Field(False, description="Keeps data of its own (database, files, queues).")
    personal_data: bool = Field(False, description="Stores or processes personal data.")
    public: bool = Field(False, description="Reachable from the internet.")
    billed: bool = Field(False, description="Billed to clients: billing settings are required.")
    regulated: bool = Field(False, description="Subject to a regulation (PCI DSS, HIPAA, ...).")

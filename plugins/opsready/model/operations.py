"""The operators handbook: resources, scaling, failover, backups, runtime, health checks."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from .base import NonEmptyStr, Prose, Strict, Tracked
from .guide import Step

# --- operators handbook --------------------------------------------------------------------------


class Resource(Strict):
    """Resources allocated to a component."""

    component: NonEmptyStr
    cpu: str | None = None
    memory: str | None = None
    storage: str | None = None
    minimum: int | None = Field(None, ge=0, description="Fewest instances.")
    maximum: int | None = Field(None, ge=0, description="Most instances.")


class Autoscaling(Tracked):
    """Automatic scaling."""

    enabled: bool = False
    metric: str | None = Field(None, description="What drives scaling, e.g. 'CPU 70%'.")
    minimum: int | None = Field(None, ge=0)
    maximum: int | None = Field(None, ge=0)


class Failover(Tracked):
    """Failover design and its tests."""

    strategy: Prose | None = None
    procedure: list[Step] = Field(default_factory=list)
    last_tested: dt.date | None = None


class Backup(Tracked):
    """Backups and restores of the service's data."""

    schedule: str | None = None
    retention: str | None = None
    restore_procedure: list[Step] = Field(default_factory=list)
    last_restore_test: dt.date | None = None
    point_in_time_recovery: Prose | None = Field(
        None, description="How data is restored to a moment in time, and how far back (data "
        "policy pack).")
    monitoring: Prose | None = Field(
        None, description="How a failed or missing backup is noticed: the alert or check (data "
        "policy pack).")


class Runtime(Tracked):
    """How the service behaves as a container: shutdown and privileges (kubernetes-runtime
    policy pack)."""

    graceful_shutdown: Prose | None = Field(
        None, description="What the service does on SIGTERM: stops taking work, drains "
        "in-flight requests, within which grace period.")
    pre_stop: str | None = Field(
        None, description="The preStop hook, e.g. 'sleep 10 so the load balancer stops sending "
        "traffic first'.")
    run_as_non_root: bool = Field(False, description="Containers run as a non-root user.")


class HealthCheck(Strict):
    """A health check."""

    name: NonEmptyStr
    check: NonEmptyStr = Field(description="Endpoint or command.")
    expected: NonEmptyStr


class Benchmark(Strict):
    """A measured benchmark and its conditions."""

    name: NonEmptyStr
    value: NonEmptyStr
    conditions: str | None = None


class Operations(Tracked):
    """Operators handbook: capacity, scaling, failover, backups."""

    capacity_plan: Prose | None = None
    resources: list[Resource] = Field(default_factory=list)
    manual_scaling: list[Step] = Field(default_factory=list)
    autoscaling: Autoscaling | None = None
    failover: Failover | None = None
    backup: Backup | None = None
    health_checks: list[HealthCheck] = Field(default_factory=list)
    degradation: Prose | None = Field(None, description="How the service degrades gracefully.")
    benchmarks: list[Benchmark] = Field(default_factory=list)
    runtime: Runtime | None = None
    dead_letter: Prose | None = Field(
        None, description="Where messages that cannot be processed go, who is told and how they "
        "are replayed (data policy pack).")

"""Testing: layers, performance and penetration tests, scanning, compliance, results."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from .base import Link, NonEmptyStr, Prose, Strict, Tracked
from .business import Kpi
from .common import Percent

# --- testing -------------------------------------------------------------------------------------


class TestLayer(Tracked):
    """One layer of the testing approach."""

    strategy: Prose | None = None
    cases: list[NonEmptyStr] = Field(default_factory=list, description="Key cases or scenarios.")
    in_ci: bool = Field(False, description="Runs automatically in CI.")
    coverage: Percent | None = None


class TestingApproach(Tracked):
    """Testing approach and requirements."""

    unit: TestLayer | None = None
    integration: TestLayer | None = None
    end_to_end: TestLayer | None = None


class PerfRun(Tracked):
    """A load, stress or endurance test."""

    scenario: Prose | None = None
    result: Prose | None = None
    date: dt.date | None = None


class PerformanceTesting(Tracked):
    """Performance testing: KPIs and load, stress and endurance tests."""

    kpis: list[Kpi] = Field(default_factory=list)
    load: PerfRun | None = None
    stress: PerfRun | None = None
    endurance: PerfRun | None = None


class PenTest(Tracked):
    """A penetration test."""

    date: dt.date | None = None
    performed_by: str | None = None
    scope: Prose | None = None
    findings: Prose | None = None
    report: Link | None = None


class Scanning(Tracked):
    """Automated vulnerability scanning."""

    tools: list[NonEmptyStr] = Field(default_factory=list)
    cadence: str | None = Field(None, description="e.g. 'every build and nightly'.")
    remediation: Prose | None = Field(None, description="Fix times by severity; who reviews.")


class Compliance(Strict):
    """A standard the service must comply with."""

    standard: NonEmptyStr = Field(description="e.g. GDPR, PCI DSS, HIPAA, SOC 2.")
    status: Literal["compliant", "in-progress", "not-started", "exempt"]
    last_tested: dt.date | None = None
    evidence: list[Link] = Field(default_factory=list)


class SecurityTesting(Tracked):
    """Security testing: pen tests, scanning, compliance."""

    pen_test: PenTest | None = None
    vulnerability_scanning: Scanning | None = None
    compliance: list[Compliance] = Field(default_factory=list)


class TestResult(Strict):
    """A documented test result."""

    date: dt.date
    kind: Literal[
        "unit", "integration", "end-to-end", "load", "stress", "endurance", "security",
        "penetration", "compliance", "chaos", "failover", "restore", "other",
    ]
    outcome: Literal["pass", "fail", "partial"]
    summary: NonEmptyStr
    risks: list[NonEmptyStr] = Field(default_factory=list)
    mitigations: list[NonEmptyStr] = Field(default_factory=list)
    evidence: list[Link] = Field(default_factory=list)


class Testing(Tracked):
    """All testing deliverables."""

    approach: TestingApproach | None = None
    performance: PerformanceTesting | None = None
    security: SecurityTesting | None = None
    results: list[TestResult] = Field(default_factory=list)

"""The map from each white-paper deliverable to the document and section that presents it.

Templates render one heading per section, with ``anchor`` as its id; policy rules name the
section they check as ``"<document>#<anchor>"``; the docs publish this table. Every deliverable
appears in exactly one document.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """A section of a generated document."""

    document: str
    anchor: str
    title: str
    deliverable: str
    paths: tuple[str, ...]
    pack_paths: tuple[str, ...] = ()
    """Fields of the optional policy packs shown in the section: they make it documented when
    written, but do not take part in declaring the section not applicable."""

    @property
    def key(self) -> str:
        """``document#anchor``: how policy rules and flags name the section."""
        return f"{self.document}#{self.anchor}"


def _s(doc: str, anchor: str, title: str, deliverable: str, *paths: str,
       pack: tuple[str, ...] = ()) -> Section:
    return Section(doc, anchor, title, deliverable, paths, pack)


SECTIONS: tuple[Section, ...] = (
    # overview: identity and the release process
    _s("overview", "identity", "Identity", "Identity",
       "description", "tier", "lifecycle", "owner", "repository", "links"),
    _s("overview", "release-debrief", "Release debrief", "Release debrief", "release.debrief"),
    _s("overview", "tickets", "Tracking tickets", "Ticket creation", "release.tickets"),
    _s("overview", "deployment-plan", "Deployment plan and rollback", "Deployment plan",
       "release.deployment_plan", pack=("release.delivery",)),
    _s("overview", "staging", "Staging deployment", "Automated staging deployment",
       "release.staging"),
    _s("overview", "monitoring-setup", "Monitoring setup", "Monitoring setup",
       "release.monitoring_setup"),
    _s("overview", "process-checks", "Process checks", "Process checks",
       "release.process_checks"),
    _s("overview", "sign-off", "Sign-off", "Sign-off and approval", "release.signoffs"),
    # service guide: installing and using the service; business input; testing
    _s("service-guide", "installation", "Installation", "Service guide",
       "service_guide.installation"),
    _s("service-guide", "configuration", "Configuration", "Service guide",
       "service_guide.configuration"),
    _s("service-guide", "client-account-setup", "Client account setup", "Service guide",
       "service_guide.client_account_setup"),
    _s("service-guide", "billing", "Billing", "Service guide", "service_guide.billing"),
    _s("service-guide", "api-reference", "API reference", "Service guide",
       "service_guide.api_reference",
       pack=("service_guide.rate_limits", "service_guide.api_versioning")),
    _s("service-guide", "features", "Features", "Business input: feature descriptions",
       "business.features"),
    _s("service-guide", "business-kpis", "Business KPIs", "Business input", "business.kpis"),
    _s("service-guide", "hours-of-operation", "Hours of operation", "Business input",
       "business.hours_of_operation"),
    _s("service-guide", "testing-approach", "Testing approach", "Testing approach",
       "testing.approach.unit", "testing.approach.integration", "testing.approach.end_to_end"),
    _s("service-guide", "security-testing", "Security testing", "Security testing",
       "testing.security.pen_test", "testing.security.vulnerability_scanning",
       "testing.security.compliance"),
    _s("service-guide", "test-results", "Test results", "Documentation of test results",
       "testing.results"),
    # operators handbook: capacity, scaling, resilience, performance
    _s("operators-handbook", "capacity", "Capacity planning", "Operators handbook",
       "operations.capacity_plan", "ops_requirements.expected_load"),
    _s("operators-handbook", "resources", "Resource allocation", "Operators handbook",
       "operations.resources"),
    _s("operators-handbook", "scaling", "Scaling", "Operators handbook",
       "operations.manual_scaling", "operations.autoscaling"),
    _s("operators-handbook", "failover", "Failover", "Operators handbook",
       "operations.failover"),
    _s("operators-handbook", "backup", "Backup and restore", "Operators handbook",
       "operations.backup"),
    _s("operators-handbook", "health-checks", "Health checks", "Operators handbook",
       "operations.health_checks"),
    _s("operators-handbook", "degradation", "Graceful degradation", "Operators handbook",
       "operations.degradation", pack=("operations.runtime", "operations.dead_letter")),
    _s("operators-handbook", "performance", "Performance expectations and benchmarks",
       "Performance testing", "testing.performance.kpis", "testing.performance.load",
       "testing.performance.stress", "testing.performance.endurance", "operations.benchmarks"),
    # ops guide: ops input, logs, tools, alerting, security monitoring
    _s("ops-guide", "ops-requirements", "Ops requirements", "Ops input",
       "ops_requirements.monitoring", "ops_requirements.logging",
       "ops_requirements.maintenance", "ops_requirements.environment_differences"),
    _s("ops-guide", "slos", "Service level objectives", "Ops input",
       "ops_requirements.slos", "ops_requirements.error_budget_policy"),
    _s("ops-guide", "logs", "Log sources and parsing", "Ops guide", "observability.logs"),
    _s("ops-guide", "tools", "Tools and dashboards", "Ops guide",
       "observability.tools", "observability.dashboards"),
    _s("ops-guide", "alerting", "Alerting", "Ops guide", "alerts", "observability.alert_routing"),
    _s("ops-guide", "tracing", "Tracing", "Ops guide", "observability.tracing"),
    _s("ops-guide", "security-monitoring", "Security monitoring and alerting",
       "Security monitoring and alerting", "observability.security_monitoring"),
    # NOC runbook: escalation, alerts, routine work, security incidents
    _s("runbook", "escalation", "Escalation contacts", "NOC runbook", "runbook.escalation"),
    _s("runbook", "on-call", "On-call", "NOC runbook", "runbook.on_call"),
    _s("runbook", "severity-scale", "Severity scale", "NOC runbook", "organisation"),
    _s("runbook", "alerts", "Alert response", "NOC runbook", "alerts"),
    _s("runbook", "routine-checks", "Routine checks", "NOC runbook", "runbook.routine_checks"),
    _s("runbook", "maintenance", "Routine maintenance", "NOC runbook", "runbook.maintenance"),
    _s("runbook", "incident-response", "Security incident response",
       "Security incident response procedures", "incident_response"),
    # architecture: design and the security architecture review
    _s("architecture", "overview", "Overview", "Architecture design", "architecture.overview"),
    _s("architecture", "components", "Components", "Architecture design",
       "architecture.components", "architecture.zones"),
    _s("architecture", "dependencies", "Dependencies", "Architecture design",
       "architecture.dependencies"),
    _s("architecture", "data-flows", "Interactions and data flows", "Architecture design",
       "architecture.interactions"),
    _s("architecture", "resilience", "Redundancy and single points of failure",
       "Architecture design", "architecture.redundancy"),
    _s("architecture", "security-review", "Security review", "Security architecture review",
       "security.review"),
    _s("architecture", "access", "Roles and access control", "Security architecture review",
       "security.roles", "security.access_control"),
    _s("architecture", "break-glass", "Break-glass access", "Security architecture review",
       "security.break_glass"),
    _s("architecture", "authentication", "Authentication and authorization",
       "Security architecture review", "security.authentication", "security.authorization"),
    _s("architecture", "data-protection", "Data in transit and at rest",
       "Security architecture review", "security.data_in_transit", "security.data_at_rest",
       "security.data_classification"),
    _s("architecture", "network", "Network and infrastructure security",
       "Security architecture review", "security.network"),
    _s("architecture", "secrets", "Secrets", "Security architecture review", "security.secrets"),
    _s("architecture", "security-logs", "Security logs", "Security architecture review",
       "security.security_logs"),
)

SECTIONS_BY_KEY: dict[str, Section] = {s.key: s for s in SECTIONS}


def sections_of(document: str) -> list[Section]:
    """The sections of one document, in page order."""
    return [s for s in SECTIONS if s.document == document]

"""The typed model of a service, one class per deliverable of the production-readiness paper.

Every field carries a description: the JSON Schema (``opsready schema``) and the format reference
page of the docs are generated from these classes, so they cannot drift from the code.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, WithJsonSchema, model_validator

from .component_kinds import kind_json_schema
from .model_base import (
    InlineMarkdown,
    Link,
    NonEmptyStr,
    PartyRef,
    Prose,
    RefTo,
    ServiceRef,
    SeverityRef,
    Slug,
    Strict,
    TeamRef,
    Tracked,
    Url,
)

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


# --- service guide -------------------------------------------------------------------------------


DocumentSlug = Literal["overview", "service-guide", "operators-handbook", "ops-guide", "runbook",
                       "architecture"]


class StepRef(Strict):
    """Something a step points the reader to, published as a link: another alert's runbook, a
    document of the service (optionally one of its sections), or one of its dashboards."""

    alert: AlertName | None = Field(
        None, description="An alert name: its runbook page (of this service unless `service` "
        "is set).")
    service: ServiceRef | None = Field(
        None, description="The service the alert or document belongs to (default: this one).")
    document: DocumentSlug | None = Field(
        None, description="A document of the service: overview, service-guide, "
        "operators-handbook, ops-guide, runbook or architecture.")
    section: Slug | None = Field(
        None, description="A section anchor of that document, e.g. `failover`.")
    dashboard: NonEmptyStr | None = Field(
        None, description="The title of one of the service's dashboards "
        "(`observability.dashboards`) or links (`links`).")

    @model_validator(mode="after")
    def _one_target(self) -> StepRef:
        targets = [k for k in ("alert", "document", "dashboard") if getattr(self, k)]
        if len(targets) != 1:
            raise ValueError("a reference names exactly one of 'alert', 'document' or "
                             "'dashboard'")
        if self.section and not self.document:
            raise ValueError("'section' goes with 'document'")
        return self


class Step(Strict):
    """One step of a procedure."""

    title: NonEmptyStr
    description: Prose | None = None
    command: str | None = Field(None, description="A command to run, shown as a code block.")
    expected: str | None = Field(
        None, description="What the engineer should see when the step worked (so they know "
        "whether to go on or escalate).")
    see: list[StepRef] = Field(
        default_factory=list, description="Alerts, documents and dashboards the step refers "
        "to, published as links under the step (and checked by the link checker).")


class Setting(Strict):
    """A configuration setting."""

    name: NonEmptyStr
    description: NonEmptyStr
    default: str | int | float | bool | None = None
    required: bool = False
    secret: bool = Field(False, description="Held in the secret store, never in files.")


class ServiceGuide(Tracked):
    """Service guide: installation, configuration, client setup, billing."""

    installation: list[Step] = Field(default_factory=list)
    configuration: list[Setting] = Field(default_factory=list)
    client_account_setup: list[Step] = Field(default_factory=list)
    billing: Prose | None = Field(None, description="Client-specific billing settings.")
    api_reference: Link | None = None
    rate_limits: Prose | None = Field(
        None, description="Limits on clients' request rates and what a client sees when it "
        "exceeds them (api policy pack).")
    api_versioning: Prose | None = Field(
        None, description="How the API is versioned and how long old versions are kept (api "
        "policy pack).")


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


# --- NOC runbook and incident response -----------------------------------------------------------


class EscalationLevel(Strict):
    """One level of the escalation path."""

    level: int = Field(ge=1)
    contact: PartyRef
    when: NonEmptyStr = Field(description="When to escalate to this level.")
    how: NonEmptyStr = Field(description="How to reach them (pager, phone, chat channel).")


class MaintenanceTask(Strict):
    """A routine maintenance task."""

    id: Slug
    task: NonEmptyStr
    schedule: InlineMarkdown = Field(description="How often, e.g. 'monthly, first Tuesday'.")
    owner: PartyRef | None = None
    procedure: list[Step] = Field(default_factory=list)


class Runbook(Tracked):
    """NOC runbook: escalation, on-call and routine maintenance (alerts are under `alerts`)."""

    escalation: list[EscalationLevel] = Field(default_factory=list)
    on_call: Prose | None = Field(None, description="The on-call rotation and schedule.")
    routine_checks: list[Step] = Field(default_factory=list)
    maintenance: list[MaintenanceTask] = Field(default_factory=list)


class IncidentResponse(Tracked):
    """Security incident response procedure (NIST SP 800-61 phases)."""

    assessment: Prose | None = Field(None, description="Assess severity; contain the spread.")
    containment: Prose | None = None
    escalation: Prose | None = Field(None, description="Who is told, in which order.")
    communication: Prose | None = Field(
        None, description="Notifying affected parties, legal and regulators."
    )
    forensics: Prose | None = Field(None, description="Evidence collection and analysis.")
    post_incident_review: Prose | None = None


# --- release process -----------------------------------------------------------------------------


class Debrief(Strict):
    """The project manager's release debrief."""

    scope: Prose
    objectives: list[NonEmptyStr] = Field(default_factory=list)
    risks: list[NonEmptyStr] = Field(default_factory=list)


class Ticket(Strict):
    """A tracking ticket."""

    id: NonEmptyStr
    title: NonEmptyStr
    url: Url | None = None
    assignee: str | None = None
    due: dt.date | None = None


class DeploymentPlan(Tracked):
    """How a release is deployed and rolled back."""

    steps: list[Step] = Field(default_factory=list)
    rollback: list[Step] = Field(default_factory=list)
    migrations: Prose | None = Field(
        None, description="How schema and data migrations are run, and rolled back or kept "
        "compatible with the previous release (data policy pack).")


class Delivery(Tracked):
    """How releases are built and rolled out (delivery policy pack)."""

    strategy: Literal["canary", "blue-green", "progressive", "rolling", "recreate"] | None = Field(
        None, description="How a release reaches production.")
    zero_downtime: bool = Field(False, description="Deployments cause no downtime.")
    automated_rollback: bool = Field(
        False, description="A failing release is rolled back automatically (health checks or "
        "SLO burn).")
    build_pipeline: Url | None = Field(None, description="The CI pipeline that builds releases.")
    pinned_images: bool = Field(
        False, description="Images and dependencies are pinned (digests or exact versions, never "
        "'latest').")
    dependency_updates: str | None = Field(
        None, description="What proposes dependency updates, e.g. 'Renovate, weekly'.")


class Staging(Tracked):
    """Automated deployment to staging."""

    automated: bool = False
    pipeline: Url | None = None
    verified_by: str | None = None
    verified_on: dt.date | None = None


class ProcessCheck(Strict):
    """A pre-release check."""

    kind: Literal["capacity", "functional", "chaos"]
    date: dt.date
    outcome: Literal["pass", "fail", "partial"]
    notes: str | None = None
    evidence: list[Link] = Field(default_factory=list)


class SignOff(Strict):
    """A formal sign-off."""

    role: Literal["ops", "qa", "pm", "security", "engineering"]
    name: NonEmptyStr
    date: dt.date
    decision: Literal["approved", "approved-with-conditions", "rejected"]
    notes: str | None = None


class Release(Tracked):
    """The release process."""

    debrief: Debrief | None = None
    tickets: list[Ticket] = Field(default_factory=list)
    deployment_plan: DeploymentPlan | None = None
    staging: Staging | None = None
    monitoring_setup: Prose | None = Field(
        None, description="Metrics and alerts configured before launch, and where."
    )
    process_checks: list[ProcessCheck] = Field(default_factory=list)
    signoffs: list[SignOff] = Field(default_factory=list)
    delivery: Delivery | None = None


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

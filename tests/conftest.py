"""Shared test helpers: build a real MkDocs site in a temp folder and read its HTML.

``build_site(tmp_path, catalog_files, mkdocs_extra, docs_files, strict=True)`` writes a catalog,
a docs folder and an ``mkdocs.yml`` (material, offline, the opsready plugin), runs a real
``mkdocs build`` and returns a ``BuiltSite``. Any warning logged during the build fails the test
unless it matches one of ``expect_warnings`` (each of which must then appear). A build that aborts
raises ``BuildFailed`` carrying the errors and warnings of the log.

Building costs a second or two: share one site between the tests of a module with a
module-scoped fixture (``tmp_path_factory``) where possible.
"""

from __future__ import annotations

import gc
import logging
import os
import re
import tempfile
import textwrap
from collections.abc import Generator, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

from auto_markers import (  # noqa: F401 - the markers of the fast target (hooks)
    drop_unused_hypothesis_plugin,
    pytest_collection_modifyitems,
    pytest_ignore_collect,
)
from example_site import (  # noqa: F401 - the example site, once per session
    built,
    example_served,
    example_site,
    served,
)

if TYPE_CHECKING:
    from opsready.catalog.fleet import CatalogResult
    from opsready.pages import TemplateSet

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
# Readiness depends on the date (review dates go stale): the example fleet was written on
# 2026-11-26, so tests judge it on that day, whatever day they run. Tests about dates set their
# own.
os.environ.setdefault("OPSREADY_TODAY", "2026-11-26")
# opsready's caches (and their signing key) default to the user cache folder: keep the tests'
# own there, out of the developer's home.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="opsready-test-cache-")


@pytest.hookimpl(wrapper=True)
def pytest_collection(session: pytest.Session) -> Generator[None, object, object]:
    """Python's cycle collector is paused while pytest imports and collects the tests: the
    collection keeps creating long-lived objects (modules, test functions, parsed sources), and
    the collector walked all of them about a dozen times as they grew (about 2 s of the fast
    target). Then they are frozen: the collections during the tests no longer walk them (what
    ``opsready.catalog.load`` does for a loaded catalog; its next load unfreezes and freezes
    again). xdist's controller collects nothing: this wraps nothing there."""
    gc.disable()
    try:
        return (yield)
    finally:
        gc.enable()
        gc.freeze()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Hypothesis's plugin goes when no property-based test was collected (``auto_markers``)."""
    drop_unused_hypothesis_plugin(session)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", dest="update_golden",
                     help="rewrite tests/golden/ from what opsready generates now (review the "
                          "diff with git diff tests/golden)")


DEFAULT_THEME: dict[str, Any] = {
    "name": "material",
    "font": False,
    "features": ["navigation.indexes", "navigation.prune", "content.action.edit"],
}

TEAMS_YAML = """\
teams:
  - id: platform
    name: Platform Team
    email: platform@example.com
    chat: "#platform"
    pager: PagerDuty Platform
    members: [ada, noc]
  - id: payments
    name: Payments Team
    email: payments@example.com
contacts:
  - id: ada
    name: Ada Lovelace
    role: Engineering lead
    email: ada@example.com
    phone: "+44 20 0000 0001"
  - id: noc
    name: Network Operations Centre
    chat: "#noc"
    pager: PagerDuty NOC
"""


def service_yaml(service_id: str, name: str | None = None, *, owner: str = "platform",
                 tier: int = 2, lifecycle: str = "production", extra: str = "") -> str:
    """A minimal valid service file; ``extra`` is YAML appended at the top level."""
    name = name or service_id.replace("-", " ").title()
    body = (f"id: {service_id}\nname: {name}\ndescription: The {name} service.\n"
            f"tier: {tier}\nlifecycle: {lifecycle}\nowner: {owner}\n")
    return body + textwrap.dedent(extra)


def catalog_with(**services: str) -> dict[str, str]:
    """Catalog files: teams.yaml plus ``<id>.yaml`` for each keyword (underscores -> hyphens)."""
    files = {"teams.yaml": TEAMS_YAML}
    for key, text in services.items():
        files[f"{key.replace('_', '-')}.yaml"] = text
    return files


class BuildFailed(Exception):
    """The build aborted; ``errors`` and ``warnings`` hold what the log said."""

    def __init__(self, errors: list[str], warnings: list[str], cause: BaseException) -> None:
        super().__init__("build failed:\n" + "\n".join(errors + warnings) + f"\n({cause!r})")
        self.errors = errors
        self.warnings = warnings
        self.cause = cause


@dataclass
class BuiltSite:
    """A built site: its folders, the log, and helpers to read pages."""

    root: Path
    site_dir: Path
    docs_dir: Path
    logs: list[tuple[int, str]] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        """Messages logged at WARNING."""
        return [m for level, m in self.logs if level == logging.WARNING]

    @property
    def infos(self) -> list[str]:
        """Messages logged at INFO."""
        return [m for level, m in self.logs if level == logging.INFO]

    def path(self, url: str) -> Path:
        """The HTML file of a site URL such as ``services/x/runbook/`` or ``services/x/``."""
        url = url.strip("/")
        target = self.site_dir / url
        if url.endswith(".html") or target.is_file():
            return target
        return target / "index.html"

    def exists(self, url: str) -> bool:
        """Whether the site has a page at ``url``."""
        return self.path(url).is_file()

    def html(self, url: str) -> str:
        """The raw HTML of a page."""
        return self.path(url).read_text(encoding="utf-8")

    def soup(self, url: str) -> BeautifulSoup:
        """The parsed HTML of a page, without ``<wbr>`` (a line-break opportunity the ``code``
        filter puts after ``_ . / -``, not text: ``get_text(" ")`` would split the word there)."""
        soup = BeautifulSoup(self.html(url), "html.parser")
        for wbr in soup.find_all("wbr"):
            wbr.decompose()
        soup.smooth()
        return soup

    def article(self, url: str) -> Tag:
        """The page content (material's ``article``)."""
        found = self.soup(url).select_one("article.md-content__inner")
        assert found is not None, f"no article in {url}"
        return found

    def headings(self, url: str, level: str = "h2") -> dict[str, str]:
        """Heading id -> heading text (permalink signs removed) of the page content."""
        return {h.get("id", ""): h.get_text(" ", strip=True).rstrip("¶").strip()
                for h in self.article(url).select(level)}

    def section_text(self, url: str, anchor: str) -> str:
        """Text of the content between the heading with id ``anchor`` and the next heading of
        the same or a higher level."""
        article = self.article(url)
        head = article.find(id=anchor)
        assert head is not None, f"no #{anchor} in {url}"
        level = int(head.name[1])
        parts = []
        for sib in head.find_next_siblings():
            if re.fullmatch(r"h[1-6]", sib.name or "") and int(sib.name[1]) <= level:
                break
            parts.append(sib.get_text(" ", strip=True))
        return " ".join(parts)

    def nav_labels(self, url: str) -> list[str]:
        """Labels of the primary navigation of a page, in document order."""
        nav = self.soup(url).select_one("nav.md-nav--primary")
        assert nav is not None
        return [el.get_text(" ", strip=True) for el in nav.select(".md-nav__link .md-ellipsis")]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.getMessage()))


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _write(root: Path, files: Mapping[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def write_files(root: Path, files: Mapping[str, str]) -> Path:
    """Write ``files`` (relative path -> text) under ``root``; returns ``root``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def build_site(tmp_path: Path, catalog_files: Mapping[str, str],
               mkdocs_extra: Mapping[str, Any] | None = None,
               docs_files: Mapping[str, str | bytes] | None = None, strict: bool = True, *,
               opsready: Mapping[str, Any] | None = None,
               templates_files: Mapping[str, str] | None = None,
               expect_warnings: Iterable[str] = ()) -> BuiltSite:
    """Write and build a site in ``tmp_path``.

    ``catalog_files`` go to ``service_catalog/``, ``docs_files`` to ``docs/`` (default: a home
    page), ``templates_files`` to ``templates/``. ``opsready`` are the plugin's options;
    ``mkdocs_extra`` is merged into the generated ``mkdocs.yml`` (mappings deeply, other values
    replaced). ``expect_warnings`` are regular expressions: each must match a logged warning,
    and every warning must match one of them.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = Path(tmp_path)
    _write(root / "service_catalog", catalog_files)
    _write(root / "docs", docs_files if docs_files is not None else {"index.md": "# Home\n"})
    if templates_files:
        _write(root / "templates", templates_files)
    # Readiness is off unless a test asks for it: these sites are deliberately minimal, and the
    # readiness tests (test_readiness_build.py) turn it on with opsready={"readiness": True}.
    plugin: Any = {"opsready": {"readiness": False, **dict(opsready or {})}}
    config: dict[str, Any] = {
        "site_name": "Test site",
        "theme": DEFAULT_THEME,
        "plugins": ["search", plugin],
    }
    config = _merge(config, mkdocs_extra or {})
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")

    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    cwd = os.getcwd()
    os.chdir(root)  # catalog file names in messages are relative to the working directory
    try:
        cfg = load_config(str(root / "mkdocs.yml"), strict=strict,
                          site_dir=str(root / "site"))
        try:
            build(cfg)
        except (SystemExit, Exception) as exc:
            errors = [m for lvl, m in handler.records if lvl >= logging.ERROR]
            warnings = [m for lvl, m in handler.records if lvl == logging.WARNING]
            raise BuildFailed(errors, warnings, exc) from exc
    finally:
        os.chdir(cwd)
        logger.removeHandler(handler)
        logger.setLevel(previous)
    site = BuiltSite(root, root / "site", root / "docs", handler.records)
    patterns = [re.compile(p) for p in expect_warnings]
    unexpected = [w for w in site.warnings if not any(p.search(w) for p in patterns)]
    assert not unexpected, "unexpected warnings:\n" + "\n".join(unexpected)
    missing = [p.pattern for p in patterns if not any(p.search(w) for w in site.warnings)]
    assert not missing, f"expected warnings not logged: {missing}\nlog: {site.warnings}"
    return site


SHARED_DIAGRAM_CACHE = tempfile.mkdtemp(prefix="opsready-test-diagrams-")
"""A diagram cache for the builds of this test process: the same catalog's diagrams are drawn
once, not once per temp site (about half a second a build)."""


def build_site_cached(tmp_path: Path, catalog_files: Mapping[str, str], *args: Any,
                      opsready: Mapping[str, Any] | None = None, **kwargs: Any) -> BuiltSite:
    """``build_site`` with the diagram cache shared by this process's builds. Tests that look
    at the cache itself use ``build_site``."""
    options = {"diagrams_cache_dir": SHARED_DIAGRAM_CACHE, **dict(opsready or {})}
    return build_site(tmp_path, catalog_files, *args, opsready=options, **kwargs)


@pytest.fixture(scope="session")
def example_catalog() -> CatalogResult:
    """The repository's example catalog (``service_catalog/``), loaded once for the session.
    Read-only: a test that changes a catalog writes and loads its own."""
    from opsready.catalog.load import load_catalog

    return load_catalog(Path(__file__).resolve().parents[1] / "service_catalog")


@pytest.fixture(scope="session")
def packaged_templates() -> TemplateSet:
    """The packaged templates, compiled once for the session (compiling them costs about half a
    second of CPU): tests that render with the defaults share it. Rendering does not change it."""
    from opsready.pages import make_environment

    return make_environment(None)


@pytest.fixture
def site_builder(tmp_path: Path):  # type: ignore[no-untyped-def]
    """``build_site`` bound to this test's temp folder."""

    def make(*args: Any, **kwargs: Any) -> BuiltSite:
        return build_site(tmp_path, *args, **kwargs)

    return make


RICH_SERVICE = """\
id: checkout
name: Checkout
description: {file: overview.md}
tier: 1
lifecycle: production
owner: payments
repository: https://git.example.com/checkout
links:
  - {title: Checkout dashboard, url: "https://grafana.example.com/d/checkout"}
tags: [payments, public-api]
flags: {stateful: true, personal_data: true, billed: true}
architecture:
  overview: Checkout takes the basket and charges the card.
  zones:
    - {id: edge, name: Edge, trust: dmz}
  components:
    - {id: api, name: checkout-api, kind: web, zone: edge, technology: Go, replicas: 3}
    - {id: db, name: checkout-db, kind: sql, replicas: 1, single_point_of_failure: true}
  dependencies:
    - service: ledger
      purpose: Books every charge.
      critical: true
      failure_impact: Charges queue up.
    - {external: acquirer, name: Card acquirer, purpose: Authorises cards, critical: true}
  interactions:
    - {from: api, to: db, data: Orders, protocol: PostgreSQL, encrypted: true, encryption: TLS 1.3}
  redundancy: Three API replicas across zones.
security:
  review: {reviewer: Grace Hopper, date: 2026-01-15, outcome: approved}
  roles:
    - {role: Operator, responsibilities: Runs deploys, access: Deploy only, holders: [platform]}
  access_control: {policy: Access through SSO groups only., least_privilege: true}
  break_glass:
    criteria: Only during a SEV-1 when SSO is down.
    approval: The incident commander approves.
    logging: Every use is logged to the audit trail.
    post_event_review: Reviewed within 2 working days.
  authentication: OAuth 2 with MFA for staff.
  authorization: Role-based, checked per endpoint.
  data_in_transit: {method: TLS 1.3 everywhere}
  data_at_rest: {method: AES-256 via KMS}
  network: {exposure: internet, firewall: WAF in front of the API.}
  secrets: {management: Vault, rotation: 90 days}
  data_classification: {classification: confidential, personal_data: Names and e-mail addresses.}
  security_logs: [auth.log, waf.log]
business:
  features:
    - id: one-click
      title: One-click checkout
      description: Returning customers pay with one click.
      user_stories: [As a returning customer I pay without typing my card again.]
      acceptance_criteria: [The saved card is charged within 2 seconds.]
  kpis:
    - {name: Conversion, target: ">= 3%"}
  hours_of_operation: 24x7
ops_requirements:
  monitoring: Golden signals on the API.
  slos:
    - {name: Availability, sli: Successful requests, objective: 99.9% of requests succeed}
  expected_load: {peak: 500 req/s, normal: 120 req/s, quiet: 10 req/s}
service_guide:
  installation:
    - {title: Deploy the chart, command: helm upgrade --install checkout ./chart}
  configuration:
    - {name: CHECKOUT_TIMEOUT, description: Upstream timeout in ms, default: 3000, required: true}
  client_account_setup:
    - {title: Create the merchant in the admin console}
  billing: Merchants are billed monthly per transaction.
  api_reference: {title: OpenAPI, url: "https://api.example.com/docs"}
testing:
  approach:
    unit: {strategy: Table-driven tests., in_ci: true, coverage: 85}
    integration: {strategy: Testcontainers with a real PostgreSQL., in_ci: true}
    end_to_end: {strategy: Playwright against staging., cases: [Pay with a saved card]}
  performance:
    kpis:
      - {name: p99 latency, target: "< 300 ms", measured: 240 ms}
    load: {scenario: 2x peak for 1 hour, result: p99 280 ms, date: 2026-02-01}
    stress: {scenario: Ramp to failure, result: Breaks at 1900 req/s}
    endurance: {scenario: 24 hours at normal load, result: No memory growth}
  security:
    pen_test: {date: 2026-03-01, performed_by: Example Security Ltd}
    vulnerability_scanning: {tools: [Trivy], cadence: every build}
    compliance:
      - {standard: PCI DSS, status: compliant, last_tested: 2026-03-10}
  results:
    - {date: 2026-02-01, kind: load, outcome: pass, summary: Load test at 2x peak passed}
operations:
  capacity_plan: One API replica serves 200 req/s.
  resources:
    - {component: api, cpu: "2", memory: 1Gi, minimum: 3, maximum: 12}
  manual_scaling:
    - {title: Scale the deployment, command: kubectl scale deploy/checkout-api --replicas=6}
  autoscaling: {enabled: true, metric: CPU 70%, minimum: 3, maximum: 12}
  failover:
    strategy: Promote the standby database.
    procedure:
      - {title: Promote the replica, command: pg_ctl promote}
    last_tested: 2026-01-20
  backup: {schedule: hourly, retention: 30 days, last_restore_test: 2026-01-10}
  health_checks:
    - {name: Liveness, check: GET /healthz, expected: 200 OK}
  degradation: Without the acquirer, orders are kept and charged later.
  benchmarks:
    - {name: Single replica, value: 210 req/s, conditions: 2 CPU}
observability:
  logs:
    - {name: API log, location: loki/checkout, format: JSON lines, parsing_rules: ['level=error']}
  tools:
    - {name: Grafana, purpose: Dashboards, url: "https://grafana.example.com"}
  dashboards:
    - {title: Checkout overview, url: "https://grafana.example.com/d/checkout"}
  alert_routing: Warnings open a ticket; critical alerts page.
  tracing: OpenTelemetry to Tempo.
  security_monitoring:
    ids_ips: Suricata on the edge nodes.
    log_rules:
      - {name: Brute force, detects: 20 failed logins in 1 minute, query: 'status=401 | count > 20'}
    alerts:
      - {name: SuspiciousLogins, severity: SEV-2, escalation: Security on-call within 15 minutes}
alerts:
  - name: CheckoutHighErrorRate
    severity: SEV-1
    summary: More than 2% of checkout requests fail.
    meaning: Customers cannot pay.
    impact: Lost orders.
    diagnosis:
      - {title: Check the error dashboard}
    mitigation:
      - {title: Roll back the last deploy, command: helm rollback checkout}
    escalation:
      - {after: 15m, to: ada}
    dashboards:
      - {title: Errors, url: "https://grafana.example.com/d/errors"}
  - name: CheckoutDbReplicaLag
    severity: SEV-3
    summary: Replica lag above 30 s.
runbook:
  escalation:
    - {level: 1, contact: noc, when: Any alert, how: Pager}
    - {level: 2, contact: ada, when: SEV-1 not mitigated in 15 minutes, how: Phone}
  on_call: Weekly rotation of the payments team.
  routine_checks:
    - {title: Check the night's reconciliation}
  maintenance:
    - {id: certs, task: Renew certificates, schedule: yearly, owner: platform}
incident_response:
  assessment: Decide within 15 minutes whether card data is affected.
  containment: Isolate the namespace.
  escalation: Security on-call, then the CISO.
  communication: Legal notifies regulators within 72 hours.
  forensics: Snapshot volumes before cleaning anything.
  post_incident_review: Blameless review within 5 working days.
release:
  debrief: {scope: Checkout v2 launch, objectives: [One-click checkout], risks: [Acquirer limits]}
  tickets:
    - {id: PAY-1, title: Launch checkout v2, url: "https://jira.example.com/PAY-1"}
  deployment_plan:
    steps:
      - {title: Canary 5% for one hour}
    rollback:
      - {title: Shift traffic back, command: kubectl rollout undo deploy/checkout-api}
  staging: {automated: true, verified_by: QA team, verified_on: 2026-03-01}
  monitoring_setup: Dashboards and alerts were live a week before launch.
  process_checks:
    - {kind: chaos, date: 2026-02-20, outcome: pass}
  signoffs:
    - {role: ops, name: Ada Lovelace, date: 2026-03-02, decision: approved}
    - {role: qa, name: Alan Turing, date: 2026-03-02, decision: approved}
    - {role: pm, name: Grace Hopper, date: 2026-03-02, decision: approved}
"""
"""A service that fills every section of every document, kept as ``checkout/service.yaml`` with
its description in ``checkout/overview.md`` (see ``rich_catalog``)."""

LEDGER_SERVICE = service_yaml("ledger", "Ledger", owner="payments", tier=1)
"""A minimal service the rich one depends on."""


def rich_catalog(overview: str = "Checkout **takes** the basket.\n", **more: str) -> dict[str, str]:
    """teams.yaml, the rich checkout service (with its Markdown description), the ledger, and
    ``more`` services (keyword -> YAML text)."""
    files = catalog_with(ledger=LEDGER_SERVICE, **more)
    files["checkout/service.yaml"] = RICH_SERVICE
    files["checkout/overview.md"] = overview
    return files


def lived(store: Any) -> Any:
    """A store (or cache folder) as one that lived through a run: it holds a check's outcome,
    so runs keep parsed files and readiness outcomes in it (``Store.used_before``; a fresh
    folder, as a CI runner's, only reads them)."""
    from opsready.cache.store import Store

    found = store if isinstance(store, Store) else Store(store)
    found.put("checked", "0" * 64, b"an earlier run")
    return found


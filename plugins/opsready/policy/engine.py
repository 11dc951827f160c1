"""Evaluate every service against the policy: rule outcomes, gaps, levels, verdicts.

Per rule and service, in order: does the rule apply (tier, lifecycle, flags)? Is the section
declared not applicable, and does the rule accept that? Does the check pass? Is the section's
review date too old (stale)? Does a valid exemption cover a failure? The achieved level follows
gate-style from the outcomes (``levels.gate_level``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from ..cache import pool
from ..catalog.fleet import Catalog
from ..catalog.positions import EMPTY as EMPTY_POSITIONS
from ..catalog.positions import Positions
from ..diagnostics import Diagnostic, format_path
from ..model import Exemption, Organisation, Service
from ..output.site_files import Debt, Gap
from .baseline_entries import BaselineEntry, BaselineOutcome
from .exemptions import valid_exemptions
from .file_format import Rule
from .grouping import group_missing
from .levels import Level, gate_level
from .load import Policy
from .paths import Resolved, YamlPath
from .placement import place_gaps
from .presence import State
from .rule_kinds import Context, Failure, FailureStatus, run_check

Status = Literal["pass", "fail", "stale", "na", "exempt", "expired-exemption"]
PASSING: frozenset[str] = frozenset({"pass", "na", "exempt"})
SEVERITY_ORDER = {"critical": 0, "major": 1, "minor": 2}
TODAY_ENV = "OPSREADY_TODAY"


def today_from_env(environ: Mapping[str, str] | None = None) -> dt.date:
    """Today's date, or ``OPSREADY_TODAY`` (YYYY-MM-DD) for reproducible builds."""
    env = os.environ if environ is None else environ
    value = env.get(TODAY_ENV, "").strip()
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{TODAY_ENV}={value!r} is not a date: use YYYY-MM-DD") from None


@dataclass(frozen=True)
class RuleResult:
    """The outcome of one rule that applies to a service: its status, what it found (YAML
    path, status, message) and those findings placed in the file as gaps (``place_gaps``)."""

    rule: Rule
    status: Status
    findings: tuple[Failure, ...] = ()
    note: str = ""
    """The not-applicable reason, or the exemption's reason and expiry."""
    gaps: tuple[Gap, ...] = ()
    """The findings placed at file and line; empty until placed (``evaluate_service``)."""

    @property
    def passed(self) -> bool:
        """Pass, not applicable or exempt: the rule does not hold the service back."""
        return self.status in PASSING

    @property
    def level(self) -> Level:
        """The level the rule belongs to."""
        return Level.parse(self.rule.level)


@dataclass(frozen=True)
class ServiceReadiness:
    """The readiness verdict of one service."""

    service: Service
    file: str
    """The service file, as diagnostics name it."""
    id_position: tuple[int, int]
    """Line and column of the service's ``id`` in its file."""
    required: Level
    achieved: Level
    enforced: bool
    results: tuple[RuleResult, ...]
    debt: tuple[BaselineEntry, ...] = ()
    """Baseline entries that cover a failing rule of this service (``baseline``)."""
    accepted: frozenset[str] = frozenset()
    """Ids of failing rules the baseline accepts as debt today (entries not past due)."""

    @property
    def id(self) -> str:
        """The service id."""
        return self.service.id

    @property
    def meets_required(self) -> bool:
        """Whether the achieved level is at least the required one."""
        return self.achieved >= self.required

    @property
    def below_required(self) -> bool:
        """Enforced and below its required level, for a reason the baseline does not accept:
        this fails the build."""
        if not self.enforced or self.meets_required:
            return False
        return not self.accepted or bool(self.blocking())

    @property
    def in_debt(self) -> bool:
        """Below its required level only through gaps the baseline accepts."""
        return self.enforced and not self.meets_required and not self.below_required

    @property
    def gaps(self) -> list[Gap]:
        """Every gap, in rule order."""
        return [g for r in self.results for g in r.gaps]

    @property
    def passed_count(self) -> int:
        """Number of applicable rules that pass (including N/A and exempt)."""
        return sum(r.passed for r in self.results)

    @property
    def percent(self) -> float:
        """Share of applicable rules that pass, 0-100 (information only: levels decide)."""
        if not self.results:
            return 100.0
        return round(100.0 * self.passed_count / len(self.results), 1)

    def blocking(self) -> list[RuleResult]:
        """Failing rules at or below the required level that the baseline does not accept:
        what keeps the service below it."""
        return [r for r in self.results if not r.passed and r.level <= self.required
                and r.rule.id not in self.accepted]

    def blocks(self, result: RuleResult) -> bool:
        """Whether a failing rule keeps this (enforced) service below its required level."""
        return (self.below_required and not result.passed and result.level <= self.required
                and result.rule.id not in self.accepted)

    @property
    def gap_count(self) -> int:
        """Number of gaps."""
        return sum(len(r.findings) for r in self.results if not r.passed)

    def is_blocking(self, gap: Gap) -> bool:
        """Whether a gap keeps an enforced service below its required level."""
        return (self.below_required and Level.parse(gap.level) <= self.required
                and gap.rule_id not in self.accepted)


@dataclass
class Evaluation:
    """Readiness of a whole catalog; also the ``GapLookup`` page templates use."""

    policy: Policy
    today: dt.date
    services: dict[str, ServiceReadiness]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    baseline: BaselineOutcome | None = None
    """Set by ``baseline.apply_baseline``: accepted, overdue and removable entries."""
    _failing: dict[tuple[str, str], list[RuleResult]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for sid, readiness in self.services.items():
            for result in readiness.results:
                if not result.passed:
                    self._failing.setdefault((sid, result.rule.section), []).append(result)

    def gaps_for(self, service_id: str, section: str) -> list[Gap]:
        """Gaps of ``service_id`` in ``section`` (``document#anchor``), most severe first; a gap
        the baseline covers carries its entry as ``debt`` (owner, due date, overdue)."""
        gaps = [g for r in self._failing.get((service_id, section), ()) for g in r.gaps]
        readiness = self.services.get(service_id)
        if readiness is not None and readiness.debt and gaps:
            gaps = [_with_debt(g, readiness, self.today) for g in gaps]
        return sorted(gaps, key=gap_sort_key)

    def is_next_level(self, service_id: str, gap: Gap) -> bool:
        """Whether a gap belongs to a level above the one the service's tier requires: what
        the next level asks for, not something the service is missing."""
        readiness = self.services.get(service_id)
        return readiness is not None and Level.parse(gap.level) > readiness.required

    def below_required(self) -> list[ServiceReadiness]:
        """Enforced services below their required level, by id."""
        return [r for r in self.services.values() if r.below_required]

    @property
    def ok(self) -> bool:
        """True when no enforced service is below its required level."""
        return not self.below_required()


def _with_debt(gap: Gap, readiness: ServiceReadiness, today: dt.date) -> Gap:
    """``gap`` with the baseline entry of its rule, when the service's baseline has one."""
    entry = next((e for e in readiness.debt if e.rule == gap.rule_id), None)
    if entry is None:
        return gap
    overdue = entry.overdue(today)
    return replace(gap, debt=Debt(entry.owner, entry.due.isoformat(), overdue,
                                  overdue and readiness.is_blocking(gap), entry.note or ""))


def gap_sort_key(gap: Gap) -> tuple[int, int, str]:
    """Most severe first, then lowest level (the gap that blocks the most), then path."""
    return (SEVERITY_ORDER.get(gap.severity, 9), Level.parse(gap.level).value, gap.yaml_path)


def applies(rule: Rule, service: Service) -> bool:
    """Whether ``rule`` applies to ``service`` (tier, lifecycle and flags)."""
    cond = rule.applies
    if cond.tiers is not None and service.tier not in cond.tiers:
        return False
    if cond.lifecycles is not None and service.lifecycle not in cond.lifecycles:
        return False
    if cond.services is not None and service.id not in cond.services:
        return False
    flags = service.flags
    if not all(getattr(flags, f) for f in cond.flags):
        return False
    return not (cond.any_flags and not any(getattr(flags, f) for f in cond.any_flags))


def _chains(rule: Rule, service: Service, ctx: Context) -> list[list[Resolved]]:
    return [ctx.resolve(fp, service) for fp in rule.field_paths]


_NO_MARKS: tuple[Any, Any, Any] = (None, None, None)


def _marks(obj: Any) -> tuple[Any, Any, Any]:
    """(not_applicable, not_applicable_parts, last_reviewed) of a model object.

    Read from ``__dict__``: ``getattr`` with a default goes through pydantic's slow
    ``__getattr__`` for every model without the field; pydantic keeps field values there.
    """
    values = getattr(obj, "__dict__", None)
    if not values:
        return _NO_MARKS
    return (values.get("not_applicable"), values.get("not_applicable_parts"),
            values.get("last_reviewed"))


def _declared_na(per_path: list[list[Resolved]]) -> tuple[YamlPath, str] | None:
    """(path, reason) when every path lies under a section declared not applicable."""
    found: tuple[YamlPath, str] | None = None
    for resolved in per_path:
        hit = None
        if resolved:
            r = resolved[0]
            for path, obj in reversed(r.chain):
                reason, parts, _ = _marks(obj)
                if reason:
                    hit = (path, reason)
                    break
                # A single key of the section declared not applicable, on the rule's way.
                if parts and len(r.path) > len(path):
                    part = r.path[len(path)]
                    if isinstance(part, str) and part in parts:
                        hit = ((*path, "not_applicable_parts", part), parts[part])
                        break
        if hit is None:
            return None
        found = found or hit
    return found


def _reason_failure(declared: tuple[YamlPath, str], ctx: Context) -> Failure | None:
    """A failure when the reason of a not-applicable declaration is no reason: the same
    judgement as section text (placeholders, invisible content)."""
    path, reason = declared
    state = ctx.placeholders.judge_text(reason)
    if state is State.PRESENT:
        return None
    at = path if "not_applicable_parts" in path else (*path, "not_applicable")
    what = "a placeholder" if state is State.PLACEHOLDER else "no visible text"
    return Failure(at, "placeholder" if state is State.PLACEHOLDER else "missing",
                   f"the not_applicable reason is {what}: write why the section does not apply")


def _review_failure(rule: Rule, service: Service, per_path: list[list[Resolved]],
                    policy: Policy, today: dt.date) -> Failure | None:
    """A stale failure when the nearest review date above the rule's values is too old."""
    limit = policy.review_max_age(rule, service.tier)
    if limit is None:
        return None
    oldest: tuple[dt.date, YamlPath] | None = None
    for resolved in per_path:
        chain = resolved[0].chain if resolved else (((), service),)
        for path, obj in reversed(chain):
            reviewed = _marks(obj)[2]
            if isinstance(reviewed, dt.date):
                if oldest is None or reviewed < oldest[0]:
                    oldest = (reviewed, (*path, "last_reviewed"))
                break
    if oldest is None:
        return None
    age = (today - oldest[0]).days
    if age <= limit:
        return None
    return Failure(oldest[1], "stale",
                   f"last reviewed on {oldest[0].isoformat()}, {age} days ago; tier "
                   f"{service.tier} services must review it every {limit} days")


def evaluate_rule(rule: Rule, service: Service, policy: Policy, ctx: Context,
                  exemption: tuple[int, Exemption] | None) -> RuleResult:
    """The outcome of one applicable rule for one service, with its findings (not placed)."""
    per_path = _chains(rule, service, ctx)
    declared = _declared_na(per_path)
    if declared and rule.na_allowed:
        refused = _reason_failure(declared, ctx)
        if refused is None:
            return RuleResult(rule, "na", note=declared[1])
        return RuleResult(rule, "fail", (refused,))
    failures = run_check(rule, service, ctx)
    if not failures:
        stale = _review_failure(rule, service, per_path, policy, ctx.today)
        failures = [stale] if stale else []
    if not failures:
        return RuleResult(rule, "pass")
    failures = group_missing(failures, service)
    prefix = ""
    if declared:
        prefix = (f"{format_path(declared[0])} is declared not applicable, but rule "
                  f"'{rule.id}' does not accept that; ")
    status: Status = "stale" if all(f.status == "stale" for f in failures) else "fail"
    if exemption is not None:
        index, ex = exemption
        note = f"{ex.reason} (approved by {ex.approved_by}, until {ex.expires.isoformat()})"
        if ctx.today <= ex.expires:
            return RuleResult(rule, "exempt", note=note)
        expired = (f"the exemption (exemptions[{index}]) expired on {ex.expires.isoformat()}; ")
        return RuleResult(rule, "expired-exemption", _findings(
            failures, "expired-exemption", expired + prefix), note)
    return RuleResult(rule, status, _findings(failures, None, prefix))


def _findings(failures: list[Failure], status: FailureStatus | None, prefix: str
              ) -> tuple[Failure, ...]:
    """The failures as reported: the exemption's status when one expired, and the prefix that
    says why a declaration or exemption did not help."""
    if status is None and not prefix:
        return tuple(failures)
    return tuple(Failure(f.path, status or f.status, prefix + f.message)
                 for f in failures)


def outcomes_to_plain(results: tuple[RuleResult, ...]) -> list[Any]:
    return [[r.rule.id, r.status, r.note, [[list(f.path), f.status, f.message]
                                           for f in r.findings]] for r in results]


def outcomes_from_plain(plain: Any, policy: Policy) -> tuple[RuleResult, ...] | None:
    """Outcomes written by ``outcomes_to_plain`` (kept by a cache); None when they do not fit
    the policy."""
    rules = policy.rules_by_id
    try:
        return tuple(RuleResult(rules[rule_id], status, tuple(
            Failure(tuple(path), found, message) for path, found, message in findings), note)
            for rule_id, status, note, findings in plain)
    except (KeyError, TypeError, ValueError):
        return None


def rule_outcomes(service: Service, policy: Policy, organisation: Organisation, today: dt.date,
                  exemptions: Mapping[str, tuple[int, Exemption]] | None = None,
                  ) -> tuple[RuleResult, ...]:
    """The outcome of every rule that applies to ``service`` (findings not yet placed);
    ``exemptions``: the service's valid exemptions by rule id (``None``: read them from the
    service)."""
    if exemptions is None:
        exemptions = valid_exemptions(service, EMPTY_POSITIONS, "", policy)[0]
    ctx = Context(organisation, policy.placeholders, today)
    return tuple(evaluate_rule(rule, service, policy, ctx, exemptions.get(rule.id))
                 for rule in policy.rules if applies(rule, service))


def evaluate_service(service: Service, positions: Positions, file: str, policy: Policy,
                     organisation: Organisation, today: dt.date,
                     outcomes: tuple[RuleResult, ...] | None = None,
                     ) -> tuple[ServiceReadiness, list[Diagnostic]]:
    """Evaluate one service: its rule outcomes, achieved level and exemption problems.

    ``outcomes``: the rules' outcomes when already known (the orchestration keeps them between
    runs); else the rules run. The rules' findings are placed as gaps in ``file``
    (``place_gaps``) before this returns: what comes after never needs the file's positions
    again."""
    exemptions, diags = valid_exemptions(service, positions, file, policy)
    if outcomes is None:
        outcomes = rule_outcomes(service, policy, organisation, today, exemptions)
    results = tuple(
        replace(r, gaps=place_gaps(r.rule, r.findings, positions, file)) if r.findings else r
        for r in outcomes)
    achieved = gate_level((r.level, r.passed) for r in results)
    readiness = ServiceReadiness(
        service=service, file=file, id_position=positions.position(("id",)),
        required=policy.required_level(service.tier),
        achieved=achieved, enforced=policy.enforced(service.lifecycle.value), results=results,
    )
    return readiness, diags


PARALLEL_THRESHOLD = 300
"""Below this many services to evaluate, forking workers costs more than it saves (rules take
about 1.5 ms a service; forking and gathering some 100 ms)."""


OnOutcomes = Callable[[str, list[Any]], None]
"""Told each service's outcomes in their plain form (``outcomes_to_plain``) where they were
computed, on a worker or here: the orchestration keeps them (``output.reuse``)."""


def _outcomes_on_workers(catalog: Catalog, policy: Policy, today: dt.date, jobs: int | None,
                         service_ids: list[str], on_outcomes: OnOutcomes | None
                         ) -> dict[str, tuple[RuleResult, ...]]:
    """The rule outcomes of ``service_ids`` computed on forked workers (``pool.map_inherited``:
    they inherit the catalog; only ids and outcomes in their plain form cross over); empty for
    a small fleet, one worker, or no fork (the services are then evaluated here)."""
    workers = pool.worker_count(jobs)
    if workers <= 1 or len(service_ids) < PARALLEL_THRESHOLD or not pool.can_fork():
        return {}

    def plain_outcomes(service_id: str) -> list[Any]:
        plain = outcomes_to_plain(rule_outcomes(catalog.services[service_id], policy,
                                                catalog.organisation, today))
        if on_outcomes is not None:
            on_outcomes(service_id, plain)
        return plain

    found: dict[str, tuple[RuleResult, ...]] = {}
    plain = pool.map_inherited(plain_outcomes, service_ids, workers, chunksize=24)
    for service_id, outcomes in zip(service_ids, plain, strict=True):
        restored = outcomes_from_plain(outcomes, policy)
        if restored is not None:
            found[service_id] = restored
    return found


Evaluator = Callable[["Catalog", Policy, dt.date], "Evaluation"]
"""What evaluates a catalog: ``evaluate``, or the orchestration's version that keeps outcomes
between runs."""


def evaluate(catalog: Catalog, policy: Policy, today: dt.date, *,
             known: Mapping[str, tuple[RuleResult, ...]] | None = None,
             jobs: int | None = None, on_outcomes: OnOutcomes | None = None) -> Evaluation:
    """Evaluate every valid service of the catalog against the policy on ``today``.

    ``known``: rule outcomes of services already evaluated with the same inputs (by the
    orchestration's cache); those services' rules do not run again. The others' rules run on
    the worker pool for large fleets (``jobs`` caps the workers, as for ``load_catalog``), and
    ``on_outcomes`` is told their outcomes where they were computed."""
    services: dict[str, ServiceReadiness] = {}
    diags: list[Diagnostic] = []
    given = known or {}
    known = dict(given)
    known.update(_outcomes_on_workers(catalog, policy, today, jobs,
                                      [sid for sid in catalog.services if sid not in known],
                                      on_outcomes))
    for sid, service in catalog.services.items():
        source = catalog.sources[sid]
        readiness, more = evaluate_service(service, source.positions, source.display, policy,
                                           catalog.organisation, today, known.get(sid))
        if on_outcomes is not None and sid not in known:
            on_outcomes(sid, outcomes_to_plain(readiness.results))
        services[sid] = readiness
        diags += more
    return Evaluation(policy, today, services, diags)

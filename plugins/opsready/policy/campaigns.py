"""Readiness campaigns: a goal (a level, or rules) for a selection of services by a due date.

Campaigns are data in the policy file (``campaigns:``, model ``policy.model.Campaign``). This
module says, for one evaluation, which services each campaign selects, which are still short of
its goal and with which gaps, and what ``check`` reports: a warning ``warn_days`` before the due
date, an error after it, each naming the services, their gaps and owners, at the file and line
of the campaign. The JSON (``campaign_json``) is documented in docs/guide/readiness-over-time.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic
from .file_format import Campaign, PlacedCampaign
from .levels import Level

if TYPE_CHECKING:
    from ..model import Service
    from .engine import Evaluation, ServiceReadiness

CAMPAIGN_SCHEMA = "opsready-campaigns/1"


@dataclass(frozen=True)
class Shortfall:
    """A selected service short of the goal, with what keeps it there."""

    service: str
    name: str
    team: str
    level: str
    gaps: tuple[str, ...]
    """Rule ids (failing rules of the goal)."""


@dataclass(frozen=True)
class CampaignProgress:
    """A campaign on one day: selected services, those that meet the goal, those short."""

    campaign: PlacedCampaign
    day: dt.date
    selected: tuple[str, ...]
    short: tuple[Shortfall, ...]

    @property
    def done(self) -> int:
        """Selected services that meet the goal."""
        return len(self.selected) - len(self.short)

    @property
    def percent(self) -> float:
        """Share of selected services that meet the goal (100 when none is selected)."""
        return round(100.0 * self.done / len(self.selected), 1) if self.selected else 100.0

    @property
    def days_left(self) -> int:
        """Days until the due date (negative: overdue)."""
        return (self.campaign.spec.due - self.day).days

    @property
    def state(self) -> str:
        """``met``, ``open``, ``due-soon`` (within ``warn_days``) or ``overdue``."""
        if not self.short:
            return "met"
        if self.days_left < 0:
            return "overdue"
        return "due-soon" if self.days_left <= self.campaign.spec.warn_days else "open"


def selects_record(select: dict[str, Any], record: dict[str, Any]) -> bool:
    """Whether a selection (``select`` as JSON) takes a service given as plain values
    (``tier``, ``team``, ``lifecycle``, ``tags``): the one selection rule, for a service of the
    catalog and for a service of a history point alike."""
    return ((select.get("tiers") is None or record.get("tier") in select["tiers"])
            and (select.get("teams") is None or record.get("team") in select["teams"])
            and (select.get("lifecycles") is None
                 or record.get("lifecycle") in select["lifecycles"])
            and (select.get("tags") is None
                 or bool(set(select["tags"]) & set(record.get("tags") or ()))))


def service_record(service: Service) -> dict[str, Any]:
    """The plain values a selection reads from a service."""
    return {"tier": service.tier, "team": service.owner, "lifecycle": service.lifecycle.value,
            "tags": list(service.tags)}


def selects(campaign: Campaign, service: Service) -> bool:
    """Whether ``campaign`` is about ``service`` (every condition given holds)."""
    return selects_record(campaign.select.model_dump(mode="json"), service_record(service))


def meets_record(goal: dict[str, Any], record: dict[str, Any]) -> bool:
    """Whether a service given as plain values (``level``, ``failing`` rule ids) meets a goal
    (as JSON): for the campaign progress drawn from a history."""
    if goal.get("level"):
        return Level.parse(record.get("level", "none")) >= Level.parse(goal["level"])
    return not set(goal.get("rules") or ()) & set(record.get("failing") or ())


def progress_of_point(campaign: dict[str, Any], point: dict[str, Any]) -> dict[str, Any] | None:
    """A campaign's progress (JSON form, ``campaign_json``) at a history point: ``selected``,
    ``done`` and ``percent``; None when the point has no service data."""
    services = point.get("services")
    if not isinstance(services, dict):
        return None
    chosen = [r for r in services.values() if selects_record(campaign["select"], r)]
    done = sum(meets_record(campaign["goal"], r) for r in chosen)
    return {"selected": len(chosen), "done": done,
            "percent": round(100.0 * done / len(chosen), 1) if chosen else 100.0}


def _missing(campaign: Campaign, r: ServiceReadiness) -> tuple[str, ...]:
    """The goal's failing rules for one service (empty: it meets the goal)."""
    goal = campaign.goal
    if goal.level is not None:
        target = Level.parse(goal.level)
        if r.achieved >= target:
            return ()
        return tuple(res.rule.id for res in r.results
                     if not res.passed and Level.parse(res.rule.level) <= target)
    wanted = set(goal.rules or ())
    return tuple(res.rule.id for res in r.results if res.rule.id in wanted and not res.passed)


def progress(placed: PlacedCampaign, evaluation: Evaluation) -> CampaignProgress:
    """Where one campaign stands on the evaluation's day."""
    selected, short = [], []
    for r in evaluation.services.values():
        if not selects(placed.spec, r.service):
            continue
        selected.append(r.id)
        gaps = _missing(placed.spec, r)
        if gaps:
            short.append(Shortfall(r.id, r.service.name, r.service.owner, r.achieved.label,
                                   gaps))
    return CampaignProgress(placed, evaluation.today, tuple(selected), tuple(short))


def all_progress(evaluation: Evaluation) -> list[CampaignProgress]:
    """Every campaign of the evaluation's policy, in policy order."""
    return [progress(c, evaluation) for c in evaluation.policy.campaigns]


def _goal_text(campaign: Campaign) -> str:
    if campaign.goal.level is not None:
        return f"at {campaign.goal.level}"
    return f"passing {', '.join(campaign.goal.rules or ())}"


def campaign_diagnostics(evaluation: Evaluation) -> list[Diagnostic]:
    """A warning per campaign due within ``warn_days`` and an error per overdue campaign, each
    naming the services still short, their gaps and owners."""
    out = []
    for p in all_progress(evaluation):
        if p.state not in ("due-soon", "overdue"):
            continue
        spec = p.campaign.spec
        names = "; ".join(f"{s.service} (team {s.team}, at {s.level}: {', '.join(s.gaps)})"
                          for s in p.short)
        when = (f"was due {spec.due.isoformat()} ({-p.days_left} days ago)"
                if p.state == "overdue" else
                f"is due {spec.due.isoformat()} (in {p.days_left} days)")
        out.append(Diagnostic(
            p.campaign.file, p.campaign.line, p.campaign.column, p.campaign.yaml_path,
            f"campaign '{spec.id}' ({spec.name}: {_goal_text(spec)}) {when}; "
            f"{len(p.short)} of {len(p.selected)} services still short: {names}",
            f"campaign owner: {spec.owner}; fill in the gaps, or move the due date in the policy",
            "error" if p.state == "overdue" else "warning", "campaign"))
    return out


def campaign_json(p: CampaignProgress) -> dict[str, Any]:
    """One campaign's progress as plain JSON (see the guide for the shape)."""
    spec = p.campaign.spec
    return {
        "id": spec.id, "name": spec.name, "owner": spec.owner,
        "goal": {"level": spec.goal.level, "rules": spec.goal.rules},
        "select": spec.select.model_dump(mode="json", exclude_none=True),
        "due": spec.due.isoformat(), "warn_days": spec.warn_days,
        "date": p.day.isoformat(), "days_left": p.days_left, "state": p.state,
        "selected": len(p.selected), "done": p.done, "percent": p.percent,
        "file": p.campaign.file, "line": p.campaign.line,
        "short": [{"service": s.service, "name": s.name, "team": s.team, "level": s.level,
                   "gaps": list(s.gaps)} for s in p.short],
    }


def campaigns_document(evaluation: Evaluation) -> dict[str, Any]:
    """Every campaign's progress: ``{"schema": "opsready-campaigns/1", "date", "campaigns"}``."""
    return {"schema": CAMPAIGN_SCHEMA, "date": evaluation.today.isoformat(),
            "campaigns": [campaign_json(p) for p in all_progress(evaluation)]}

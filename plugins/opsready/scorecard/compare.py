"""Compare two scorecards (e.g. main vs. a pull request): which services and rules got better."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .data import SCHEMA

PASSING = frozenset({"pass", "na", "exempt"})
RANK = {"none": 0, "bronze": 1, "silver": 2, "gold": 3}


def load_scorecard_json(path: Path | str) -> dict[str, Any]:
    """Read a ``scorecard.json``; ``ValueError`` says what is wrong with it."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        found = data.get("schema") if isinstance(data, dict) else type(data).__name__
        raise ValueError(f"{path} is not an opsready scorecard (schema {found!r}, expected "
                         f"{SCHEMA!r}); produce one with `opsready scorecard --format json`")
    if not isinstance(data.get("services"), list):
        raise ValueError(f"{path} has no 'services' list")
    return data


@dataclass(frozen=True)
class RuleChange:
    """A rule whose status changed for one service (``None``: it did not apply)."""

    rule: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class ServiceChange:
    """How one service moved between two scorecards."""

    id: str
    name: str
    old_level: str | None
    new_level: str | None
    old_percent: float | None
    new_percent: float | None
    below_required: bool
    better: list[RuleChange] = field(default_factory=list)
    worse: list[RuleChange] = field(default_factory=list)
    gaps_added: list[str] = field(default_factory=list)
    """Gaps (``rule`` or ``rule:yaml.path``) that the new scorecard has and the old had not."""
    gaps_removed: list[str] = field(default_factory=list)
    exemptions_added: list[str] = field(default_factory=list)
    """Rules exempt in the new scorecard and not in the old one."""
    debt_added: list[str] = field(default_factory=list)
    """Rules the readiness baseline accepts as debt in the new scorecard and not in the old."""

    @property
    def regression(self) -> bool:
        """The service lost a level it had (a level drop, not only a rule)."""
        return (RANK.get(self.new_level or "none", 0) < RANK.get(self.old_level or "none", 0))

    @property
    def direction(self) -> str:
        """``better``, ``worse``, ``mixed`` or ``same``: the level decides, then the rules."""
        old = RANK.get(self.old_level or "none", 0)
        new = RANK.get(self.new_level or "none", 0)
        if new != old:
            return "better" if new > old else "worse"
        if self.better and self.worse:
            return "mixed"
        return "better" if self.better else "worse" if self.worse else "same"


@dataclass(frozen=True)
class Comparison:
    """The difference between an old and a new scorecard."""

    old_date: str
    new_date: str
    changes: list[ServiceChange]
    added: list[str]
    removed: list[str]

    @property
    def regressions(self) -> list[ServiceChange]:
        """Services that lost a level they had (listed first in ``changes``)."""
        return [c for c in self.changes if c.regression]

    def by_direction(self, direction: str) -> list[ServiceChange]:
        """Changed services going one way."""
        return [c for c in self.changes if c.direction == direction]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, with each service's direction."""
        return {
            "schema": "opsready-scorecard-comparison/1",
            "old_date": self.old_date, "new_date": self.new_date,
            "added": self.added, "removed": self.removed,
            "improved": [c.id for c in self.by_direction("better")],
            "regressed": [c.id for c in self.changes if c.direction in ("worse", "mixed")],
            "level_regressions": [c.id for c in self.regressions],
            "services": [{**asdict(c), "direction": c.direction, "regression": c.regression}
                         for c in self.changes],
        }


def _good(status: str | None) -> bool | None:
    return None if status is None else status in PASSING


def _gap_keys(service: dict[str, Any]) -> list[str]:
    keys = []
    for gap in service.get("gaps", []):
        path = gap.get("yaml_path") or ""
        keys.append(f"{gap['rule']}:{path}" if path else str(gap["rule"]))
    return keys


def compare_scorecards(old: dict[str, Any], new: dict[str, Any]) -> Comparison:
    """Services and rules that got better or worse from ``old`` to ``new``."""
    old_by_id = {s["id"]: s for s in old["services"]}
    new_by_id = {s["id"]: s for s in new["services"]}
    changes = []
    for sid, s in new_by_id.items():
        before = old_by_id.get(sid)
        if before is None:
            continue
        better, worse = [], []
        rules = sorted(set(before.get("rules", {})) | set(s.get("rules", {})))
        for rule in rules:
            a, b = before.get("rules", {}).get(rule), s.get("rules", {}).get(rule)
            if a == b:
                continue
            was, now = _good(a), _good(b)
            moved = RuleChange(rule, a, b)
            if now is False and was is not False:
                worse.append(moved)
            elif was is False and now is not False:
                better.append(moved)
        old_gaps, new_gaps = set(_gap_keys(before)), set(_gap_keys(s))
        exempt_before = {r for r, st in before.get("rules", {}).items() if st == "exempt"}
        exempt_now = {r for r, st in s.get("rules", {}).items() if st == "exempt"}
        debt_before = {d["rule"] for d in before.get("debt", [])}
        debt_now = {d["rule"] for d in s.get("debt", [])}
        change = ServiceChange(sid, s["name"], before.get("achieved"), s.get("achieved"),
                               before.get("percent"), s.get("percent"),
                               bool(s.get("below_required")), better, worse,
                               sorted(new_gaps - old_gaps), sorted(old_gaps - new_gaps),
                               sorted(exempt_now - exempt_before), sorted(debt_now - debt_before))
        if (change.direction != "same" or change.old_percent != change.new_percent
                or change.gaps_added or change.gaps_removed or change.exemptions_added
                or change.debt_added):
            changes.append(change)
    # A regression (a level lost) comes first, then the other changes in catalog order.
    changes.sort(key=lambda c: not c.regression)
    return Comparison(str(old.get("date", "")), str(new.get("date", "")), changes,
                      sorted(set(new_by_id) - set(old_by_id)),
                      sorted(set(old_by_id) - set(new_by_id)))

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
            "services": [{**asdict(c), "direction": c.direction} for c in self.changes],
        }


def _good(status: str | None) -> bool | None:
    return None if status is None else status in PASSING


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
        change = ServiceChange(sid, s["name"], before.get("achieved"), s.get("achieved"),
                               before.get("percent"), s.get("percent"),
                               bool(s.get("below_required")), better, worse)
        if change.direction != "same" or change.old_percent != change.new_percent:
            changes.append(change)
    return Comparison(str(old.get("date", "")), str(new.get("date", "")), changes,
                      sorted(set(new_by_id) - set(old_by_id)),
                      sorted(set(old_by_id) - set(new_by_id)))

"""Readiness levels and the gate rule that turns rule outcomes into an achieved level."""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum


class Level(IntEnum):
    """Readiness levels, ordered: a service at ``silver`` also meets ``bronze``."""

    NONE = 0
    BRONZE = 1
    SILVER = 2
    GOLD = 3

    @property
    def label(self) -> str:
        """The lowercase name used in policy files, JSON and pages (``none`` .. ``gold``)."""
        return self.name.lower()

    @classmethod
    def parse(cls, value: str | Level) -> Level:
        """``"silver"`` -> ``Level.SILVER`` (case-insensitive)."""
        if isinstance(value, Level):
            return value
        found = _BY_LABEL.get(value)
        if found is not None:
            return found
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown level '{value}': expected bronze, silver or gold") from None


_BY_LABEL = {level.name.lower(): level for level in Level}

RULE_LEVELS: tuple[Level, ...] = (Level.BRONZE, Level.SILVER, Level.GOLD)
"""The levels a rule can belong to, lowest first."""


def gate_level(outcomes: Iterable[tuple[Level, bool]]) -> Level:
    """The highest level whose rules, and the rules of every lower level, all pass.

    ``outcomes`` holds (rule level, passed) for every rule that applies to a service. A level
    with no applicable rule is reached as soon as the levels below it are (gates, not scores:
    a passing gold rule never makes up for a failing silver one).
    """
    failing = {level for level, passed in outcomes if not passed}
    achieved = Level.NONE
    for level in RULE_LEVELS:
        if level in failing:
            break
        achieved = level
    return achieved

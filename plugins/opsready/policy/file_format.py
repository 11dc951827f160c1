"""The policy file format: readiness rules as data, validated like the catalog.

A policy file is YAML. The packaged default (``opsready/data/default-policy.yaml``) holds the
rules built from the white paper's deliverables; a site's own file extends it (``extends:
default``, the default) or replaces it (``extends: none``). See ``docs/guide/policy.md``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, PrivateAttr, field_validator, model_validator

from ..model import Flags, Lifecycle
from ..model.base import NonEmptyStr, Slug, Strict
from ..model.document_sections import SECTIONS_BY_KEY
from .paths import FieldPath, Shape, compile_path, field_by_key, yaml_keys

LevelName = Literal["bronze", "silver", "gold"]
RuleSeverity = Literal["critical", "major", "minor"]
CheckKind = Literal["present", "match", "value", "recent"]
Tier = Literal[1, 2, 3]
# YAML mapping keys reach the model as strings ("1"): an int key type converts them back.
TierKey = Annotated[int, Field(ge=1, le=3, description="A tier: 1, 2 or 3.")]
Scalar = bool | int | float | str
Matcher = Annotated[
    Scalar | list[Scalar],
    Field(description="A value, or a list of accepted values."),
]
FLAG_NAMES = tuple(Flags.model_fields)
FlagName = Annotated[str, AfterValidator(lambda v: _one_of(v, FLAG_NAMES, "flag"))]


def pack_names() -> tuple[str, ...]:
    """The packs shipped with opsready (``data/packs/<name>.yaml``)."""
    return tuple(sorted(p.stem for p in PACKS_DIR.glob("*.yaml")))


PACKS_DIR = Path(__file__).resolve().parent.parent / "data" / "packs"
PackName = Annotated[
    str, AfterValidator(lambda v: _one_of(v, pack_names(), "policy pack")),
    Field(description="The name of a policy pack shipped with opsready."),
]


class PackUse(Strict):
    """A pack enabled for some services only; every condition given must hold."""

    pack: PackName
    services: list[Slug] | None = Field(None, description="Only these services.")
    tiers: list[Literal[1, 2, 3]] | None = Field(None, description="Only services of these "
                                                 "tiers.")


def _one_of(value: str, options: tuple[str, ...], what: str) -> str:
    if value not in options:
        close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"expected one of {', '.join(options)}"
        raise ValueError(f"unknown {what} '{value}': {hint}")
    return value


compiled_path = functools.lru_cache(maxsize=4096)(compile_path)


def _check_path(value: str) -> str:
    compiled_path(value)  # raises ValueError with the reason
    return value.strip()


RulePath = Annotated[
    str,
    AfterValidator(_check_path),
    Field(description="A dotted YAML path of the service file; `[]` means every item of a "
          "list (`alerts[].mitigation`); `organisation.` reads organisation.yaml."),
]
AgeDays = Annotated[
    Annotated[int, Field(gt=0)] | dict[TierKey, Annotated[int, Field(gt=0)]],
    Field(description="Days, or days per tier (`{1: 180, 2: 365}`; tiers not named fall back "
          "to the next setting)."),
]


def age_for(setting: int | dict[int, int] | None, tier: int) -> int | None:
    """The number of days an age setting gives a tier (``None``: no limit from this setting)."""
    if setting is None:
        return None
    if isinstance(setting, int):
        return setting
    return setting.get(tier)


class Applies(Strict):
    """Which services a rule applies to; every condition given must hold."""

    tiers: list[Tier] | None = Field(None, description="Only services of these tiers.")
    lifecycles: list[Lifecycle] | None = Field(
        None, description="Only services in these lifecycles.")
    flags: list[FlagName] = Field(
        default_factory=list, description="Only services with every one of these flags set.")
    any_flags: list[FlagName] = Field(
        default_factory=list, description="Only services with at least one of these flags set.")
    services: list[Slug] | None = Field(
        None, description="Only these services (set by a policy pack enabled for some "
        "services).")


class Rule(Strict):
    """One readiness rule: what must be present in which section, from which level on."""

    id: Slug = Field(description="Stable id, used by exemptions, flags and the scorecard.")
    title: NonEmptyStr = Field(description="What the rule asks for, in a few words.")
    section: str = Field(description="The `document#anchor` of the section it checks.")
    level: LevelName = Field(description="The first level that requires it.")
    severity: RuleSeverity = Field("major", description="How bad a gap is: orders the flags.")
    check: CheckKind = Field(
        "present",
        description="present: every path has real content; match: a list holds an item "
        "matching each pattern of `items`; value: a value within `min`/`max` or equal to "
        "`equals`; recent: a date no older than `within_days`.",
    )
    paths: list[RulePath] = Field(default_factory=list, description="Paths to check.")
    path: RulePath | None = Field(None, description="Shorthand for a single path.")
    require: Literal["all", "any"] = Field(
        "all", description="present: all paths, or at least one of them.")
    where: dict[str, Matcher] = Field(
        default_factory=dict,
        description="Keep only the items of the first `[]` list whose fields match.")
    items: list[dict[str, Matcher]] = Field(
        default_factory=list, description="match: patterns the list must each contain.")
    min: float | None = Field(None, description="value: the smallest accepted number.")
    max: float | None = Field(None, description="value: the largest accepted number.")
    equals: Matcher | None = Field(None, description="value: the accepted value(s).")
    within_days: AgeDays | None = Field(None, description="recent: the maximum age of the date.")
    applies: Applies = Field(Applies(tiers=None, lifecycles=None, services=None),
                             description="Which services it applies to.")
    na_allowed: bool = Field(
        False, description="Whether a section declared `not_applicable` (with a reason) passes.")
    max_age_days: AgeDays | None = Field(
        None, description="Review age above which the section is stale (overrides the policy's).")
    hint: str | None = Field(None, description="One line telling the author how to fix a gap.")
    description: str | None = Field(None, description="Why the rule exists.")

    _compiled: tuple[FieldPath, ...] = PrivateAttr(())

    @field_validator("section")
    @classmethod
    def _known_section(cls, value: str) -> str:
        return _one_of(value, tuple(SECTIONS_BY_KEY), "section")

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        texts = list(self.paths) + ([self.path] if self.path else [])
        if not texts:
            texts = list(SECTIONS_BY_KEY[self.section].paths)
            try:
                compiled = tuple(compiled_path(t) for t in texts)
            except ValueError:
                raise ValueError(f"rule '{self.id}' names no paths and the paths of section "
                                 f"'{self.section}' cannot be used: add 'paths:'") from None
        else:
            compiled = tuple(compiled_path(t) for t in texts)
        self._compiled = compiled
        _check_kind(self, compiled)
        return self

    @property
    def field_paths(self) -> tuple[FieldPath, ...]:
        """The compiled paths the rule checks."""
        # Read on every rule of every service: the private dict skips pydantic's slow
        # __getattr__ for private attributes (4.5 us -> 0.1 us).
        return self.__pydantic_private__["_compiled"]  # type: ignore[no-any-return,index]

    @property
    def path_texts(self) -> tuple[str, ...]:
        """The paths as written."""
        return tuple(p.text for p in self.field_paths)


def _check_matcher_keys(rule_id: str, what: str, shape: Shape | None,
                        patterns: list[dict[str, Any]]) -> None:
    model = shape.model if shape else None
    if model is None:
        raise ValueError(f"rule '{rule_id}': '{what}' needs a path to a list of objects")
    for pattern in patterns:
        for key in pattern:
            if field_by_key(model, key) is None:
                raise ValueError(f"rule '{rule_id}': {what} key '{key}' is not a field of "
                                 f"{model.__name__} (fields: {', '.join(yaml_keys(model))})")


def _check_kind(rule: Rule, paths: tuple[FieldPath, ...]) -> None:
    """Kind-specific consistency: the right options for the check, on the right kind of value."""
    given = {k for k in ("items", "min", "max", "equals", "within_days")
             if getattr(rule, k) not in (None, [], {})}
    allowed = {"present": set(), "match": {"items"}, "value": {"min", "max", "equals"},
               "recent": {"within_days"}}[rule.check]
    stray = given - allowed
    if stray:
        raise ValueError(f"rule '{rule.id}': {', '.join(sorted(stray))} has no meaning for "
                         f"check '{rule.check}'")
    if rule.check != "present" and len(paths) != 1:
        raise ValueError(f"rule '{rule.id}': check '{rule.check}' takes exactly one path")
    if rule.require == "any" and rule.check != "present":
        raise ValueError(f"rule '{rule.id}': 'require: any' is for check 'present'")
    if rule.where:
        for fp in paths:
            item = fp.item_model
            if item is None:
                raise ValueError(f"rule '{rule.id}': 'where' filters the items of a list, but "
                                 f"path '{fp.text}' has no []")
            _check_matcher_keys(rule.id, "where", Shape(True, "model", item), [rule.where])
    leaf = paths[0].leaf.shape
    if rule.check == "match":
        if not rule.items:
            raise ValueError(f"rule '{rule.id}': check 'match' needs 'items' (patterns such as "
                             "{role: ops, decision: approved})")
        if not leaf.is_list or paths[0].leaf.each:
            raise ValueError(f"rule '{rule.id}': check 'match' needs a path to a list, without "
                             "[] at the end")
        _check_matcher_keys(rule.id, "items", leaf, rule.items)
    elif rule.check == "value":
        if not given:
            raise ValueError(f"rule '{rule.id}': check 'value' needs min, max or equals")
        if (rule.min is not None or rule.max is not None) and leaf.kind != "number":
            raise ValueError(f"rule '{rule.id}': min/max need a number, but '{paths[0].text}' "
                             f"is {leaf.describe()}")
        if leaf.is_list and not paths[0].leaf.each:
            raise ValueError(f"rule '{rule.id}': check 'value' needs a single value")
    elif rule.check == "recent":
        if rule.within_days is None:
            raise ValueError(f"rule '{rule.id}': check 'recent' needs within_days")
        if leaf.kind != "date":
            raise ValueError(f"rule '{rule.id}': check 'recent' needs a date, but "
                             f"'{paths[0].text}' is {leaf.describe()}")


class CampaignGoal(Strict):
    """What a campaign asks of every service it selects: a level, or some rules passing."""

    level: LevelName | None = Field(None, description="Every selected service at this level "
                                    "(or above).")
    rules: list[Slug] | None = Field(None, description="Every one of these rules passing (or "
                                     "not applicable with a reason, or exempt).")

    @model_validator(mode="after")
    def _one_goal(self) -> CampaignGoal:
        if (self.level is None) == (self.rules is None):
            raise ValueError("a campaign goal is either `level: gold` or `rules: [rule-id, ...]`"
                             ", exactly one of them")
        if self.rules is not None and not self.rules:
            raise ValueError("goal.rules lists no rule")
        return self


class CampaignSelect(Strict):
    """Which services a campaign is about; every condition given must hold (none: all)."""

    tiers: list[Tier] | None = Field(None, description="Only services of these tiers.")
    teams: list[Slug] | None = Field(None, description="Only services these teams own.")
    lifecycles: list[Lifecycle] | None = Field(None, description="Only services in these "
                                               "lifecycles.")
    tags: list[Slug] | None = Field(None, description="Only services with at least one of "
                                    "these tags.")


class Campaign(Strict):
    """A readiness goal with a due date, e.g. every tier-1 service at gold by 2027-03-31."""

    id: Slug = Field(description="Stable id: the campaign page and the JSON name it.")
    name: NonEmptyStr = Field(description="Shown on the campaign page and in `check`.")
    goal: CampaignGoal = Field(description="`{level: gold}` or `{rules: [id, ...]}`.")
    select: CampaignSelect = Field(default_factory=lambda: CampaignSelect.model_validate({}),
                                   description="Which services (default: every service).")
    owner: NonEmptyStr = Field(description="Who drives the campaign (a team id or a person).")
    due: dt.date = Field(description="Due date, YYYY-MM-DD: `check` fails after it for the "
                         "services still short of the goal.")
    warn_days: Annotated[int, Field(ge=0)] = Field(
        14, description="`check` warns this many days before the due date (default 14).")


class PolicyFile(Strict):
    """A policy file: settings and rules (see the policy guide)."""

    version: Literal[1] = Field(1, description="Format version of the policy file.")
    name: str | None = Field(None, description="Shown on the scorecard.")
    extends: Literal["default", "none"] = Field(
        "default", description="`default`: add to and override the packaged rules; `none`: "
        "only the rules of this file.")
    required_levels: dict[TierKey, LevelName] | None = Field(
        None, description="The level each tier must reach, e.g. {1: gold, 2: silver, 3: bronze}.")
    not_enforced_lifecycles: list[Lifecycle] | None = Field(
        None, description="Lifecycles that are scored but never fail the build.")
    max_age_days: AgeDays | None = Field(
        None, description="Review age above which a section is stale, for every rule.")
    placeholders: list[str] | None = Field(
        None, description="Texts that are placeholders when they are the whole value.")
    placeholder_prefixes: list[str] | None = Field(
        None, description="Words that make a line a placeholder when it starts with them.")
    rules: list[Rule] = Field(
        default_factory=list,
        description="Rules; one with the id of an inherited rule replaces it.")
    disable: list[Slug] = Field(
        default_factory=list, description="Ids of inherited rules to drop.")
    packs: list[PackName | PackUse] = Field(
        default_factory=list,
        description="Optional policy packs to enable: a name enables a pack for every service; "
        "`{pack: data, services: [ledger]}` or `{pack: api, tiers: [1, 2]}` for some.")
    campaigns: list[Campaign] = Field(
        default_factory=list,
        description="Readiness campaigns: a goal for a selection of services by a due date "
        "(see the guide 'Readiness over time'). One with the id of an inherited campaign "
        "replaces it.")


class Covers(Strict):
    """A checklist item a pack covers, for its documentation."""

    source: NonEmptyStr = Field(description="The checklist, e.g. 'mercari-pre'.")
    item: NonEmptyStr = Field(description="The item of that checklist.")
    rules: list[Slug] = Field(default_factory=list, description="The pack's rules for it.")


class PackFile(Strict):
    """A policy pack: optional fields' rules for what some checklists ask and the default
    policy lacks; enabled per site or per service in the policy file."""

    name: Slug
    title: NonEmptyStr
    description: NonEmptyStr
    covers: list[Covers] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)


@dataclass(frozen=True)
class PlacedCampaign:
    """A campaign and where it is written (for diagnostics)."""

    spec: Campaign
    file: str
    line: int
    column: int
    yaml_path: str

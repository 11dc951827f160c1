"""Load the readiness policy: the packaged default, a site's own file, or both merged."""

from __future__ import annotations

import difflib
import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..cache import reads
from ..catalog.validate import validate_file
from ..catalog.yaml_loader import LoadedFile, load_yaml
from ..diagnostics import Diagnostic, sort_key
from .file_format import PlacedCampaign, PolicyFile, Rule, age_for
from .levels import Level
from .presence import Placeholders

DEFAULT_POLICY_PATH = Path(__file__).resolve().parent.parent / "data" / "default-policy.yaml"
DEFAULT_POLICY_DISPLAY = "opsready/data/default-policy.yaml"
DEFAULT_REQUIRED = {1: Level.GOLD, 2: Level.SILVER, 3: Level.BRONZE}
DEFAULT_NOT_ENFORCED = frozenset({"experimental", "retired"})
DEFAULT_MAX_AGE_DAYS = 365


@dataclass(frozen=True)
class Policy:
    """The effective policy: settings and rules after merging the files it came from."""

    rules: tuple[Rule, ...]
    name: str = "opsready default policy"
    required_levels: Mapping[int, Level] = field(default_factory=lambda: dict(DEFAULT_REQUIRED))
    not_enforced_lifecycles: frozenset[str] = DEFAULT_NOT_ENFORCED
    max_age_days: int | Mapping[int, int] = DEFAULT_MAX_AGE_DAYS
    placeholders: Placeholders = field(default_factory=Placeholders)
    sources: tuple[str, ...] = ()
    campaigns: tuple[PlacedCampaign, ...] = ()

    @property
    def rules_by_id(self) -> dict[str, Rule]:
        """Rules by id, in policy order."""
        return {r.id: r for r in self.rules}

    def required_level(self, tier: int) -> Level:
        """The level a service of ``tier`` must reach."""
        return self.required_levels.get(tier, Level.BRONZE)

    def enforced(self, lifecycle: str) -> bool:
        """Whether services in ``lifecycle`` fail the build when below their required level."""
        return lifecycle not in self.not_enforced_lifecycles

    def review_max_age(self, rule: Rule, tier: int) -> int | None:
        """Days after which a review date makes ``rule``'s section stale for ``tier``."""
        for setting in (rule.max_age_days, self.max_age_days):
            days = age_for(setting, tier)  # type: ignore[arg-type]
            if days is not None:
                return days
        return None


@dataclass
class PolicyResult:
    """A loaded policy (``None`` when a file had errors) and every problem found."""

    policy: Policy | None
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool:
        """True when the policy loaded without errors."""
        return self.policy is not None and not any(
            d.severity == "error" for d in self.diagnostics)


def _display(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def read_policy_file(path: Path, display: str
                     ) -> tuple[PolicyFile | None, LoadedFile | None, list[Diagnostic]]:
    """Read and validate one policy file, with file/line/path diagnostics."""
    if not path.is_file():
        return None, None, [Diagnostic(display, 1, 1, "", "policy file does not exist",
                                       "fix the path of the 'policy' option or of --policy")]
    loaded, diags = load_yaml(path, display=display)
    if loaded is None:
        return None, None, diags
    parsed, diags = validate_file(loaded, PolicyFile, display=display, catalog_root=path.parent)
    if parsed is None:
        return None, loaded, diags
    seen: dict[str, int] = {}
    for i, rule in enumerate(parsed.rules):
        if rule.id in seen:
            line, col = loaded.position(("rules", i, "id"))
            diags.append(Diagnostic(display, line, col, f"rules[{i}].id",
                                    f"duplicate rule id '{rule.id}' (also rules[{seen[rule.id]}])",
                                    "give each rule its own id"))
        else:
            seen[rule.id] = i
    return (None if diags else parsed), loaded, diags


def merge_policy(base: Policy | None, overlay: PolicyFile, display: str,
                 loaded: LoadedFile) -> tuple[Policy, list[Diagnostic]]:
    """Apply a policy file on top of ``base`` (``None``: start from nothing)."""
    from .packs import pack_rules

    rules: dict[str, Rule] = dict(base.rules_by_id) if base else {}
    from_packs, diags = pack_rules(overlay, display, loaded)
    rules.update(from_packs)  # the site's own rules below replace a pack's of the same id
    for i, rule_id in enumerate(overlay.disable):
        if rule_id not in rules:
            line, col = loaded.position(("disable", i))
            close = difflib.get_close_matches(rule_id, list(rules), n=1, cutoff=0.6)
            diags.append(Diagnostic(display, line, col, f"disable[{i}]",
                                    f"cannot disable unknown rule '{rule_id}'",
                                    f"did you mean '{close[0]}'?" if close
                                    else "name a rule id of the inherited policy"))
        rules.pop(rule_id, None)
    for rule in overlay.rules:
        rules[rule.id] = rule  # same id: the site's rule replaces the inherited one
    start = base or Policy(rules=())
    campaigns = {c.spec.id: c for c in start.campaigns}
    for i, campaign in enumerate(overlay.campaigns):
        line, col = loaded.position(("campaigns", i))
        campaigns[campaign.id] = PlacedCampaign(campaign, display, line, col, f"campaigns[{i}]")
        for j, rule_id in enumerate(campaign.goal.rules or ()):
            if rule_id not in rules:
                line, col = loaded.position(("campaigns", i, "goal", "rules", j))
                close = difflib.get_close_matches(rule_id, list(rules), n=1, cutoff=0.6)
                diags.append(Diagnostic(display, line, col, f"campaigns[{i}].goal.rules[{j}]",
                                        f"campaign '{campaign.id}' names unknown rule "
                                        f"'{rule_id}'",
                                        f"did you mean '{close[0]}'?" if close
                                        else "name a rule id of the effective policy"))
    placeholders = start.placeholders
    if overlay.placeholders is not None or overlay.placeholder_prefixes is not None:
        placeholders = Placeholders(
            overlay.placeholders if overlay.placeholders is not None else placeholders.exact,
            overlay.placeholder_prefixes if overlay.placeholder_prefixes is not None
            else placeholders.prefixes)
    required = dict(start.required_levels)
    for tier, level in (overlay.required_levels or {}).items():
        required[tier] = Level.parse(level)
    policy = Policy(
        rules=tuple(rules.values()),
        name=overlay.name or start.name,
        required_levels=required,
        not_enforced_lifecycles=(frozenset(lc.value for lc in overlay.not_enforced_lifecycles)
                                 if overlay.not_enforced_lifecycles is not None
                                 else start.not_enforced_lifecycles),
        max_age_days=(overlay.max_age_days if overlay.max_age_days is not None
                      else start.max_age_days),
        placeholders=placeholders,
        sources=(*start.sources, display),
        campaigns=tuple(campaigns.values()),
    )
    return policy, diags


@functools.lru_cache(maxsize=1)
def _packaged_default() -> tuple[Policy | None, tuple[Diagnostic, ...]]:
    """The packaged default policy (``None`` when it cannot be read) and its problems, read once
    per process like the packaged packs (``packs.load_pack``): a check, a build or a serve
    rebuild reads it again for nothing. The policy is frozen: callers merge into copies."""
    with reads.unrecorded():  # a file of the package: the code salt covers it
        parsed, loaded, diags = read_policy_file(DEFAULT_POLICY_PATH, DEFAULT_POLICY_DISPLAY)
    if parsed is None or loaded is None:
        return None, tuple(diags)
    default, more = merge_policy(None, parsed, DEFAULT_POLICY_DISPLAY, loaded)
    return default, (*diags, *more)


def load_policy(path: Path | str | None = None) -> PolicyResult:
    """Load the effective policy.

    ``None`` loads the packaged default. A site's file extends the default unless it says
    ``extends: none``. Problems come back as diagnostics with file, line and YAML path; the
    policy is ``None`` when there was any error.
    """
    default, found = _packaged_default()
    diags = list(found)
    if default is None:
        return PolicyResult(None, diags)
    if path is None:
        return PolicyResult(None if diags else default, diags)
    user_path = Path(path)
    display = _display(user_path)
    parsed, loaded, more = read_policy_file(user_path, display)
    diags += more
    if parsed is None or loaded is None:
        return PolicyResult(None, sorted(diags, key=sort_key))
    policy, more = merge_policy(default if parsed.extends == "default" else None, parsed,
                                display, loaded)
    diags += more
    return PolicyResult(None if diags else policy, sorted(diags, key=sort_key))

"""The policy as documentation: Markdown tables rendered from the policy data, never hand-copied."""

from __future__ import annotations

import re

from ..model.document_sections import SECTIONS_BY_KEY
from ..output.site_paths import DOCUMENTS
from .file_format import Rule, age_for
from .load import Policy, load_policy

_CELL = re.compile(r"[&<>|\\*_\[\]{}#!~^=]")


def _text(value: str) -> str:
    """Plain text for a table cell (pipes, HTML and Markdown punctuation neutralised)."""
    return _CELL.sub(lambda m: f"&#{ord(m.group())};", " ".join(value.split()))


def _code(value: str) -> str:
    return "`" + value.replace("`", "'").replace("|", "&#124;") + "`"


def _applies(rule: Rule) -> str:
    cond = rule.applies
    parts = []
    if cond.tiers:
        parts.append("tier " + "/".join(str(t) for t in cond.tiers))
    if cond.lifecycles:
        parts.append(", ".join(lc.value for lc in cond.lifecycles))
    if cond.flags:
        parts.append(" and ".join(_code(f) for f in cond.flags))
    if cond.any_flags:
        parts.append(" or ".join(_code(f) for f in cond.any_flags))
    return "; ".join(parts) or "all"


def _check(rule: Rule) -> str:
    paths = ", ".join(_code(p) for p in rule.path_texts)
    if rule.check == "present":
        joined = "one of " if rule.require == "any" and len(rule.path_texts) > 1 else ""
        text = f"{joined}{paths}"
    elif rule.check == "match":
        wanted = "; ".join(", ".join(f"{k} {'/'.join(map(str, v)) if isinstance(v, list) else v}"
                                     for k, v in item.items()) for item in rule.items)
        text = f"{paths} has: {_text(wanted)}"
    elif rule.check == "value":
        bounds = []
        if rule.min is not None:
            bounds.append(f"&#8805; {rule.min:g}")
        if rule.max is not None:
            bounds.append(f"&#8804; {rule.max:g}")
        if rule.equals is not None:
            eq = rule.equals if isinstance(rule.equals, list) else [rule.equals]
            bounds.append("= " + " or ".join(str(e).lower() if isinstance(e, bool) else str(e)
                                             for e in eq))
        text = f"{paths} {', '.join(bounds)}"
    else:
        days = rule.within_days if isinstance(rule.within_days, int) else _text(
            str(rule.within_days))
        text = f"{paths} within {days} days"
    if rule.where:
        text += " (items with " + _text(", ".join(f"{k}: {str(v).lower()}"
                                                  for k, v in rule.where.items())) + ")"
    return text


def _age(rule: Rule, policy: Policy) -> str:
    if rule.max_age_days is None:
        return ""
    if isinstance(rule.max_age_days, int):
        return f"{rule.max_age_days} days"
    return ", ".join(f"tier {t}: {age_for(rule.max_age_days, t)} days"
                     for t in sorted(rule.max_age_days))


def rules_table_markdown(policy: Policy) -> str:
    """Every rule of the policy as Markdown tables, one per document, in page order."""
    titles = dict(DOCUMENTS)
    out: list[str] = []
    for doc, title in titles.items():
        rules = [r for r in policy.rules if SECTIONS_BY_KEY[r.section].document == doc]
        if not rules:
            continue
        out += [f"### {title}", "",  # under the page's "default policy" h2
                "| Rule | Level | Section | Requires | Applies to | N/A allowed | Review age |",
                "|---|---|---|---|---|---|---|"]
        for r in rules:
            section = SECTIONS_BY_KEY[r.section]
            out.append(f"| {_code(r.id)}<br>{_text(r.title)} | {r.level} "
                       f"| {_text(section.title)} | {_check(r)} | {_applies(r)} "
                       f"| {'yes' if r.na_allowed else 'no'} | {_age(r, policy)} |")
        out.append("")
    return "\n".join(out)


def settings_markdown(policy: Policy) -> str:
    """The policy's settings: required levels, lifecycles not enforced, review age, counts."""
    levels = ", ".join(f"tier {t}: **{lv.label}**"
                       for t, lv in sorted(policy.required_levels.items()))
    age = policy.max_age_days
    age_text = (f"{age} days" if isinstance(age, int) else
                ", ".join(f"tier {t}: {d} days" for t, d in sorted(age.items())))
    counts = {lv: sum(r.level == lv for r in policy.rules) for lv in ("bronze", "silver", "gold")}
    return "\n".join([
        "| Setting | Value |", "|---|---|",
        f"| Required level | {levels} |",
        f"| Scored, never failing the build | "
        f"{', '.join(sorted(policy.not_enforced_lifecycles)) or 'none'} |",
        f"| Review age before a section is stale | {age_text} |",
        f"| Rules | {len(policy.rules)}: {counts['bronze']} bronze, {counts['silver']} silver, "
        f"{counts['gold']} gold |",
        f"| Placeholders (whole value) | "
        f"{', '.join(_code(p) for p in sorted(policy.placeholders.exact))} |",
        f"| Placeholders (start of a line) | "
        f"{', '.join(_code(p) for p in policy.placeholders.prefixes)} |",
        "",
    ])


def default_policy_markdown() -> str:
    """Settings and rules of the packaged default policy."""
    result = load_policy()
    if result.policy is None:  # pragma: no cover - the packaged file is tested
        raise RuntimeError("the packaged default policy does not load: "
                           + "; ".join(d.text() for d in result.diagnostics))
    return settings_markdown(result.policy) + "\n" + rules_table_markdown(result.policy)


def packs_markdown() -> str:
    """Every packaged policy pack: what it is for, the checklist items it covers, its rules."""
    from .file_format import pack_names
    from .packs import load_pack

    out: list[str] = []
    for name in pack_names():
        pack, diags = load_pack(name)
        if pack is None:  # pragma: no cover - the packaged files are tested
            raise RuntimeError(f"policy pack {name} does not load: "
                               + "; ".join(d.text() for d in diags))
        out += [f"### {_text(pack.title)}: {_code(name)}", "", _text(pack.description), "",
                "| Checklist | Item | Rules |", "|---|---|---|"]
        out += [f"| {_text(c.source)} | {_text(c.item)} | {', '.join(_code(r) for r in c.rules)} |"
                for c in pack.covers]
        out += ["", rules_table_markdown(Policy(rules=tuple(pack.rules))), ""]
    return "\n".join(out)

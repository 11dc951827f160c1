"""The scorecard for people outside the site: a terminal table, Markdown for a PR comment."""

from __future__ import annotations

from typing import Any

from .compare import Comparison, ServiceChange
from .page import cell

HEADERS = ("SERVICE", "TIER", "TEAM", "REQUIRED", "ACHIEVED", "STATUS", "PASSED", "GAPS")


def _status(s: dict[str, Any]) -> str:
    if s["meets_required"]:
        return "ok"
    if s.get("in_debt"):
        return "below (baselined)"
    return "BELOW" if s["enforced"] else "below (not enforced)"


def _fleet(sc: dict[str, Any]) -> str:
    s = sc["summary"]
    levels = ", ".join(f"{s['levels'][lv]} {lv}" for lv in ("gold", "silver", "bronze", "none"))
    return (f"{s['services']} services ({levels}); {s['below_required']} below the required "
            f"level; {s['gaps']} gaps")


def table_text(sc: dict[str, Any]) -> str:
    """An aligned plain-text table, one service per line, then the fleet summary."""
    rows = [HEADERS] + [
        (s["id"], str(s["tier"]), s["team"], s["required"], s["achieved"], _status(s),
         f"{s['percent']:g}%", str(s["gap_count"])) for s in sc["services"]]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADERS))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines += ["", f"readiness ({sc['date']}, {sc['policy']['name']}): {_fleet(sc)}"]
    return "\n".join(lines)


def markdown_text(sc: dict[str, Any]) -> str:
    """Markdown for a pull-request comment: summary, one row per service, blocking gaps."""
    lines = ["### Readiness scorecard", "", f"{cell(_fleet(sc))} (policy: "
             f"{cell(sc['policy']['name'])}, {sc['date']})", "",
             "| Service | Tier | Team | Required | Achieved | Status | Rules passed | Gaps |",
             "|---|---:|---|---|---|---|---:|---:|"]
    for s in sc["services"]:
        status = "✅ meets" if s["meets_required"] else (
            "🟡 below (baselined)" if s.get("in_debt") else
            "❌ **below**" if s["enforced"] else "⚪ below (not enforced)")
        lines.append(f"| {cell(s['name'])} (`{s['id']}`) | {s['tier']} | {cell(s['team_name'])} "
                     f"| {s['required']} | {s['achieved']} | {status} | {s['percent']:g}% "
                     f"| {s['gap_count']} |")
    below = [s for s in sc["services"] if s["below_required"]]
    for s in below:
        lines += ["", f"<details><summary>{cell(s['name'])}: {s['achieved']}, requires "
                  f"{s['required']}</summary>", ""]
        rank = {"bronze": 1, "silver": 2, "gold": 3}
        for gap in s["gaps"]:
            if rank.get(gap["level"], 9) <= rank.get(s["required"], 0):
                lines.append(f"- `{gap['rule']}` `{gap['yaml_path']}` "
                             f"({cell(gap['file'])}:{gap['line']}): {cell(gap['message'])}")
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def _change_line(c: ServiceChange, arrow: str = "->") -> str:
    """``better: silver -> gold, 90% -> 100%; +rule (fail -> pass)`` (without the id)."""
    level = (f"{c.old_level} {arrow} {c.new_level}" if c.old_level != c.new_level
             else f"{c.new_level}")
    pct = ""
    if c.old_percent != c.new_percent and None not in (c.old_percent, c.new_percent):
        pct = f", {c.old_percent:g}% {arrow} {c.new_percent:g}%"
    rules = [f"+{r.rule} ({r.old or 'not applicable'} {arrow} {r.new or 'not applicable'})"
             for r in c.better]
    rules += [f"-{r.rule} ({r.old or 'not applicable'} {arrow} {r.new or 'not applicable'})"
              for r in c.worse]
    lost = " [REGRESSION: a level lost]" if c.regression else ""
    return f"{c.direction}: {level}{pct}" + (f"; {', '.join(rules)}" if rules else "") + lost


def _gap_lines(c: ServiceChange, indent: str) -> list[str]:
    out = []
    for label, items in (("gaps added", c.gaps_added), ("gaps removed", c.gaps_removed),
                         ("exemptions added", c.exemptions_added),
                         ("baseline debt added", c.debt_added)):
        if items:
            out.append(f"{indent}{label}: {', '.join(items)}")
    return out


def comparison_text(cmp: Comparison) -> str:
    """Plain text: one line per changed service (regressions first), with the rules that moved,
    the gaps added and removed, the exemptions and the baseline debt added."""
    lines = [f"changes from {cmp.old_date or '?'} to {cmp.new_date or '?'}:"]
    for c in cmp.changes:
        lines.append(f"  {c.id}: {_change_line(c)}")
        lines += _gap_lines(c, "    ")
    if not cmp.changes:
        lines.append("  no service changed")
    if cmp.added:
        lines.append(f"  new services: {', '.join(cmp.added)}")
    if cmp.removed:
        lines.append(f"  removed services: {', '.join(cmp.removed)}")
    if cmp.regressions:
        lines.append(f"  {len(cmp.regressions)} regression(s): "
                     f"{', '.join(c.id for c in cmp.regressions)}")
    return "\n".join(lines)


def _code_list(items: list[str]) -> str:
    # Rule ids and YAML paths: code spans (no entity inside them), no backtick or pipe.
    clean = [" ".join(i.split()).replace("`", "'").replace("|", "/") for i in items]
    return ", ".join(f"`{i}`" for i in clean) if items else "-"


def comparison_markdown(cmp: Comparison, title: str = "Changes") -> str:
    """Markdown (GitHub job summary, merge-request comment): the regressions first, then a table
    of every changed service with its level before and after, gaps and exemptions."""
    icons = {"better": "⬆️", "worse": "⬇️", "mixed": "↕️", "same": "➖"}
    lines = [f"#### {cell(title)}", ""]
    if cmp.regressions:
        lines += [f"**{len(cmp.regressions)} regression(s)**: a service lost a level it had.", ""]
    if not cmp.changes:
        lines.append("No service changed.")
    else:
        lines += ["| | Service | Before | After | Gaps added | Gaps removed | Exemptions added "
                  "| Debt added |", "|---|---|---|---|---|---|---|---|"]
        for c in cmp.changes:
            icon = "🔻 **regression**" if c.regression else icons[c.direction]
            lines.append(f"| {icon} | {cell(c.name)} (`{c.id}`) | {c.old_level} | {c.new_level} "
                         f"| {_code_list(c.gaps_added)} | {_code_list(c.gaps_removed)} "
                         f"| {_code_list(c.exemptions_added)} | {_code_list(c.debt_added)} |")
    lines.append("")
    if cmp.added:
        lines.append(f"- new: {', '.join(f'`{a}`' for a in cmp.added)}")
    if cmp.removed:
        lines.append(f"- removed: {', '.join(f'`{r}`' for r in cmp.removed)}")
    return "\n".join(lines).rstrip() + "\n"

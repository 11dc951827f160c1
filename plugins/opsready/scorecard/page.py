"""The scorecard page: services (below their level first), fleet summary, deliverable matrix,
team rollup, rendered by the
template ``scorecard.md.j2`` from the tables built here.

Plain Markdown tables (so MkDocs checks and rewrites every link) plus one marker ``<div>``
before each table, which the page's own small script turns into a sort-and-filter tool.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from ..model.document_sections import SECTIONS_BY_KEY
from ..output.site_paths import SitePaths
from ..pages.templates import TemplateSet

STATUS_WORDS = {"pass": "pass", "fail": "fail", "stale": "stale", "na": "n/a",
                "exempt": "exempt", "expired-exemption": "expired"}
_SPECIAL = re.compile(r"[&<>\"\\`*_\[\]|!{}#~^=]")
ASSETS = ("scorecard.js", "scorecard.css")
TEMPLATE = "scorecard.md.j2"
"""The page's template: a site overrides it like any other (``templates/scorecard.md.j2``)."""


def cell(value: object) -> str:
    """Plain text for a Markdown table cell: every character Markdown or HTML reads, neutralised."""
    text = " ".join(str(value).split())
    return _SPECIAL.sub(lambda m: f"&#{ord(m.group())};", text)


def _link(text: str, target: str) -> str:
    return f"[{text}]({target})"


class _Links:
    """Relative links from the scorecard page to the pages of services."""

    def __init__(self, paths: SitePaths) -> None:
        self.paths = paths
        self.base = posixpath.dirname(paths.scorecard())

    def to(self, src_path: str, anchor: str = "") -> str:
        rel = posixpath.relpath(src_path, self.base or ".")
        return rel + (f"#{anchor}" if anchor else "")

    def service(self, sid: str) -> str:
        return self.to(self.paths.document(sid, "overview"))

    def section(self, sid: str, key: str) -> str:
        section = SECTIONS_BY_KEY[key]
        return self.to(self.paths.document(sid, section.document), section.anchor)


SCROLL_OPEN = '<div class="opsready-scroll" markdown="1">'
SCROLL_CLOSE = "</div>"


def _boxed(rows: list[str]) -> list[str]:
    """A table in its own horizontally scrolling box (the page never gets wider)."""
    return [SCROLL_OPEN, "", *rows, "", SCROLL_CLOSE]


def _tools(placeholder: str, table_class: str = "") -> str:
    extra = f' data-table-class="{table_class}"' if table_class else ""
    return (f'<div class="opsready-table-tools" data-placeholder="{placeholder}"{extra}>'
            "</div>")


def _status_word(service: dict[str, Any]) -> str:
    if service["meets_required"]:
        return "meets"
    if service.get("in_debt"):
        return "below (baselined)"
    return "below" if service["enforced"] else "not enforced"


def _summary(sc: dict[str, Any]) -> list[str]:
    """The fleet in two lines (after the services table: the services are what readers look
    for first)."""
    s = sc["summary"]
    levels = ", ".join(f"{level} {s['levels'][level]}" for level in ("gold", "silver", "bronze",
                                                                     "none"))
    return [f"**Below the required level: {s['below_required']}** · meeting it: "
            f"{s['meets_required']} · not enforced (lifecycle): {s['not_enforced']}",
            "",
            f"Levels: {levels} · gaps: {s['gaps']} · rules passed, on average: "
            f"{s['percent']:g}%"
            + (f" · below it with gaps the baseline accepts (debt): {s['in_debt']} · baselined "
               f"gaps: {s['debt']}" if s.get("debt") else "")]


_STATUS_ORDER = {"below": 0, "below (baselined)": 1, "not enforced": 2, "meets": 3}


def services_first(services: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Services below their required level first, then the others; by tier, then name."""
    return sorted(services, key=lambda s: (_STATUS_ORDER[_status_word(s)], s["tier"],
                                           s["name"].casefold()))


def _services(sc: dict[str, Any], links: _Links) -> list[str]:
    rows = ["| Service | Tier | Team | Lifecycle | Required | Achieved | Status | Rules passed "
            "| Gaps |",
            "|---|---:|---|---|---|---|---|---:|---:|"]
    for s in services_first(sc["services"]):
        gaps = str(s["gap_count"])
        if s["gaps"]:
            gaps = _link(gaps, links.section(s["id"], s["gaps"][0]["section"]))
        rows.append(
            f"| {_link(cell(s['name']), links.service(s['id']))} | {s['tier']} "
            f"| {cell(s['team_name'])} | {s['lifecycle']} | {s['required']} | {s['achieved']} "
            f"| {_status_word(s)} | {s['percent']:g}% | {gaps} |")
    return [_tools("Filter: service, team, level, below"), "", *_boxed(rows)]


def matrix_cell(entry: dict[str, Any], target: str) -> str:
    """One cell of the deliverable matrix (Markdown): its status word, linking to ``target``.
    A cell whose failing rules the readiness baseline all accepts (``entry["debt"]``) says
    ``debt`` (``overdue`` once a due date has passed) with the date below the word, in a line
    of its own: the word carries the state, not the colour, and the column gets no wider."""
    debt = entry.get("debt")
    if debt:
        word = "overdue" if debt["overdue"] else "debt"
        # the date may break after its year only: never wider than the narrowest header
        year, _, rest = cell(debt["due"]).partition("-")
        return (_link(word, target) + f' <small class="opsready-due"><span>{year}-</span><wbr>'
                f"<span>{rest}</span></small>")

    word = STATUS_WORDS.get(entry["status"], entry["status"])
    if entry.get("next_level"):
        word = "next level"  # fails only rules above the required level
    return _link(word, target)


def _matrix(sc: dict[str, Any], links: _Links) -> list[str]:
    names = [d["name"] for d in sc["deliverables"]]
    rows = ["| Service | " + " | ".join(cell(n) for n in names) + " |",
            "|---|" + "---|" * len(names)]
    for s in services_first(sc["services"]):
        cells = []
        for name in names:
            entry = s["deliverables"].get(name)
            if entry is None:
                cells.append("&#8212;")  # no rule applies to this service
                continue
            cells.append(matrix_cell(entry, links.section(s["id"], entry["section"])))
        rows.append(f"| {_link(cell(s['name']), links.service(s['id']))} | "
                    + " | ".join(cells) + " |")
    return [_tools("Filter services", "opsready-matrix"), "", *_boxed(rows)]


def _debt(sc: dict[str, Any], links: _Links) -> list[str]:
    """Baselined gaps: service, rule, level, owner, due date; overdue first, then by date."""
    entries = [(s, d) for s in sc["services"] for d in s.get("debt", [])]
    if not entries:
        return []
    entries.sort(key=lambda sd: (not sd[1]["overdue"], sd[1]["due"], sd[0]["id"]))
    rows = ["| Service | Rule | Level | Owner | Due |", "|---|---|---|---|---|"]
    for s, d in entries:
        due = f"**{d['due']} (overdue)**" if d["overdue"] else d["due"]
        rows.append(f"| {_link(cell(s['name']), links.service(s['id']))} | {cell(d['rule'])} "
                    f"| {d['level']} | {cell(d['owner'])} | {due} |")
    return [_tools("Filter debt: service, rule, owner, date..."), "", *_boxed(rows)]


def _teams(sc: dict[str, Any]) -> list[str]:
    rows = ["| Team | Services | Meeting required | Below required | gold | silver | bronze "
            "| none | Gaps | Rules passed, on average |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for t in sc["teams"]:
        lv = t["levels"]
        rows.append(f"| {cell(t['name'])} | {t['services']} | {t['meets_required']} "
                    f"| {t['below_required']} | {lv['gold']} | {lv['silver']} | {lv['bronze']} "
                    f"| {lv['none']} | {t['gaps']} | {t['percent']:g}% |")
    return [_tools("Filter teams"), "", *_boxed(rows)]


def scorecard_context(sc: dict[str, Any], paths: SitePaths | None = None,
                      related: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
    """What ``scorecard.md.j2`` renders: the scorecard data (``sc``, plain values) and its
    tables and phrases as ready Markdown (``Markup``: catalog values already neutralised)."""
    links = _Links(paths or SitePaths())
    policy = sc["policy"]
    required = ", ".join(f"tier {t}: {lv}" for t, lv in policy["required_levels"].items())
    not_enforced = ", ".join(policy["not_enforced_lifecycles"]) or "none"

    def md(lines: list[str]) -> Markup:
        return Markup("\n".join(lines))

    return {
        "sc": sc,
        "policy_name": Markup(cell(policy["name"])),
        "required_levels": Markup(required),
        "not_enforced": Markup(not_enforced),
        "summary_table": md(_summary(sc)),
        "services_table": md(_services(sc, links)),
        "matrix_table": md(_matrix(sc, links)),
        "teams_table": md(_teams(sc)),
        "debt_table": md(_debt(sc, links)),
        "related": Markup(" · ".join(_link(cell(title), target) for title, target in related)),
    }


def scorecard_markdown(sc: dict[str, Any], paths: SitePaths | None = None,
                       templates: TemplateSet | None = None,
                       related: Sequence[tuple[str, str]] = ()) -> str:
    """The scorecard page (Markdown with front matter), rendered by ``scorecard.md.j2`` of
    ``templates`` (the site's, else the packaged one)."""
    templates = templates or TemplateSet(None)
    return templates.render(TEMPLATE, scorecard_context(sc, paths, related))

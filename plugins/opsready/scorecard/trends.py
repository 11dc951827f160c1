"""The readiness trend page and the campaign page, beside the scorecard page.

The trend page is drawn from a history document (``opsready history``, schema
``opsready-history/1``), read from the file the site's ``history`` option names: building the
site never walks Git. It has a fleet trend (services per level, gaps), one chart per team and a
small trend per service; each chart (``scorecard.charts``) has a data table beside it. The
campaign page shows each campaign of the policy on the build's day (``policy.campaigns``), its
progress over the history, and the services still short with their gaps and owners.
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from typing import Any

from ..output.site_files import GeneratedFile
from ..output.site_paths import SitePaths
from ..policy.campaigns import progress_of_point
from ..policy.history import HISTORY_SCHEMA, LEVELS
from .charts import Series, line_chart
from .page import SCROLL_CLOSE, SCROLL_OPEN, _Links, cell

LEVEL_RANK = {name: i for i, name in enumerate(LEVELS)}
SHOWN_LEVELS = ("gold", "silver", "bronze", "none")
STATE_WORDS = {"met": "met", "open": "open", "due-soon": "due soon", "overdue": "overdue"}


def load_history_json(path: Path | str) -> dict[str, Any]:
    """Read a history document; ``ValueError`` says what is wrong with it."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"cannot read the history file {path}: {exc.strerror} (produce it "
                         "with `opsready history -o FILE`)") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"the history file {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("schema") != HISTORY_SCHEMA:
        found = data.get("schema") if isinstance(data, dict) else type(data).__name__
        raise ValueError(f"{path} is not an opsready history (schema {found!r}, expected "
                         f"{HISTORY_SCHEMA!r}); produce it with `opsready history -o FILE`")
    points = data.get("points")
    if not isinstance(points, list) or not all(isinstance(p, dict) and "date" in p
                                               for p in points):
        raise ValueError(f"the history file {path} has no valid 'points' list")
    return data


def _chart_block(svg: str) -> list[str]:
    # A <div> is a raw HTML block for every Markdown engine (an <svg> alone is not).
    return ['<div class="opsready-chart-box">' + svg + "</div>", ""]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return [SCROLL_OPEN, "", *lines, "", SCROLL_CLOSE, ""]


def _runs(labels: list[str], values: list[Any]) -> str:
    """``none from 2026-01-01, bronze from 2026-01-02``: a series as text, by runs."""
    out, last = [], object()
    for label, value in zip(labels, values, strict=True):
        if value != last:
            out.append(f"{value if value is not None else 'absent'} from {label}")
            last = value
    return ", ".join(out)


def _short(sha: str) -> str:
    return f"`{sha[:8]}`" if sha else ""


def trends_markdown(history: dict[str, Any], sc: dict[str, Any],
                    paths: SitePaths | None = None) -> str:
    """The trend page (Markdown with front matter)."""
    links = _Links(paths or SitePaths())
    points = [p for p in history["points"] if not p.get("error") and "summary" in p]
    skipped = len(history["points"]) - len(points)
    labels = [str(p["date"]) for p in points]
    lines = ["---", "title: Readiness trends", "render_macros: false", "---", "",
             "# Readiness trends", ""]
    if not points:
        lines += ["The history file has no point yet: run `opsready history -o FILE` in CI "
                  "with the whole Git history (`fetch-depth: 0`).", ""]
        return "\n".join(lines)
    every = {"commit": "one per commit that changed the catalog or the policy",
             "day": "the last commit of each day", "week": "the last commit of each week"}
    lines += [f"How readiness moved over {len(points)} points of the catalog's Git history "
              f"({every.get(str(history.get('every')), 'sampled')}), from {labels[0]} to "
              f"{labels[-1]}. Each point is the catalog evaluated with the policy of its "
              "commit, on the commit's date. Every chart has its data in the table below it.",
              ""]
    if skipped:
        lines += [f"{skipped} point(s) are left out: the policy of that commit had errors.", ""]
    teams = {t["id"]: t["name"] for t in sc.get("teams", [])}

    def level_series(rows: list[dict[str, Any]]) -> list[Series]:
        return [Series(lv, [r["levels"][lv] if r else None for r in rows])
                for lv in SHOWN_LEVELS]

    def level_table(rows: list[dict[str, Any] | None], with_gaps: bool) -> list[str]:
        body = []
        for p, r in zip(points, rows, strict=True):
            if r is None:
                continue
            body.append([str(p["date"]), _short(str(p.get("commit", "")))]
                        + [str(r["levels"][lv]) for lv in SHOWN_LEVELS]
                        + ([str(r["gaps"]), str(r["below_required"])] if with_gaps else []))
        header = ["Date", "Commit", *SHOWN_LEVELS] + (
            ["Gaps", "Below required"] if with_gaps else [])
        return _table(header, body)

    fleet = [p["summary"] for p in points]
    lines += ["## Fleet", "", "### Services per level", ""]
    lines += _chart_block(line_chart(
        "fleet-levels", "Services per level over time",
        f"Services at each level at {len(points)} points from {labels[0]} to {labels[-1]}; "
        f"now {_levels_text(fleet[-1])}.",
        labels, level_series(fleet)))
    lines += level_table(list(fleet), with_gaps=False)
    lines += ["### Gaps", ""]
    lines += _chart_block(line_chart(
        "fleet-gaps", "Gaps and services below their required level over time",
        f"Gaps went from {fleet[0]['gaps']} to {fleet[-1]['gaps']}; services below the "
        f"required level from {fleet[0]['below_required']} to {fleet[-1]['below_required']}.",
        labels, [Series("gaps", [f["gaps"] for f in fleet]),
                 Series("below", [f["below_required"] for f in fleet])]))
    lines += _table(["Date", "Commit", "Gaps", "Below required"],
                    [[str(p["date"]), _short(str(p.get("commit", ""))), str(f["gaps"]),
                      str(f["below_required"])] for p, f in zip(points, fleet, strict=True)])

    team_ids = sorted({t for p in points for t in p.get("teams", {})})
    if team_ids:
        lines += ["## Teams", ""]
    for tid in team_ids:
        rows = [p.get("teams", {}).get(tid) for p in points]
        name = teams.get(tid, tid)
        lines += [f"### {cell(name)}", ""]
        last = next(r for r in reversed(rows) if r)
        lines += _chart_block(line_chart(
            f"team-{tid}", f"{name}: services per level over time",
            f"Services of team {name} at each level; at the last point "
            f"{_levels_text(last)}, "
            f"{last['gaps']} gaps.",
            labels, level_series(rows)))  # type: ignore[arg-type]
        lines += level_table(rows, with_gaps=True)

    service_ids = sorted({s for p in points for s in p.get("services", {})})
    if service_ids:
        lines += ["## Services", "",
                  "Level of each service over the same points (0 none, 1 bronze, 2 silver, "
                  "3 gold).", ""]
        body = []
        current = {s["id"] for s in sc.get("services", [])}
        for sid in service_ids:
            per = [p.get("services", {}).get(sid) for p in points]
            levels = [s["level"] if s else None for s in per]
            gaps = [s["gaps"] if s else None for s in per]
            text = _runs(labels, levels)
            svg = line_chart(f"service-{sid}", f"Level of {sid} over time", f"{sid}: {text}.",
                             labels, [Series("level", [LEVEL_RANK[lv] if lv else None
                                                       for lv in levels])],
                             width=160, height=36, small=True, ymax=3,
                             names=LEVELS)
            label = (f"[{cell(sid)}]({links.service(sid)})" if sid in current
                     else f"{cell(sid)} (not in the catalog any more)")
            team = next((s["team"] for s in reversed(per) if s), "")
            shown_gaps = " → ".join(str(g) for g in _dedupe(gaps))
            body.append([label, cell(teams.get(team, team)), svg, cell(text), shown_gaps])
        lines += _table(["Service", "Team", "Trend", "Levels", "Gaps"], body)
    return "\n".join(lines)


def service_trends(history: dict[str, Any], paths: SitePaths | None = None) -> dict[str, str]:
    """Per service: the Markdown of its small trend for its overview page (a sparkline of its
    level, the same in words, and a link to the trend page)."""
    paths = paths or SitePaths()
    points = [p for p in history["points"] if not p.get("error") and "services" in p]
    labels = [str(p["date"]) for p in points]
    trends_page = posixpath.join(posixpath.dirname(paths.scorecard()), "trends.md")
    out = {}
    for sid in sorted({s for p in points for s in p["services"]}):
        levels = [p["services"].get(sid, {}).get("level") for p in points]
        text = _runs(labels, levels)
        svg = line_chart(f"service-{sid}", f"Level of {sid} over time", f"{sid}: {text}.",
                         labels, [Series("level", [LEVEL_RANK[lv] if lv else None
                                                   for lv in levels])],
                         width=200, height=40, small=True, ymax=3,
                         names=LEVELS)
        link = posixpath.relpath(trends_page, posixpath.dirname(paths.document(sid, "overview")))
        out[sid] = "\n".join([
            "## Readiness over time", "", *_chart_block(svg),
            f"Level (0 none to 3 gold) at {len(points)} points of the catalog's history: "
            f"{cell(text)}. [Every trend]({link})."])
    return out


def _levels_text(row: dict[str, Any]) -> str:
    return ", ".join(f"{row['levels'][lv]} {lv}" for lv in SHOWN_LEVELS)


def _dedupe(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for v in values:
        if v is not None and (not out or out[-1] != v):
            out.append(v)
    return out


def _goal(c: dict[str, Any]) -> str:
    if c["goal"]["level"]:
        return f"every selected service at **{c['goal']['level']}** or above"
    return "every selected service passing " + ", ".join(f"`{r}`" for r in c["goal"]["rules"])


def _selection(c: dict[str, Any]) -> str:
    parts = [f"{k} {', '.join(str(v) for v in vals)}" for k, vals in c["select"].items()]
    return cell("; ".join(parts)) if parts else "every service"


def campaigns_markdown(doc: dict[str, Any], sc: dict[str, Any],
                       history: dict[str, Any] | None = None,
                       paths: SitePaths | None = None) -> str:
    """The campaign page (Markdown with front matter): each campaign, its progress over the
    history when there is one, and the services still short."""
    links = _Links(paths or SitePaths())
    teams = {t["id"]: t["name"] for t in sc.get("teams", [])}
    points = [p for p in (history or {}).get("points", []) if not p.get("error")]
    lines = ["---", "title: Readiness campaigns", "render_macros: false", "---", "",
             "# Readiness campaigns", "",
             f"Goals with a due date, from the readiness policy, on {doc['date']}. "
             "`opsready check` warns before a campaign's due date and fails after it while a "
             "selected service is still short.", ""]
    if not doc["campaigns"]:
        lines += ["The policy has no campaign.", ""]
    for c in doc["campaigns"]:
        days = c["days_left"]
        due = (f"{c['due']} (in {days} days)" if days > 0 else f"{c['due']} (today)"
               if days == 0 else f"{c['due']} ({-days} days ago)")
        lines += [f"## {cell(c['name'])}", "",
                  "| Setting | Value |", "|---|---|",
                  f"| Goal | {_goal(c)} |",
                  f"| Selection | {_selection(c)} |",
                  f"| Owner | {cell(c['owner'])} |",
                  f"| Due | {due} |",
                  f"| State | **{STATE_WORDS[c['state']]}** |",
                  f"| Progress | {c['done']} of {c['selected']} services ({c['percent']:g}%) |",
                  ""]
        # The campaign as written today, applied to every point of the history.
        series: list[tuple[dict[str, Any], dict[str, Any]]] = [
            (p, v) for p in points if (v := progress_of_point(c, p)) is not None]
        if series:
            labels = [str(p["date"]) for p, _ in series]
            lines += ["### Progress over time", ""]
            lines += _chart_block(line_chart(
                f"campaign-{c['id']}", f"{c['name']}: services meeting the goal over time",
                f"Selected services meeting the goal, from {series[0][1]['done']} of "
                f"{series[0][1]['selected']} on {labels[0]} to {series[-1][1]['done']} of "
                f"{series[-1][1]['selected']} on {labels[-1]}.", labels,
                [Series("met", [v["done"] for _, v in series]),
                 Series("selected", [v["selected"] for _, v in series])]))
            lines += _table(["Date", "Commit", "Met", "Selected", "Percent"],
                            [[str(p["date"]), _short(str(p.get("commit", ""))), str(v["done"]),
                              str(v["selected"]), f"{v['percent']:g}%"] for p, v in series])
        lines += ["### Services still short", ""]
        if not c["short"]:
            lines += ["None: every selected service meets the goal.", ""]
            continue
        lines += _table(["Service", "Team", "Level", "Gaps"], [
            [f"[{cell(s['name'])}]({links.service(s['service'])})",
             cell(teams.get(s["team"], s["team"])), s["level"],
             ", ".join(f"`{g}`" for g in s["gaps"])] for s in c["short"]])
    return "\n".join(lines)


def trend_files(sc: dict[str, Any], campaigns: dict[str, Any] | None,
                history: dict[str, Any] | None, paths: SitePaths | None = None
                ) -> list[GeneratedFile]:
    """The trend page (with a history) and the campaign page (with campaigns in the policy),
    beside the scorecard page."""
    paths = paths or SitePaths()
    folder = posixpath.dirname(paths.scorecard())
    files = []
    if history is not None:
        files.append(GeneratedFile(posixpath.join(folder, "trends.md"),
                                   content=trends_markdown(history, sc, paths)))
    if campaigns is not None and campaigns["campaigns"]:
        files.append(GeneratedFile(posixpath.join(folder, "campaigns.md"),
                                   content=campaigns_markdown(campaigns, sc, history, paths)))
    return files

"""The trend and campaign pages: inert, accessible SVG charts (title, description, text of at
least 11 px, currentColor), each with its data table beside it, the numbers of the history, and
the history option of a site."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import Any

import markdown
import pytest

from opsready.guard.svg import svg_problems
from opsready.scorecard.charts import MIN_FONT_PX, Series, line_chart
from opsready.scorecard.trends import campaigns_markdown, load_history_json, trends_markdown

SVG_NS = "{http://www.w3.org/2000/svg}"


def _point(day: int, levels: dict[str, str], gaps: dict[str, int]) -> dict[str, Any]:
    teams = {"alpha": "red", "beta": "red", "gamma": "blue"}
    services = {sid: {"team": teams[sid], "tier": 1 if sid == "alpha" else 3,
                      "lifecycle": "production", "tags": [], "level": lv, "required": "gold",
                      "gaps": gaps[sid], "below_required": lv != "gold",
                      "failing": ["has-tags"] if gaps[sid] else []}
                for sid, lv in levels.items()}
    out: dict[str, Any] = {"commit": f"{day:040x}", "date": f"2026-01-{day:02d}",
                           "error": None, "services": services, "teams": {}}
    for scope, members in (("fleet", list(services)), ("red", ["alpha", "beta"]),
                           ("blue", ["gamma"])):
        row = {"services": len(members),
               "levels": {lv: sum(services[m]["level"] == lv for m in members)
                          for lv in ("none", "bronze", "silver", "gold")},
               "gaps": sum(services[m]["gaps"] for m in members),
               "below_required": sum(services[m]["below_required"] for m in members)}
        if scope == "fleet":
            out["summary"] = row
        else:
            out["teams"][scope] = row
    return out


HISTORY = {"schema": "opsready-history/1", "every": "commit", "points": [
    _point(1, {"alpha": "none", "beta": "bronze", "gamma": "none"},
           {"alpha": 3, "beta": 2, "gamma": 3}),
    _point(2, {"alpha": "gold", "beta": "bronze", "gamma": "silver"},
           {"alpha": 0, "beta": 2, "gamma": 1}),
    {"commit": "f" * 40, "date": "2026-01-03", "error": "policy: broken"},
    _point(4, {"alpha": "silver", "beta": "gold", "gamma": "silver"},
           {"alpha": 1, "beta": 0, "gamma": 1}),
]}
SC = {"teams": [{"id": "red", "name": "Red team"}, {"id": "blue", "name": "Blue team"}],
      "services": [{"id": "alpha"}, {"id": "beta"}, {"id": "gamma"}]}


class Blocks(HTMLParser):
    """The page's chart boxes and tables, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.order: list[str] = []
        self.rows: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "svg" and ("class", "opsready-chart") in attrs:
            self.order.append("chart")
        elif tag == "table":
            self.order.append("table")
            self.rows.append([])
        elif tag == "tr":
            self.rows[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _html(md: str) -> str:
    body = md.split("---", 2)[2]
    return markdown.markdown(body, extensions=["tables", "md_in_html"])


def _svgs(md: str) -> list[str]:
    return re.findall(r"<svg .*?</svg>", md)


def test_every_chart_is_inert_titled_and_readable() -> None:
    md = trends_markdown(HISTORY, SC)
    svgs = _svgs(md)
    assert len(svgs) == 2 + 2 + 3  # fleet levels, fleet gaps, two teams, three services
    for svg in svgs:
        assert svg_problems(svg) == []
        root = ET.fromstring(svg)
        assert root.get("role") == "img"
        title, desc = root.find(f"{SVG_NS}title"), root.find(f"{SVG_NS}desc")
        assert title is not None and title.text and desc is not None and desc.text
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        sizes = [float(e.get("font-size", root.get("font-size", "0")))
                 for e in root.iter(f"{SVG_NS}text")]
        assert sizes and min(sizes) >= MIN_FONT_PX
        # Colours follow the page's scheme: only currentColor (and none) is ever painted.
        paints = {e.get(a) for e in root.iter() for a in ("fill", "stroke") if e.get(a)}
        assert paints <= {"currentColor", "none"}
    ids = re.findall(r'id="([^"]+)"', md)
    assert len(ids) == len(set(ids))  # unique on the page


def test_each_chart_has_its_data_table_beside_it() -> None:
    parser = Blocks()
    parser.feed(_html(trends_markdown(HISTORY, SC)))
    order = parser.order
    # Fleet: levels chart and table, gaps chart and table; then per team a chart and its
    # table; then the service table holding the small charts.
    assert order[:4] == ["chart", "table", "chart", "table"]
    assert order[4:8] == ["chart", "table", "chart", "table"]
    assert order[8] == "table" and order[9:] == ["chart"] * 3


def test_trend_tables_hold_the_history_numbers() -> None:
    parser = Blocks()
    parser.feed(_html(trends_markdown(HISTORY, SC)))
    levels, gaps, blue, red, services = parser.rows
    assert levels[0] == ["Date", "Commit", "gold", "silver", "bronze", "none"]
    assert gaps[0] == ["Date", "Commit", "Gaps", "Below required"]
    fleet = [a + b[2:] for a, b in zip(levels, gaps, strict=True)]
    # The point whose policy had errors is left out.
    assert [r[0] for r in fleet[1:]] == ["2026-01-01", "2026-01-02", "2026-01-04"]
    assert [r[2:] for r in fleet[1:]] == [["0", "0", "1", "2", "8", "3"],
                                          ["1", "1", "1", "0", "3", "2"],
                                          ["1", "2", "0", "0", "2", "2"]]
    assert [r[6] for r in red[1:]] == ["5", "2", "1"]
    assert [r[6] for r in blue[1:]] == ["3", "1", "1"]
    alpha = services[1]
    assert alpha[0] == "alpha"
    assert alpha[3] == "none from 2026-01-01, gold from 2026-01-02, silver from 2026-01-04"
    assert alpha[4] == "3 → 0 → 1"


def test_campaign_page_draws_progress_from_the_history() -> None:
    doc = {"date": "2026-01-05", "campaigns": [{
        "id": "tier1-gold", "name": "Tier 1 at gold", "owner": "platform",
        "goal": {"level": "gold", "rules": None}, "select": {"tiers": [1]},
        "due": "2026-03-31", "warn_days": 14, "date": "2026-01-05", "days_left": 85,
        "state": "open", "selected": 1, "done": 0, "percent": 0.0,
        "short": [{"service": "alpha", "name": "Alpha", "team": "red", "level": "silver",
                   "gaps": ["has-tickets"]}]}]}
    md = campaigns_markdown(doc, SC, HISTORY)
    for svg in _svgs(md):
        assert svg_problems(svg) == []
    parser = Blocks()
    parser.feed(_html(md))
    assert parser.order == ["table", "chart", "table", "table"]
    _facts, progress, short = parser.rows
    assert [r[2] for r in progress[1:]] == ["0", "1", "0"]  # alpha: none, gold, silver
    assert short[1][:3] == ["Alpha", "Red team", "silver"]


def test_line_chart_with_one_point_and_gaps_in_a_series() -> None:
    svg = line_chart("one", "One", "One point", ["2026-01-01"], [Series("a", [3])])
    assert svg_problems(svg) == []
    svg = line_chart("holes", "Holes", "A series absent at first", ["a", "b", "c"],
                     [Series("x", [None, 1, 2])])
    assert svg_problems(svg) == [] and svg.count("<path d=\"M") == 1


@pytest.mark.parametrize(("text", "expected"), [
    ("{", "not valid JSON"),
    ('{"schema": "opsready-scorecard/1"}', "not an opsready history"),
    ('{"schema": "opsready-history/1", "points": [1]}', "no valid 'points'"),
])
def test_bad_history_files_are_clear_errors(tmp_path, text: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "h.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=expected):
        load_history_json(path)
    with pytest.raises(ValueError, match="opsready history -o FILE"):
        load_history_json(tmp_path / "missing.json")


def _site_history() -> dict[str, Any]:
    def at(day: int, gold: str) -> dict[str, Any]:
        point = _point(day, {"alpha": "none", "beta": "none", "gamma": "none"},
                       {"alpha": 1, "beta": 1, "gamma": 1})
        point["services"] = {"gold-svc": {"team": "team-a", "tier": 1, "lifecycle": "production",
                                          "tags": [], "level": gold, "required": "gold",
                                          "gaps": 0, "below_required": False, "failing": []}}
        return point
    return {"schema": "opsready-history/1", "every": "commit",
            "points": [at(1, "silver"), at(2, "gold")]}


def test_generate_with_a_history_file_writes_the_trend_page_and_service_trends(
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import json

    from generate_support import write_site
    from opsready.cli.main import main

    monkeypatch.setenv("OPSREADY_TODAY", "2026-06-01")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    (tmp_path / "history.json").write_text(json.dumps(_site_history()), encoding="utf-8")
    config = write_site(tmp_path, readiness=True, history="history.json")
    assert main(["generate", "--config", str(config)]) == 0
    docs = tmp_path / "docs"
    trends = (docs / "scorecard/trends.md").read_text(encoding="utf-8")
    assert "## Fleet" in trends and "gold-svc" in trends
    overview = (docs / "services/gold-svc/index.md").read_text(encoding="utf-8")
    assert "## Readiness over time" in overview
    assert "silver from 2026-01-01, gold from 2026-01-02" in overview
    assert "](../../scorecard/trends.md)" in overview
    # The scorecard page (full width, no navigation) links its trend page.
    scorecard = (docs / "scorecard/index.md").read_text(encoding="utf-8")
    assert "Over time: [trends](trends.md)." in scorecard
    (svg,) = _svgs(overview)
    assert svg_problems(svg) == []
    # Without the option: no trend page, no trend on the service's page.
    config = write_site(tmp_path, readiness=True)
    assert main(["generate", "--config", str(config)]) == 0
    assert not (docs / "scorecard/trends.md").exists()
    assert "Over time:" not in (docs / "scorecard/index.md").read_text(encoding="utf-8")
    assert "Readiness over time" not in (docs / "services/gold-svc/index.md").read_text(
        encoding="utf-8")
    # A file that is not a history fails with what is wrong.
    (tmp_path / "history.json").write_text("[]", encoding="utf-8")
    config = write_site(tmp_path, readiness=True, history="history.json")
    assert main(["generate", "--config", str(config)]) == 1

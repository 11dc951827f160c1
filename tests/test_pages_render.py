"""The renderer without MkDocs: readiness flags, the diagram slot, section states, front matter."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from conftest import rich_catalog, service_yaml, write_files
from opsready.catalog.fleet import Catalog
from opsready.catalog.load import load_catalog
from opsready.output.site_files import Debt, Gap, GeneratedFile
from opsready.output.site_paths import SitePaths
from opsready.pages import (
    DiagramRef,
    RenderInputs,
    TemplateSet,
    generate_pages,
    make_environment,
    plan_pages,
)

EXTENSIONS = ["attr_list", "tables", "admonition", "toc", "fenced_code", "md_in_html"]


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    batch = service_yaml("batch", "Batch", extra="""\
        security:
          data_in_transit: {not_applicable: Talks to nothing over any network.}
          data_at_rest: {not_applicable: Keeps no data of its own at all.}
          data_classification: {not_applicable: Holds no data to classify at all.}
        """)
    partial = service_yaml("partial", "Partial", extra="""\
        security:
          data_at_rest: {not_applicable: Keeps no data of its own at all.}
        """)
    root = write_files(tmp_path_factory.mktemp("cat"), rich_catalog(batch=batch, partial=partial))
    result = load_catalog(root)
    assert result.ok, result.diagnostics
    return result.catalog


@pytest.fixture(scope="module")
def pages(catalog: Catalog, packaged_templates: TemplateSet) -> dict[str, GeneratedFile]:
    """Every page of the catalog with the packaged templates and no other input (read-only)."""
    return render(catalog, packaged_templates)


def render(catalog: Catalog, templates: TemplateSet, *only: str,
           **kwargs: object) -> dict[str, GeneratedFile]:
    """The pages of the catalog, or only those at the paths ``only``."""
    inputs = RenderInputs(catalog, SitePaths(), **kwargs)  # type: ignore[arg-type]
    plan = plan_pages(catalog, inputs.paths, fleet_map=inputs.fleet_map is not None)
    if only:
        plan = [p for p in plan if p.src_path in only]
        assert {p.src_path for p in plan} == set(only)
    return {f.src_path: f for f in generate_pages(templates, inputs, plan)}


def html(page: GeneratedFile) -> BeautifulSoup:
    body = str(page.content).split("\n---\n", 1)[1]
    return BeautifulSoup(markdown.markdown(body, extensions=EXTENSIONS), "html.parser")


class OneGap:
    """A readiness lookup with one gap in the checkout runbook's escalation section (accepted
    by the baseline entry ``debt`` when one is given)."""

    def __init__(self, debt: Debt | None = None) -> None:
        self.asked: list[tuple[str, str]] = []
        self.debt = debt

    def gaps_for(self, service_id: str, section: str) -> list[Gap]:
        self.asked.append((service_id, section))
        if (service_id, section) != ("checkout", "runbook#escalation"):
            return []
        return [Gap("runbook.escalation.pager", "Pager for level 1", section, "missing",
                    "silver", "error", "runbook.escalation[0].how", "checkout/service.yaml", 42,
                    "Level 1 has no <pager> configured", "add `pager:` to the contact",
                    debt=self.debt)]


def test_gaps_render_as_warnings_in_their_section(catalog: Catalog,
                                                  packaged_templates: TemplateSet) -> None:
    lookup = OneGap()
    pages = render(catalog, packaged_templates, gaps=lookup)
    doc = html(pages["services/checkout/runbook.md"])
    flags = doc.select("div.admonition.warning")
    assert len(flags) == 1
    flag = flags[0]
    assert flag.find_previous("h2").get("id") == "escalation"
    assert flag.select_one(".admonition-title").get_text() == "Missing: Pager for level 1"
    for wbr in flag.find_all("wbr"):  # break opportunities in code, not text
        wbr.decompose()
    flag.smooth()
    text = flag.get_text(" ", strip=True)
    assert "runbook.escalation.pager" in text and "silver" in text and "missing" in text
    assert "Level 1 has no <pager> configured" in text
    assert "runbook.escalation[0].how" in text and "checkout/service.yaml:42" in text
    assert "Hint: add pager: to the contact" in text
    assert flag.find("code", string="pager:") is not None  # the hint's Markdown is kept
    # every section of every service document asked once
    assert ("ledger", "architecture#network") in lookup.asked
    assert len(lookup.asked) == len(set(lookup.asked))


def _flag(catalog: Catalog, templates: TemplateSet, debt: Debt | None) -> BeautifulSoup:
    """The one flag of the checkout runbook when its gap has the baseline entry ``debt``."""
    pages = render(catalog, templates, "services/checkout/runbook.md", gaps=OneGap(debt))
    flags = html(pages["services/checkout/runbook.md"]).select("div.admonition.warning")
    assert len(flags) == 1
    return flags[0]


def test_a_baselined_gap_says_accepted_debt_owner_and_due_date_first(
        catalog: Catalog, packaged_templates: TemplateSet) -> None:
    flag = _flag(catalog, packaged_templates, Debt("payments", "2027-03-07", note="PLAT-123"))
    assert "opsready-debt" in flag["class"] and "opsready-overdue" not in flag["class"]
    assert flag.select_one(".admonition-title").get_text() == "Missing: Pager for level 1"
    first = flag.select("p")[1]  # the line right under the title
    assert first.get_text() == ("Accepted debt · owner: Payments Team · due\xa02027-03-07 · "
                                "PLAT-123")
    assert first.find("strong").get_text() == "Accepted debt"  # a word, not a colour
    assert "Fix it at" in flag.get_text()  # the rest of the flag is unchanged


def test_an_overdue_entry_says_overdue_and_that_it_fails_the_build(
        catalog: Catalog, packaged_templates: TemplateSet) -> None:
    flag = _flag(catalog, packaged_templates,
                 Debt("ada", "2026-10-01", overdue=True, fails_build=True))
    assert {"opsready-debt", "opsready-overdue"} <= set(flag["class"])
    assert flag.select("p")[1].get_text() == (
        "Overdue debt · owner: Ada Lovelace (Engineering lead) · was\xa0due\xa02026-10-01 · "
        "fails the build again")
    # overdue where the gap blocks nothing (a service not enforced): no claim about the build
    flag = _flag(catalog, packaged_templates, Debt("someone else", "2026-10-01", overdue=True))
    assert flag.select("p")[1].get_text() == (
        "Overdue debt · owner: someone else · was\xa0due\xa02026-10-01")


def test_a_gap_without_an_entry_has_no_debt_line(catalog: Catalog,
                                                 packaged_templates: TemplateSet) -> None:
    flag = _flag(catalog, packaged_templates, None)
    assert flag["class"] == ["admonition", "warning"]
    assert "debt" not in flag.get_text().lower()
    assert flag.select("p")[1].get_text().startswith("runbook.escalation.pager (silver")


HOSTILE = ('<img src=x onerror="alert(1)"> {{ 7*7 }} {% raw %} **bold** [x](javascript:alert(1))'
           ' <script>alert(2)</script> ![i](https://e.example/i.png) { #id .cls }')


def test_owner_and_note_from_the_baseline_are_text(catalog: Catalog,
                                                   packaged_templates: TemplateSet) -> None:
    flag = _flag(catalog, packaged_templates,
                 Debt(HOSTILE, "2027-01-01", note="# " + HOSTILE + "\n- item"))
    line = flag.select("p")[1]
    assert line.find_all(["img", "script", "a", "em", "h1", "li"]) == []
    assert [s.get_text() for s in line.find_all("strong")] == ["Accepted debt"]
    text = line.get_text()
    assert text.count("{{ 7*7 }}") == 2 and "49" not in text  # never a template
    assert text.count('<img src=x onerror="alert(1)">') == 2  # shown as written
    assert "**bold**" in text and "[x](javascript:alert(1))" in text
    assert "# <img" in text  # the note's heading mark is text too


def test_without_a_lookup_there_are_no_flags(pages: dict[str, GeneratedFile]) -> None:
    assert not html(pages["services/checkout/runbook.md"]).select("div.admonition")


def test_each_diagram_opens_its_section_with_alt_text(
        catalog: Catalog, packaged_templates: TemplateSet) -> None:
    refs = [DiagramRef("Components", "services/checkout/diagrams/components.svg",
                       "Checkout components: api, db", "| Box | Kind |\n|---|---|\n| api | web |"),
            DiagramRef("Data flows", "services/checkout/diagrams/interactions.svg",
                       "Checkout data flows", "| # | From |\n|---|---|\n| 1 | api |")]
    pages = render(catalog, packaged_templates, "services/checkout/architecture.md",
                   "services/ledger/architecture.md", diagrams={"checkout": refs})
    doc = html(pages["services/checkout/architecture.md"])
    shown = {img["src"]: img for img in doc.find_all("img")}
    comp = shown["./diagrams/components.svg"]
    assert comp["alt"] == "Checkout components: api, db"
    assert comp.find_previous("h2").get("id") == "components"
    assert comp.find_parent("div", class_="opsready-diagram") is not None  # its scrolling frame
    flows = shown["./diagrams/interactions.svg"]
    assert flows["alt"] == "Checkout data flows"
    assert flows.find_previous("h2").get("id") == "data-flows"
    # The key to the numbered arrows is the section's own flows table, numbered from 1.
    table = flows.find_next("table")
    assert [th.get_text() for th in table.find_all("th")][:3] == ["#", "From", "To"]
    assert [tr.find("td").get_text() for tr in table.select("tbody tr")] == [
        str(n) for n in range(1, len(table.select("tbody tr")) + 1)]
    assert doc.find(string="Box") is None  # the diagram's own table repeats the sections'
    assert html(pages["services/ledger/architecture.md"]).find("img") is None


def test_fleet_map_page_only_when_a_fleet_diagram_is_given(
        catalog: Catalog, packaged_templates: TemplateSet, pages: dict[str, GeneratedFile]) -> None:
    assert "architecture/fleet-map.md" not in pages
    ref = DiagramRef("Fleet", "architecture/fleet.svg", "All services", "")
    page = render(catalog, packaged_templates, "architecture/fleet-map.md",
                  fleet_map=ref)["architecture/fleet-map.md"]
    assert html(page).find("img")["src"] == "./fleet.svg"


def test_the_fleet_map_page_shows_each_team_map_under_its_heading(
        catalog: Catalog, packaged_templates: TemplateSet) -> None:
    teams = (DiagramRef("Pay *ments*", "architecture/diagrams/fleet-map-pay.svg", "Pay map",
                        "| Service |\n|---|\n| a |\n"),
             DiagramRef("Shop", "architecture/diagrams/fleet-map-shop.svg", "Shop map", ""))
    ref = DiagramRef("Overview", "architecture/diagrams/fleet-overview.svg", "Teams", "",
                     parts=teams)
    pages = render(catalog, packaged_templates, "architecture/fleet-map.md", fleet_map=ref)
    doc = html(pages["architecture/fleet-map.md"])
    assert [h.get_text() for h in doc.find_all("h2")] == ["Pay *ments*", "Shop"]  # as text
    assert [(i["src"], i["alt"]) for i in doc.find_all("img")] == [
        ("./diagrams/fleet-overview.svg", "Teams"), ("./diagrams/fleet-map-pay.svg", "Pay map"),
        ("./diagrams/fleet-map-shop.svg", "Shop map")]
    assert doc.find("h2").find_next("table").find("td").get_text() == "a"


def test_a_section_declared_not_applicable_shows_the_reasons(
        pages: dict[str, GeneratedFile]) -> None:
    doc = html(pages["services/batch/architecture.md"])
    text = doc.find(id="data-protection").find_next("p").get_text()
    assert text == ("Not applicable: Talks to nothing over any network. Keeps no data of its "
                    "own at all. Holds no data to classify at all.")


def test_a_partly_not_applicable_section_is_not_documented(
        pages: dict[str, GeneratedFile]) -> None:
    doc = html(pages["services/partial/architecture.md"])
    assert doc.find(id="data-protection").find_next("p").get_text() == "Not documented yet."


def test_front_matter_stops_a_second_template_pass(pages: dict[str, GeneratedFile]) -> None:
    page = pages["services/checkout/index.md"]
    assert str(page.content).startswith(
        '---\ntitle: "Checkout: Overview"\nrender_macros: false\n---\n')
    assert page.origin is not None and page.origin.endswith("checkout/service.yaml")


def test_plan_lists_every_page_once(catalog: Catalog) -> None:
    plan = plan_pages(catalog, SitePaths("ops"))
    paths = [p.src_path for p in plan]
    assert len(paths) == len(set(paths))
    assert paths[:2] == ["ops/services/index.md", "ops/runbooks/index.md"]
    assert "ops/runbooks/checkout/CheckoutHighErrorRate.md" in paths
    assert sum(p.startswith("ops/services/checkout/") for p in paths) == 6


def test_rendering_is_deterministic(catalog: Catalog, pages: dict[str, GeneratedFile]) -> None:
    # a second rendering with freshly compiled templates
    first, second = pages, render(catalog, make_environment(None))
    assert {k: v.content for k, v in first.items()} == {k: v.content for k, v in second.items()}


def test_every_deliverable_is_in_exactly_one_document_and_the_map_lists_it() -> None:
    from opsready.model.document_sections import SECTIONS
    from opsready.pages.deliverables import deliverables_markdown, documents_of_deliverables

    assert all(len(docs) == 1 for docs in documents_of_deliverables().values())
    table = html(GeneratedFile("x.md", "---\n---\n" + str(deliverables_markdown())))
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in table.select("tbody tr")]
    assert len(rows) == len(SECTIONS)
    assert {r[3] for r in rows} == {s.key for s in SECTIONS}
    assert ["Break-glass access", "architecture#break-glass"] in [[r[2], r[3]] for r in rows]


def test_the_map_by_document_has_one_heading_and_table_per_document() -> None:
    from opsready.model.document_sections import SECTIONS
    from opsready.pages.deliverables import deliverables_markdown
    from opsready.pages.plan import DOCUMENT_TITLES

    page = html(GeneratedFile("x.md", "---\n---\n" + str(deliverables_markdown(3))))
    documents = [d for d in DOCUMENT_TITLES if any(s.document == d for s in SECTIONS)]
    assert [(h["id"], h.get_text()) for h in page.find_all("h3")] == [
        (d, DOCUMENT_TITLES[d]) for d in documents]
    keys = []
    for h in page.find_all("h3"):
        table = h.find_next_sibling("table")
        assert [th.get_text() for th in table.select("thead th")] == [
            "Deliverable", "Section", "Key", "YAML paths"]
        keys += [tr.find_all("td")[2].get_text() for tr in table.select("tbody tr")]
        assert all(k.startswith(h["id"] + "#") for k in keys[-len(table.select("tbody tr")):])
    assert sorted(keys) == sorted(s.key for s in SECTIONS)
    with pytest.raises(ValueError, match="heading_level"):
        deliverables_markdown(7)


def test_a_step_says_what_the_engineer_should_see(tmp_path: Path) -> None:
    from opsready.model import Step
    from opsready.pages.helpers import steps

    text = str(steps([Step(title="Check the queue", command="hlctl queue depth",
                           expected="Depth below 1,000 and falling <b>"),
                      Step(title="Restart")]))
    html = BeautifulSoup(markdown.markdown(text, extensions=EXTENSIONS), "html.parser")
    paragraphs = [p.get_text() for p in html.find_all("p")]
    assert paragraphs[0] == "1. Check the queue"
    assert html.find("code").get_text().strip() == "hlctl queue depth"
    assert "Expected: Depth below 1,000 and falling <b>" in paragraphs
    assert not html.find("b")  # the value is text
    assert paragraphs[-1] == "2. Restart"


def test_a_key_declared_not_applicable_shows_its_reason() -> None:
    from opsready.model import Service
    from opsready.model.document_sections import SECTIONS_BY_KEY
    from opsready.pages.state import section_state

    service = Service.model_validate({
        "id": "worker", "name": "Worker", "description": "d", "tier": 2,
        "lifecycle": "production", "owner": "t",
        "service_guide": {"installation": [{"title": "Deploy"}], "not_applicable_parts": {
            "api_reference": "A queue consumer: it has no API of its own."}}})
    state = section_state(service, SECTIONS_BY_KEY["service-guide#api-reference"])
    assert state.not_applicable == "A queue consumer: it has no API of its own."
    assert not state.has_data
    installation = section_state(service, SECTIONS_BY_KEY["service-guide#installation"])
    assert installation.has_data and installation.not_applicable is None

"""A real build of a small catalog: every service gets its six pages, filled from YAML, in a
navigation that groups them by service; alert pages, indexes, edit links, offline assets."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import BuiltSite, catalog_with, rich_catalog, service_yaml
from conftest import build_site_cached as build_site
from opsready.model.document_sections import sections_of
from opsready.output.site_paths import DOCUMENTS

pytestmark = pytest.mark.build  # every test builds a site

DOCS_FILES = {
    "index.md": "# Home\n",
    "services/checkout/game-day.md": "# Game day notes\n\nWe break things on Fridays.\n",
}
EXTRA = {"repo_url": "https://git.example.com/org/repo", "edit_uri": "edit/main/docs/"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_site(tmp_path_factory.mktemp("site"), rich_catalog(), EXTRA, DOCS_FILES)


def doc_url(service: str, doc: str) -> str:
    return f"services/{service}/" + ("" if doc == "overview" else f"{doc}/")


@pytest.mark.parametrize("service", ["checkout", "ledger"])
def test_every_service_has_its_six_documents(site: BuiltSite, service: str) -> None:
    name = {"checkout": "Checkout", "ledger": "Ledger"}[service]
    for doc, title in DOCUMENTS:
        h1 = site.article(doc_url(service, doc)).find("h1")
        assert h1 is not None and h1.get_text(strip=True) == f"{name}: {title}"


@pytest.mark.parametrize("doc", [d for d, _ in DOCUMENTS])
def test_sections_come_in_map_order_with_stable_ids(site: BuiltSite, doc: str) -> None:
    ids = [i for i in site.headings(doc_url("checkout", doc)) if i not in ("documents", "diagrams")]
    assert ids == [s.anchor for s in sections_of(doc)]


@pytest.mark.parametrize("doc", [d for d, _ in DOCUMENTS])
def test_a_full_service_fills_every_section(site: BuiltSite, doc: str) -> None:
    url = doc_url("checkout", doc)
    for section in sections_of(doc):
        text = site.section_text(url, section.anchor)
        assert text.strip(), f"{url}#{section.anchor} is empty"
        assert "Not documented yet" not in text, f"{url}#{section.anchor}: {text}"


@pytest.mark.parametrize("doc", [d for d, _ in DOCUMENTS])
def test_an_empty_service_says_not_documented_never_an_empty_heading(site: BuiltSite,
                                                                     doc: str) -> None:
    url = doc_url("ledger", doc)
    for section in sections_of(doc):
        text = site.section_text(url, section.anchor)
        if section.key in ("overview#identity", "runbook#severity-scale"):
            assert text and "Not documented yet" not in text
        else:
            assert text == "Not documented yet.", f"{url}#{section.anchor}: {text!r}"


def test_sections_show_the_values_of_the_yaml_file(site: BuiltSite) -> None:
    guide = doc_url("checkout", "service-guide")
    assert "helm upgrade --install checkout ./chart" in site.section_text(guide, "installation")
    config_row = site.article(guide).find("code", string="CHECKOUT_TIMEOUT").find_parent("tr")
    assert [td.get_text(strip=True) for td in config_row.find_all("td")] == [
        "CHECKOUT_TIMEOUT", "Upstream timeout in ms", "3000", "yes", "no"]
    features = site.section_text(guide, "features")
    assert "One-click checkout" in features
    assert "As a returning customer I pay without typing my card again." in features
    assert "The saved card is charged within 2 seconds." in features
    handbook = doc_url("checkout", "operators-handbook")
    assert "driven by: CPU 70%" in site.section_text(handbook, "scaling")
    perf = site.section_text(handbook, "performance")
    for expected in ("p99 latency", "< 300 ms", "2x peak for 1 hour", "Ramp to failure",
                     "24 hours at normal load", "210 req/s"):
        assert expected in perf
    ops = doc_url("checkout", "ops-guide")
    security = site.section_text(ops, "security-monitoring")
    assert "Suricata on the edge nodes." in security
    assert "status=401 | count > 20" in security
    assert "Security on-call within 15 minutes" in security
    arch = doc_url("checkout", "architecture")
    break_glass = site.section_text(arch, "break-glass")
    for expected in ("Only during a SEV-1", "incident commander approves", "audit trail",
                     "within 2 working days"):
        assert expected in break_glass
    overview = doc_url("checkout", "overview")
    signoff = site.section_text(overview, "sign-off")
    assert "Ada Lovelace" in signoff and "Alan Turing" in signoff and "Grace Hopper" in signoff
    assert "Checkout takes the basket." in site.section_text(overview, "identity")
    assert site.article(overview).find("strong", string="takes")  # Markdown prose is rendered


def test_runbook_starts_with_escalation_contacts(site: BuiltSite) -> None:
    url = doc_url("checkout", "runbook")
    first = site.article(url).find("h2")
    assert first.get("id") == "escalation"
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")]
            for tr in first.find_next("table").select("tbody tr")]
    # Level, when, who, and one Contact column with every way to reach them ("Pager", the
    # step's own "how", repeats the contact's pager: it is not written twice).
    assert rows[0][:3] == ["1", "Any alert", "Network Operations Centre"]
    assert "pager: PagerDuty NOC" in rows[0][3] and "(Pager)" not in rows[0][3]
    assert rows[1][2] == "Ada Lovelace (Engineering lead)"
    assert "+44 20 0000 0001" in rows[1][3]


def test_runbook_lists_alerts_by_severity_linking_their_pages(site: BuiltSite) -> None:
    url = doc_url("checkout", "runbook")
    table = site.article(url).find(id="alerts").find_next("table")
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")]
            for tr in table.select("tbody tr")]
    assert [(r[0], r[1]) for r in rows] == [("CheckoutHighErrorRate", "SEV-1"),
                                          ("CheckoutDbReplicaLag", "SEV-3")]
    hrefs = [a["href"] for a in table.select("tbody a")]
    assert hrefs == ["../../../runbooks/checkout/CheckoutHighErrorRate/",
                     "../../../runbooks/checkout/CheckoutDbReplicaLag/"]


def test_alert_page_has_the_full_response(site: BuiltSite) -> None:
    url = "runbooks/checkout/CheckoutHighErrorRate/"
    # One escalation table; the severity scale is linked, not repeated.
    assert list(site.headings(url)) == ["meaning", "impact", "diagnosis", "mitigation",
                                        "escalation", "dashboards"]
    assert site.section_text(url, "meaning") == "Customers cannot pay."
    assert "helm rollback checkout" in site.section_text(url, "mitigation")
    escalation = site.section_text(url, "escalation")
    assert "after 15m" in escalation and "Ada Lovelace" in escalation
    assert "Fallback" not in escalation
    assert len(site.article(url).select("table")) == 1
    facts = [li.get_text(" ", strip=True) for li in site.article(url).find("ul").find_all("li")]
    assert facts[0].startswith("SEV-1 Critical , pages on-call: Page on-call now")
    assert facts[0].endswith("( severity scale )")
    assert facts[1] == "Service: Checkout ( NOC runbook ) · Owner: Payments Team"
    assert facts[2] == ("Call now: Ada Lovelace: phone: +44 20 0000 0001 · "
                        "e-mail: ada@example.com")
    assert facts[3] == "Go to: Mitigation · Diagnosis · Escalation"
    summary = site.article(url).find("ul")
    hrefs = [a["href"] for a in summary.select("a")]
    assert "tel:+442000000001" in hrefs and "mailto:ada@example.com" in hrefs
    assert "#mitigation" in hrefs
    assert "../../../services/checkout/runbook/#severity-scale" in hrefs


def test_alert_without_escalation_falls_back_to_the_service_path(site: BuiltSite) -> None:
    url = "runbooks/checkout/CheckoutDbReplicaLag/"
    escalation = site.section_text(url, "escalation")
    assert escalation.startswith("Fallback: this alert has no escalation of its own")
    assert "Network Operations Centre" in escalation and "Ada Lovelace" in escalation
    assert "Not documented yet" not in escalation
    facts = [li.get_text(" ", strip=True) for li in site.article(url).find("ul").find_all("li")]
    assert facts[2].startswith("Call now: Network Operations Centre: pager: PagerDuty NOC")
    assert facts[2].endswith("(fallback: the service's escalation path)")


def test_an_alert_without_details_says_so(site: BuiltSite) -> None:
    url = "runbooks/checkout/CheckoutDbReplicaLag/"
    for anchor in ("meaning", "impact", "diagnosis", "mitigation", "dashboards"):
        assert site.section_text(url, anchor) == "Not documented yet."


def test_runbooks_index_lists_every_alert_alphabetically(site: BuiltSite) -> None:
    table = site.article("runbooks/").find(id="alerts").find_next("table")
    names = [tr.find("td").get_text(strip=True) for tr in table.select("tbody tr")]
    assert names == sorted(names, key=str.lower) == ["CheckoutDbReplicaLag",
                                                     "CheckoutHighErrorRate"]
    services = site.article("runbooks/").find(id="services").find_next("table")
    assert [a.get_text() for a in services.select("tbody a")] == ["Checkout", "Ledger"]


def test_services_index_is_filterable(site: BuiltSite) -> None:
    soup = site.soup("services/")
    table = soup.find(id="all-services").find_next("table")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers == ["Service", "Team", "Tier", "Lifecycle", "Runbook"]
    assert len(table.select("tbody tr")) == 2
    assert soup.select_one("[data-opsready-filter='all-services']") is not None
    scripts = [s.get("src", "") for s in soup.find_all("script")]
    assert any(s.endswith("assets/opsready/services-filter.js") for s in scripts)
    assert (site.site_dir / "assets/opsready/services-filter.js").is_file()
    by_team = site.section_text("services/", "by-team")
    assert "Payments Team : Checkout · Ledger" in by_team


def test_edit_link_of_a_generated_page_opens_its_yaml_file(site: BuiltSite) -> None:
    for url in (doc_url("checkout", "runbook"), "runbooks/checkout/CheckoutHighErrorRate/"):
        edit = site.soup(url).select_one("a.md-content__button[href*='/edit/']")
        assert edit["href"] == ("https://git.example.com/org/repo/edit/main/"
                                "service_catalog/checkout/service.yaml")
    edit = site.soup(doc_url("ledger", "overview")).select_one("a[href*='/edit/']")
    assert edit["href"].endswith("/edit/main/service_catalog/ledger.yaml")


def test_navigation_groups_a_service_with_its_alerts_and_team_pages(site: BuiltSite) -> None:
    labels = site.nav_labels(doc_url("checkout", "runbook"))
    start = labels.index("Checkout")
    assert labels[start:start + 6] == ["Checkout", "Service guide", "Operators handbook",
                                       "Ops guide", "NOC runbook", "NOC runbook"]
    assert "Alerts" in labels and "Game day notes" in labels
    assert labels.index("Alerts") < labels.index("Game day notes")
    assert labels.index("Ledger") > labels.index("Game day notes")  # next service, after


def test_hand_written_page_is_built_and_linked_from_the_overview(site: BuiltSite) -> None:
    assert "We break things on Fridays." in site.article("services/checkout/game-day/").text
    links = {a.get_text(): a["href"] for a in site.article("services/checkout/").select("a")}
    assert links["Game day notes"] == "game-day/"


def test_pages_fetch_nothing_from_other_hosts(site: BuiltSite) -> None:
    for url in ("services/", doc_url("checkout", "runbook"),
                "runbooks/checkout/CheckoutHighErrorRate/"):
        soup = site.soup(url)
        assets = [t.get("href") for t in soup.find_all("link")] + [
            t.get("src") for t in soup.find_all(["script", "img", "iframe"])]
        external = [a for a in assets if a and re.match(r"^(https?:)?//", a)]
        assert external == [], url
        assert "fonts.googleapis" not in site.html(url)


def test_same_input_builds_the_same_html(site: BuiltSite, tmp_path: Path) -> None:
    again = build_site(tmp_path, rich_catalog(), EXTRA, DOCS_FILES)
    pages = sorted(p.relative_to(site.site_dir) for p in site.site_dir.rglob("*.html")
                   if p.parts[-3:-1] != ("search",))
    assert len(pages) > 15
    for rel in pages:
        assert (again.site_dir / rel).read_text() == (site.site_dir / rel).read_text(), rel


def test_services_index_filters_in_a_browser(tmp_path: Path) -> None:
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists() and not os.environ.get("CI"):
        pytest.skip("Debian's chromium is not installed (scripts/setup.sh --test installs it)")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    catalog = catalog_with(
        alpha=service_yaml("alpha", owner="platform", tier=1),
        beta=service_yaml("beta", owner="payments", tier=2),
        gamma=service_yaml("gamma", owner="platform", tier=3, lifecycle="experimental"))
    site = build_site(tmp_path, catalog)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_page()
            page.goto(site.path("services/").as_uri())
            box = page.locator("[data-opsready-filter]")
            rows = page.locator("article table").first.locator("tbody tr:visible")
            assert rows.count() == 3
            box.locator("select").nth(0).select_option("Platform Team")
            assert rows.count() == 2
            box.locator("select").nth(1).select_option("3")
            assert rows.all_inner_texts()[0].startswith("Gamma")
            assert box.inner_text().strip().endswith("1 of 3 services")
            box.locator("select").nth(0).select_option("")
            box.locator("select").nth(1).select_option("")
            assert rows.count() == 3
        finally:
            browser.close()

"""The NOC experience without a browser: contact links, the escalation fallback, step
references, alert aliases, next-level gaps and the quiet build log."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import BuiltSite, build_site_cached, catalog_with, service_yaml
from example_site import BuiltSite as ExampleSite
from opsready.catalog.fleet import CatalogResult
from opsready.cli.main import main
from opsready.pages.contacts import ContactLinks, chat_href, mailto_href, pager_href, tel_href
from opsready.policy.build_readiness import site_readiness

REPO = Path(__file__).resolve().parents[1]
CHAT = "https://chat.example.com/acme/channels/{name}"
PAGER = "https://acme.pagerduty.example/service-directory?query={value}"

ALERTS = """\
alerts:
  - name: QueueStuck
    severity: SEV-2
    summary: The queue stopped.
    aliases: [queue_depth_messages, OldQueueAlarm]
    diagnosis:
      - title: Look at the queue dashboard
        see:
          - dashboard: Queue depth
          - alert: QueueSlow
          - document: operators-handbook
            section: scaling
    mitigation:
      - title: Restart the consumer
        command: kubectl rollout restart deployment consumer --namespace-with-a-very-long-name
  - name: QueueSlow
    severity: SEV-3
    summary: The queue is slow.
observability:
  dashboards:
    - title: Queue depth
      url: https://grafana.example.com/d/queue
"""


def test_phone_numbers_and_addresses_become_links() -> None:
    assert tel_href("+44 20 7946 0101") == "tel:+442079460101"
    assert tel_href("(555) 010-9999 ext") == "tel:5550109999"
    assert tel_href("call the bridge") is None
    assert mailto_href("noc@example.com") == "mailto:noc@example.com"
    assert mailto_href("not an address") is None
    assert mailto_href("a@b.c<script>") is None


def test_chat_and_pager_links_come_from_the_site_patterns() -> None:
    none = ContactLinks()
    assert chat_href("#payments", none) is None and pager_href("PagerDuty X", none) is None
    links = ContactLinks(chat_url=CHAT, pager_url=PAGER)
    assert chat_href("#payments", links) == "https://chat.example.com/acme/channels/payments"
    # A handle uses chat_url unless chat_user_url is set; values are URL-encoded.
    assert chat_href("@ada lovelace", links) == (
        "https://chat.example.com/acme/channels/ada%20lovelace")
    users = ContactLinks(chat_url=CHAT, chat_user_url="https://chat.example.com/u/{name}")
    assert chat_href("@ada", users) == "https://chat.example.com/u/ada"
    assert pager_href('PagerDuty "Platform"', links) == (
        "https://acme.pagerduty.example/service-directory?query=PagerDuty%20%22Platform%22")
    # A value that is a URL is a link without any pattern; other schemes never are.
    assert pager_href("https://acme.pagerduty.example/schedules/P1", none) == (
        "https://acme.pagerduty.example/schedules/P1")
    assert chat_href("javascript:alert(1)", none) is None


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """A team with pager, chat and e-mail; a service with no escalation anywhere, so its
    alert pages fall back to the owner team."""
    files = catalog_with(queue=service_yaml("queue", tier=2, extra=ALERTS))
    return build_site_cached(
        tmp_path_factory.mktemp("noc"), files,
        strict=False,
        opsready={"readiness": True, "enforce": False, "warn_gaps": "none",
                  "diagrams": False, "chat_url": CHAT, "pager_url": PAGER},
        expect_warnings=[r"diagrams are off"])


def test_alert_without_any_escalation_falls_back_to_the_owner_team(site: BuiltSite) -> None:
    url = "runbooks/queue/QueueStuck/"
    article = site.article(url)
    escalation = site.section_text(url, "escalation")
    assert escalation.startswith("Fallback: neither this alert nor its service documents")
    assert "Not documented yet" not in escalation
    section = article.find(id="escalation").find_next("table")
    hrefs = [a["href"] for a in section.select("a")]
    assert hrefs == [
        "https://acme.pagerduty.example/service-directory?query=PagerDuty%20Platform",
        "https://chat.example.com/acme/channels/platform", "mailto:platform@example.com"]
    call = next(li for li in article.find("ul").find_all("li")
                if li.get_text().startswith("Call now"))
    assert "(fallback: the owner team)" in call.get_text()
    assert [a["href"] for a in call.select("a")] == hrefs
    # The readiness check still flags the missing escalation where it must be written.
    flags = site.section_text("services/queue/runbook/", "escalation")
    assert "runbook-escalation" in flags and "runbook.escalation" in flags


def test_step_references_are_links(site: BuiltSite) -> None:
    url = "runbooks/queue/QueueStuck/"
    see = next(p for p in site.article(url).select("p") if p.get_text().startswith("See:"))
    assert [(a.get_text(), a["href"]) for a in see.select("a")] == [
        ("Queue depth dashboard", "https://grafana.example.com/d/queue"),
        ("QueueSlow", "../QueueSlow/"),
        ("Operators handbook: Scaling", "../../../services/queue/operators-handbook/#scaling")]


def test_alert_page_names_its_aliases_and_one_severity(site: BuiltSite) -> None:
    url = "runbooks/queue/QueueStuck/"
    facts = [li.get_text(" ", strip=True) for li in site.article(url).find("ul").find_all("li")]
    assert "Also known as: queue_depth_messages , OldQueueAlarm" in facts
    assert facts[0].startswith("SEV-2 Major , pages on-call: Page on-call; acknowledge")
    text = site.article(url).get_text()
    assert "SEV-4" not in text and "SEV-5" not in text  # the scale is linked, not repeated


def test_command_blocks_keep_the_whole_command(site: BuiltSite) -> None:
    (code,) = site.article("runbooks/queue/QueueStuck/").select("pre code")
    assert code.get_text().strip().endswith("--namespace-with-a-very-long-name")
    css = (site.site_dir / "assets" / "opsready" / "noc.css").read_text(encoding="utf-8")
    assert "white-space: pre-wrap" in css
    assert "assets/opsready/noc.css" in site.html("runbooks/queue/QueueStuck/")


def test_gaps_above_the_required_level_are_next_level_notes(site: BuiltSite) -> None:
    # Tier 2 requires silver: a gold gap is information about the next level.
    soup = site.article("services/queue/architecture/")
    notes = [a.get_text(" ", strip=True) for a in soup.select(".admonition.info")]
    warnings = [a.get_text(" ", strip=True) for a in soup.select(".admonition.warning")]
    assert notes and all(n.startswith("Next level (gold)") for n in notes)
    assert all("(gold," not in w for w in warnings)
    assert all(w.startswith("Missing:") for w in warnings)


def test_unknown_step_references_are_reported_at_their_place(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = (ALERTS.replace("dashboard: Queue depth", "dashboard: Queue dept")
           .replace("alert: QueueSlow", "alert: QueueSlo")
           .replace("section: scaling", "section: scalling"))
    for name, text in catalog_with(queue=service_yaml("queue", extra=bad)).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert main(["check", str(tmp_path), "--no-readiness"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"queue\.yaml:\d+:\d+: error: alerts\[0\]\.diagnosis\[0\]\.see\[0\]"
                     r"\.dashboard: service 'queue' has no dashboard or link 'Queue dept'", out)
    assert "did you mean 'Queue depth'?" in out
    assert "see[1].alert: service 'queue' has no alert 'QueueSlo'" in out
    assert "see[2].section: document 'operators-handbook' has no section 'scalling'" in out
    assert "did you mean 'scaling'?" in out


def test_the_build_log_lists_only_what_blocks(example_catalog: CatalogResult) -> None:
    catalog = example_catalog.catalog
    readiness = site_readiness(catalog, None, dt.date(2026, 11, 26))
    records = readiness.log_records("blocking")
    gap_lines = [(lvl, text) for lvl, text in records if re.search(r"\[[a-z0-9-]+\]", text)]
    assert gap_lines and all(lvl == "debug" for lvl, _ in gap_lines)  # none blocks
    (summary,) = [text for lvl, text in records if lvl == "info"]
    assert summary.startswith(f"readiness: {len(gap_lines)} gaps that block no build")
    every = readiness.log_records("all")
    assert sum(lvl == "warning" for lvl, _ in every) == len(gap_lines)


def test_no_search_section_is_over_zensicals_limit(built: ExampleSite) -> None:
    # Zensical refuses a search field over 8,192 bytes once an index holds more than about
    # 65,000 entries (a fleet of 1,000 services): the example site, hand-written pages included,
    # stays under it, so the same pages build there at any fleet size.
    docs = json.loads((built.site / "search" / "search_index.json").read_text())["docs"]
    sizes = {d["location"]: len(d["text"].encode()) for d in docs}
    assert max(sizes.values()) > 1000  # the index holds real sections
    assert {loc: n for loc, n in sizes.items() if n > 8192} == {}


def test_index_tables_stay_out_of_search_but_their_pages_are_found(built: ExampleSite) -> None:
    # The fleet's index tables (every service, every alert) grow with the fleet; each row leads
    # to a page search finds on its own, and Zensical refuses a section of over 32 KB.
    docs = json.loads((built.site / "search" / "search_index.json").read_text())["docs"]
    locations = {d["location"] for d in docs}
    for table in ("runbooks/#alerts", "runbooks/#services", "services/#all-services",
                  "services/#by-team", "scorecard/#services", "scorecard/#deliverables-by-service"):
        assert table not in locations
    assert {"runbooks/", "services/", "scorecard/", "scorecard/#fleet-summary"} <= locations
    alert_pages = {p.parent.relative_to(built.site).as_posix() + "/"
                   for p in (built.site / "runbooks").glob("*/*/index.html")}
    assert alert_pages and alert_pages <= locations
    index = (built.site / "runbooks" / "index.html").read_text(encoding="utf-8")
    runbooks = BeautifulSoup(index, "html.parser")
    assert runbooks.find(id="alerts").get_text(strip=True).startswith("Alerts")

"""The runbook pack (``opsready pack``) opened as a responder would during an outage: from
``file://`` in headless Chromium with the network off and every request blocked and counted; its
PDF read back with pypdf; the hostile prose corpus inert in it; its manifest verified.

The small packs come from the example catalog's Payments & Ledger rotation (two services, ten
alerts); one test packs the whole example fleet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from conftest import TEAMS_YAML
from example_site import REPO, launched_chromium
from hostile_prose import PAYLOADS
from opsready.catalog.load import load_catalog
from opsready.cli.main import main
from opsready.output.pack.document import ASSETS, alert_anchor
from test_prose_hostile import _catalog, _write

pytestmark = [pytest.mark.build, pytest.mark.browser]

SMALL_TEAM = "payments"
A4 = (595, 842)
LETTER = (612, 792)
FOUND = """() => [...document.querySelectorAll('#pack-index tbody tr')]
  .filter(r => !r.hidden).map(r => r.querySelector('a').textContent)"""


def _pack(out: Path, *args: str) -> None:
    code = main(["pack", "--config", str(REPO / "mkdocs.yml"), "--out", str(out), *args])
    assert code == 0


@pytest.fixture(scope="module")
def catalog() -> Any:
    return load_catalog(REPO / "service_catalog").catalog


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Payments & Ledger rotation's pack, printed on Letter paper."""
    out = tmp_path_factory.mktemp("pack-small")
    _pack(out, "--team", SMALL_TEAM, "--paper", "letter")
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_chromium() as chromium:
        yield chromium


def _open_offline(browser: Any, html: Path) -> tuple[Any, list[str]]:
    """The pack opened from file:// with the network off; every request but the document's own
    is aborted and recorded."""
    context = browser.new_context(offline=True)
    url = html.resolve().as_uri()
    attempted: list[str] = []
    context.on("request", lambda r: r.url != url and attempted.append(r.url))

    def handle(route: Any) -> None:
        if route.request.url == url:
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    context.route("**/*", handle)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append(f"dialog {d.message}"), d.dismiss()))
    page.goto(url)
    page.wait_for_load_state("load")
    assert errors == []
    return page, attempted


def _team_alerts(catalog: Any, team: str) -> list[tuple[str, Any]]:
    from opsready.output.pack.select import team_services

    return [(sid, a) for sid in team_services(catalog, team) for a in catalog.services[sid].alerts]


def test_the_pack_works_offline_with_no_request(small: Path, browser: Any,
                                                catalog: Any) -> None:
    page, attempted = _open_offline(browser, small / f"team-{SMALL_TEAM}.html")
    assert page.locator("h1").count() == 1  # the pack's title; pages start at h2
    alerts = _team_alerts(catalog, SMALL_TEAM)
    assert len(alerts) >= 5
    for sid, alert in alerts:
        anchor = alert_anchor(sid, alert.name)
        section = page.locator(f"article#{anchor}")
        assert section.count() == 1, alert.name
        assert section.locator("h2").first.inner_text().startswith(alert.name)
        for part in ("mitigation", "escalation"):
            heading = page.locator(f"[id='{anchor}--{part}']")
            assert heading.count() == 1 and heading.is_visible(), (alert.name, part)
        # whom to call: the escalation table of the site, with its links
        table = page.locator(f"[id='{anchor}--escalation'] ~ div table").first
        assert table.count() == 1 and table.locator("a[href]").count() >= 1
    # Contacts keep their dial, write, chat and pager links.
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    for prefix in ("tel:", "mailto:", "https://chat.", "https://harbourline.pagerduty."):
        assert any(h.startswith(prefix) for h in hrefs), prefix
    # Every link inside the pack leads to an element of the pack.
    ids = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
    internal = [h[1:] for h in hrefs if h.startswith("#")]
    assert internal and [h for h in internal if h not in ids] == []
    # The diagrams are inline SVG, not images to load.
    assert page.locator(".pack-diagram svg").count() >= 2
    assert page.locator("img[src]").count() == 0
    assert attempted == []


def test_the_search_finds_each_alert_by_name_and_by_a_summary_word(
        small: Path, browser: Any, catalog: Any) -> None:
    page, attempted = _open_offline(browser, small / f"team-{SMALL_TEAM}.html")
    box = page.locator("#pack-search")
    assert box.is_enabled()
    for _sid, alert in _team_alerts(catalog, SMALL_TEAM):
        box.fill("")
        page.keyboard.type("")
        box.type(alert.name.lower())
        assert alert.name in page.evaluate(FOUND), alert.name
        box.fill(" ".join(re.findall(r"[A-Z][a-z]+|[A-Z]+(?![a-z])", alert.name)).lower())
        assert alert.name in page.evaluate(FOUND), alert.name
        word = max(re.findall(r"[A-Za-z]{4,}", alert.summary), key=len)
        box.fill(word.upper())
        assert alert.name in page.evaluate(FOUND), (alert.name, word)
    box.fill("zzzznotanalert")
    assert page.evaluate(FOUND) == []
    assert attempted == []


def test_the_stale_banner_shows_once_the_date_has_passed(small: Path, browser: Any) -> None:
    html = small / f"team-{SMALL_TEAM}.html"
    page, _ = _open_offline(browser, html)
    banner = page.locator("#pack-stale")
    assert not banner.is_visible()
    after = banner.get_attribute("data-after")
    assert after and f"check the live site after {after}" in page.inner_text("body")
    stale = html.with_name("stale.html")
    stale.write_text(html.read_text(encoding="utf-8").replace(
        f'data-after="{after}"', 'data-after="2001-01-01"'), encoding="utf-8")
    page, _ = _open_offline(browser, stale)
    assert page.locator("#pack-stale").is_visible()


def _flat_outline(outline: list[Any]) -> Iterator[str]:
    for item in outline:
        if isinstance(item, list):
            yield from _flat_outline(item)
        else:
            yield str(item.title)


def _pdf(path: Path) -> Any:
    import pypdf

    return pypdf.PdfReader(str(path))


def test_the_pdf_holds_every_alert_and_its_contents_links_resolve(
        small: Path, catalog: Any) -> None:
    reader = _pdf(small / f"team-{SMALL_TEAM}.pdf")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == LETTER
    texts = [unicodedata.normalize("NFKC", page.extract_text()) for page in reader.pages]
    alerts = _team_alerts(catalog, SMALL_TEAM)
    for _sid, alert in alerts:
        # one alert per page start: its title opens a page (after the margin stamp and the
        # service's readiness stamp)
        assert any(alert.name in t.split("\n")[1:4] for t in texts), alert.name
    assert all("Catalog " in t and "check the live site after" in t for t in texts)
    destinations = set(reader.named_destinations)
    links = [a.get_object() for p in reader.pages for a in (p.get("/Annots") or [])
             if a.get_object().get("/Subtype") == "/Link"]
    internal = [str(a["/Dest"]) for a in links if "/Dest" in a]
    for _sid, alert in alerts:  # the contents list every alert, and each entry lands
        assert f"/{alert_anchor(_sid, alert.name)}" in internal, alert.name
    assert internal and set(internal) <= destinations
    # and the PDF's own outline (bookmarks) lists every alert
    titles = set(_flat_outline(reader.outline))
    assert {alert.name for _sid, alert in alerts} <= titles


def test_the_whole_fleet_in_one_file_of_a_few_megabytes(
        tmp_path: Path, browser: Any, catalog: Any) -> None:
    _pack(tmp_path / "fleet")  # the default set: each rotation, each tier, the fleet
    html = tmp_path / "fleet" / "fleet.html"
    assert html.stat().st_size < 3_000_000
    page, attempted = _open_offline(browser, html)
    for sid, service in catalog.services.items():
        for alert in service.alerts:
            assert page.locator(f"article#{alert_anchor(sid, alert.name)}").count() == 1
    assert attempted == []
    reader = _pdf(tmp_path / "fleet" / "fleet.pdf")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4
    text = unicodedata.normalize("NFKC", "\n".join(p.extract_text() for p in reader.pages))
    assert all(a.name in text for s in catalog.services.values() for a in s.alerts)
    names = sorted(p.name for p in (tmp_path / "fleet").iterdir())
    assert {"fleet.html", "fleet.pdf", "tier-1.html", "index.html", "pack.json"} <= set(names)
    assert any(n.startswith("team-") for n in names)


def test_the_manifest_verifies_and_a_changed_byte_fails(small: Path, tmp_path: Path) -> None:
    import json
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(small, copy)
    (copy / "stale.html").unlink(missing_ok=True)
    manifest = json.loads((copy / "pack.json").read_text(encoding="utf-8"))
    assert manifest["commit"]
    alerts = {a["alert"] for p in manifest["packs"] for a in p["alerts"]}
    assert "LedgerReplicationLag" in alerts
    assert main(["pack", "--verify", str(copy)]) == 0
    pdf = copy / f"team-{SMALL_TEAM}.pdf"
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 1
    pdf.write_bytes(bytes(data))
    assert main(["pack", "--verify", str(copy)]) == 1


@pytest.fixture(scope="module")
def hostile_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pack of the hostile corpus: the payloads the check accepts, eight per service."""
    root = tmp_path_factory.mktemp("hostile-pack")
    alone, by_service = _catalog([[p] for p in PAYLOADS])
    _write(root / "alone", alone)
    result = load_catalog(root / "alone")
    refused = {by_service[f.split("/")[-2]][0].id for f in
               (d.file.replace("\\", "/") for d in result.diagnostics if d.severity == "error")
               if "/hostile-" in "/" + f}
    accepted = [p for p in PAYLOADS if p.id not in refused]
    files, _ = _catalog([accepted[i:i + 8] for i in range(0, len(accepted), 8)])
    _write(root / "catalog", files)
    assert TEAMS_YAML in files.values()
    out = root / "packs"
    code = main(["pack", str(root / "catalog"), "--config", str(root / "mkdocs.yml"),
                 "--out", str(out), "--no-pdf", "--fleet"])
    assert code == 0
    return out / "fleet.html"


def test_hostile_prose_is_inert_in_the_pack(hostile_pack: Path, browser: Any) -> None:
    soup = BeautifulSoup(hostile_pack.read_text(encoding="utf-8"), "html.parser")
    ours = (ASSETS / "pack.js").read_text(encoding="utf-8")
    scripts = soup.find_all("script")
    assert [s.string for s in scripts] == [ours]
    for el in soup.find_all(True):
        for name, value in el.attrs.items():
            assert not name.lower().startswith("on"), (el.name, name)
            values = value if isinstance(value, list) else [value]
            for v in values:
                text = re.sub(r"[\s\x00-\x1f]+", "", str(v)).lower()
                assert not text.startswith(("javascript:", "vbscript:")), (el.name, name, v)
                if text.startswith("data:"):  # only the diagram engine's icons
                    assert el.name == "image" and text.startswith("data:image/png;base64,")
    for el in soup.find_all(["iframe", "object", "embed", "form", "base", "meta", "style"]):
        ours_only = el.get("class") == ["pack-search"] or el.find_parent("head") is not None
        assert ours_only, el
    page, attempted = _open_offline(browser, hostile_pack)
    for link in page.locator("a[href]").all()[:200]:
        link.hover()
        link.focus()
    assert attempted == []


def test_the_site_publishes_the_packs_and_the_noc_page_links_them(example_site: Any) -> None:
    """The example site sets ``runbook_packs: html``: the build writes the packs into the site
    from its own pages, and the NOC page links their folder."""
    packs = example_site.site / "packs"
    assert main(["pack", "--verify", str(packs)]) == 0
    index = BeautifulSoup((packs / "index.html").read_text(encoding="utf-8"), "html.parser")
    listed = {a["href"] for a in index.find_all("a")}
    assert {"fleet.html", "tier-1.html", "pack.json"} <= listed
    assert all((packs / name).is_file() for name in listed)
    noc = BeautifulSoup((example_site.site / "noc" / "index.html").read_text(encoding="utf-8"),
                        "html.parser")
    link = noc.select_one("p.opsready-packs a")
    assert link is not None and link["href"] == "../packs/index.html"
    # Each service's NOC runbook links the pack of its owner team's rotation.
    for sid, service in example_site.catalog.services.items():
        page = example_site.site / "services" / sid / "runbook" / "index.html"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        hrefs = [a["href"] for a in soup.select("p.opsready-packs a")]
        assert hrefs[0] == f"../../../packs/team-{service.owner}.html", sid
        assert all((page.parent / h).resolve().is_file() for h in hrefs), sid

"""The runbook pack's pure parts: which services a pack holds, links and ids moved into one
document, the allow-list and SVG check applied, search words, the manifest. The packs themselves
(HTML in Chromium, the PDF) are tested in ``test_pack_browser.py``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from example_site import REPO
from opsready.catalog.load import load_catalog
from opsready.cli.main import main
from opsready.output.pack.convert import (
    Converter,
    PackError,
    PageLinks,
    markdown_extensions,
    sections,
    site_converter,
)
from opsready.output.pack.document import search_words
from opsready.output.pack.manifest import verify, write_manifest
from opsready.output.pack.select import select_specs, team_services
from opsready.output.site_files import GeneratedFile

SVG = ('<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg xmlns="http://www.w3.org/2000/svg" '
       'xmlns:xlink="http://www.w3.org/1999/xlink"><defs><symbol id="icon-ab12"><rect/></symbol>'
       '</defs><a xlink:href="../../other/" xlink:title="x"><use xlink:href="#icon-ab12"/></a>'
       "</svg>")


@pytest.fixture(scope="module")
def catalog() -> Any:
    return load_catalog(REPO / "service_catalog").catalog


def test_a_rotation_holds_the_services_it_owns_or_is_called_for(catalog: Any) -> None:
    payments = team_services(catalog, "payments")
    assert set(payments) >= {s.id for s in catalog.team_services("payments")}
    platform = team_services(catalog, "platform")  # the incident commanders are called by all
    assert len(platform) > len(catalog.team_services("platform"))
    names = [s.name for s in select_specs(catalog)]
    assert names[-1] == "fleet" and "tier-1" in names and "team-payments" in names
    assert [s.name for s in select_specs(catalog, tiers=[1])] == ["tier-1"]
    assert [s.name for s in select_specs(catalog, services=["ledger"], fleet=True)] == [
        "fleet", "service-ledger"]
    everything = select_specs(catalog, everything=True)
    assert len(everything) == len(select_specs(catalog)) + len(catalog.services)
    with pytest.raises(ValueError, match="no team 'nobody'"):
        select_specs(catalog, teams=["nobody"])


def test_links_go_into_the_pack_to_the_live_site_or_nowhere() -> None:
    links = PageLinks({"services/a/runbook.md": "s-a-runbook",
                       "runbooks/a/Down.md": "a-a-Down"}, "https://docs.example/")
    page = "runbooks/a/Down.md"
    assert links.target(page, "../../services/a/runbook.md#severity-scale") == \
        "#s-a-runbook--severity-scale"
    assert links.target(page, "Down.md") == "#a-a-Down"
    assert links.target(page, "../../services/a/index.md") == \
        "https://docs.example/services/a/"
    assert links.target(page, "tel:+441234") == "tel:+441234"
    assert links.target(page, "../../services/a/diagrams/x.svg") is None
    assert PageLinks({}).target(page, "../../services/a/index.md") is None


def test_a_page_is_cleaned_and_its_ids_and_links_moved_into_the_pack(tmp_path: Path) -> None:
    svg = tmp_path / "d.svg"
    svg.write_text(SVG, encoding="utf-8")
    reports: list[tuple[str, str]] = []
    md = site_converter([{"toc": {"permalink": True}}, "attr_list", "no_such_extension"],
                        lambda level, text: reports.append((level, text)))
    assert reports and "no_such_extension" in reports[0][1]
    converter = Converter(md, PageLinks({"services/a/runbook.md": "s-a-runbook"}),
                          {"services/a/diagrams/c.svg": GeneratedFile("services/a/diagrams/c.svg",
                                                                 abs_path=str(svg))})
    text = ("---\ntitle: x\n---\n# Title\n\n## Mitigation { #mitigation }\n\n"
            "[go](#mitigation) [runbook](runbook.md#escalation) [bad](javascript:alert(1))\n\n"
            "<script>alert(1)</script><b onclick=alert(1)>b</b>\n\n"
            "![remote](https://example.com/x.png) [![Diagram](diagrams/c.svg)](diagrams/c.svg)"
            "\n\n![again](diagrams/c.svg)\n")
    html = converter.page("services/a/runbook.md", text, "p")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find(id="p--mitigation").name == "h3"  # one level below the site's
    assert soup.find("h2").get_text().startswith("Title") and soup.find("h1") is None
    hrefs = [a.get("href") for a in soup.find_all("a")]
    assert "#p--mitigation" in hrefs and "#s-a-runbook--escalation" in hrefs
    assert not any("javascript" in (h or "") for h in hrefs)
    assert soup.find("script") is None and soup.find(onclick=True) is None
    assert soup.find("img", src=True) is None  # a remote image would be a request
    diagrams = soup.find_all("svg")
    assert len(diagrams) == 2 and "<?xml" not in html and "../../other/" not in html
    assert html.count('<symbol id="icon-ab12"') == 1  # the icon is kept once per document
    assert soup.find("span", class_="pack-diagram")["aria-label"] == "Diagram"


def test_an_svg_the_check_refuses_is_never_inlined(tmp_path: Path) -> None:
    bad = tmp_path / "bad.svg"
    bad.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                   encoding="utf-8")
    converter = Converter(site_converter([], lambda *_: None), PageLinks({}),
                          {"x/bad.svg": GeneratedFile("x/bad.svg", content=bad.read_bytes())})
    with pytest.raises(PackError, match="bad.svg"):
        converter.page("x/index.md", "![d](bad.svg)\n", "p")


def test_the_pack_keeps_the_site_extensions_and_adds_the_plugins() -> None:
    names, configs = markdown_extensions(["abbr", {"toc": {"permalink": True}}, {"tables": None}])
    assert names[:3] == ["abbr", "toc", "tables"]
    assert {"attr_list", "admonition", "md_in_html"} <= set(names)
    assert configs == {"toc": {"permalink": True}}


def test_sections_are_cut_at_top_level_headings() -> None:
    html = ('<h2 id="p--t">T</h2>\n<h3 id="p--a">A</h3>\n<p>a</p>\n<h3 id="p--b">B</h3>\n'
            '<div><h3 id="p--inner">x</h3></div>\n<h3 id="p--c">C</h3>\n<p>c</p>\n')
    assert sections(html, "p", ["c", "a"]) == ('<h3 id="p--a">A</h3>\n<p>a</p>\n'
                                              '<h3 id="p--c">C</h3>\n<p>c</p>\n')


def test_search_words_split_names_summaries_and_aliases() -> None:
    words = search_words("LedgerReplicationLag", "The DR replica is behind.",
                         "pg_replication_lag_seconds").split()
    assert {"ledgerreplicationlag", "ledger", "replication", "lag", "dr", "behind",
            "seconds"} <= set(words)
    assert len(words) == len(set(words))


def test_the_manifest_finds_a_changed_missing_or_unlisted_file(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<p>a</p>", encoding="utf-8")
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4 x")
    write_manifest(tmp_path, {"commit": "abc"}, [{"name": "a"}], ["a.html", "a.pdf"])
    data = json.loads((tmp_path / "pack.json").read_text(encoding="utf-8"))
    assert data["commit"] == "abc" and set(data["files"]) == {"a.html", "a.pdf"}
    assert verify(tmp_path) == []
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4 y")
    assert [p for p in verify(tmp_path) if "a.pdf: changed" in p]
    (tmp_path / "a.html").unlink()
    assert [p for p in verify(tmp_path) if "a.html: missing" in p]
    data["files"]["../etc/passwd"] = {"sha256": "0"}
    (tmp_path / "pack.json").write_text(json.dumps(data), encoding="utf-8")
    assert [p for p in verify(tmp_path) if "not a file of this folder" in p]
    (tmp_path / "pack.json").write_text("{", encoding="utf-8")
    assert "cannot read the manifest" in verify(tmp_path)[0]


def test_the_command_refuses_bad_usage(tmp_path: Path) -> None:
    assert main(["pack"]) == 2
    assert main(["pack", "--out", str(tmp_path), "--valid-days", "0"]) == 2
    assert main(["pack", str(tmp_path / "missing"), "--out", str(tmp_path)]) == 2
    assert main(["pack", "--verify", str(tmp_path)]) == 1


def test_a_page_written_by_hand_on_the_site_is_pointed_at_not_copied() -> None:
    from opsready.output.pack.document import _page

    converter = Converter(site_converter([], lambda *_: None),
                          PageLinks({"services/a/runbook.md": "s"}, "https://ops.example/"), {})
    text = _page(converter, {}, "services/a/runbook.md", "s")
    assert "not in the pack" in text and 'href="https://ops.example/services/a/runbook/"' in text


def test_the_stamp_names_the_commit_and_the_policy_sets_the_date(tmp_path: Path) -> None:
    from opsready.output.assemble import load_site
    from opsready.output.options import read_mkdocs_yml, resolve_dirs
    from opsready.output.pack.build import DEFAULT_VALID_DAYS, catalog_commit, valid_days
    from opsready.output.pack.select import PackSpec

    assert catalog_commit(tmp_path) == "uncommitted"  # no repository
    site = read_mkdocs_yml(REPO / "mkdocs.yml")
    dirs = resolve_dirs(site.options, REPO, lambda *_: None)
    loaded = load_site(site.options, dirs, lambda *_: None)
    tiers = {s.tier: sid for sid, s in loaded.catalog.services.items()}
    # The default policy reviews NOC runbooks of tier 1 every 180 days, the others every 365.
    assert valid_days(loaded, PackSpec("t1", "", (tiers[1],)), None) == 180
    assert valid_days(loaded, PackSpec("t3", "", (tiers[3],)), None) == 365
    assert valid_days(loaded, PackSpec("all", "", tuple(tiers.values())), None) == 180
    assert valid_days(loaded, PackSpec("t3", "", (tiers[3],)), 7) == 7
    assert DEFAULT_VALID_DAYS == 180

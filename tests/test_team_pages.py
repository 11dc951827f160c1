"""A team's hand-written page (``docs/services/<id>/``) runs no code and publishes no script —
issue #10 item 1. Real builds with mkdocs-macros enabled, HTML parsed with BeautifulSoup."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import SHARED_DIAGRAM_CACHE, BuildFailed, BuiltSite, rich_catalog
from conftest import build_site_cached as build_site
from opsready.guard.front_matter import safe_text
from opsready.guard.html import clean_team as sanitize_team_html
from opsready.guard.svg import svg_problem
from opsready.output.team_check import unsafe_html

TOKEN = "ghp_s3cr3t-token-of-the-build"


def with_macros(**options: object) -> dict[str, object]:
    """mkdocs.yml with mkdocs-macros rendering every page by default, as in the issue."""
    opsready = {"readiness": False, "diagrams_cache_dir": SHARED_DIAGRAM_CACHE, **options}
    return {"plugins": ["search", {"opsready": opsready},
                        {"macros": {"modules": ["opsready.mkdocs_plugin.macros"],
                                    "on_undefined": "strict"}}],
            "markdown_extensions": [{"toc": {"permalink": True}}, "attr_list", "admonition",
                                    "tables", "pymdownx.superfences", "pymdownx.highlight",
                                    "footnotes"]}


MACROS = with_macros()
RUN = "{{ cycler.__init__.__globals__.os.popen('echo RAN-$OPSREADY_TEST_TOKEN').read() }}"
HOSTILE = f"""\
---
title: "Notes <img src=x onerror=alert(11)>"
description: '"><script>alert(12)</script>'
render_macros: true
template: 404.html
---

# Game day <img src=x onerror=alert(13)>

Command: {RUN}

Environment: {{{{ cycler.__init__.__globals__.os.environ }}}}

<script>alert(14)</script>

<img src="x" onerror="alert(15)"> <a href="javascript:alert(16)">js</a>
<a href="&#106;avascript:alert(17)">entity</a> <a href="JaVa&#x09;ScRiPt:alert(18)">tab</a>
[markdown](javascript:alert(19)) <div onclick="alert(20)">click</div>
<iframe src="https://evil.example/"></iframe><svg onload="alert(21)"></svg>
<form action="https://evil.example/"><input name="q"></form>

## Section <b onmouseover=alert(22)>bold</b> {{ #__drawer }}

| Left | Right |
|:-----|------:|
| a    | b     |

!!! note "Remember"
    Page the NOC.

```python
print("highlighted")
```

[Runbook](../checkout/runbook.md) and [mail](mailto:payments@example.com) and a footnote[^1].

![diagram](https://example.com/d.png)

[^1]: The footnote.
"""
SVG = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(31)</script></svg>'
INERT_SVG = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>'
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
PLATFORM_PAGE = "# Home\n\nCheckout is owned by {{ service_owner('checkout') }}.\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("OPSREADY_TEST_TOKEN", TOKEN)
        docs: dict[str, str | bytes] = {
            "index.md": PLATFORM_PAGE, "services/checkout/notes.md": HOSTILE,
            "services/gone/old.md": HOSTILE, "services/checkout/other.markdown": f"# O\n\n{RUN}\n",
            "services/checkout/evil.html": "<script>alert(30)</script>",
            "services/checkout/evil.svg": SVG, "services/checkout/pic.png": PNG,
            "services/checkout/drawing.svg": INERT_SVG}
        return build_site(tmp_path_factory.mktemp("team"), rich_catalog(), MACROS, docs, False,
                          expect_warnings=[r"no service 'gone' in the catalog",
                                           r"evil\.html: not published",
                                           r"evil\.svg: not published: an SVG a browser could "
                                           r"run: it has a <script>"])


def published_text(site: BuiltSite) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in site.site_dir.rglob("*") if p.is_file()
                     and p.suffix in (".html", ".json", ".xml", ".js", ".txt"))


def test_template_code_in_a_team_page_runs_nothing(site: BuiltSite) -> None:
    everything = published_text(site)
    assert "RAN-gh" not in everything
    assert TOKEN not in everything
    article = site.article("services/checkout/notes/").get_text(" ")
    assert "os.popen('echo RAN-$OPSREADY_TEST_TOKEN')" in article  # shown as written
    assert "Checkout is owned by Payments Team." in site.article("").get_text(" ")


@pytest.mark.parametrize("url", ["services/checkout/notes/", "services/gone/old/"])
def test_a_team_page_publishes_no_script_or_handler(site: BuiltSite, url: str) -> None:
    soup = site.soup(url)
    for script in soup.find_all("script"):
        assert "alert(" not in script.get_text() and "alert(" not in str(script.attrs)
    for tag in soup.find_all(True):
        handlers = [a for a in tag.attrs if a.lower().startswith("on")]
        assert not handlers, f"{tag.name} {handlers}"
        for attr in ("href", "src", "action"):
            value = str(tag.get(attr, "")).replace("\t", "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), tag
    assert not soup.find_all(["iframe", "form", "input", "svg"]) or all(
        "evil.example" not in str(t) and "alert(" not in str(t)
        for t in soup.find_all(["iframe", "form", "input", "svg"]))
    head = soup.find("head")
    assert head is not None and "alert(12)" not in str(head.find("meta", attrs={"name":
                                                                               "description"}))
    assert "<script>alert(" not in site.html(url)
    assert len(soup.find_all(id="__drawer")) == 1  # the page did not shadow the theme's own


def test_other_page_suffixes_and_files_of_a_team_folder(site: BuiltSite) -> None:
    assert "os.popen(" in site.article("services/checkout/other/").get_text()
    published = site.site_dir / "services" / "checkout"
    assert not (published / "evil.html").exists() and not (published / "evil.svg").exists()
    assert (published / "pic.png").read_bytes() == PNG
    assert (published / "drawing.svg").read_text() == INERT_SVG


def test_a_team_page_linking_outside_docs_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "outside.md"
    secret.write_text(f"# Secret\n\n{TOKEN}\n", encoding="utf-8")
    (tmp_path / "docs" / "services" / "checkout").mkdir(parents=True)
    (tmp_path / "docs" / "services" / "checkout" / "env.md").symlink_to(secret)
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path, rich_catalog(), MACROS)
    log = "\n".join(failed.value.errors + [str(failed.value.cause)])
    assert "docs/services/checkout/env.md: refused: it is a link to a file outside docs/" in log
    assert TOKEN not in log and not (tmp_path / "site" / "services" / "checkout" / "env").exists()


def test_the_page_keeps_what_markdown_produces(site: BuiltSite) -> None:
    article = site.article("services/checkout/notes/")
    assert article.find("a", class_="headerlink") is not None
    assert article.find("td", style="text-align:right") or article.find(
        "td", attrs={"style": "text-align: right;"})
    assert article.find("div", class_="admonition") is not None
    assert article.select(".highlight code span")  # pygments spans with classes
    links = {a.get_text(): a.get("href") for a in article.find_all("a")}
    assert links["Runbook"] == "../runbook/" and links["mail"] == "mailto:payments@example.com"
    assert article.find("img", alt="diagram")["src"] == "https://example.com/d.png"
    assert article.find("div", class_="footnote") is not None


def test_the_title_and_toc_are_text(site: BuiltSite) -> None:
    soup = site.soup("services/checkout/notes/")
    assert "onerror" not in str(soup.find("title")) + str(soup.select(".md-nav"))
    search = json.loads((site.site_dir / "search" / "search_index.json").read_text())
    notes = [d for d in search["docs"] if d["location"].startswith("services/checkout/notes/")]
    assert notes and all("onerror" not in d["title"] + d["text"] for d in notes)


def test_team_page_macros_render_in_the_sandbox(tmp_path: Path) -> None:
    page = ("# Ours\n\nOwner: {{ service_owner('checkout') }}.\n\n"
            "{% for s in opsready.services %}- {{ s.name }}\n{% endfor %}\n"
            "{{ '<b>shown</b>' }}\n")
    docs = {"index.md": "# Home\n", "services/checkout/ours.md": page}
    site = build_site(tmp_path, rich_catalog(), with_macros(team_page_macros=True), docs)
    article = site.article("services/checkout/ours/")
    assert "Owner: Payments Team." in article.get_text(" ")
    assert "- Ledger" not in article.get_text() and article.find("li", string="Ledger")
    assert "<b>shown</b>" in article.get_text() and article.find("b") is None


def test_team_page_macros_refuse_the_exploit(tmp_path: Path) -> None:
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path, rich_catalog(), with_macros(team_page_macros=True),
                   {"index.md": "# Home\n", "services/checkout/x.md": f"# X\n\n\n{RUN}\n"})
    log = "\n".join(failed.value.errors + [str(failed.value.cause)])
    assert "services/checkout/x.md:4: SecurityError" in log
    assert "RAN-gh" not in log


@pytest.mark.parametrize("html", [
    '<a href="&#106;avascript:alert(1)">x</a>', '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href="  JAVASCRIPT:alert(1)">x</a>', "<img src=x onerror=alert(1)>",
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "<script>alert(1)</script>",
    '<p style="background:url(javascript:alert(1))">x</p>', "<math><mi href=javascript:1>x</mi>",
])
def test_the_sanitiser_removes_active_content(html: str) -> None:
    cleaned = BeautifulSoup(sanitize_team_html(html), "html.parser")
    for tag in cleaned.find_all(True):
        assert not any(a.startswith("on") or a == "style" for a in tag.attrs)
        assert not str(tag.get("href", "")).strip().lower().startswith(("javascript", "data"))
    assert "alert(1)</script>" not in str(cleaned)


def test_safe_text_is_inert_in_an_attribute() -> None:
    assert safe_text('"><script>x</script> & <b>') == "&quot;&gt; &amp; "


NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


@pytest.mark.parametrize(("svg", "problem"), [
    (f"<svg {NS}><script>alert(1)</script></svg>", "<script>"),
    (f'<svg {NS} onload="alert(1)"/>', "event handler"),
    (f'<svg {NS}><a xlink:href="javascript:alert(1)"><rect/></a></svg>', "<a>"),
    (f"<svg {NS}><foreignObject/></svg>", "<foreignObject>"),
    (f'<svg {NS}><set attributeName="href" to="javascript:alert(1)"/></svg>', "<set>"),
    (f'<svg {NS}><image href="https://evil.example/x.png"/></svg>', "outside the file"),
    (f'<svg {NS}><use xlink:href="other.svg#x"/></svg>', "outside the file"),
    ('<!DOCTYPE svg [<!ENTITY a "b">]><svg/>', "DOCTYPE"),
    (f'<svg {NS}><rect style="fill:url(https://evil.example/)"/></svg>', "loads a URL"),
    (f'<svg {NS}><use xlink:href="#a"/><rect fill="url(#g)"/></svg>', None),
])
def test_team_svg_files_are_published_only_when_inert(svg: str, problem: str | None) -> None:
    found = svg_problem(svg.encode())
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_team_pages_allow_the_link_schemes_of_the_organisation(tmp_path: Path) -> None:
    catalog = {**rich_catalog(), "organisation.yaml": "link_schemes: [ssh]\n"}
    page = "# Access\n\n[bastion](ssh://bastion.example.com) and [screen](vnc://desk.example.com)\n"
    site = build_site(tmp_path, catalog, None, {"index.md": "# Home\n",
                                                "services/checkout/access.md": page})
    links = {a.get_text(): a.get("href") for a in site.article("services/checkout/access/")("a")}
    assert links["bastion"] == "ssh://bastion.example.com"
    assert links["screen"] is None  # a scheme the site did not allow loses its link


def test_another_builder_is_refused_a_scheme_the_site_does_not_allow() -> None:
    page = "[a](ssh://h) [b](&#x6A;avascript:alert(1))"
    assert unsafe_html(page) == ['<a href="javascript:...">', '<a href="ssh:...">']
    assert unsafe_html(page, {"http", "https", "ssh"}) == ['<a href="javascript:...">']

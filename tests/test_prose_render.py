"""The prose renderer on its own: each value rendered alone, sanitised, embedded inertly.

Pages are converted here with the same Python-Markdown extensions as the example site, in the
three places a template puts prose: at column 0, indented inside an admonition or list, and in
a table cell.
"""

from __future__ import annotations

import markdown
import pytest
from bs4 import BeautifulSoup

from opsready.guard import html as sanitize
from opsready.prose import escape
from opsready.prose import to_html as prose_html

SITE_EXTENSIONS = ["toc", "attr_list", "admonition", "tables", "pymdownx.superfences",
                   "md_in_html", "def_list"]


def page(md_text: str) -> BeautifulSoup:
    return BeautifulSoup(markdown.markdown(md_text, extensions=SITE_EXTENSIONS), "html.parser")


def contexts(value: str) -> dict[str, str]:
    """Page Markdown placing ``value`` where templates place prose."""
    block = str(escape.prose(value, heading_level=3))
    inline = str(escape.prose_inline(value))
    indented = "\n".join("    " + line if line.strip() else line for line in block.split("\n"))
    return {
        "column 0": f"## Before\n{block}\n## After\n",
        "admonition": f"## Before\n\n!!! note \"Box\"\n{indented}\n\n## After\n",
        "list": f"## Before\n\n- item: {inline}\n- next\n\n## After\n",
        "table": f"## Before\n\n| A | B |\n|---|---|\n| {inline} | end |\n\n## After\n",
        "sentence": f"## Before\n\n**Name**: {inline}\n\n## After\n",
    }


def assert_inert(doc: BeautifulSoup) -> None:
    for tag in doc.find_all(True):
        assert tag.name not in ("script", "style", "iframe", "object", "embed", "form", "svg",
                                "math", "input", "button", "textarea"), tag
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), tag
            assert name not in ("style", "srcdoc", "formaction"), tag
            if name in ("href", "src"):
                text = value if isinstance(value, str) else " ".join(value)
                assert sanitize.safe_url(text), tag


def assert_headings_kept(doc: BeautifulSoup) -> None:
    texts = [h.get_text().strip() for h in doc.find_all("h2")]
    assert texts[0] == "Before" and texts[-1] == "After", texts


# --- URL check ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "java&#115;cript:alert(1)",
    "javascript&#58;alert(1)", "java\tscript:alert(1)", "java\nscript:alert(1)",
    " \x01javascript:alert(1)", "&#x6A;avascript:alert(1)", "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD4=", "file:///etc/passwd",
    "&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58;x",
])
def test_unsafe_urls_are_refused_after_decoding(url: str) -> None:
    assert not sanitize.safe_url(url)


@pytest.mark.parametrize("url", [
    "https://example.com/x?a=1&b=2", "http://example.com", "mailto:noc@example.com",
    "tel:+442000000001", "/runbooks/", "../ops-guide/#logs", "#anchor", "page.md",
    "a/b:c", "?q=1",
])
def test_safe_urls_pass(url: str) -> None:
    assert sanitize.safe_url(url)


def test_site_schemes_extend_the_base_set() -> None:
    allowed = sanitize.schemes(["Slack", "zoommtg:"])
    assert sanitize.safe_url("slack://channel?id=1", allowed)
    assert sanitize.safe_url("zoommtg://zoom.us/join", allowed)
    assert not sanitize.safe_url("slack://x")
    html = prose_html.render("[chat](slack://open?team=T1)", schemes=allowed)
    assert 'href="slack://open?team=T1"' in html


# --- rendering ------------------------------------------------------------------------------------


def test_markdown_formatting_is_kept() -> None:
    doc = BeautifulSoup(prose_html.render(
        "# Top\n\nSome **bold**, _em_, `code <b>` and [a link](https://example.com).\n\n"
        "- one\n- two\n\n1. first\n2. second\n\n> quoted\n\n"
        "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n```sh\nkubectl get pods | grep -v Running\n```\n\n"
        "!!! warning \"Careful\"\n    Body\n\nTerm\n:   Definition\n"), "html.parser")
    assert doc.find("h3").get_text() == "Top"  # a prose '#' sits below the section heading
    assert doc.find("strong").get_text() == "bold" and doc.find("em").get_text() == "em"
    assert doc.find("code").get_text() == "code <b>"
    assert doc.find("a")["href"] == "https://example.com"
    assert [li.get_text() for li in doc.find_all("li")] == ["one", "two", "first", "second"]
    assert doc.find("blockquote").get_text().strip() == "quoted"
    assert doc.find("td", align="left").get_text() == "1"
    assert doc.find("pre").get_text() == "kubectl get pods | grep -v Running\n"
    assert doc.find("div", class_="admonition").find("p", class_="admonition-title")
    assert doc.find("dt").get_text() == "Term"


def test_raw_html_shows_as_text() -> None:
    value = '<b onclick="alert(1)">bold</b> <img src=x onerror=alert(1)> <!-- hidden -->'
    doc = BeautifulSoup(prose_html.render(value), "html.parser")
    assert not doc.find("b") and not doc.find("img")
    assert doc.get_text() == value


@pytest.mark.parametrize("heading_level,expected", [(2, "h2"), (3, "h3"), (4, "h4"), (6, "h6")])
def test_prose_headings_move_below_the_template(heading_level: int, expected: str) -> None:
    doc = BeautifulSoup(prose_html.render("# A\n\nB\n=\n\n###### C", heading_level), "html.parser")
    assert doc.find(expected).get_text() == "A"
    assert all(int(h.name[1]) >= heading_level for h in doc.find_all(["h1", "h2", "h3", "h4",
                                                                      "h5", "h6"]))


def test_fences_follow_the_scanner() -> None:
    doc = BeautifulSoup(prose_html.render(
        "~~~ text after the marker\n<script>x</script>\n~~~\n\n````\n```\ninner\n```\n````\n"),
        "html.parser")
    pres = [p.get_text() for p in doc.find_all("pre")]
    assert pres == ["<script>x</script>\n", "```\ninner\n```\n"]


def test_a_fence_cannot_reach_past_its_value() -> None:
    meaning = escape.prose("The queue is stuck.\n\n```\nkubectl logs")
    impact = escape.prose("```\nUsers cannot pay.")
    doc = page(f"## Meaning\n{meaning}\n## Impact\n{impact}\n## Diagnosis\n\nStep one.\n")
    assert [h.get_text().strip() for h in doc.find_all("h2")] == ["Meaning", "Impact",
                                                                  "Diagnosis"]
    assert "Step one." in doc.find_all("p")[-1].get_text()


def test_a_code_span_cannot_reach_past_its_value() -> None:
    a = escape.prose_inline("open `span")
    b = escape.prose_inline("close` <img src=x onerror=alert(1)>")
    doc = page(f"| A | B |\n|---|---|\n| {a} | {b} |\n")
    assert len(doc.select("tbody td")) == 2
    assert_inert(doc)


@pytest.mark.parametrize("context", ["column 0", "admonition", "list", "table", "sentence"])
def test_embedded_prose_is_unchanged_by_the_page_converter(context: str) -> None:
    value = ("Use `kubectl` with *care* {: onclick=alert(1) } {{ 7*7 }} ~~x~~ ==y== | a | "
             "[link](https://example.com/a_b*c) <https://example.com/auto> :smile: ++ctrl++")
    doc = page(contexts(value)[context])
    assert_inert(doc)
    assert_headings_kept(doc)
    prose = doc.find(class_="opsready-prose")
    assert prose is not None
    expected = BeautifulSoup(prose_html.render(value, 6 if context != "column 0" else 3),
                             "html.parser")
    assert " ".join(prose.get_text().split()) == " ".join(expected.get_text().split())
    assert [a["href"] for a in prose.find_all("a")] == [
        "https://example.com/a_b*c", "https://example.com/auto"]


def test_embedding_is_one_line_with_every_markdown_character_encoded() -> None:
    fragment = prose_html.render("a *b* `c|d` {x}\n\n```\n  two\n  lines\n```")
    line = prose_html.embed_block(fragment).strip()
    assert "\n" not in line
    inner = line.removeprefix('<div class="opsready-prose">').removesuffix("</div>")
    text_only = "".join(part.split(">", 1)[-1] for part in inner.split("<"))
    for ch in "*_`|{}[]~!#:\\&<>=+^-":
        assert ch not in text_only.replace("&#", "").replace(";", ""), ch
    assert BeautifulSoup(line, "html.parser").find("pre").get_text() == "  two\n  lines\n"


def test_blank_prose_renders_nothing() -> None:
    assert str(escape.prose("  \n")) == ""
    assert str(escape.prose_inline(None)) == ""


def test_reference_definitions_do_not_leak_between_values() -> None:
    first = prose_html.render("[a][r]\n\n[r]: https://example.com/first")
    second = prose_html.render("[b][r]")
    assert 'href="https://example.com/first"' in first
    assert "<a" not in second and "[b][r]" in second

"""Escaping catalog values for Markdown, checked through Python-Markdown itself.

Each case renders the escaped value with the extensions a real site uses (attr_list, tables,
admonition, toc, fenced code) and looks at the HTML: the value must show as text, never as
markup, attributes or template code.
"""

from __future__ import annotations

import markdown
import pytest
from bs4 import BeautifulSoup

from opsready.prose import escape

EXTENSIONS = ["attr_list", "tables", "admonition", "toc", "fenced_code", "abbr", "footnotes"]


def html(md: str) -> BeautifulSoup:
    return BeautifulSoup(markdown.markdown(md, extensions=EXTENSIONS), "html.parser")


NASTY = [
    "{{ 7*7 }}",
    "{% raw %}x{% endraw %}",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "# not a heading",
    "1. not a list",
    "- not a list",
    "*not emphasis* and _not_ either",
    "a | b | c",
    "`not code`",
    "R&D &amp; co",
    "x {: onclick=\"alert(1)\" }",
    "*[HTML]: abbreviation",
    "[^1] footnote",
    "--8<-- \"/etc/passwd\"",
    "back\\slash",
]


@pytest.mark.parametrize("value", NASTY)
def test_plain_text_reads_exactly_as_written(value: str) -> None:
    doc = html(f"Value: {escape.md_text(value)}")
    assert doc.get_text().strip() == f"Value: {value}"
    assert not doc.find(["script", "img", "a", "h1", "ol", "ul", "em", "code", "table"])
    assert not any(k.startswith("on") for tag in doc.find_all(True) for k in tag.attrs)


@pytest.mark.parametrize("value", NASTY)
def test_plain_text_in_a_table_cell_stays_in_its_cell(value: str) -> None:
    doc = html(f"| A | B |\n|---|---|\n| {escape.md_text(value)} | end |\n")
    cells = [td.get_text() for td in doc.select("tbody td")]
    assert cells == [value, "end"]


@pytest.mark.parametrize("value", NASTY)
def test_plain_text_in_a_heading_keeps_the_template_id(value: str) -> None:
    doc = html(f"## {escape.md_text(value)} {{ #fixed }}")
    h2 = doc.find("h2")
    assert h2 is not None and h2.get("id") == "fixed"
    assert h2.get_text() == value
    assert set(h2.attrs) == {"id"}


def test_multiline_plain_text_becomes_one_line() -> None:
    assert str(escape.md_text("a\n\n# b\n  c")) == "a # b c"
    assert str(escape.md_text("\n# b")) == "\\# b"


def test_prose_keeps_markdown_but_not_html_or_templates() -> None:
    prose = (
        "# Heading {: onclick=\"alert(1)\" }\n\n"
        "Some **bold**, a [link](https://example.com) and `code <b>`.\n\n"
        "<script>alert(1)</script> {{ 7*7 }} {% raw %}\n\n"
        "[bad](javascript:alert(1)) and <https://example.com/auto>\n\n"
        "```python\nif a < b: print({1: 2})\n```\n"
    )
    doc = html(str(escape.prose(prose, heading_level=3)))
    assert doc.find("strong").get_text() == "bold"
    assert doc.find("code").get_text() == "code <b>"
    heading = doc.find("h3")  # demoted from h1 so it nests under the section heading
    assert heading is not None and "onclick" not in heading.attrs
    assert not doc.find("script")
    text = doc.get_text()
    assert "<script>alert(1)</script>" in text
    assert "{{ 7*7 }}" in text and "{% raw %}" in text
    hrefs = [a.get("href", "") for a in doc.find_all("a")]
    assert "https://example.com" in hrefs and "https://example.com/auto" in hrefs
    assert not any(h.lower().startswith("javascript") for h in hrefs)
    assert doc.find("pre").get_text() == "if a < b: print({1: 2})\n"


def test_prose_with_an_unclosed_fence_is_escaped_everywhere() -> None:
    doc = html(str(escape.prose("```\n<script>alert(1)</script>\n")))
    assert not doc.find("script")


def test_prose_reference_links_to_scripts_are_disabled() -> None:
    doc = html(str(escape.prose("[x][r]\n\n[r]: javascript:alert(1)\n")))
    assert all(not a.get("href", "").lower().startswith("javascript") for a in doc.find_all("a"))


def test_prose_inline_fits_a_table_cell() -> None:
    cell = escape.prose_inline("line one | pipe\n\nline **two**")
    doc = html(f"| A | B |\n|---|---|\n| {cell} | end |\n")
    cells = doc.select("tbody td")
    assert len(cells) == 2
    assert " ".join(cells[0].get_text().split()) == "line one | pipe line two"


def test_code_span_and_block_show_backticks_and_fences_verbatim() -> None:
    doc = html(f"x {escape.code_span('a ` b <c>')} y")
    assert doc.find("code").get_text() == "a ` b <c>"
    block = escape.code_block("echo 1\n```\necho {{ 2 }}", "sh")
    doc = html(str(block))
    assert doc.find("pre").get_text() == "echo 1\n```\necho {{ 2 }}\n"


@pytest.mark.parametrize("url,expected", [
    ("https://example.com/a(b)", "https://example.com/a%28b%29"),
    ("mailto:noc@example.com", "mailto:noc@example.com"),
    ("../x.md", "../x.md"),
    ("javascript:alert(1)", "#"),
    ("JaVaScRiPt:alert(1)", "#"),
    ("data:text/html,x", "#"),
])
def test_url_allows_only_safe_schemes(url: str, expected: str) -> None:
    assert str(escape.url(url)) == expected


def test_html_text_escapes_for_raw_html() -> None:
    assert str(escape.html_text("<a href='x'>\"{{")) == (
        "&lt;a href=&#39;x&#39;&gt;&quot;&#123;&#123;")


@pytest.mark.parametrize("value", [*NASTY, "PAYMENTS_DB_DSN", "kubectl -n payments get pods",
                                   "https://status.example.com/a/b", "payments.events"])
def test_code_wrap_in_a_table_cell_is_one_verbatim_code_element(value: str) -> None:
    doc = html(f"| A | B |\n|---|---|\n| {escape.code_wrap(value)} | end |\n")
    cells = doc.select("tbody td")
    assert [td.get_text() for td in cells] == [value, "end"]
    assert [c.name for c in cells[0].children] == ["code"]
    code = cells[0].code
    assert code is not None
    # Only <wbr> inside: no emphasis, link, script or attribute from the value.
    assert {t.name for t in code.find_all(True)} <= {"wbr"}
    assert not any(k.startswith("on") for tag in doc.find_all(True) for k in tag.attrs)


def test_code_wrap_breaks_after_separators_never_inside_a_word() -> None:
    doc = html(f"x {escape.code_wrap('PAYMENTS_DB_DSN and /var/run/app.sock --dry-run')}")
    code = doc.code
    assert code is not None
    pieces = "".join("|" if getattr(n, "name", None) == "wbr" else str(n) for n in code.contents)
    assert pieces == "PAYMENTS_|DB_|DSN and /var/|run/|app.|sock --dry-|run"
    assert escape.code_wrap(None) == "" and escape.code_wrap("  ") == ""

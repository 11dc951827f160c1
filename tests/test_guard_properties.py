"""Hypothesis: a random team page made of HTML and Markdown metacharacters is either refused by
the guard (with a line inside the page) or converted without error and published inert by the
team-page sanitiser (its output judged: no handler, no active element, no unsafe URL). Fast: no
build per example."""

from __future__ import annotations

import functools
import os
import re
from typing import Any

import markdown
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from opsready.guard import html as sanitize
from opsready.guard.html import clean_team
from opsready.guard.includes import configured, inclusions
from opsready.guard.team_text import refusals

SITE_EXTENSIONS = ["toc", "attr_list", "admonition", "tables", "md_in_html",
                   "pymdownx.superfences"]
TOKENS = ["<", ">", "</", "/>", "<!--", "-->", "<![CDATA[", "]]>", "<?", "&", "&#", "&#106;",
          ";", '"', "'", "=", " ", "\t", "\n", "\n\n", "`", "```", "~~~", "*", "_", "[", "]",
          "(", ")", ":", "!", "#", "{", "}", "{:", "|", "-", ">", "    ", "a", "img", "script",
          "svg", "div", "details", 'markdown="1"', "onerror", "onload", "href", "src",
          "javascript:", "data:", "alert(1)", "x", "style", "iframe", "{!", "!}", "--8<--",
          "{#", "#}", "{{", "}}", "{%", "%}", "include", "\u200b", "\u2028"]
ACTIVE = {"script", "iframe", "object", "embed", "svg", "math", "style", "form", "base", "meta",
          "link", "input", "button", "details", "template", "noscript", "frame", "frameset"}


def _active(html: str) -> list[str]:
    found = []
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        if tag.name in ACTIVE:
            found.append(f"<{tag.name}>")
        for name, value in tag.attrs.items():
            text = value if isinstance(value, str) else " ".join(value)
            if name.lower().startswith("on"):
                found.append(f"<{tag.name} {name}>")
            if name.lower() in ("href", "src") and sanitize.url_scheme(text) in (
                    "javascript", "vbscript", "data"):
                found.append(f"<{tag.name} {name}={text!r}>")
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=80).map("".join))
def test_a_random_team_page_is_refused_or_published_inert(page: str) -> None:
    found = refusals(page)
    if found:
        assert all(0 <= r.line <= page.count("\n") for r in found), found
        return
    assert inclusions(page) == []
    published = clean_team(markdown.markdown(page, extensions=SITE_EXTENSIONS))
    assert _active(published) == [], (page, published)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=17, max_value=400))
def test_deep_html_is_refused_before_it_can_recurse(depth: int) -> None:
    page = '<div markdown="1">\n' * depth + "x\n" + "</div>\n" * depth
    assert any("nested" in r.message for r in refusals(page))


def _mdx_include_regex(left: str, right: str) -> re.Pattern[str]:
    """The regular expression mdx_include 1.4 builds from a site's markers (its source)."""
    return re.compile(r"(?P<escape>\\)?" + left + r"(?P<recursive>[+-])?(?P<apply_indent>>?)?"
                      r"\s*(?P<path>[^]|[]+?)(\s*\[ln:(?P<lines>[\d.,-]+)\])?\s*"
                      r"(\|\s*(?P<encoding>.+?)\s*)?" + right)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["@@", "@", "%%", "x", ".git", " ", "\n", "\\", "|", "["]),
                max_size=40).map("".join),
       st.sampled_from([("@@", "@@"), ("%%", "@@"), (r"@\s@", "%%"), ("^@", "@$")]))
def test_every_line_mdx_include_would_read_with_a_sites_markers_is_found(
        text: str, markers: tuple[str, str]) -> None:
    """Whatever the text, every line where mdx_include (line by line) would read a file with the
    site's markers is reported."""
    left, right = markers
    site = configured([{"mdx_include": {"syntax_left": left, "syntax_right": right}}])
    found = {i.line for i in inclusions(text, site, limit=10_000)}
    regex = _mdx_include_regex(left, right)
    read = {n for n, line in enumerate(text.split("\n")) if regex.search(line)}
    assert read <= found, (text, read - found)


# --- include-markdown: every directive either implementation would read is found -----------------

IM_SITES: dict[str, dict[str, Any]] = {
    "default": {},
    "own tags": {"opening_tag": "<<", "closing_tag": ">>"},
    "renamed": {"directives": {"include": "insert", "include-markdown": "im"}},
    "both": {"opening_tag": "@", "closing_tag": "@", "directives": {"include": "insert"}},
}


@functools.lru_cache
def _im_regexes(name: str) -> tuple[re.Pattern[str], ...]:
    """The regular expressions include-markdown's implementations build for a site: Zensical's
    (installed with the tests) and mkdocs-include-markdown-plugin's (when importable; CI has it)."""
    from zensical.extensions.include_markdown import IncludeMarkdownExtension

    config = IM_SITES[name]
    md = markdown.Markdown(extensions=["pymdownx.snippets", IncludeMarkdownExtension(**config)])
    found = [md.preprocessors["snippet"].tags]  # type: ignore[attr-defined]
    try:
        from mkdocs_include_markdown_plugin.directive import create_include_tag
    except ImportError:
        if os.environ.get("CI"):
            raise
        return tuple(found)
    names = config.get("directives", {})
    found += [create_include_tag(config.get("opening_tag", "{%"), config.get("closing_tag", "%}"),
                                 names.get(n, n)) for n in ("include", "include-markdown")]
    return tuple(found)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["{%", "%}", "{", "%", "include", "include-markdown", "-markdown",
                                 "insert", "im", "<<", ">>", "@", " ", "\n", "\t", "\u00a0",
                                 '"', "'", "x", ".git/config", "-", "\\", "{{", "}}"]),
                max_size=40).map("".join),
       st.sampled_from(list(IM_SITES)))
def test_every_directive_include_markdown_would_read_is_found(text: str, name: str) -> None:
    """Whatever the text, every line where include-markdown (either implementation, with the
    site's tags and directive names) matches a directive is reported, its closing tag or not."""
    site = configured(None, None, [{"include-markdown": IM_SITES[name]}])
    found = {i.line for i in inclusions(text, site, limit=10_000)}
    read = {text.count("\n", 0, m.start()) for regex in _im_regexes(name)
            for m in regex.finditer(text)}
    assert read <= found, (text, read - found)

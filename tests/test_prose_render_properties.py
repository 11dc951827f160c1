"""The prose renderer over generated values (Hypothesis): any mix of Markdown and HTML
metacharacters stays inert where templates place prose, keeps the template's headings, and renders
to the sanitiser's allow-list. In a module of their own so that the fast target does not import
Hypothesis; the helpers are those of ``test_prose_render.py``."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsready.guard import html as sanitize
from opsready.prose import to_html as prose_html
from test_prose_render import assert_headings_kept, assert_inert, contexts, page

pytestmark = pytest.mark.slow  # property-based

METACHARS = list("*_`~#>-+=|[](){}<>!&;:/\\\"' \n\t.1aZ") + [
    "```", "~~~", "<!--", "-->", "<script>", "</div>", "<img src=x onerror=alert(1)>",
    "javascript:", "java&#115;cript:", "&#58;", "](", "[x]: ", "    ", "\n\n", "!!! note\n",
    "<mailto:a/onfocus=alert(1)>", "{: onclick=x}", "{{", "}}", "| --- |", "# ",
]
prose_values = st.lists(st.sampled_from(METACHARS), max_size=60).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=prose_values, context=st.sampled_from(["column 0", "admonition", "list", "table",
                                                    "sentence"]))
def test_any_prose_stays_inert_and_keeps_the_template_headings(value: str, context: str) -> None:
    doc = page(contexts(value)[context])
    assert_inert(doc)
    assert_headings_kept(doc)


@settings(max_examples=150, deadline=None)
@given(value=prose_values)
def test_any_rendered_fragment_keeps_to_the_allow_list(value: str) -> None:
    doc = BeautifulSoup(prose_html.render(value), "html.parser")
    for tag in doc.find_all(True):
        assert tag.name in sanitize.ELEMENTS
        allowed = sanitize.ATTRIBUTES.get(tag.name, set()) | {"class", "rel"}
        assert set(tag.attrs) <= allowed, tag
    assert_inert(doc)


PLAIN_PIECES = list("aZé9 ,.;:()'/%?-–—’“\n") + ["1. ", "1) ", "- ", ": ", "  \n", "\n\n",
                                                "---", "    ", "x\n", "\n:", "2026"]


@settings(max_examples=400, deadline=None)
@given(value=st.lists(st.sampled_from(PLAIN_PIECES), max_size=40).map("".join))
def test_the_plain_paragraph_shortcut_gives_what_markdown_gives(value: str) -> None:
    # Words only: to_html skips Python-Markdown. Whatever the mix of list markers, definition
    # colons, underlines, indents and breaks, its output is Markdown's own.
    assert prose_html.to_html(value) == prose_html.markdown_html(value)

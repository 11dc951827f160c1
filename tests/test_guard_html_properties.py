"""Properties of the guarantee layer (Hypothesis; a module of its own so that the fast target
does not import it): the judgement of ``opsready generate`` and the plugin's sanitiser agree on
any HTML made of the characters that matter."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from opsready.guard.front_matter import safe_text, text_problem
from opsready.guard.html import clean_team, team_html_problems

_PIECES = st.sampled_from([
    "<", ">", "/", "!", "?", "[", "]", "-", "--", "=", '"', "'", "&", "#", ";", " ", "\n", "\t",
    "<!--", "-->", "<![CDATA[", "]]>", "<!x", "<?", "<a ", "<img ", "<p>", "</p>", "<div ",
    "<svg>", "<script>", "</script>", "<style>", "<template>", "<textarea>", "<x-y ",
    "href=", "src=", "onerror=", "onclick=", "style=", "id=__", "javascript:", "java&#115;cript:",
    "&#x6A;", "data:", "alert(1)", "x", "text-align:left", "color:red",
])
_HTML = st.lists(_PIECES, max_size=40).map("".join)


@settings(max_examples=500, deadline=None)
@given(_HTML)
def test_what_the_sanitiser_publishes_the_judgement_accepts(fragment: str) -> None:
    # The plugin publishes clean_team's output; generate refuses what clean_team would change.
    # The two agree: nothing the sanitiser keeps is refused.
    assert team_html_problems(clean_team(fragment)) == []


@settings(max_examples=500, deadline=None)
@given(_HTML)
def test_a_title_that_passes_prints_as_the_same_text(title: str) -> None:
    # A value generate lets through is one the plugin would print the same (up to escaping).
    if text_problem(title) is None:
        assert "<" not in safe_text(title)

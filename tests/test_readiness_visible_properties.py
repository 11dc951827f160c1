"""Property: a section made only of invisible characters, their character references, comments,
punctuation and empty emphasis is never present (Hypothesis; a module of its own so that the fast
target does not import it)."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from opsready.policy.presence import Placeholders, State

P = Placeholders()
_FORMAT = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
_BLANK = ["\u2800", "\u3164", "\u115f", "\u1160", "\uffa0", "\u00a0", "\u3000", "\u2003",
          " ", "\t", "\n", "\u034f", "\ufe0f"]
_PUNCT = list(".-…,;:!?*_`|~=+>'\"()[]{}#") + ["...", "** **", "__", "``", "- ", "> "]
_PIECES = st.one_of(
    st.sampled_from(_FORMAT + _BLANK),
    st.sampled_from(_FORMAT + _BLANK).map(lambda c: f"&#{ord(c)};"),
    st.sampled_from(_FORMAT + _BLANK).map(lambda c: f"&#x{ord(c):X};"),
    st.sampled_from(["&nbsp;", "&zwj;", "&zwnj;", "&shy;", "&ensp;", "&emsp;", "&thinsp;"]),
    st.sampled_from(_PUNCT),
    st.text(max_size=20).map(lambda t: f"<!--{t.replace('-->', '')}-->"),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=30).map("".join))
def test_a_section_of_only_invisible_content_is_never_present(text: str) -> None:
    assert P.judge_text(text) is not State.PRESENT

"""Red team: a bidirectional override in a plain-text value ends with the value.

An alert or service name holding U+202E (right-to-left override) reversed the template's text
after it, up to the end of the line or cell ("Owner: Payments" read backwards). Plain text that
holds a bidi embedding, override or isolate is wrapped in an isolate (U+2068 ... U+2069), which
ends every embedding opened inside it; a stray U+2069 cannot close the wrapper early.
"""

from __future__ import annotations

import pytest

from opsready.prose.escape import html_text, md_text

FSI, PDI, RLO = "\u2068", "\u2069", "\u202e"


@pytest.mark.parametrize("escape", [md_text, html_text])
@pytest.mark.parametrize("value", [f"Db{RLO}nwoD", f"x{PDI}{RLO}y", f"\u2067a{RLO}b"])
def test_an_override_is_isolated(escape, value: str) -> None:  # type: ignore[no-untyped-def]
    out = str(escape(value))
    assert out.startswith(FSI) and out.endswith(PDI)
    depth = 0
    for ch in out:
        if ch in "\u2066\u2067\u2068":
            depth += 1
        elif ch == PDI:
            depth -= 1
            assert depth >= 0, out  # never closes more than it opened
        if ch == RLO:
            assert depth >= 1, out  # every override sits inside the wrapper
    assert depth == 0


@pytest.mark.parametrize("escape", [md_text, html_text])
def test_text_without_bidi_controls_is_unchanged(escape) -> None:  # type: ignore[no-untyped-def]
    assert str(escape("Checkout \u05e9\u05dc\u05d5\u05dd \u200f")) == \
        "Checkout \u05e9\u05dc\u05d5\u05dd \u200f"

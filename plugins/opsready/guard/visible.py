"""What a reader sees of a text: readiness counts only visible content.

A required section written as a zero-width space, a braille blank, ``&nbsp;``, ``.`` or
``** **`` shows as an empty paragraph on the runbook: it is missing, not present. ``shown``
reduces a text to what shows (HTML comments removed, character references decoded, invisible and
format characters dropped, every kind of space a plain space); ``has_visible`` says whether
anything of it is more than punctuation and Markdown syntax. Both run in one linear pass (the
comment scan is a ``find`` loop, never a regular expression that could restart at each
``<!--``).
"""

from __future__ import annotations

import html
import re
import unicodedata

# Unicode's format characters (category Cf) and the other default-ignorable code points (they
# never show a glyph), the braille pattern blank and the Hangul fillers (they show as blank).
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5"
    "\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff"
    "\uffa0\ufff0-\ufffb\U000110bd\U000110cd\U00013430-\U0001345f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]+")
_SPACES = re.compile(r"[^\S\n]+")
_ALNUM = re.compile(r"[A-Za-z0-9]")
MARKDOWN_SYMBOLS = frozenset("`|+<>=~^")
"""ASCII symbols that are Markdown syntax (code spans, tables, lists, setext lines, quotes),
not content, when they stand alone."""


def without_comments(text: str) -> str:
    """``text`` without its HTML comments; an unclosed ``<!--`` hides the rest (as in a
    browser). Linear: each character is looked at by at most two ``find`` calls."""
    if "<!--" not in text:
        return text
    out: list[str] = []
    pos = 0
    while True:
        start = text.find("<!--", pos)
        if start < 0:
            out.append(text[pos:])
            break
        out.append(text[pos:start])
        end = text.find("-->", start + 4)
        if end < 0:
            break
        pos = end + 3
    return "".join(out)


def shown(text: str) -> str:
    """What of ``text`` a reader sees, as text: comments removed, character references decoded,
    invisible characters dropped, each run of white space but line ends one space."""
    text = without_comments(text)
    if "&" in text:
        text = html.unescape(text)
    if not text.isascii():
        text = INVISIBLE.sub("", text)
    return _SPACES.sub(" ", text) if not text.isascii() else text


def is_visible_char(ch: str) -> bool:
    """A letter, digit or symbol (an emoji, a currency sign): something that shows on its own.
    Punctuation, marks without a base, Markdown syntax and invisible characters do not."""
    if ch.isascii():
        return ch.isalnum() or (unicodedata.category(ch)[0] == "S" and ch not in MARKDOWN_SYMBOLS)
    if INVISIBLE.match(ch):
        return False
    return unicodedata.category(ch)[0] in "LNS"


def has_visible(text: str) -> bool:
    """Whether ``text`` (already ``shown``) holds anything more than white space, punctuation
    and Markdown syntax (``.``, ``...``, ``** **``, ``__``, ``|``)."""
    if _ALNUM.search(text):
        return True
    return any(is_visible_char(ch) for ch in text)

"""The allow-list every HTML fragment made from catalog text passes through.

Catalog prose is written by anyone who can open a pull request, and the NOC reads it during an
incident: what reaches a page may only use the elements, attributes and link schemes a runbook
needs. The work is done by ``nh3`` (a binding of the Rust sanitiser ammonia, linear time); this
module holds the allow-list and the URL check that is applied on top of it.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import nh3

ELEMENTS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre",
    "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tr", "th",
    "td", "a", "img", "div",
})
"""Elements a runbook fragment may contain (what Python-Markdown's core, tables, def_list and
admonition produce, minus anything that can load or run something other than an image)."""

ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
"""Attributes kept per element; every other attribute (``on*``, ``style``, ``id``...) is dropped."""

ADMONITION_TYPES = frozenset({
    "note", "abstract", "info", "tip", "success", "question", "warning", "failure", "danger",
    "bug", "example", "quote",
})
CLASSES: dict[str, set[str]] = {
    "div": {"admonition", *ADMONITION_TYPES},
    "p": {"admonition-title"},
}
"""The only class names kept (admonition boxes); other class names are removed."""

BASE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
"""Link schemes always allowed. Relative links (no scheme) are allowed too."""

URL_ATTRIBUTES = frozenset({"href", "src"})

# What the URL standard strips before it reads a scheme: ASCII tab and newlines anywhere,
# C0 controls and spaces at both ends.
_REMOVED_ANYWHERE = str.maketrans("", "", "\t\n\r")
_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))


def schemes(extra: Iterable[str] = ()) -> frozenset[str]:
    """The allowed link schemes: the base set plus a site's own (``link_schemes`` option)."""
    return BASE_SCHEMES | {s.strip().lower().rstrip(":") for s in extra if s.strip()}


def url_scheme(value: str) -> str | None:
    """The scheme a browser would read from ``value`` (lower case), or None for a relative URL.

    ``value`` is decoded first (character references), then cleaned the way browsers clean it,
    so ``java&#115;cript:`` and ``java\\tscript:`` both count as ``javascript``.
    """
    text = html.unescape(value).translate(_REMOVED_ANYWHERE).strip(_C0_AND_SPACE)
    for i, ch in enumerate(text):
        if ch == ":":
            return text[:i].lower() if i and text[0].isascii() and text[0].isalpha() else ""
        if ch in "/?#":
            return None
        if not (ch.isascii() and (ch.isalnum() or ch in "+-.")):
            # Not a scheme character: a browser reads this as a relative path.
            return None
    return None


def safe_url(value: str, allowed: Iterable[str] = BASE_SCHEMES) -> bool:
    """True when ``value`` is a relative URL or uses one of the ``allowed`` schemes."""
    scheme = url_scheme(value)
    return scheme is None or scheme in set(allowed)


def clean(fragment: str, allowed_schemes: Iterable[str] = BASE_SCHEMES) -> str:
    """``fragment`` reduced to the allow-list: unknown elements unwrapped (their text kept),
    ``script``/``style`` removed with their content, comments removed, unsafe URLs dropped."""
    allowed = frozenset(allowed_schemes)

    def keep(tag: str, attr: str, value: str) -> str | None:
        if attr in URL_ATTRIBUTES and not safe_url(value, allowed):
            return None
        return value

    return nh3.clean(
        fragment,
        tags=set(ELEMENTS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=keep,
        strip_comments=True,
        link_rel="noopener noreferrer",
        url_schemes=set(allowed),
        allowed_classes={tag: set(names) for tag, names in CLASSES.items()},
    )

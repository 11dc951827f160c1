"""The HTML of a team's hand-written page, cleaned by an allow-list before it is published.

Teams own ``docs/services/<id>/``. Python-Markdown passes raw HTML through as written, so the
HTML of such a page (after Markdown conversion, before the theme) keeps only what Markdown, the
usual extensions (toc permalinks, attr_list, tables, admonition, details, footnotes, code
highlighting) and Material produce: no ``<script>``, ``<style>``, ``<iframe>``, form or event
handler attribute, no ``style`` except a table cell's alignment, and links and images only with
safe schemes. The sanitiser (nh3, a binding of the Rust library ammonia) parses the HTML as a
browser does, so an entity-encoded ``&#106;avascript:`` is checked as ``javascript:``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

import nh3

from ..sanitize import BASE_SCHEMES, URL_ATTRIBUTES, safe_url

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
    "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "u", "ul", "var",
})
"""Elements Markdown and its usual extensions produce."""

CLEAN_CONTENT_TAGS = frozenset({"script", "style", "template", "noscript", "textarea", "title"})
"""Elements dropped together with their content (their text is not meant to show)."""

ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "type"},
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "align", "style", "scope"},
    "col": {"span"},
    "details": {"open"},
    "abbr": {"title"},
}
"""Attributes kept per element; ``style`` keeps only ``text-align`` (aligned table columns)."""

URL_SCHEMES = BASE_SCHEMES
"""Schemes a link or image may use by default (the prose allow-list's, which a site extends with
``link_schemes`` in organisation.yaml); relative URLs and ``#anchors`` are always kept."""

_RESERVED_ID_PREFIX = "__"
"""Material's own elements have ids such as ``__drawer``: a page must not shadow them."""


Rewrite = Callable[[str, str, str], "str | None"]
"""``rewrite(element, attribute, value)``: the value to keep instead (None drops the attribute)."""


def _attribute_filter(schemes: frozenset[str], rewrite: Rewrite | None, element: str,
                      attribute: str, value: str) -> str | None:
    if attribute == "id" and value.startswith(_RESERVED_ID_PREFIX):
        return None
    if attribute in URL_ATTRIBUTES and not safe_url(value, schemes):
        return None  # the scheme as a browser reads it, the same check as catalog prose
    if rewrite is not None:
        new = rewrite(element, attribute, value)
        if new is None or (attribute in URL_ATTRIBUTES and not safe_url(new, schemes)):
            return None  # what a rewrite gives passes the same check
        if attribute == "id" and new.startswith(_RESERVED_ID_PREFIX):
            return None
        return new
    return value


def sanitize_team_html(html: str, schemes: Iterable[str] = URL_SCHEMES,
                       rewrite: Rewrite | None = None) -> str:
    """The HTML of a team page with everything outside the allow-list removed; links and images
    keep only the ``schemes`` (the site's: the base set plus its ``link_schemes``).

    ``rewrite`` changes the value of an attribute that passed the allow-list (the runbook pack
    moves ids and links into one document); what it returns is checked again."""
    allowed = frozenset(schemes)
    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        attribute_filter=partial(_attribute_filter, allowed, rewrite),
        url_schemes=set(allowed),
        filter_style_properties={"text-align"},
        strip_comments=True,
        link_rel=None,
    )


def safe_text(text: str) -> str:
    """Text a theme prints unescaped (title, description, table of contents): tags removed,
    ``<``, ``&`` and quotes as entities. Entities the text already had are kept as they are."""
    cleaned = nh3.clean(text, tags=set(), clean_content_tags=set(CLEAN_CONTENT_TAGS))
    return cleaned.replace('"', "&quot;").replace("'", "&#39;")


META_KEYS = frozenset({"title", "description", "hide", "search", "tags", "status",
                       "opsready_replaces_generated"})
"""Front-matter keys a team page keeps; the others (``template``, ``render_macros``, ...) are
dropped, as the page may not choose the theme's template or turn rendering on."""


def _safe_value(value: object) -> object:
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, (bool, int, float)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_safe_value(v) for v in value]
    if isinstance(value, dict):
        return {safe_text(str(k)): _safe_value(v) for k, v in value.items()}
    return safe_text(str(value))


def safe_meta(meta: dict[str, object]) -> dict[str, object]:
    """A team page's front matter as themes may print it: allowed keys, every string escaped."""
    return {k: _safe_value(v) for k, v in meta.items() if k in META_KEYS}

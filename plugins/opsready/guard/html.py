"""The allow-lists every HTML fragment made from a team's text passes through, and the judgement
of HTML that another builder would publish as it is.

Catalog prose and team pages are written by anyone who can open a pull request, and the NOC reads
them during an incident: what reaches a page may only use the elements, attributes and link
schemes a runbook needs. The work is done by ``nh3`` (a binding of the Rust sanitiser ammonia, an
HTML5 parser of the WHATWG specification, linear time): HTML is judged as a browser parses it,
never by a second parser's opinion (Python's ``HTMLParser`` reads ``<![CDATA[ x > <img ...>
]]>`` as one harmless section; a browser ends that bogus comment at the first ``>`` and runs the
image's handler). Two allow-lists: catalog prose (``clean``) and team pages (``clean_team``).
``team_html_problems`` says what ``clean_team`` would change, for ``opsready generate``, whose
builder publishes the HTML unchanged.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from functools import partial

import nh3

# --- URLs ---------------------------------------------------------------------------------------

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


# --- team pages ----------------------------------------------------------------------------
# Python-Markdown passes a team page's raw HTML through as written, so the HTML of such a page
# (after Markdown conversion, before the theme) keeps only what Markdown, the usual extensions
# (toc permalinks, attr_list, tables, admonition, details, footnotes, code highlighting) and
# Material produce: no <script>, <style>, <iframe>, form or event handler attribute, no style
# except a table cell's alignment, and links and images only with safe schemes.

TEAM_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
    "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "u", "ul", "var",
})
"""Elements Markdown and its usual extensions produce."""

CLEAN_CONTENT_TAGS = frozenset({"script", "style", "template", "noscript", "textarea", "title"})
"""Elements dropped together with their content (their text is not meant to show)."""

TEAM_ATTRIBUTES: dict[str, set[str]] = {
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

STYLE_PROPERTIES = frozenset({"text-align"})

RESERVED_ID_PREFIX = "__"
"""Material's own elements have ids such as ``__drawer``: a page must not shadow them."""


def team_attribute_problem(schemes: frozenset[str], element: str, attribute: str,
                           value: str) -> str | None:
    """Why ``attribute="value"`` of ``element`` leaves a team page (None: it stays). The one
    rule of both the sanitiser (which drops it) and the judgement (which reports it)."""
    if attribute not in TEAM_ATTRIBUTES["*"] | TEAM_ATTRIBUTES.get(element, set()):
        return f"<{element} {attribute}=...>"
    if attribute == "id" and value.startswith(RESERVED_ID_PREFIX):
        return f'<{element} id="__...">'
    if attribute in URL_ATTRIBUTES and not safe_url(value, schemes):
        return f'<{element} {attribute}="{url_scheme(value) or "?"}:...">'
    if attribute == "style" and not all(
            part.split(":")[0].strip().lower() in STYLE_PROPERTIES
            for part in value.split(";") if part.strip()):
        return f"<{element} style=...>"
    return None


Rewrite = Callable[[str, str, str], "str | None"]
"""``rewrite(element, attribute, value)``: the value to keep instead (None drops the attribute)."""


def _drop_unsafe(schemes: frozenset[str], rewrite: Rewrite | None, element: str, attribute: str,
                 value: str) -> str | None:
    if team_attribute_problem(schemes, element, attribute, value):
        return None
    if rewrite is None:
        return value
    new = rewrite(element, attribute, value)
    # What a rewrite gives passes the same check.
    if new is None or team_attribute_problem(schemes, element, attribute, new):
        return None
    return new


def clean_team(fragment: str, allowed_schemes: Iterable[str] = BASE_SCHEMES,
               rewrite: Rewrite | None = None) -> str:
    """The HTML of a team page with everything outside the allow-list removed; links and images
    keep only the ``allowed_schemes`` (the site's: the base set plus its ``link_schemes``).

    ``rewrite`` changes the value of an attribute that passed the allow-list (the runbook pack
    moves ids and links into one document); what it returns is checked again."""
    allowed = frozenset(allowed_schemes)
    return nh3.clean(
        fragment,
        tags=set(TEAM_TAGS),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        attributes={k: set(v) for k, v in TEAM_ATTRIBUTES.items()},
        attribute_filter=partial(_drop_unsafe, allowed, rewrite),
        url_schemes=set(allowed),
        filter_style_properties=set(STYLE_PROPERTIES),
        strip_comments=True,
        link_rel=None,
    )


# Where the HTML tokenizer starts an element: '<' then an ASCII letter; the name runs to white
# space, '/' or '>'. Every element a browser creates has such a start tag in the text, so the
# names found here are a superset of the elements (one linear pass, no backtracking).
_START_TAG = re.compile(r"<([A-Za-z][^\t\n\f\r />]*)")
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")


def _schemes_in(fragment: str) -> set[str]:
    """Every word of ``fragment`` a URL parser could read as a scheme: the letters, digits and
    ``+.-`` before each ``:`` (a superset). With all of them allowed in a judging pass, every
    absolute URL reaches the attribute filter (nh3 drops other schemes unseen).

    Linear: from each ``:`` the scan goes back over scheme characters only, which never hold a
    ``:``, so no character is looked at twice (a regular expression restarting at each letter
    of a long word was quadratic)."""
    found: set[str] = set()
    for text in (fragment, html.unescape(fragment).translate(_REMOVED_ANYWHERE)):
        colon = text.find(":")
        while colon != -1:
            end = colon
            while end > 0 and text[end - 1] in "\t\n\r":
                end -= 1
            start = end
            while start > 0 and text[start - 1] in _SCHEME_CHARS:
                start -= 1
            word = text[start:end].lstrip("0123456789+.-")
            if word:
                found.add(word.lower())
            colon = text.find(":", colon + 1)
    return found


def links(fragment: str) -> list[tuple[str, str, str]]:
    """``(element, attribute, value)`` of every link and image target in ``fragment``, whatever
    its scheme, as a browser parses the HTML (the sanitiser's own parse)."""
    found: list[tuple[str, str, str]] = []

    def record(element: str, attribute: str, value: str) -> str | None:
        if attribute in URL_ATTRIBUTES:
            found.append((element, attribute, value))
        return None

    nh3.clean(fragment, tags={"a", "img"}, attributes={"a": {"href"}, "img": {"src"}},
              attribute_filter=record, url_schemes=_schemes_in(fragment) | BASE_SCHEMES,
              link_rel=None)
    return found


def text_outside_code(fragment: str) -> str:
    """The text of ``fragment`` as a reader sees it, without code blocks and spans."""
    return html.unescape(nh3.clean(fragment, tags=set(),
                                   clean_content_tags={"code", "pre", "script", "style"}))


def team_html_problems(fragment: str,
                       allowed_schemes: Iterable[str] = BASE_SCHEMES) -> list[str]:
    """What ``clean_team`` would remove from ``fragment`` (sorted, each once), as a browser
    parses it: elements outside the allow-list, attributes, link schemes, comments (also the
    bogus comments ``<![CDATA[`` and ``<!x`` that a browser ends at the first ``>``). Empty:
    another builder may publish ``fragment`` as it is."""
    allowed = frozenset(allowed_schemes)
    found = {f"<{name.lower()}>" for name in _START_TAG.findall(fragment)
             if name.lower() not in TEAM_TAGS}

    def record(element: str, attribute: str, value: str) -> str | None:
        problem = (element in TEAM_TAGS
                   and team_attribute_problem(allowed, element, attribute, value))
        if problem:
            found.add(problem)
        return value

    kept = nh3.clean(
        fragment,
        tags=set(TEAM_TAGS),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        generic_attribute_prefixes={""},  # every attribute reaches ``record``
        attribute_filter=record,
        url_schemes=_schemes_in(fragment) | allowed,
        filter_style_properties=set(STYLE_PROPERTIES),
        strip_comments=False,
        link_rel=None,
    )
    if "<!--" in kept:
        found.add("<!-- comment --> (also <![CDATA[ or <!x, which a browser ends at the first >)")
    if not found and kept != clean_team(fragment, allowed):
        found.add("HTML the sanitiser changes")  # a difference no rule above names
    return sorted(found)

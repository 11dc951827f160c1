"""Contact details as links a NOC engineer can act on: ``tel:``, ``mailto:``, chat and pager.

Phone numbers and e-mail addresses always become links; chat handles and pager services become
links through URL patterns the site configures (``chat_url``, ``chat_user_url``, ``pager_url``),
or when the catalog value is itself an ``https://`` URL. Without a pattern they stay text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup

from ..prose import escape

_PHONE_KEEP = re.compile(r"[^0-9+*#]")
_NOT_IN_EMAIL = re.compile(r"[\s<>()\[\]]")


@dataclass(frozen=True)
class ContactLinks:
    """URL patterns of the site. ``{name}``: a chat channel or handle without its ``#``/``@``;
    ``{value}``: the whole catalog value. Both are URL-encoded."""

    chat_url: str | None = None
    chat_user_url: str | None = None
    pager_url: str | None = None


def tel_href(phone: str) -> str | None:
    """``tel:+442079460101`` for a written number; None when it holds no digits."""
    digits = _PHONE_KEEP.sub("", phone)
    if not any(ch.isdigit() for ch in digits):
        return None
    return "tel:" + digits


def mailto_href(email: str) -> str | None:
    """``mailto:`` for one plausible address; None otherwise."""
    email = email.strip()
    local, at, domain = email.partition("@")
    # One '@', no space or bracket, a dot inside the domain; string operations, linear (the
    # regular expression this replaces backtracked over every dot).
    plausible = (at and local and "@" not in domain and "." in domain[1:-1]
                 and not _NOT_IN_EMAIL.search(email))
    return "mailto:" + email if plausible else None


def _fill(pattern: str, value: str, name: str) -> str:
    return pattern.replace("{value}", quote(value, safe="")).replace("{name}", quote(name, safe=""))


def chat_href(chat: str, links: ContactLinks) -> str | None:
    """The chat link of ``#channel`` or ``@handle`` from the site's patterns."""
    chat = chat.strip()
    if chat.startswith("https://"):
        return chat
    user = chat.startswith("@")
    pattern = (links.chat_user_url or links.chat_url) if user else links.chat_url
    if not pattern or not chat:
        return None
    return _fill(pattern, chat, chat.lstrip("#@"))


def pager_href(pager: str, links: ContactLinks) -> str | None:
    """The pager (PagerDuty service or schedule) link from the site's pattern."""
    pager = pager.strip()
    if pager.startswith("https://"):
        return pager
    if not links.pager_url or not pager:
        return None
    return _fill(links.pager_url, pager, pager)


def contact_parts(found: object, links: ContactLinks) -> list[Markup]:
    """``label: value`` for each way to reach a team or contact, as links where possible
    (pager first: at night it is the way in)."""
    parts: list[Markup] = []
    makers = (("pager", "pager", lambda v: pager_href(v, links)),
              ("phone", "phone", tel_href),
              ("chat", "chat", lambda v: chat_href(v, links)),
              ("e-mail", "email", mailto_href))
    for label, attr, make in makers:
        value = getattr(found, attr, None)
        if not value:
            continue
        href = make(str(value))
        shown = escape.link(value, href) if href else escape.md_text(value)
        parts.append(Markup(f"{label}: ") + shown)
    return parts

"""A team page's front matter and title: what a theme may print of them.

Themes print a page's title, description and table of contents without escaping, in the page
and in the navigation of every page beside it. The plugin reduces a team page's front matter to
``META_KEYS`` with every string escaped (``safe_meta``); ``opsready generate`` cannot change the
file another builder reads, so it refuses a page whose front matter ``safe_meta`` would change
(``meta_problems``, with the line). Both read the front matter the way MkDocs does (YAML between
``---`` and ``---`` or ``...``, else MultiMarkdown ``key: value`` lines), and both judge text by
the sanitiser's own reading of it (nh3, an HTML5 parser), never by a second parser.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import nh3
import yaml

from .html import CLEAN_CONTENT_TAGS

META_KEYS = frozenset({"title", "description", "hide", "search", "tags", "status",
                       "opsready_replaces_generated"})
"""Front-matter keys a team page keeps; the others (``template``, ``render_macros``, ...) are
dropped by the plugin, as the page may not choose the theme's template or turn rendering on."""

MAX_FRONT_MATTER_CHARS = 64 * 1024
"""A longer front matter is refused before it is read: a page's front matter is a few lines
(YAML of 300 KB takes seconds to read)."""

FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)
"""A page's YAML front matter (group 1), as MkDocs finds it (``...`` also ends it)."""
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MULTIMARKDOWN = re.compile(r"[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)")
_MULTIMARKDOWN_MORE = re.compile(r"(?:[ ]{4}|\t)\s*(.*)")


def safe_text(text: str) -> str:
    """Text a theme prints unescaped (title, description, table of contents): tags removed,
    ``<``, ``&`` and quotes as entities. Entities the text already had are kept as they are."""
    cleaned = nh3.clean(text, tags=set(), clean_content_tags=set(CLEAN_CONTENT_TAGS))
    return cleaned.replace('"', "&quot;").replace("'", "&#39;")


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


def text_problem(text: str) -> str | None:
    """Why ``text`` printed unescaped would not read as written (None: it would). Judged by the
    sanitiser: what it keeps of ``text``, read back as text, must be ``text`` itself (so
    ``R&D`` and ``a > b`` pass, ``<img onerror=...>`` and ``<!-- x`` do not); a double quote
    would end an attribute the theme prints the text in."""
    if html.unescape(nh3.clean(text, tags=set(), clean_content_tags=set())) != text:
        return "HTML (a tag, comment or character reference)"
    if '"' in text:
        return 'a double quote (") (write “ ” instead)'
    return None


def _value_problem(value: object) -> str | None:
    if isinstance(value, str):
        return text_problem(value)
    if isinstance(value, (list, tuple)):
        return next((p for v in value if (p := _value_problem(v))), None)
    if isinstance(value, dict):
        return next((p for k, v in value.items()
                     if (p := text_problem(str(k)) or _value_problem(v))), None)
    if isinstance(value, (bool, int, float)) or value is None:
        return None
    return text_problem(str(value))


def too_long(front_matter: str) -> str | None:
    """Why a front matter (the text between its lines of dashes) is refused unread, or None."""
    if len(front_matter) <= MAX_FRONT_MATTER_CHARS:
        return None
    return (f"front matter is longer than {MAX_FRONT_MATTER_CHARS // 1024} KiB "
            f"({len(front_matter) // 1024} KiB); keep it to a few lines")


def front_matter_too_long(text: str) -> str | None:
    """``too_long`` for the front matter of a page's ``text`` (None without one)."""
    found = FRONT_MATTER.match(text) if text.startswith("-") else None
    return too_long(found.group(1)) if found else None


@dataclass
class PageMeta:
    """A page's front matter as MkDocs reads it: keys, the 1-based line of each, where the body
    starts (0-based line), and why it could not be read (None: it could)."""

    data: dict[str, object] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    body_line: int = 0
    error: str | None = None


def page_meta(text: str) -> PageMeta:
    """The front matter of a page's ``text`` (line ends ``\\n``), read as MkDocs reads it."""
    found = FRONT_MATTER.match(text)
    if found:
        block = found.group(1)
        meta = PageMeta(body_line=text.count("\n", 0, found.end()))
        meta.error = too_long(block)
        if meta.error:
            return meta
        try:
            data = yaml.load(block, Loader=_LOADER)  # noqa: S506 (a safe loader)
        except yaml.YAMLError as exc:
            meta.error = f"front matter is not valid YAML ({str(exc).splitlines()[0]})"
            return meta
        if isinstance(data, dict):
            meta.data = {str(k): v for k, v in data.items()}
            for n, line in enumerate(block.split("\n")):
                key = line.split(":", 1)[0].strip().strip("'\"")
                if ":" in line and key in meta.data and key not in meta.lines:
                    meta.lines[key] = n + 2
        return meta
    meta = PageMeta()
    key = None
    for n, line in enumerate(text.split("\n")):
        if not line.strip():
            break
        head = _MULTIMARKDOWN.match(line)
        more = _MULTIMARKDOWN_MORE.match(line) if not head else None
        if head:
            key = head.group(1).lower().strip()
            value = head.group(2).strip()
            old = meta.data.get(key)
            meta.data[key] = f"{old} {value}" if isinstance(old, str) else value
            meta.lines.setdefault(key, n + 1)
        elif more and key:
            meta.data[key] = f"{meta.data[key]} {more.group(1).strip()}"
        else:
            break
    if meta.data:
        meta.body_line = n
    return meta


def meta_problems(text: str) -> list[tuple[int, str]]:
    """(1-based line, problem) for each front-matter key of a team page that another builder
    would use differently from the plugin: a key the plugin drops, a value it escapes."""
    meta = page_meta(text)
    if meta.error:
        return [(1, meta.error)]
    found = []
    for key, value in meta.data.items():
        line = meta.lines.get(key, 1)
        if key == "render_macros":
            found.append((line, "a team page may not set 'render_macros' (hint: remove it; "
                                "team pages never run template code)"))
        elif key not in META_KEYS:
            found.append((line, f"front-matter key '{key}' is not one a team page may set: the "
                                "MkDocs plugin drops it, another builder would use it (hint: "
                                f"remove it; allowed: {', '.join(sorted(META_KEYS))})"))
        elif (problem := _value_problem(value)) is not None:
            found.append((line, f"front-matter '{key}' holds {problem}, which the theme would "
                                "print as HTML (hint: write it as plain text)"))
    return found

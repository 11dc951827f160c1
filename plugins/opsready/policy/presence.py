"""What "present" means: not empty, not a placeholder, and files that really have content.

A value is judged as a whole: an object is present when at least one of its own fields is
(bookkeeping such as evidence or review dates does not count), a list when it has items, and a
single placeholder anywhere inside ("TODO", "TBD", "lorem ipsum", ...) makes the whole value a
placeholder, reported at the exact place so the reader can fix it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from pydantic import BaseModel

# BOOKKEEPING: what every section carries to prove or date content; it is not content.
from ..guard.visible import has_visible, shown
from ..model.base import BOOKKEEPING, FileRef

DEFAULT_EXACT = (
    "todo", "to do", "tbd", "tba", "tbc", "fixme", "xxx", "n/a", "na", "n.a.", "-", "--", "?",
    "??", "...", "…", "placeholder", "fill me", "fill me in", "lorem ipsum", "coming soon",
)
"""Values that are placeholders when they are the whole text (case-insensitive)."""

DEFAULT_PREFIXES = ("todo", "tbd", "tba", "fixme", "xxx", "fill me", "fill in", "lorem ipsum")
"""Markers that make a text a placeholder when a line starts with them ("TODO: ask ops")."""


class State(Enum):
    """The verdict on one value."""

    PRESENT = "present"
    MISSING = "missing"
    PLACEHOLDER = "placeholder"


@dataclass(frozen=True)
class Finding:
    """A verdict, the path (relative to the judged value) of the culprit, and why."""

    state: State
    path: tuple[str | int, ...] = ()
    detail: str = ""


_PRESENT = Finding(State.PRESENT)
_HEADING = re.compile(r"^\s{0,3}#{1,6}(\s.*)?$")
_CONTENT_LINE = re.compile(r"^(?![ \t]{0,3}#{1,6}(?:[ \t]|$))[ \t]*\S", re.M)
_TRIM = " \t\r\n*_`'\"“”:;.!,()[]"


class Placeholders:
    """Decides whether a text is a placeholder; the word lists come from the policy."""

    def __init__(self, exact: Iterable[str] = DEFAULT_EXACT,
                 prefixes: Iterable[str] = DEFAULT_PREFIXES) -> None:
        self.exact = frozenset(e.strip().lower() for e in exact if e.strip())
        # Longest first, then alphabetical: the order must not depend on set iteration (it
        # differs from process to process, and the policy page lists these).
        prefix_list = sorted({p.strip().lower() for p in prefixes if p.strip()},
                             key=lambda p: (-len(p), p))
        self.prefixes = tuple(prefix_list)
        self._memo: dict[str, State] = {}
        # One pass over a whole Markdown text: a line that starts with a marker ("TODO: x",
        # "- TBD") or is nothing but a placeholder ("n/a", "?"), after list and emphasis marks.
        exact_alt = "|".join(re.escape(e) for e in sorted(self.exact, key=lambda e: (-len(e), e)))
        prefix_alt = "|".join(re.escape(p) for p in prefix_list)
        alternatives = []
        if prefix_alt:
            alternatives.append(rf"(?:{prefix_alt})(?![a-z0-9])")
        if exact_alt:
            alternatives.append(rf"(?:{exact_alt})[*_`'\"”:;.!,)\]]*[ \t]*$")
        self._lines = re.compile(
            r"^[ \t>]*(?:(?:[-*+]|\d+[.)])[ \t]+)?[*_`'\"“(\[]*(?:"
            + "|".join(alternatives) + ")", re.M) if alternatives else None
        # A prefix counts only as a whole word: "todo: x" and "TBD - ask" match, "todos" not.
        self._prefix = re.compile(
            r"^(?:" + "|".join(re.escape(p) for p in prefix_list) + r")(?![a-z0-9])"
        ) if prefix_list else None

    def is_placeholder(self, text: str) -> bool:
        """True when ``text`` (one value or one line) is a placeholder."""
        raw = text.strip().lower()
        if raw in self.exact or raw.strip(_TRIM) in self.exact:
            return True
        if "lorem ipsum" in raw:
            return True
        core = raw.lstrip(_TRIM)
        return bool(self._prefix and self._prefix.match(core))

    def judge_text(self, text: str) -> State:
        """Judge a (possibly multi-line Markdown) text."""
        state = self._memo.get(text)
        if state is None:
            state = self._judge(text)
            if len(self._memo) < 100_000:  # fleets repeat many values ("24x7", "weekly")
                self._memo[text] = state
        return state

    def _judge(self, text: str) -> State:
        # Only what a reader sees counts (``guard.visible``): comments, character references
        # and invisible characters are judged as the page shows them.
        body = shown(text) if "<!--" in text or "&" in text or not text.isascii() else text
        if "\n" not in body:  # most values: one line, no Markdown
            if not body.strip() or _HEADING.match(body):
                return State.MISSING
            if self.is_placeholder(body):
                return State.PLACEHOLDER
            return State.PRESENT if has_visible(body) else State.MISSING
        if not _CONTENT_LINE.search(body):
            return State.MISSING
        low = body.lower()
        if "lorem ipsum" in low or (self._lines is not None and self._lines.search(low)):
            return State.PLACEHOLDER
        if has_visible(body) and has_visible(
                "\n".join(line for line in body.split("\n") if not _HEADING.match(line))):
            return State.PRESENT
        return State.MISSING


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "..."


Memo = dict[int, tuple[Any, Finding]]
"""Verdicts on objects and lists already judged, by ``id``: rules of one service share values
(``runbook`` and ``runbook.escalation``), so each is judged once. The value is kept beside its
verdict so that an ``id`` is never reused while the memo lives."""


def assess(value: Any, placeholders: Placeholders, memo: Memo | None = None) -> Finding:
    """Judge a model value (object, list, text, file reference, number, date...).

    ``memo`` (one per service evaluation) remembers the verdicts on objects and lists.
    """
    if value is None:
        return Finding(State.MISSING, (), "is missing")
    if isinstance(value, str):
        state = placeholders.judge_text(value)
        if state is State.MISSING:
            return Finding(state, (), "is empty")
        if state is State.PLACEHOLDER:
            return Finding(state, (), f"is a placeholder ('{_short(value)}')")
        return _PRESENT
    if isinstance(value, FileRef):
        state = placeholders.judge_text(value.text)
        if state is State.MISSING:
            return Finding(state, (), f"file '{value.file}' has no content")
        if state is State.PLACEHOLDER:
            return Finding(state, (), f"file '{value.file}' holds only placeholder text")
        return _PRESENT
    if isinstance(value, (bool, int, float, dt.date)):
        return _PRESENT
    is_list = isinstance(value, (list, tuple))
    if not is_list and not isinstance(value, BaseModel):
        return _PRESENT
    if memo is not None:
        hit = memo.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
    found = (_assess_list(value, placeholders, memo) if is_list
             else _assess_object(value, placeholders, memo))
    if memo is not None:
        memo[id(value)] = (value, found)
    return found


def _assess_list(items: list[Any] | tuple[Any, ...], placeholders: Placeholders,
                 memo: Memo | None) -> Finding:
    if not items:
        return Finding(State.MISSING, (), "is an empty list")
    any_present = False
    for i, item in enumerate(items):
        if type(item) is str and placeholders.judge_text(item) is State.PRESENT:
            any_present = True
            continue
        found = assess(item, placeholders, memo)
        if found.state is State.PLACEHOLDER:
            return Finding(State.PLACEHOLDER, (i, *found.path), found.detail)
        any_present = any_present or found.state is State.PRESENT
    return _PRESENT if any_present else Finding(State.MISSING, (), "has no content")


_CONTENT_FIELDS: dict[type, tuple[tuple[str, str], ...]] = {}


def _content_fields(cls: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(attribute, YAML key) of the fields of a model class that are content, in order."""
    found = _CONTENT_FIELDS.get(cls)
    if found is None:
        found = _CONTENT_FIELDS[cls] = tuple(
            (name, info.alias or name) for name, info in cls.model_fields.items()
            if name not in BOOKKEEPING)
    return found


def _assess_object(obj: BaseModel, placeholders: Placeholders, memo: Memo | None) -> Finding:
    any_present = False
    written = obj.__pydantic_fields_set__
    values = obj.__dict__
    for name, key in _content_fields(type(obj)):
        # Only fields the author wrote count: a default (False, []) says nothing.
        if name not in written:
            continue
        value = values[name]
        if type(value) is str and placeholders.judge_text(value) is State.PRESENT:
            any_present = True  # the common case, without a call per text
            continue
        found = assess(value, placeholders, memo)
        if found.state is State.PLACEHOLDER:
            return Finding(State.PLACEHOLDER, (key, *found.path), found.detail)
        any_present = any_present or found.state is State.PRESENT
    return _PRESENT if any_present else Finding(State.MISSING, (), "has no content")

"""Readiness counts only visible content (guard/visible.py, policy/presence.py): invisible,
format and blank characters, comments, character references of them, bare punctuation and empty
emphasis are missing; a not_applicable reason is judged like section text."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from opsready.catalog.load import load_catalog
from opsready.guard.visible import INVISIBLE, has_visible, shown, without_comments
from opsready.policy.engine import evaluate
from opsready.policy.load import load_policy
from opsready.policy.presence import Placeholders, State
from test_policy_support import TODAY, complete_service, write_catalog

P = Placeholders()
INVISIBLE_SECTIONS = [
    "\u200b", "\u200b" * 10, "\u2800", "\u2060\ufeff", "\u3164", "\u115f\u1160", "\uffa0",
    "&#8203;", "&#x200B;", "&nbsp;", "&#x2800;", "&zwj;&zwnj;", "&#xFEFF;", "&#173;",
    ".", "-", "...", "…", "** **", "__", "*", "`` ``", "| |", "<!-- hidden -->",
    "<!-- a --><!-- b -->", "\u00a0\u3000\u2003", "\u202e\u202c", "# Heading\n\n\u200b\n",
    "# Heading\n\n&nbsp;\n\n&#8203;\n", ". \n - \n", "\u0301", "<!--\u200b-->&#8203;",
]


@pytest.mark.parametrize("text", INVISIBLE_SECTIONS)
def test_a_section_of_nothing_visible_is_not_present(text: str) -> None:
    assert P.judge_text(text) is not State.PRESENT


@pytest.mark.parametrize("text", [
    "Restart the pods", "✅", "日本語の手順", "€ 5 per call", "1", "# H\n\nReal step",
    "&lt;service&gt; restart", "\u200bRestart\u200b", "Ünïcödé",
])
def test_visible_text_is_present(text: str) -> None:
    assert P.judge_text(text) is State.PRESENT


@pytest.mark.parametrize("text", ["\u200bTODO: ask ops", "&#8203;TBD", "<!-- x -->TODO"])
def test_a_placeholder_behind_invisible_characters_is_a_placeholder(text: str) -> None:
    assert P.judge_text(text) is State.PLACEHOLDER


def test_every_format_character_is_invisible() -> None:
    # Unicode category Cf as this Python knows it: the table must cover every one.
    missing = [hex(c) for c in range(0x110000)
               if unicodedata.category(chr(c)) == "Cf" and not INVISIBLE.match(chr(c))]
    assert missing == []


def test_shown_keeps_line_ends_and_decodes_references() -> None:
    assert shown("a&nbsp;\u200bb\n<!-- x -->c") == "a b\nc"
    assert not has_visible(shown("&#x2800;\n&#8203;"))


def test_the_comment_scan_is_linear_by_construction() -> None:
    # Each '<!--' is found once and the scan for its '-->' starts after it; an unclosed one
    # ends the scan: the work is proportional to the text, whatever its shape.
    text = "<!--" * 75_000  # 300 KB, the case
    assert without_comments(text) == ""
    assert without_comments("a<!--b-->c<!--d") == "ac"
    assert P.judge_text(text) is State.MISSING


def _na_service(reason: str) -> dict[str, object]:
    service = complete_service("svc")
    service["operations"]["failover"] = {"not_applicable": reason}  # type: ignore[index]
    return service


def test_a_placeholder_reason_does_not_excuse_a_section(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "catalog", [_na_service("TODO: fill me in later")])
    result = load_catalog(root)
    assert result.ok
    policy = load_policy().policy
    assert policy is not None
    ev = evaluate(result.catalog, policy, TODAY)
    failed = next(r for r in ev.services["svc"].results if r.rule.id == "ops-failover")
    assert failed.status == "fail"
    (gap,) = failed.gaps
    assert gap.status == "placeholder" and "not_applicable reason" in gap.message
    assert gap.yaml_path == "operations.failover.not_applicable"
    assert gap.file is not None and gap.line is not None


@pytest.mark.parametrize("reason", ["\u200b" * 10, "&#8203;" * 10, ". . . . . . . . . .",
                                    "\u2800" * 12])
def test_an_invisible_reason_is_refused_with_its_place(tmp_path: Path, reason: str) -> None:
    root = write_catalog(tmp_path / "catalog", [_na_service(reason)])
    result = load_catalog(root)
    assert not result.ok
    (diag,) = [d for d in result.diagnostics if d.severity == "error"]
    assert diag.yaml_path == "operations.failover.not_applicable"
    assert "10 visible characters" in diag.message and diag.line is not None


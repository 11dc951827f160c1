"""Worst-case prose through the renderer and the check, each under a time limit.

    .venv/bin/python bench/hostile_inputs.py            # prints a table; exit 1 if one is slow

Each input is a shape that made an earlier regular-expression escaper quadratic, or a large or
deeply nested value. Timed: ``prose_scan.problems`` (what ``opsready check`` runs on a value),
``prose_html.render`` (Markdown + sanitiser) and ``embed_block`` (the inert page line).

A second table times the other functions that read text a team writes, each on its worst
shape: the readiness judgement (``presence``), team-page titles, front matter and HTML
(``guard``), contact addresses and log escaping. ``tests/test_hostile_text.py`` runs each of
them to the end (no timing there).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

from opsready import prose_html, prose_scan
from opsready import text_escape as escape
from opsready.diagnostics import printable
from opsready.guard.front_matter import meta_problems
from opsready.guard.html import team_html_problems
from opsready.pages.contacts import mailto_href
from opsready.pages.handwritten import title_of
from opsready.policy.presence import Placeholders

N = 20_000
INPUTS: dict[str, str] = {
    "'](' then many spaces": "[a](" + " " * N + "x",
    "many unclosed fence lines": "```a\n" * N,
    "many unclosed fence lines (~)": "~~~ text after\n" * N,
    "repeated '<!--'": "<!--" * N,
    "repeated '<' and '&#'": "<a &#" * N,
    "unclosed backticks of growing length": " ".join("`" * (i % 40 + 1) for i in range(N // 10)),
    "40 KB description": ("The **ledger** posts `journals` to [Kafka](https://kafka.example.com) "
                          "and replies within 200 ms; see the runbook.\n\n") * 320,
    "deep list nesting": "".join("  " * i + "- item\n" for i in range(400)),
    "deep blockquote nesting": ">" * 2000 + " deep",
    "many emphasis openers": "*a _b " * (N // 5),
    "many brackets": "[" * N + "]" * N,
    "many distinct tags": "".join(f"<t{i}>\n\n" for i in range(N)),
    "many unsafe links": "".join(f"[x](javascript:{i})\n\n" for i in range(N // 4)),
    "just under the marker limit": "`a` *b* " * 499,
    "just under the bracket limit": "[a](https://x) " * 110,
    "brackets in a long paragraph": "[" * 60 + "a" * 3000,
    "definitions in one paragraph": "term\n: definition\n" * 600,
    "setext headings in one paragraph": "Title\n=====\n" * 2000,
    "ATX headings in one paragraph": "# Heading\n" * 3000,
    "just under the heading limit": ("# H\n" + "text " * 37 + "\n") * 100,
}
CODE_INPUTS: dict[str, str] = {
    "a command made of newlines": "\n" * (N * 5),
    "a command made of backticks and newlines": "`\n" * N,
}
LIMIT_S = 1.0
BIG = 300_000
"""Characters of the other inputs: above a team page's 256 KiB, the size of the issue's case."""
_JUDGE = Placeholders()
OTHER_INPUTS: dict[str, tuple[str, Callable[[str], object], str]] = {
    "readiness: unclosed '<!--' (300 KB)": ("presence", _JUDGE.judge_text, "<!--" * (BIG // 4)),
    "readiness: '<!--' then '-' runs": ("presence", _JUDGE.judge_text,
                                        ("<!--" + "-" * 50) * (BIG // 54)),
    "readiness: zero-width spaces": ("presence", _JUDGE.judge_text, "\u200b" * BIG),
    "readiness: '&#8203;' references": ("presence", _JUDGE.judge_text, "&#8203;" * (BIG // 7)),
    "readiness: punctuation lines": ("presence", _JUDGE.judge_text, ". - ...\n" * (BIG // 8)),
    "readiness: 'n/a' then dots": ("presence", _JUDGE.judge_text, "n/a" + "." * BIG + "x"),
    "readiness: list markers and digits": ("presence", _JUDGE.judge_text,
                                           ("1" * 1000 + "\n") * (BIG // 1001)),
    "team page: H1 of spaces": ("title", lambda t: title_of(t, "p.md"),
                                "# a" + " " * BIG + "b\n"),
    "team page: title of spaces": ("title", lambda t: title_of(t, "p.md"),
                                   "---\ntitle: a" + " " * BIG + "b\n---\n"),
    "team page: front matter of keys": ("front matter", meta_problems,
                                        "---\n" + "k: v\n" * (BIG // 5) + "---\n"),
    "team page: MultiMarkdown keys": ("front matter", meta_problems, "k: v\n" * (BIG // 5)),
    "team page: '<![CDATA[' repeated": ("html", team_html_problems, "<![CDATA[ x >" * (BIG // 13)),
    "team page: '<a ' repeated": ("html", team_html_problems, "<a " * (BIG // 3)),
    "team page: 'javascript:' repeated": ("html", team_html_problems,
                                          "<a href=javascript:1>" * (BIG // 21)),
    "team page: one long word": ("html", team_html_problems, "a" * BIG),
    "team page: long words before ':'": ("html", team_html_problems,
                                         ("a" * 1000 + ":") * (BIG // 1001)),
    "contact: '@' and dots": ("email", mailto_href, "a@" + "." * BIG + "@"),
    "log: control characters": ("log", printable, "\n\x1b::error::" * (BIG // 12)),
}


def _time(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--limit", type=float, default=LIMIT_S, help="seconds allowed per step")
    args = parser.parse_args(argv)
    rows: list[tuple[str, int, float, float, float]] = []
    for name, text in INPUTS.items():
        check = _time(lambda t=text: prose_scan.problems(t))  # type: ignore[misc]
        start = time.perf_counter()
        fragment = prose_html.render(text)
        rend = time.perf_counter() - start
        embed = _time(lambda f=fragment: prose_html.embed_block(f))  # type: ignore[misc]
        rows.append((name, len(text), check, rend, embed))
    for name, text in CODE_INPUTS.items():
        rows.append((name, len(text), 0.0, _time(lambda t=text: escape.code_block(t)), 0.0))  # type: ignore[misc]
    width = max(len(r[0]) for r in rows)
    print(f"{'input':<{width}}  {'chars':>7}  {'check s':>8}  {'render s':>8}  {'embed s':>8}")
    slow = 0
    for name, size, check, rend, embed in rows:
        flag = "" if max(check, rend, embed) < args.limit else "  SLOW"
        slow += bool(flag)
        print(f"{name:<{width}}  {size:>7}  {check:>8.3f}  {rend:>8.3f}  {embed:>8.3f}{flag}")
    others = [(name, what, len(text), _time(lambda f=fn, t=text: f(t)))  # type: ignore[misc]
              for name, (what, fn, text) in OTHER_INPUTS.items()]
    width = max(len(r[0]) for r in others)
    print(f"\n{'input':<{width}}  {'judged by':<12}  {'chars':>7}  {'s':>6}")
    for name, what, size, seconds in others:
        flag = "" if seconds < args.limit else "  SLOW"
        slow += bool(flag)
        print(f"{name:<{width}}  {what:<12}  {size:>7}  {seconds:>6.3f}{flag}")
    print(f"{len(rows) + len(others)} inputs, {slow} over {args.limit:g} s")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())

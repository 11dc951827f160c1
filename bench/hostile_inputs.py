"""Worst-case prose through the renderer and the check, each under a time limit.

    .venv/bin/python bench/hostile_inputs.py            # prints a table; exit 1 if one is slow

Each input is a shape that made an earlier regular-expression escaper quadratic, or a large or
deeply nested value. Timed: ``prose_scan.problems`` (what ``opsready check`` runs on a value),
``prose_html.render`` (Markdown + sanitiser) and ``embed_block`` (the inert page line).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

from opsready import prose_html, prose_scan
from opsready import text_escape as escape

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
    print(f"{len(rows)} inputs, {slow} over {args.limit:g} s")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())

"""Worst-case prose, team pages and diagrams through the check and the build, each under a time
limit.

    .venv/bin/python bench/hostile_inputs.py            # prints tables; exit 1 if one is slow

Prose: each input is a shape that made an earlier regular-expression escaper quadratic, or a
large or deeply nested value. Timed: ``prose_scan.problems`` (what ``opsready check`` runs on a
value), ``prose_html.render`` (Markdown + sanitiser) and ``embed_block`` (the inert page line).

Team pages: every case of ``tests/fixtures/hostile_team_pages/`` and larger shapes. Timed: the
guard's refusals (what the plugin and ``generate`` run before conversion), the file-inclusion
check of a catalog value of the same text, and, when the page is not refused, its conversion
with the example site's extensions and the team-page sanitiser (what the build does).

Diagrams: a service at the size limits of ``guard.bounds`` (random and dense interactions),
drawn by Graphviz (skipped without ``dot``): the largest diagram the check lets through.

Other text a team writes: each function that reads it on its worst shape: the readiness
judgement (``presence``), team-page titles, front matter and HTML (``guard``), contact
addresses and log escaping. ``tests/test_guard_html.py`` runs each of them to the end (no
timing there).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from opsready.diagnostics import printable
from opsready.guard.front_matter import meta_problems
from opsready.guard.html import team_html_problems
from opsready.guard.includes import inclusions
from opsready.guard.team_text import refusals
from opsready.pages.contacts import mailto_href
from opsready.pages.handwritten import title_of
from opsready.policy.presence import Placeholders
from opsready.prose import escape
from opsready.prose import problems as prose_problems
from opsready.prose import to_html as prose_html

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "hostile_team_pages"
SITE_EXTENSIONS = ["toc", "attr_list", "admonition", "tables", "md_in_html",
                   "pymdownx.superfences"]

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
PAGE_LIMIT_S = 2.0
"""Seconds allowed for the check and for the build of one hostile team page or diagram."""


def team_pages() -> dict[str, str]:
    """The hostile team-page corpus and larger shapes (each near the 256 KiB page limit)."""
    pages = {p.stem: p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.md"))}
    pages.update({
        "256 KiB of nested divs": '<div markdown="1">\n' * 13_000,
        "256 KiB of '<a '": "<a " * 87_000,
        "256 KiB of '<a ' in paragraphs": "<a \n\n" * 50_000,
        "256 KiB of reference definitions": "".join(f"[r{i}]:\n  https://x/{i}\n"
                                                   for i in range(10_000)),
        "256 KiB of '{!'": "{!" * 130_000 + "!}",
        "256 KiB of '{!' lines": "{!\n" * 85_000 + "!}",
        "256 KiB of '--8<-' lines": "--8<-\n" * 40_000,
        "256 KiB of '<!--'": "<!--" * 65_000,
        "just under the nesting limit": '<div markdown="1">\n' * 16 + "x\n" + "</div>\n" * 16,
        "a long ordinary page": ("## Section\n\nA paragraph with a [link](https://example.com), "
                                 "`code` and *emphasis*.\n\n") * 900,
        "just under the paragraph limit": ("## Section\n\nA paragraph with a "
                                           "[link](https://example.com), `code` and "
                                           "*emphasis*.\n\n") * 2499,
        "256 KiB of prose": ("A sentence of prose with a [link](https://example.com) and some "
                             "words in it. " * 10 + "\n\n") * 320,
        "just under the tag limits": "<p>x</p>\n\n" * 900 + "text <a x\n\n" * 199,
    })
    return pages


def _convert(text: str) -> None:
    import markdown

    from opsready.guard.html import clean_team

    clean_team(markdown.markdown(text, extensions=SITE_EXTENSIONS))


def team_rows() -> list[tuple[str, int, float, float, float, str]]:
    """(name, chars, refusal check s, value check s, build s, outcome) per team page."""
    rows = []
    _convert("# warm up\n\nimports and extension set-up are not timed")
    for name, text in team_pages().items():
        start = time.perf_counter()
        refused = refusals(text)
        check = time.perf_counter() - start
        value = _time(lambda t=text: inclusions(t))  # type: ignore[misc]
        build = 0.0 if refused else _time(lambda t=text: _convert(t))  # type: ignore[misc]
        rows.append((name, len(text), check, value, build,
                     "refused" if refused else "converted"))
    return rows


def _service_file(nodes: int, edges: int, spread: int) -> str:
    """A service with ``nodes`` components and ``edges`` interactions among its first
    ``spread`` components (small: dense; all: random)."""
    rng = random.Random(1)
    text = ("id: svc\nname: Svc\ndescription: A service.\ntier: 2\nlifecycle: production\n"
            "owner: platform\narchitecture:\n  components:\n")
    text += "".join(f"    - {{id: c{i}, name: Component {i}, kind: service}}\n"
                    for i in range(nodes))
    text += "  interactions:\n"
    for i in range(edges):
        a, b = rng.randrange(spread), rng.randrange(spread)
        text += (f"    - {{from: c{a}, to: c{b}, data: records {i}, protocol: HTTPS, "
                 "encrypted: true}\n")
    return text


def diagram_rows() -> list[tuple[str, int, int, float]]:
    """(diagram, nodes, edges, seconds to draw) for services at the size limits."""
    import tempfile

    from opsready.catalog.load import load_catalog
    from opsready.diagrams.from_model import service_diagrams
    from opsready.diagrams.render import render_svg
    from opsready.diagrams.tools import graphviz_available
    from opsready.guard.bounds import MAX_DIAGRAM_EDGES, MAX_DIAGRAM_NODES
    from opsready.output.site_paths import SitePaths

    if not graphviz_available():
        return []
    rows = []
    for shape, spread in (("random", MAX_DIAGRAM_NODES), ("dense", 12)):
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "teams.yaml").write_text("teams:\n  - id: platform\n    name: P\n",
                                                 encoding="utf-8")
            (Path(tmp) / "svc.yaml").write_text(
                _service_file(MAX_DIAGRAM_NODES, MAX_DIAGRAM_EDGES, spread), encoding="utf-8")
            result = load_catalog(tmp)
            errors = [d for d in result.diagnostics if d.severity == "error"]
            assert not errors, errors
            service = result.catalog.services["svc"]
            for diagram in service_diagrams(service, result.catalog, SitePaths()):
                rows.append((f"{shape} {diagram.name}", MAX_DIAGRAM_NODES, MAX_DIAGRAM_EDGES,
                             _time(lambda s=diagram.spec: render_svg(s))))  # type: ignore[misc]
    return rows
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
        check = _time(lambda t=text: prose_problems.problems(t))  # type: ignore[misc]
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
    print()
    pages = team_rows()
    width = max(len(r[0]) for r in pages)
    print(f"{'team page':<{width}}  {'chars':>7}  {'check s':>8}  {'value s':>8}  {'build s':>8}")
    for name, size, check, value, build, outcome in sorted(pages, key=lambda r: -max(r[2:5])):
        flag = "" if max(check, value, build) < PAGE_LIMIT_S else "  SLOW"
        slow += bool(flag)
        print(f"{name:<{width}}  {size:>7}  {check:>8.3f}  {value:>8.3f}  {build:>8.3f}  "
              f"{outcome}{flag}")
    drawn = diagram_rows()
    if drawn:
        print()
        print(f"{'diagram at the limits':<22}  {'nodes':>5}  {'edges':>5}  {'draw s':>7}")
        for shape, nodes, edges, seconds in drawn:
            flag = "" if seconds < PAGE_LIMIT_S else "  SLOW"
            slow += bool(flag)
            print(f"{shape:<22}  {nodes:>5}  {edges:>5}  {seconds:>7.2f}{flag}")
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

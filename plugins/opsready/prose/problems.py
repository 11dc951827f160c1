"""What in one prose value would not render as the author wrote it: unclosed fences and comments,
too complex text, unsafe link schemes, remote images, raw HTML shown as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..guard import html as sanitize
from .scan import _ANY_PROBLEM, MAX_BRACKET_WORK, MAX_REPORTED, Fence, fenced_blocks, too_complex


@dataclass(frozen=True)
class Problem:
    """Something in a prose value that would not show as written. ``line``/``column`` are
    0-based offsets inside the value."""

    line: int
    column: int
    message: str
    hint: str
    severity: str = "error"


def _from_another_host(url: str) -> bool:
    """True for an absolute http(s) URL or a protocol-relative one (``//host/...``)."""
    return sanitize.url_scheme(url) in ("http", "https") or url.strip().startswith("//")


def _where(text: str, needle: str) -> tuple[int, int]:
    at = text.find(needle) if needle else -1
    if at < 0:
        return 0, 0
    line = text.count("\n", 0, at)
    return line, at - (text.rfind("\n", 0, at) + 1)


def _html_like(text: str) -> Iterable[str]:
    """Tag-like snippets (``<b``, ``</div``, ``<!--``) in text: raw HTML the author wrote."""
    start = 0
    while True:
        at = text.find("<", start)
        if at < 0 or at + 1 >= len(text):
            return
        nxt = text[at + 1]
        if nxt.isascii() and (nxt.isalpha() or nxt in "/!?"):
            end = at + 1
            while end < len(text) and end - at < 40 and text[end] not in " >\n":
                end += 1
            yield text[at:end + (1 if end < len(text) and text[end] == ">" else 0)]
        start = at + 1


def _comments(lines: Sequence[str], fences: Sequence[Fence]) -> Problem | None:
    """The first ``<!--`` outside code that no ``-->`` closes."""
    inside = {k for f in fences for k in range(f.start, min(f.end, len(lines) - 1) + 1)}
    open_at: tuple[int, int] | None = None
    for n, line in enumerate(lines):
        if n in inside:
            continue
        pos = 0
        while True:
            if open_at is None:
                at = line.find("<!--", pos)
                if at < 0:
                    break
                open_at, pos = (n, at), at + 4
            else:
                at = line.find("-->", pos)
                if at < 0:
                    break
                open_at, pos = None, at + 3
    if open_at is None:
        return None
    return Problem(open_at[0], open_at[1], "HTML comment '<!--' is never closed",
                   "HTML shows as text on the page; delete the comment (YAML comments start "
                   "with '#')")


def problems(text: str, allowed_schemes: Iterable[str] = sanitize.BASE_SCHEMES) -> list[Problem]:
    """What in ``text`` (one prose value) would not render as the author wrote it."""
    if len(text) * len(text) <= MAX_BRACKET_WORK and _ANY_PROBLEM.search(text) is None:
        return []  # most values of a catalog: decided by one C-level scan
    from .to_html import to_html

    text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    fences = fenced_blocks(lines) if "```" in text or "~~~" in text else []
    found: list[Problem] = [
        Problem(line, 0, f"too complex to render: {what}",
                "split the text into shorter paragraphs and flatter lists")
        for line, what in too_complex(text)
    ]
    for fence in fences:
        if not fence.closed:
            found.append(Problem(
                fence.start, 0, f"code fence '{fence.marker}' is never closed: the rest of the "
                "text would show as code",
                f"end the code block with a line holding only {fence.marker}"))
    comment = _comments(lines, fences) if "<!--" in text else None
    if comment:
        found.append(comment)
    if "<" not in text and "]" not in text or any(p.severity == "error" for p in found):
        # No link, image, autolink or tag can be written without one of these, or the value is
        # refused already (a too complex one would only be converted to plain text): skip.
        return sorted(found, key=lambda p: (p.line, p.column))
    # The converted value read as a browser reads it (the sanitiser's own parse, ``guard``).
    converted = to_html(text)
    found_links = sanitize.links(converted)
    urls = [value for _, _, value in found_links]
    images = [value for tag, attr, value in found_links if tag == "img" and attr == "src"]
    allowed = frozenset(allowed_schemes)
    unsafe = [t for t in urls if not sanitize.safe_url(t, allowed)]
    for target in unsafe[:MAX_REPORTED]:
        line, col = _where(text, target)
        scheme = sanitize.url_scheme(target) or "?"
        found.append(Problem(
            line, col, f"link target '{target[:80]}' uses the scheme '{scheme}:', which "
            "pages do not link to",
            "use an http(s), mailto: or tel: link or a relative path (a site can allow more "
            "schemes with link_schemes in organisation.yaml)"))
    remote = [t for t in images if t not in unsafe and _from_another_host(t)]
    for target in remote[:MAX_REPORTED]:
        line, col = _where(text, target)
        found.append(Problem(
            line, col, f"image '{target[:80]}' is loaded from another host each time the page "
            "is read (the site stops working offline, and that host sees who reads it)",
            "link to it instead ([diagram](https://...)), or keep the image in the repository "
            "beside the service's own pages (docs/services/<id>/)", severity="warning"))
    seen: set[str] = set()
    for snippet in _html_like(sanitize.text_outside_code(converted)):
        if snippet in seen or snippet.startswith("<!--") and comment:
            continue
        seen.add(snippet)
        if len(seen) > MAX_REPORTED:
            break  # each report searches the text for its place: keep the count bounded
        line, col = _where(text, snippet)
        found.append(Problem(
            line, col, f"raw HTML '{snippet}' shows as text, not as HTML",
            "write Markdown instead (**bold**, [text](https://...), lists), or put it in "
            "`backticks` to show it as code", severity="warning"))
    return sorted(found, key=lambda p: (p.line, p.column))

"""Check a built site: every internal link and asset resolves, and nothing is fetched from outside.

Works on the HTML files of any built site (no MkDocs import): each ``href``/``src``/``srcset``
relative to the site must name a file of the site (a folder URL its ``index.html``), and a
``#fragment`` must name an ``id`` of the target page. Offline, assets that load by themselves
(scripts, stylesheets, images, fonts, frames, ``url()`` in the site's CSS) must not come from
another host; links a reader clicks may. Each problem is a ``Diagnostic`` with the HTML file,
line and column, the link, and why it is broken.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..cache import pool
from ..diagnostics import Diagnostic, Severity, sort_key

# Below this many pages, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 300

# Tags whose URL attribute the browser loads by itself when the page opens.
_ASSET_ATTRS: dict[str, tuple[str, ...]] = {
    "script": ("src",), "img": ("src", "srcset"), "source": ("src", "srcset"),
    "video": ("src", "poster"), "audio": ("src",), "track": ("src",), "iframe": ("src",),
    "embed": ("src",), "object": ("data",), "input": ("src",), "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
# <link rel=...> values that make the browser fetch the target.
_FETCHING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload",
                  "modulepreload", "prefetch", "manifest", "mask-icon", "preconnect",
                  "dns-prefetch"}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")


@dataclass(frozen=True)
class Link:
    """A URL found in a file, where, and whether the browser loads it by itself."""

    url: str
    line: int
    column: int
    asset: bool
    what: str
    """``<tag attr>`` it came from, for messages."""


@dataclass(frozen=True)
class Page:
    """What the checker needs from one HTML file: its ids and its links."""

    path: str
    ids: frozenset[str]
    links: tuple[Link, ...]
    mermaid: tuple[int, int] | None = None
    repo_facts: Link | None = None


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[Link] = []
        self.seen: set[tuple[str, bool]] = set()
        self.mermaid: tuple[int, int] | None = None
        self.repo_facts: Link | None = None

    def add(self, url: str, asset: bool, what: str) -> Link | None:
        url = url.strip()
        if not url or (url, asset) in self.seen:  # navigation repeats links: check each once
            return None
        self.seen.add((url, asset))
        line, col = self.getpos()
        link = Link(url, line, col + 1, asset, what)
        self.links.append(link)
        return link

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v for k, v in attrs if v is not None}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        classes = a.get("class", "").split()
        if "mermaid" in classes and self.mermaid is None:
            line, col = self.getpos()
            self.mermaid = (line, col + 1)
        if tag in ("a", "area") and "href" in a:
            link = self.add(a["href"], False, f"<{tag} href>")
            if a.get("data-md-component") == "source" and link is not None:
                self.repo_facts = link
        elif tag == "link" and "href" in a:
            rels = set(a.get("rel", "").lower().split())
            self.add(a["href"], bool(rels & _FETCHING_RELS), f"<link rel={a.get('rel', '')}>")
        for attr in _ASSET_ATTRS.get(tag, ()):
            if attr in a:
                values = ([part.strip().split()[0] for part in a[attr].split(",") if part.strip()]
                          if attr == "srcset" else [a[attr]])
                for value in values:
                    self.add(value, True, f"<{tag} {attr}>")
        if "style" in a:
            for m in _CSS_URL.finditer(a["style"]):
                self.add(m.group(2) or m.group(4), True, f"<{tag} style> url()")


def scan_html(path: Path, rel: str) -> Page:
    """Collect the ids and links of one HTML file."""
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8", errors="replace"))
    collector.close()
    return Page(rel, frozenset(collector.ids), tuple(collector.links), collector.mermaid,
                collector.repo_facts)


def scan_css(path: Path, rel: str) -> Page:
    """Collect the ``url()`` and ``@import`` references of a stylesheet (all are assets)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    links = []
    for m in _CSS_URL.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        links.append(Link(m.group(2) or m.group(4), line, col, True, "CSS url()"))
    return Page(rel, frozenset(), tuple(links))


def _scan(task: tuple[str, str]) -> Page:
    abs_path, rel = task
    return scan_css(Path(abs_path), rel) if rel.endswith(".css") else scan_html(Path(abs_path), rel)


def _is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme) or url.startswith("//")


def _fetches_from_outside(url: str) -> bool:
    parts = urlsplit(url)
    return url.startswith("//") or parts.scheme in ("http", "https", "ftp", "ws", "wss")


def resolve(page: str, url: str, base_path: str = "/") -> tuple[str | None, str, str]:
    """Resolve an internal ``url`` found in site file ``page`` (site-relative, forward slashes).

    Returns ``(target, fragment, problem)``: the site-relative path it points at (``""`` for the
    site root, a trailing ``/`` for a folder), the decoded fragment, and a problem text when the
    URL leaves the site (then ``target`` is ``None``).
    """
    parts = urlsplit(url)
    fragment = unquote(parts.fragment)
    path = unquote(parts.path)
    if not path:
        return page, fragment, ""
    if path.startswith("/"):
        base = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
        if path == base.rstrip("/"):
            joined = ""
        elif path.startswith(base):
            joined = path[len(base):]
        else:
            return None, fragment, f"absolute path outside the site's base path {base}"
    else:
        joined = posixpath.join(posixpath.dirname(page), path)
    folder = path.endswith("/")
    norm = posixpath.normpath(joined) if joined else "."
    if norm == ".." or norm.startswith("../"):
        return None, fragment, "points above the site root"
    norm = "" if norm == "." else norm
    if folder and norm:
        norm += "/"
    return norm, fragment, ""


def _target_file(target: str, files: set[str]) -> str | None:
    """The file a resolved target opens: itself, or the ``index.html`` of a folder."""
    if target in ("", "/"):
        return "index.html" if "index.html" in files else None
    if target.endswith("/"):
        index = target + "index.html"
        return index if index in files else None
    if target in files:
        return target
    index = target + "/index.html"  # a folder named without its trailing slash
    return index if index in files else None


def _site_files(site: Path) -> Iterator[str]:
    for dirpath, _dirnames, filenames in os.walk(site):
        rel_dir = os.path.relpath(dirpath, site)
        for name in filenames:
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            yield rel.replace(os.sep, "/")


@dataclass
class LinkReport:
    """The outcome of a link check: problems, and how much was checked."""

    diagnostics: list[Diagnostic]
    pages: int
    links: int

    @property
    def ok(self) -> bool:
        """True when no error was found."""
        return not any(d.severity == "error" for d in self.diagnostics)


def check_site(site_dir: Path | str, *, offline: bool = True, base_path: str = "/",
               jobs: int | None = None, ignore: Iterable[str] = ()) -> LinkReport:
    """Check every HTML file (and stylesheet) of a built site.

    ``offline``: also report assets loaded from other hosts. ``base_path``: the path the site
    is served under, for root-absolute links (``/docs/`` when site_url is
    ``https://x.example/docs/``). ``ignore``: site-relative file globs not to check (their
    links only; they still count as link targets).
    """
    site = Path(site_dir)
    files = set(_site_files(site))
    ignored = list(ignore)
    to_scan = sorted(f for f in files if f.endswith((".html", ".css"))
                     and not any(Path(f).match(g) for g in ignored))
    tasks = [(str(site / f), f) for f in to_scan]
    workers = pool.worker_count(jobs) if len(tasks) >= PARALLEL_THRESHOLD else 1
    pages = list(pool.map_processes(_scan, tasks, workers, chunksize=32))
    ids = {p.path: p.ids for p in pages}
    diags: list[Diagnostic] = []
    count = 0

    def problem(page: Page, link: Link | None, message: str, hint: str = "",
                severity: Severity = "error", code: str = "broken-link",
                at: tuple[int, int] | None = None) -> None:
        line, col = at or ((link.line, link.column) if link else (1, 1))
        diags.append(Diagnostic(page.path, line, col, "", message, hint, severity, code))

    for page in pages:
        for link in page.links:
            count += 1
            url = link.url
            if _is_external(url):
                if offline and link.asset and _fetches_from_outside(url):
                    problem(page, link, f"{link.what} loads '{url}' from another host",
                            "ship the file with the site (the site must work offline)",
                            code="external-asset")
                continue
            if url.startswith("#") and len(url) == 1:
                continue
            target, fragment, why = resolve(page.path, url, base_path)
            if target is None:
                problem(page, link, f"{link.what} '{url}' {why}")
                continue
            found = _target_file(target, files)
            if found is None:
                kind = "image" if link.what.startswith(("<img", "<source")) else "file"
                problem(page, link, f"{link.what} '{url}': no {kind} '{target or '/'}' in the "
                        "site", code="missing-image" if kind == "image" else "broken-link")
                continue
            if fragment and found.endswith(".html") and found in ids and \
                    fragment not in ids[found]:
                problem(page, link, f"{link.what} '{url}': page '{found}' has no anchor "
                        f"'#{fragment}'", "link to a heading id that exists on that page",
                        code="missing-anchor")
        if offline and page.mermaid and not any(
                "mermaid" in lk.url and lk.asset and not _is_external(lk.url)
                for lk in page.links):
            problem(page, None, "page has a Mermaid diagram: mkdocs-material loads mermaid.js "
                    "from unpkg.com when it opens", "draw the diagram at build time, or ship "
                    "mermaid.min.js in extra_javascript", code="external-asset", at=page.mermaid)
        if offline and page.repo_facts is not None and _fetches_from_outside(page.repo_facts.url):
            problem(page, page.repo_facts, f"the repository link '{page.repo_facts.url}' makes "
                    "mkdocs-material fetch repository facts (stars, forks) from its host when a "
                    "page opens", "remove repo_url from mkdocs.yml for an offline site",
                    code="external-asset")
    diags.sort(key=sort_key)
    return LinkReport(diags, sum(1 for p in pages if p.path.endswith(".html")), count)

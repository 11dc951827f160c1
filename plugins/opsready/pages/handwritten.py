"""Hand-written pages beside generated ones: which service they belong to, and clashes.

A team adds ``docs/services/<id>/*.md`` to its service. A hand-written file at the very path of a
generated page is a clash: one of the two is published (the hand-written one by default) and the
build says so, naming both, unless the hand-written page declares the replacement on purpose.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..guard.front_matter import FRONT_MATTER, page_meta
from ..output.site_paths import url_of

OVERRIDE_KEY = "opsready_replaces_generated"
"""Front-matter key a hand-written page sets (to true) to replace a generated page on purpose."""


def split_hand_written(src_paths: Iterable[str], services_dir: str,
                       service_ids: Iterable[str]) -> tuple[dict[str, list[str]], list[str]]:
    """Hand-written pages under ``<services_dir>/<id>/`` by service id (sorted), and the pages
    whose ``<id>`` is not a service of the catalog."""
    known = set(service_ids)
    prefix = services_dir.strip("/") + "/" if services_dir.strip("/") else ""
    found: dict[str, list[str]] = {}
    unknown: list[str] = []
    for src in sorted(src_paths):
        if not src.startswith(prefix) or not src.endswith(".md"):
            continue
        rest = src[len(prefix):]
        if "/" not in rest:
            continue  # services/index.md and other top-level pages belong to no service
        sid = rest.split("/", 1)[0]
        if sid in known:
            found.setdefault(sid, []).append(src)
        else:
            unknown.append(src)
    return found, unknown


_FRONT = FRONT_MATTER
# Linear: the heading's text runs to the end of the line and is trimmed in Python (a lazy group
# before two optional runs of spaces took cubic time on a heading of spaces).
_H1 = re.compile(r"^#[ \t]+(.*)$", re.M)


def title_of(markdown: str, src_path: str) -> str:
    """A page's title as MkDocs finds it: front-matter title, first H1, else the file name."""
    meta = page_meta(markdown.replace("\r\n", "\n"))
    title = meta.data.get("title")
    if title is not None and str(title).strip():
        return str(title).strip()
    if meta.body_line:
        markdown = "\n".join(markdown.replace("\r\n", "\n").split("\n")[meta.body_line:])
    for m in _H1.finditer(markdown):
        text = m.group(1).rstrip(" \t")
        text = text.rstrip("#").rstrip(" \t") or text
        if text:
            return text.strip()
    stem = src_path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem.replace("-", " ").replace("_", " ").capitalize()


def declares_override(markdown: str) -> bool:
    """Whether the page's front matter says it replaces the generated page on purpose."""
    front = _FRONT.match(markdown)
    return bool(front and re.search(rf"^{OVERRIDE_KEY}:[ \t]*true[ \t]*$", front.group(1),
                                    re.M | re.I))


def shown(path: str) -> str:
    """A path as messages show it: relative to the working directory when inside it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else Path(rel).as_posix()


@dataclass(frozen=True)
class Clash:
    """A hand-written page at the path of a generated page, and what was published."""

    src_path: str
    origin: str | None
    """The catalog file the generated page comes from."""
    hand_written_wins: bool
    deliberate: bool

    def message(self, docs_dir: str) -> str:
        """What the build log says about it (paths relative to the working directory)."""
        hand = shown(os.path.join(docs_dir, self.src_path))
        gen = f"the page generated from {shown(self.origin)}" if self.origin else "a generated page"
        if self.hand_written_wins:
            what = (f"hand-written page {hand} replaces {gen} at the same path")
            fix = (f"rename the page to keep both, or add '{OVERRIDE_KEY}: true' to its front "
                   "matter to confirm the replacement")
        else:
            what = f"hand-written page {hand} is not published: {gen} has the same path"
            fix = "rename the page to publish it (or set hand_written_wins: true)"
        return f"{what}; {fix}"


def find_clashes(generated: Mapping[str, str | None], hand_written: Mapping[str, str],
                 hand_written_wins: bool) -> list[Clash]:
    """Clashes between generated pages (src path -> origin) and hand-written ones (src path ->
    Markdown text), sorted by path."""
    return [
        Clash(src, generated[src], hand_written_wins,
              hand_written_wins and declares_override(hand_written[src]))
        for src in sorted(set(generated) & set(hand_written))
    ]


def url_clashes(pages: Iterable[str], generated: Iterable[str],
                use_directory_urls: bool) -> list[str]:
    """Hand-written pages (src paths, any Markdown suffix) that would get the URL of a generated
    page (by src path) without having its path, sorted."""
    paths = set(generated)
    urls = {page_url(src, use_directory_urls) for src in paths}
    return sorted(src for src in pages
                  if src not in paths and page_url(src, use_directory_urls) in urls)


_MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")


def page_url(src_path: str, use_directory_urls: bool = True) -> str:
    """The URL MkDocs gives a page of any Markdown suffix (``README`` is an index page)."""
    stem = next((src_path[: -len(x)] for x in _MARKDOWN_SUFFIXES if src_path.endswith(x)), None)
    if stem is None:
        return url_of(src_path, use_directory_urls=use_directory_urls)
    folder, _, name = stem.rpartition("/")
    if name == "README":
        stem = f"{folder}/index" if folder else "index"
    return url_of(stem + ".md", use_directory_urls=use_directory_urls)

"""The site's pages as HTML fragments of one document: the page Markdown the site publishes,
converted by Python-Markdown with the site's own extensions, cleaned by the allow-list of the
site's HTML (``guard.html``), with ids and links moved into the pack and the diagrams
drawn inline after the SVG check every published diagram passes.

Nothing here renders runbook content: the Markdown comes from ``output.assemble.site_output``
(the sandboxed templates, the sanitised prose and the flagged gaps of the site).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown

from ...guard.html import BASE_SCHEMES as URL_SCHEMES
from ...guard.html import clean_team, url_scheme
from ...guard.svg import svg_problems
from ...pages.handwritten import FRONT_MATTER
from ..assemble import REQUIRED_EXTENSIONS
from ..options import SiteError
from ..site_files import GeneratedFile
from ..site_paths import url_of

Report = Callable[[str, str], None]
DIAGRAM_MARK = "opsready-pack-diagram-"
"""The ``src`` a diagram image gets between sanitising and inlining (a relative path no link of
a page can produce: links are resolved against their page's folder first)."""
_MARKED_IMG = re.compile(r'<img(?:\s+[a-z-]+="[^"]*")*>')
_MARK_SRC = re.compile(r'\ssrc="' + DIAGRAM_MARK + r'(\d+)"')
_ALT = re.compile(r'\salt="([^"]*)"')
_XML_PROLOG = re.compile(r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!DOCTYPE[^>]*>\s*)?(?:<!--.*?-->\s*)*",
                         re.S)
_SVG_LINK = re.compile(r'(<a\b[^>]*?)\s(?:xlink:)?href="[^"#][^"]*"')
_SECTION = re.compile(r'^<h3 id="([^"]*)"', re.M)
# Headings of the sanitised HTML (the sanitiser writes "<" inside attribute values as "&lt;").
_HEADING = re.compile(r"<(/?)h([1-5])(?=[\s>])")


class PackError(SiteError):
    """The pack cannot be written (the reason is the message)."""


def markdown_extensions(raw: Any) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The ``markdown_extensions`` of ``mkdocs.yml`` (a list of names or ``{name: config}``)
    plus the extensions the plugin adds to every site, as Python-Markdown arguments."""
    names: list[str] = []
    configs: dict[str, dict[str, Any]] = {}
    for item in raw or []:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            for name, config in item.items():
                names.append(str(name))
                if isinstance(config, dict):
                    configs[str(name)] = config
    names += [ext for ext in REQUIRED_EXTENSIONS if ext not in names]
    return names, configs


def site_converter(raw: Any, report: Report) -> markdown.Markdown:
    """A Python-Markdown converter with the site's extensions. An extension that does not load
    outside MkDocs (one configured with a Python object) is left out with a warning."""
    names, configs = markdown_extensions(raw)
    usable = []
    for name in names:
        try:
            markdown.Markdown(extensions=[name], extension_configs={
                name: configs[name]} if name in configs else {})
        except Exception as exc:  # any extension's own error: reported, never a traceback
            report("warning", f"Markdown extension {name} left out of the pack: {exc}")
            continue
        usable.append(name)
    return markdown.Markdown(extensions=usable,
                             extension_configs={n: configs[n] for n in usable if n in configs},
                             output_format="html")


@dataclass(frozen=True)
class PageLinks:
    """Where the pages of the site are in the pack (src path -> anchor), and the live site."""

    anchors: Mapping[str, str]
    site_url: str = ""
    use_directory_urls: bool = True

    def target(self, page: str, value: str) -> str | None:
        """A link of ``page`` as the pack has it: into the pack, to the live site, or None."""
        if value.startswith("//") or url_scheme(value) is not None:
            return value  # an absolute link (the scheme passed the allow-list before)
        path, _, fragment = value.partition("#")
        target = page if not path else posixpath.normpath(
            posixpath.join(posixpath.dirname(page), path))
        if target in self.anchors:
            anchor = self.anchors[target]
            return f"#{anchor}--{fragment}" if fragment else f"#{anchor}"
        if self.site_url and target.endswith(".md"):
            url = url_of(target, use_directory_urls=self.use_directory_urls)
            return self.site_url.rstrip("/") + "/" + url + (f"#{fragment}" if fragment else "")
        return None  # a page or file the pack does not hold, and no live site to send to


@dataclass
class Converter:
    """Turns the site's page Markdown into pack fragments."""

    md: markdown.Markdown
    links: PageLinks
    diagrams: Mapping[str, GeneratedFile]
    """Diagram src path -> the SVG file drawn for the site."""
    schemes: Iterable[str] = URL_SCHEMES

    def __post_init__(self) -> None:
        self._svg: dict[str, str] = {}
        self._symbols: set[str] = set()

    def page(self, src_path: str, text: str, anchor: str) -> str:
        """One page (its Markdown as the site publishes it) as a sanitised fragment whose ids
        start with ``anchor--``; its diagrams inline."""
        front = FRONT_MATTER.match(text)
        body = text[front.end():] if front else text
        html = self.md.reset().convert(body)
        self.md.reset()
        marked: list[str] = []

        def rewrite(element: str, attribute: str, value: str) -> str | None:
            if attribute == "id":
                return f"{anchor}--{value}"
            if attribute == "src":  # images: only the site's own diagrams, drawn inline
                path = posixpath.normpath(posixpath.join(posixpath.dirname(src_path), value))
                if url_scheme(value) is None and path in self.diagrams:
                    marked.append(path)
                    return f"{DIAGRAM_MARK}{len(marked) - 1}"
                return None  # anything else would be a request
            if attribute == "href":
                if value.startswith("#"):
                    return f"#{anchor}--{value[1:]}" if value[1:] else f"#{anchor}"
                return self.links.target(src_path, value)
            return value

        clean = clean_team(html, self.schemes, rewrite)
        # One level down: the pack's title is the document's only h1, a page's title an h2.
        clean = _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", clean)
        return _MARKED_IMG.sub(lambda m: self._inline(m.group(0), marked), clean)

    def _inline(self, tag: str, marked: list[str]) -> str:
        found = _MARK_SRC.search(tag)
        if found is None:
            return tag
        alt = _ALT.search(tag)
        label = alt.group(1) if alt else ""
        svg = self.svg(marked[int(found.group(1))])
        return f'<span class="pack-diagram" role="img" aria-label="{label}">{svg}</span>'

    def svg(self, src_path: str) -> str:
        """The checked SVG of a diagram, ready to sit inside HTML; icons already inlined by an
        earlier diagram of the document are referred to, not repeated."""
        if src_path not in self._svg:
            text = _svg_text(self.diagrams[src_path])
            problems = svg_problems(text)
            if problems:  # the same check as the site; never weakened for the pack
                raise PackError(f"{src_path}: not inlined: {'; '.join(problems)}")
            text = _XML_PROLOG.sub("", text, count=1)
            # A box's link to another service's page leads nowhere from a file: kept as text.
            self._svg[src_path] = _SVG_LINK.sub(r"\1", text)
        return self._dedupe(self._svg[src_path])

    def _dedupe(self, svg: str) -> str:
        def drop(match: re.Match[str]) -> str:
            ident = match.group(1)
            if ident in self._symbols:
                return ""
            self._symbols.add(ident)
            return match.group(0)

        return _SYMBOL.sub(drop, svg)


# The icons the diagram engine embeds: one <symbol> per icon, its id a hash of the image.
_SYMBOL = re.compile(r'<symbol id="(icon-[0-9a-f]+)"[^>]*>.*?</symbol>', re.S)


def sections(fragment: str, anchor: str, ids: Iterable[str]) -> str:
    """The top-level sections of a page fragment (its ``<h2>``, an ``<h3>`` in the pack) whose
    id (before the pack's ``anchor--`` prefix) is one of ``ids``, in page order."""
    wanted = {f"{anchor}--{i}" for i in ids}
    starts = [(m.start(), m.group(1)) for m in _SECTION.finditer(fragment)]
    out = []
    for index, (start, ident) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(fragment)
        if ident in wanted:
            out.append(fragment[start:end])
    return "".join(out)


def _svg_text(drawn: GeneratedFile) -> str:
    """The text of a drawn diagram: held in memory, or a file to copy."""
    if drawn.abs_path is not None:
        return Path(drawn.abs_path).read_text(encoding="utf-8")
    content = drawn.content
    return content.decode("utf-8") if isinstance(content, bytes) else content or ""

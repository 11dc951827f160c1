"""The checks every SVG passes before it is published: drawn diagrams (fresh or cached) and the
SVG files of a team's folder.

Diagrams:
An SVG opened at its own URL runs its scripts with the site's origin, so a published diagram
must hold nothing active (scripts, event handlers, embedded HTML, ``javascript:`` links) and
must be self-contained (images inline as ``data:`` URIs, no path of the build machine). This
module does not import the ``diagrams`` library: a warm build checks its cached SVGs cheaply.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ACTIVE_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler",
                   "listener", "style", "animate", "set", "animatemotion", "animatetransform"}
_HREF = re.compile(r"[\s\x00-\x1f]+")
_URL = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def machine_paths() -> tuple[str, ...]:
    """Folders of this machine an SVG must not name: the Python installation and the
    ``diagrams`` package with its icons (found without importing it)."""
    roots = {sys.prefix, sys.base_prefix}
    spec = importlib.util.find_spec("diagrams")
    if spec is not None and spec.origin:
        package = Path(spec.origin).resolve().parent
        roots |= {str(package.parent), str(package.parent / "resources")}
    return tuple(sorted(r for r in roots if len(r) > 1))


def processing_instructions(data: str | bytes) -> list[str]:
    """The processing instructions of an XML document (the XML declaration is not one), or
    ``[]`` when it does not parse (the caller reports that). ``<?xml-stylesheet?>`` makes a
    browser opening the file run an XSLT stylesheet, whose output can hold a script."""
    parser: ET.XMLPullParser = ET.XMLPullParser(events=("pi",))
    try:
        parser.feed(data)
        parser.close()
    except ET.ParseError:
        return []
    found: list[str] = []
    for event in parser.read_events():
        element: object = event[1] if isinstance(event, tuple) and len(event) > 1 else None  # type: ignore[misc]
        found.append(str(getattr(element, "text", "") or ""))
    return found


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def svg_problems(svg: str) -> list[str]:
    """Why ``svg`` must not be published (empty when it is safe): active content, external
    references, filesystem paths, or XML that does not parse."""
    problems = [f"SVG contains a filesystem path ({root})" for root in machine_paths()
                if root in svg]
    if "<!ENTITY" in svg:
        return [*problems, "SVG declares XML entities"]
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as exc:
        return [*problems, f"SVG is not well-formed XML ({exc})"]
    if _local(root.tag) != "svg":
        problems.append(f"the document is a <{_local(root.tag)}>, not an SVG")
    for pi in processing_instructions(svg):
        problems.append(f"SVG has a processing instruction <?{pi[:40]}?>")
    for element in root.iter():
        tag = _local(element.tag)
        if tag in ACTIVE_ELEMENTS:
            problems.append(f"SVG contains a <{tag}> element")
        for name, value in element.attrib.items():
            attr = _local(name)
            if attr.startswith("on"):
                problems.append(f"SVG has an event handler attribute {attr}=")
            elif attr == "href" and tag == "image" and value.startswith("data:image/"):
                continue  # an inline icon (base64 has no parenthesis: no url() either)
            elif attr == "href":
                target = _HREF.sub("", value).lower()
                if tag in ("image", "use"):
                    if not target.startswith("data:image/" if tag == "image" else "#"):
                        problems.append(f"SVG refers to an external image: {value[:60]}")
                elif target.startswith(("javascript:", "vbscript:", "data:")):
                    problems.append(f"SVG has a link to {target.split(':')[0]}:")
            for url in _URL.findall(value) if "(" in value else ():
                if not url.startswith("#"):
                    problems.append(f"SVG refers to an external resource: url({url[:60]})")
    return problems


# --- SVG files of a team's folder ----------------------------------------------------------------
# Whether an SVG file of a team's folder is inert enough to publish as it is.
#
# A browser opening an SVG file runs its scripts on the site's own origin, so a team's SVG is
# published only when every element is a drawing element of an allow-list (no ``<script>``,
# ``<foreignObject>``, ``<a>``, ``<animate>``/``<set>``, ``<style>``), no attribute is an event
# handler, and every reference stays inside the file (``#id``) or is an inline PNG/JPEG image.
# Nothing is rewritten: an SVG that fails is left out, with the reason.

MAX_TEAM_SVG_BYTES = 2_000_000
"""Larger SVG files are not published (a drawing is rarely above a few hundred KB)."""

TEAM_SVG_ELEMENTS = frozenset({
    "svg", "g", "defs", "symbol", "use", "title", "desc", "metadata", "path", "rect", "circle",
    "ellipse", "line", "polyline", "polygon", "text", "tspan", "textPath", "image",
    "linearGradient", "radialGradient", "stop", "clipPath", "mask", "pattern", "marker", "filter",
    "feGaussianBlur", "feOffset", "feBlend", "feColorMatrix", "feMerge", "feMergeNode",
    "feFlood", "feComposite", "switch",
})
"""Drawing elements (local names, any namespace)."""

_IMAGE_PREFIXES = ("data:image/png;", "data:image/jpeg;", "data:image/gif;")
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def svg_problem(data: bytes) -> str | None:
    """Why the SVG ``data`` cannot be published as it is, or None when it is inert."""
    if len(data) > MAX_TEAM_SVG_BYTES:
        return f"larger than {MAX_TEAM_SVG_BYTES} bytes"
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return "it declares a DOCTYPE or entities"
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return f"not well-formed XML ({exc})"
    for pi in processing_instructions(data):
        # <?xml-stylesheet?> runs an XSLT stylesheet, which can write a script into the result.
        return f"it has a processing instruction <?{pi[:40]}?>"
    for element in root.iter():
        tag = str(element.tag).rsplit("}", 1)[-1]
        namespace = str(element.tag)[1:].split("}", 1)[0] if str(element.tag)[:1] == "{" else ""
        if tag not in TEAM_SVG_ELEMENTS or namespace not in ("", SVG_NAMESPACE):
            return f"it has a <{tag}> element" + (f" of {namespace}" if namespace else "")
        for name, value in element.attrib.items():
            attr = _local(name)
            if attr.startswith("on"):
                return f"<{tag}> has an event handler ({attr})"
            if attr == "href":
                if tag == "image" and value.strip().lower().startswith(_IMAGE_PREFIXES):
                    continue
                if not value.strip().startswith("#"):
                    return f"<{tag}> refers to something outside the file ({value[:40]})"
            if "url(" in value.lower().replace(" ", "") and "url(#" not in value.replace(" ", ""):
                return f"<{tag}> {attr} loads a URL"
    return None

"""The check every SVG passes before it is published, freshly drawn or taken from the cache.

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

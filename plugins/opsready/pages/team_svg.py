"""Whether an SVG file of a team's folder is inert enough to publish as it is.

A browser opening an SVG file runs its scripts on the site's own origin, so a team's SVG is
published only when every element is a drawing element of an allow-list (no ``<script>``,
``<foreignObject>``, ``<a>``, ``<animate>``/``<set>``, ``<style>``), no attribute is an event
handler, and every reference stays inside the file (``#id``) or is an inline PNG/JPEG image.
Nothing is rewritten: an SVG that fails is left out, with the reason.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..diagrams.svgcheck import processing_instructions

MAX_BYTES = 2_000_000
"""Larger SVG files are not published (a drawing is rarely above a few hundred KB)."""

ELEMENTS = frozenset({
    "svg", "g", "defs", "symbol", "use", "title", "desc", "metadata", "path", "rect", "circle",
    "ellipse", "line", "polyline", "polygon", "text", "tspan", "textPath", "image",
    "linearGradient", "radialGradient", "stop", "clipPath", "mask", "pattern", "marker", "filter",
    "feGaussianBlur", "feOffset", "feBlend", "feColorMatrix", "feMerge", "feMergeNode",
    "feFlood", "feComposite", "switch",
})
"""Drawing elements (local names, any namespace)."""

_IMAGE_PREFIXES = ("data:image/png;", "data:image/jpeg;", "data:image/gif;")
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def svg_problem(data: bytes) -> str | None:
    """Why the SVG ``data`` cannot be published as it is, or None when it is inert."""
    if len(data) > MAX_BYTES:
        return f"larger than {MAX_BYTES} bytes"
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
        tag = _local(str(element.tag))
        namespace = str(element.tag)[1:].split("}", 1)[0] if str(element.tag)[:1] == "{" else ""
        if tag not in ELEMENTS or namespace not in ("", SVG_NAMESPACE):
            return f"it has a <{tag}> element" + (f" of {namespace}" if namespace else "")
        for name, value in element.attrib.items():
            attr = _local(name).lower()
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

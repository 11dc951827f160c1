"""Per-service SVG readiness badges, drawn by hand (no external service, no fonts to fetch)."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

# White text on each colour has a contrast of 4.5:1 or more (WCAG 2.1 AA); the value is written
# in words, so the colour only repeats it.
COLOURS = {"gold": "#8a6500", "silver": "#5c6672", "bronze": "#8a4f24", "none": "#6e6e6e"}
BELOW = "#c0392b"
LABEL = "#555"
_NARROW = set("fijlrtI.,:;!|' ()[]")
_WIDE = set("mwMW@%")


def text_width(text: str) -> float:
    """Approximate width in pixels of ``text`` at 11px Verdana (good enough for a badge)."""
    return sum(4.0 if c in _NARROW else 10.0 if c in _WIDE else 7.0 for c in text)


def badge_svg(label: str, value: str, colour: str) -> str:
    """A two-part badge: grey ``label``, coloured ``value``."""
    lw = round(text_width(label) + 12)
    vw = round(text_width(value) + 12)
    total = lw + vw
    title = escape(f"{label}: {value}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" '
        f'aria-label="{title}"><title>{title}</title>'
        f'<clipPath id="c"><rect width="{total}" height="20" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#c)"><rect width="{lw}" height="20" fill="{LABEL}"/>'
        f'<rect x="{lw}" width="{vw}" height="20" fill="{colour}"/></g>'
        '<g fill="#fff" text-anchor="middle" '
        'font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="{lw / 2:g}" y="14">{escape(label)}</text>'
        f'<text x="{lw + vw / 2:g}" y="14">{escape(value)}</text></g></svg>\n'
    )


def service_badge(service: dict[str, Any]) -> str:
    """The badge of one scorecard service entry: its level, red when below the required one."""
    achieved = service["achieved"]
    if service["below_required"]:
        return badge_svg("readiness", f"{achieved} < {service['required']}", BELOW)
    return badge_svg("readiness", achieved, COLOURS.get(achieved, COLOURS["none"]))

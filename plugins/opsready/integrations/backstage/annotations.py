"""What a Backstage component's annotations become in a service file, and what they do not."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ...model.base import URL_PATTERN

_URL_RE = re.compile(URL_PATTERN)
REPOSITORY_HOSTS = {
    "github.com/project-slug": "https://github.com/",
    "gitlab.com/project-slug": "https://gitlab.com/",
}
# Written by Backstage itself about the entity file: nothing to carry over.
IGNORED = frozenset({"backstage.io/managed-by-location", "backstage.io/managed-by-origin-location"})
SECRET = frozenset({"pagerduty.com/integration-key"})


@dataclass
class AnnotationResult:
    """Fields taken from the annotations, and notes on the ones that did not map."""

    repository: str | None = None
    links: list[dict[str, str]] = field(default_factory=list)
    on_call: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _location_url(value: str) -> str | None:
    """``url:https://...`` (a source or techdocs location) -> the URL."""
    if value.startswith("url:"):
        url = value[4:].strip()
        return url if _URL_RE.match(url) else None
    return None


def map_annotations(annotations: dict[str, Any]) -> AnnotationResult:
    """Map the annotations of one component."""
    out = AnnotationResult()
    techdocs: str | None = None
    for key, raw in annotations.items():
        value = str(raw).strip()
        if key in IGNORED:
            continue
        if key in REPOSITORY_HOSTS and value:
            out.repository = REPOSITORY_HOSTS[key] + value.strip("/")
        elif key == "backstage.io/source-location" and _location_url(value):
            out.repository = out.repository or _location_url(value)
        elif key == "backstage.io/techdocs-ref":
            techdocs = value
        elif key == "pagerduty.com/service-id" and value:
            out.on_call.append(f"Pages go to the PagerDuty service `{value}` (from Backstage).")
        elif key == "pagerduty.com/escalation-policy-id" and value:
            out.on_call.append(f"PagerDuty escalation policy `{value}` (from Backstage).")
        elif key in SECRET:
            out.notes.append(f"annotation {key} not copied: it is a secret; keep it in the "
                             "alerting system")
        else:
            out.notes.append(f"annotation {key}: {value!r} has no opsready field")
    if techdocs is not None:
        url = _location_url(techdocs)
        if url:
            out.links.append({"title": "TechDocs", "url": url})
        elif techdocs.startswith("dir:") and out.repository:
            out.links.append({"title": f"TechDocs source ({techdocs[4:] or '.'} in the "
                              "repository)", "url": out.repository})
        else:
            out.notes.append(f"annotation backstage.io/techdocs-ref: {techdocs!r} names no URL "
                             "(and no repository is known): not mapped")
    return out


def map_links(links: Any) -> tuple[list[dict[str, str]], list[str]]:
    """``metadata.links`` -> opsready links (title and URL); notes on links that could not be."""
    out: list[dict[str, str]] = []
    notes: list[str] = []
    for link in links if isinstance(links, list) else []:
        if not isinstance(link, dict) or not _URL_RE.match(str(link.get("url", ""))):
            notes.append(f"link {link!r}: not an http(s) URL, not mapped")
            continue
        url = str(link["url"])
        out.append({"title": str(link.get("title") or url), "url": url})  # icons: presentation
    return out, notes

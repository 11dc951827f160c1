"""Where every generated page lives in the site: one place, so URLs stay stable.

Alert runbook URLs are a public contract: alerting rules point at them through their
``runbook_url`` annotation, so they derive only from the service id and the alert name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

DOCUMENTS: tuple[tuple[str, str], ...] = (
    ("overview", "Overview"),
    ("service-guide", "Service guide"),
    ("operators-handbook", "Operators handbook"),
    ("ops-guide", "Ops guide"),
    ("runbook", "NOC runbook"),
    ("architecture", "Architecture"),
)
"""The documents generated for every service: (slug, title), in reading order."""


@dataclass(frozen=True)
class SitePaths:
    """Source paths (``.md``, relative to ``docs_dir``) of generated pages.

    ``prefix`` is the folder every generated page goes under (the plugin's ``prefix`` option,
    empty by default), so a site can keep its own pages at the top level.
    """

    prefix: str = ""

    def _join(self, *parts: str) -> str:
        base = self.prefix.strip("/")
        return "/".join(p for p in (base, *parts) if p)

    def services_index(self) -> str:
        """The services index page."""
        return self._join("services", "index.md")

    def service_dir(self, service_id: str) -> str:
        """The folder of one service's pages (also where hand-written pages go)."""
        return self._join("services", service_id)

    def document(self, service_id: str, doc: str) -> str:
        """One generated document of a service (``doc`` is a slug of ``DOCUMENTS``)."""
        name = "index.md" if doc == "overview" else f"{doc}.md"
        return self._join("services", service_id, name)

    def runbooks_index(self) -> str:
        """The NOC's index of every runbook and alert."""
        return self._join("runbooks", "index.md")

    def alert(self, service_id: str, alert_name: str) -> str:
        """The runbook page of one alert: ``runbooks/<service>/<alert slug>.md``."""
        return self._join("runbooks", service_id, f"{alert_slug(alert_name)}.md")

    def scorecard(self) -> str:
        """The readiness scorecard page."""
        return self._join("scorecard", "index.md")

    def scorecard_json(self) -> str:
        """The machine-readable scorecard."""
        return self._join("scorecard", "scorecard.json")

    def badge(self, service_id: str) -> str:
        """The SVG readiness badge of a service."""
        return self._join("scorecard", "badges", f"{service_id}.svg")

    def fleet_map(self) -> str:
        """The fleet dependency map page."""
        return self._join("architecture", "fleet-map.md")

    def format_reference(self) -> str:
        """The YAML format reference generated from the schema."""
        return self._join("reference", "service-format.md")


_CLASSIC_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_:]*\Z")
_DASHES = re.compile(r"-{2,}")
MAX_SLUG_BYTES = 200
"""Longest slug (UTF-8 bytes): a page's file name must stay under the usual 255-byte limit."""


def alert_slug(name: str) -> str:
    """The part of an alert's page path (and URL) that names the alert; stable and documented.

    * A name of ASCII letters, digits, ``_`` and ``:`` not starting with a digit (the usual
      Prometheus style, up to 200 characters) is its own slug: ``HighErrorRate``.
    * Any other name is put in Unicode NFC form; every character other than a letter, a digit,
      ``_`` or ``-`` becomes ``-``; runs of ``-`` become one and ``-`` is dropped at both ends:
      ``MysqlTooManyConnections(>80%)`` -> ``MysqlTooManyConnections-80``, ``PveVm/ctDown`` ->
      ``PveVm-ctDown``. Letter case is kept.
    * A slug that comes out empty is ``alert-`` and the first 10 hex digits of the SHA-256 of the
      name (UTF-8); one over 200 bytes is cut to 180 bytes and ends with ``-`` and those digits.

    Two alerts of one service whose slugs are equal, ignoring letter case, are a check error.
    """
    if len(name) <= MAX_SLUG_BYTES and _CLASSIC_NAME.match(name):
        return name
    text = unicodedata.normalize("NFC", name)
    slug = "".join(ch if ch.isalnum() or ch in "_-" else "-" for ch in text)
    slug = _DASHES.sub("-", slug).strip("-")
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]
    if not slug:
        return f"alert-{digest}"
    if len(slug.encode("utf-8")) > MAX_SLUG_BYTES:
        cut = slug.encode("utf-8")[:180].decode("utf-8", errors="ignore").rstrip("-")
        return f"{cut}-{digest}"
    return slug


def url_of(src_path: str, *, use_directory_urls: bool = True) -> str:
    """The site URL (relative to the site root) MkDocs gives a Markdown source path."""
    stem = src_path[:-3] if src_path.endswith(".md") else src_path
    if not use_directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"

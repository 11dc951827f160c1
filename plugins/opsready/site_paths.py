"""Where every generated page lives in the site: one place, so URLs stay stable.

Alert runbook URLs are a public contract: alerting rules point at them through their
``runbook_url`` annotation, so they derive only from the service id and the alert name.
"""

from __future__ import annotations

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
        """The runbook page of one alert: ``runbooks/<service>/<AlertName>.md``."""
        return self._join("runbooks", service_id, f"{alert_name}.md")

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

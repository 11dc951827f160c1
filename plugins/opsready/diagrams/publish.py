"""The site's diagrams in one call: specs from the catalog, drawn (or reused), handed to pages.

This is what the site orchestration calls. It imports no MkDocs: it returns the images to
publish as ``GeneratedFile`` (the SVG bytes), the references the page templates show, and every
problem as a ``Diagnostic`` naming the service file. It caches nothing: drawings known from an
earlier build are passed in (``known``, by ``spec_hash``) and new ones come back in
``SiteDiagrams.report.drawn``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..catalog.fleet import Catalog
from ..diagnostics import Diagnostic
from ..output.site_files import DiagramRef, GeneratedFile
from ..output.site_paths import SitePaths
from .batch import Progress, RenderReport, render_all
from .fleet import site_diagrams
from .from_model import SiteDiagram

PROGRESS_MINIMUM = 20  # fewer diagrams to draw than this: no progress lines
HEADINGS = {
    "components": "Components and dependencies",
    "interactions": "Data flows",
    "fleet-map": "Fleet dependency map",
}
FLEET_NAMES = ("fleet-map", "fleet-overview", "fleet-team")


@dataclass
class SiteDiagrams:
    """The diagrams of a build: files to publish, what each page shows, problems, what was drawn.

    ``report`` is None when diagrams are disabled.
    """

    files: list[GeneratedFile] = field(default_factory=list)
    by_service: dict[str, list[DiagramRef]] = field(default_factory=dict)
    fleet_map: DiagramRef | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    report: RenderReport | None = None

    @property
    def ok(self) -> bool:
        """True when no diagram failed."""
        return not any(d.severity == "error" for d in self.diagnostics)


def render_site_diagrams(
    catalog: Catalog,
    paths: SitePaths,
    *,
    known: Mapping[str, bytes] | None = None,
    diagrams: list[SiteDiagram] | None = None,
    concurrency: int = 0,
    enabled: bool = True,
    progress: Progress | None = None,
    levels: Mapping[str, str] | None = None,
    use_directory_urls: bool = True,
) -> SiteDiagrams:
    """Draw (or take from ``known``, SVGs by ``spec_hash``) every diagram of the site.

    ``diagrams``: the site's diagrams when already listed (``fleet.site_diagrams``).
    ``enabled=False`` returns an empty result without touching Graphviz. Raises
    ``GraphvizMissing`` when something must be drawn and Graphviz is absent; when every
    drawing is known no Graphviz is needed. Failed diagrams become error diagnostics and get no
    image.
    """
    if not enabled:
        return SiteDiagrams()
    if diagrams is None:
        diagrams = site_diagrams(catalog, paths, levels=levels,
                                 use_directory_urls=use_directory_urls)
    report = render_all([d.spec for d in diagrams], concurrency, progress, known=known)
    result = SiteDiagrams(report=report)
    failed = dict(report.errors)
    team_maps: list[DiagramRef] = []
    for diagram in diagrams:
        if diagram.spec.id in failed:
            result.diagnostics.append(_diagnostic(catalog, diagram, failed[diagram.spec.id]))
            continue
        svg = report.svgs[diagram.spec.id]
        origin = _origin(catalog, diagram.service_id)
        result.files.append(GeneratedFile(diagram.src_path, svg, origin=origin))
        title = diagram.title or HEADINGS.get(diagram.name, diagram.spec.title)
        anchor = f"team-{diagram.team_id}" if diagram.team_id else ""
        ref = DiagramRef(title, diagram.src_path, diagram.alt, diagram.table_markdown,
                         anchor=anchor)
        if diagram.name == "fleet-team":
            team_maps.append(ref)
        elif diagram.name in FLEET_NAMES:
            result.fleet_map = ref
        elif diagram.service_id is not None:
            result.by_service.setdefault(diagram.service_id, []).append(ref)
    if result.fleet_map is not None and team_maps:
        result.fleet_map = replace(result.fleet_map, parts=tuple(team_maps))
    return result


def _origin(catalog: Catalog, service_id: str | None) -> str | None:
    source = catalog.sources.get(service_id) if service_id else None
    return str(Path(source.path).resolve()) if source is not None else None


def _diagnostic(catalog: Catalog, diagram: SiteDiagram, message: str) -> Diagnostic:
    hint = "fix the architecture section, or report a bug if it looks valid"
    source = catalog.sources.get(diagram.service_id) if diagram.service_id else None
    if source is None:
        return Diagnostic(str(catalog.root), 1, 1, "", message, hint, code="diagram")
    line, col = source.position(("architecture",))
    return Diagnostic(source.display, line, col, "architecture", message, hint, code="diagram")


def progress_reporter(emit: Callable[[str], None], *,
                      minimum: int = PROGRESS_MINIMUM, steps: int = 10) -> Progress:
    """A ``render_all`` progress callback that emits ``diagrams: 12/40 rendered`` lines.

    Silent when fewer than ``minimum`` diagrams must be drawn (the rest came from the cache);
    otherwise about ``steps`` lines, the last one when everything is done.
    """
    state: dict[str, int] = {}

    def report(done: int, total: int) -> None:
        if "start" not in state:  # the first call: what the cache already had
            state["start"] = done
            state["step"] = max(1, (total - done) // steps)
            state["next"] = done + state["step"]
            return
        todo = total - state["start"]
        if todo < minimum or (done < state["next"] and done < total):
            return
        cached = f" ({state['start']} from the cache)" if state["start"] else ""
        emit(f"diagrams: {done - state['start']}/{todo} rendered{cached}")
        state["next"] = done + state["step"]

    return report

"""The site as data: the catalog, its readiness and the options in; every file opsready
publishes, its navigation placement and what to report out. No MkDocs import.

Two steps, because a builder learns the site's own files only after loading:
``load_site`` (catalog + readiness, before the build) and ``site_output`` (pages, assets,
diagrams, scorecard, given the site's own files). The MkDocs plugin calls them from its events;
``opsready generate`` calls them in a row and writes the result to disk.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..cache.reads import recording
from ..catalog.fleet import Catalog
from ..catalog.yaml_loader import MAX_MARKDOWN_BYTES, size_problem
from ..diagrams.publish import SiteDiagrams, progress_reporter
from ..diagrams.tools import GraphvizMissing, graphviz_available
from ..guard.includes import SiteReaders
from ..guard.paths import linked_folder_message, linked_folders
from ..pages import (
    ExtraPage,
    PageStats,
    RenderInputs,
    TemplateError,
    TemplateSet,
)
from ..pages import nav as navplan
from ..pages.contacts import ContactLinks
from ..pages.handwritten import (
    find_clashes,
    page_url,
    shown,
    split_hand_written,
    title_of,
    url_clashes,
)
from ..pages.plan import PlannedPage, plan_pages
from ..pages.team_pages import TeamFiles, team_files
from ..policy.build_readiness import SiteReadiness, site_readiness
from ..policy.engine import today_from_env
from ..scorecard.publish import scorecard_files
from .options import Report, SiteDirs, SiteError, SiteOptions
from .page_reuse import pages_reusing
from .reuse import cached_evaluator, drawn_diagrams, finish, load_site_catalog, site_store
from .site_files import GeneratedFile

FILTER_SCRIPT = "assets/opsready/services-filter.js"
FILTER_TEMPLATE = "assets/services-filter.js"
# Published asset -> packaged template source; printing matters most for runbooks.
PRINT_ASSETS = {"assets/opsready/print.css": "assets/print.css",
                "assets/opsready/print.js": "assets/print.js"}
# Phone layout of runbooks: wrapping commands, stacked contact tables.
NOC_ASSETS = {"assets/opsready/noc.css": "assets/noc.css",
              "assets/opsready/noc.js": "assets/noc.js"}
# Contrast, link, focus and scrolling-table fixes for WCAG 2.1 AA (see docs/guide/accessibility.md).
A11Y_ASSETS = {"assets/opsready/a11y.css": "assets/a11y.css",
               "assets/opsready/a11y.js": "assets/a11y.js"}
RUNBOOK_PACKS = "packs/"
"""Where the plugin's ``runbook_packs`` option writes the packs, from the site root."""
REQUIRED_EXTENSIONS = ("attr_list", "admonition", "tables", "toc", "md_in_html")
"""Headings need ids (attr_list), flags admonitions, contact tables a wrapper (md_in_html)."""


def asset_sources(options: SiteOptions, paths: Any) -> dict[str, str]:
    """Scripts and stylesheets the site gets: published path -> packaged template source."""
    assets = {FILTER_SCRIPT: FILTER_TEMPLATE} if options.services_filter else {}
    if options.print_styles:
        assets.update(PRINT_ASSETS)
    if options.noc_styles:
        assets.update(NOC_ASSETS)
    if options.accessibility:
        assets.update(A11Y_ASSETS)
    prefix = paths.prefix
    return {posixpath.join(prefix, k) if prefix else k: v for k, v in assets.items()}


@dataclass(frozen=True)
class DocsFile:
    """A file of the site's own (in ``docs_dir``), as the builder found it."""

    src_path: str
    abs_path: str | None
    is_page: bool
    read: Callable[[], str] = field(compare=False, repr=False, default=lambda: "")


@dataclass
class LoadedSite:
    """The catalog and its readiness: the first step, before the builder lists its files."""

    catalog: Catalog
    readiness: SiteReadiness


@dataclass
class SiteOutput:
    """Everything opsready publishes for a site, for any builder."""

    files: list[GeneratedFile]
    """Pages, assets, diagrams, scorecard page, ``scorecard.json`` and badges."""
    plan: list[PlannedPage]
    hand_written: dict[str, list[str]]
    """Team pages under ``services/<id>/`` by service id."""
    team: TeamFiles
    remove: list[str]
    """Site files not to publish (active content in team folders, pages a generated page wins
    over)."""
    service_names: dict[str, str]

    @property
    def managed(self) -> set[str]:
        """Pages whose navigation place opsready decides (service pages and team pages)."""
        return {p.src_path for p in self.plan if p.service_id} | {
            s for srcs in self.hand_written.values() for s in srcs}

    def sections(self, exclude: set[str] = frozenset()) -> list[navplan.NavSection]:  # type: ignore[assignment]
        """One navigation section per service (pages a site's own nav lists are left out)."""
        return navplan.service_sections(self.plan, self.service_names, self.hand_written,
                                        exclude=exclude)


def load_site(options: SiteOptions, dirs: SiteDirs, report: Report,
              load: Callable[[], Any] | None = None, *,
              readers: SiteReaders | None = None) -> LoadedSite:
    """Load the catalog and evaluate its readiness; report problems and gaps.

    ``readers``: the site's file-reading Markdown extensions (``guard.includes.configured``):
    catalog text using the markers they were given is an error. ``load`` replaces the catalog
    load (the plugin passes a memoised one, given the same ``readers``). Raises ``SiteError``
    when the catalog or the policy has errors.
    """
    result = load() if load is not None else load_site_catalog(dirs, options, readers)
    errors = 0
    for d in result.diagnostics:
        errors += d.severity == "error"
        report(d.severity if d.severity in ("error", "warning") else "info", d.log_line())
    if errors:
        raise SiteError(f"the catalog in {dirs.catalog_dir} has {errors} "
                        f"error{'s' if errors != 1 else ''} (listed above)")
    return LoadedSite(result.catalog, evaluate_readiness(result.catalog, options, dirs, report))


def evaluate_readiness(catalog: Catalog, options: SiteOptions, dirs: SiteDirs,
                       report: Report) -> SiteReadiness:
    """Readiness gaps and levels: reported now, flagged on pages, summarised after the build."""
    if not options.readiness:
        return SiteReadiness(None)
    try:
        today = today_from_env()
    except ValueError as exc:
        raise SiteError(str(exc)) from None
    store = site_store(dirs)
    with recording() as policy_reads:
        readiness = site_readiness(catalog, dirs.policy_path, today,
                                   evaluate=cached_evaluator(store, policy_reads,
                                                             jobs=options.concurrency),
                                   baseline_path=dirs.baseline_path,
                                   baseline_required=bool(options.baseline))
    finish(store, options)
    for level, text in readiness.log_records(options.warn_gaps):
        report(level, text)
    if readiness.evaluation is None:
        raise SiteError("the readiness policy has errors (listed above)")
    return readiness


def site_output(site: LoadedSite, docs: Mapping[str, DocsFile], options: SiteOptions,
                dirs: SiteDirs, templates: TemplateSet, report: Report, *,
                docs_dir: str, use_directory_urls: bool = True) -> SiteOutput:
    """Every file opsready publishes beside the site's own files ``docs`` (src path -> file).

    Raises ``SiteError`` after reporting why (links out of docs/, oversized team pages, failed
    diagrams, template errors).
    """
    paths, catalog = dirs.paths, site.catalog
    services_dir = posixpath.dirname(paths.services_index())
    team = _team_files(docs, services_dir, docs_dir, report)
    pages = {s: f for s, f in docs.items() if f.is_page}
    hand, unknown = split_hand_written(pages, services_dir, catalog.services)
    team_pages = set(team.pages) | set(unknown) | {s for srcs in hand.values() for s in srcs}
    too_big = [f"{shown(pages[s].abs_path or s)}: {problem} (hint: split the page)"
               for s in sorted(team_pages & set(pages))
               if (problem := size_problem(pages[s].abs_path or "", MAX_MARKDOWN_BYTES))]
    for text in too_big:  # a team's page: bounded like every file a team writes
        report("error", text)
    if too_big:
        raise SiteError(f"{len(too_big)} page(s) over the size limit (listed above)")
    for src in unknown:
        report("warning", f"{shown(os.path.join(docs_dir, src))}: no service "
               f"'{src.split('/')[-2]}' in the catalog, so the page belongs to no service's "
               "navigation section")
    kept = {s: f for s, f in docs.items() if s not in team.dropped}
    diagrams = _draw_diagrams(site, options, dirs, report, kept, docs_dir, use_directory_urls)
    fmt = _format_reference(options)
    plan = plan_pages(catalog, paths, fleet_map=diagrams.fleet_map is not None,
                      format_reference=fmt is not None)
    hidden = url_clashes(pages, {p.src_path for p in plan}, use_directory_urls)
    for src in hidden:
        # Another suffix or an index page (runbook.markdown, runbook/index.md) has the URL of a
        # generated page without its path: the generated page stays.
        report("warning", f"{shown(os.path.join(docs_dir, src))} is not published: a generated "
               f"page has its URL ({page_url(src, use_directory_urls)}); rename the page")
        pages.pop(src)
    hand = {sid: [s for s in srcs if s not in hidden] for sid, srcs in hand.items()}
    extra = {sid: [ExtraPage(title_of(pages[s].read(), s), s) for s in srcs]
             for sid, srcs in hand.items()}
    contacts = ContactLinks(options.chat_url, options.chat_user_url, options.pager_url)
    history = _history(options, dirs, report)
    trends = {}
    if history is not None and options.scorecard and site.readiness.evaluation is not None:
        from ..scorecard.trends import service_trends

        trends = service_trends(history, paths)
    inputs = RenderInputs(catalog, paths, gaps=site.readiness.evaluation,
                          diagrams=diagrams.by_service, fleet_map=diagrams.fleet_map,
                          extra_pages=extra, format_reference=fmt, contact_links=contacts,
                          runbook_packs=RUNBOOK_PACKS if options.runbook_packs else "",
                          use_directory_urls=use_directory_urls,
                          trends=trends)
    try:
        generated = _pages(templates, inputs, plan, options, dirs, report)
        generated += diagrams.files
        if options.scorecard and site.readiness.evaluation is not None:
            related = [("trends", "trends.md")] if history is not None else []
            if site.readiness.evaluation.policy.campaigns:
                related.append(("campaigns", "campaigns.md"))
            sc, files = scorecard_files(site.readiness.evaluation, catalog, paths,
                                        use_directory_urls=use_directory_urls,
                                        templates=templates, related=related)
            generated += files + _trend_files(sc, site.readiness.evaluation, history, paths)
        # a link to a file outside the templates folder is refused
        generated += [GeneratedFile(asset, templates.source(source))
                      for asset, source in asset_sources(options, paths).items()]
    except TemplateError as exc:
        raise SiteError(str(exc)) from None
    origins = {g.src_path: g.origin for g in generated}
    clashes = find_clashes(origins, {s: pages[s].read() for s in pages if s in origins},
                           options.hand_written_wins)
    remove = list(team.dropped) + hidden
    for clash in clashes:
        report("info" if clash.deliberate else "warning", clash.message(docs_dir))
        if not clash.hand_written_wins:
            remove.append(clash.src_path)
    skip = {c.src_path for c in clashes if c.hand_written_wins}
    return SiteOutput([g for g in generated if g.src_path not in skip], plan, hand, team, remove,
                      {sid: s.name for sid, s in catalog.services.items()})


def _history(options: SiteOptions, dirs: SiteDirs, report: Report) -> dict[str, Any] | None:
    """The readiness history of the ``history`` option (None when unset)."""
    if not options.history:
        return None
    from ..scorecard.trends import load_history_json

    try:
        return load_history_json(dirs.project_dir / options.history)
    except ValueError as exc:
        report("error", f"history: {exc}")
        raise SiteError("the readiness history file cannot be read (see above)") from None


def _trend_files(sc: dict[str, Any], evaluation: Any, history: dict[str, Any] | None,
                 paths: Any) -> list[GeneratedFile]:
    """The trend page (from the ``history`` file) and the campaign page (from the policy)."""
    from ..policy.campaigns import campaigns_document
    from ..scorecard.trends import trend_files

    return trend_files(sc, campaigns_document(evaluation), history, paths)


def _pages(templates: TemplateSet, inputs: RenderInputs, plan: list[PlannedPage],
           options: SiteOptions, dirs: SiteDirs, report: Report) -> list[GeneratedFile]:
    """The generated pages; services' pages from the page cache where they did not change."""
    store = site_store(dirs)
    stats = PageStats()
    pages = pages_reusing(store, templates, inputs, plan, concurrency=options.concurrency,
                          stats=stats)
    finish(store, options)
    on = f" on {stats.processes} processes" if stats.processes > 1 else ""
    report("info", f"pages: {len(stats.rendered)} service(s) rendered{on}, "
           f"{len(stats.cached)} from the cache")
    return pages


def _team_files(docs: Mapping[str, DocsFile], services_dir: str, docs_dir: str,
                report: Report) -> TeamFiles:
    """The teams' files; links out of docs/ fail the build, active content is left out."""
    team = team_files(((f.src_path, f.abs_path, f.is_page) for f in docs.values()),
                      services_dir, docs_dir)
    # A linked folder: the builder would walk into it (MkDocs and Zensical follow links).
    team.refused[:0] = [linked_folder_message(shown(os.path.join(docs_dir, rel)), target)
                        for rel, target in linked_folders(docs_dir, services_dir)]
    for message in team.refused:
        report("error", message)
    if team.refused:
        raise SiteError(f"{len(team.refused)} file(s) or folder(s) of the teams' folders are "
                        "links (listed above)")
    for message in team.dropped.values():
        report("warning", message)
    return team


def _draw_diagrams(site: LoadedSite, options: SiteOptions, dirs: SiteDirs, report: Report,
                   docs: Mapping[str, DocsFile], docs_dir: str,
                   use_directory_urls: bool) -> SiteDiagrams:
    """The diagrams of the site, drawn into the cache (only those that changed)."""
    if not options.diagrams:
        report("warning", "diagrams are off (diagrams: false): architecture pages and the fleet "
               "map are published without diagrams")
        return SiteDiagrams()
    if options.diagrams == "auto" and not graphviz_available():
        report("info", "diagrams: Graphviz (dot) not found, so the site is built without "
               "diagrams (diagrams: auto); install Graphviz to draw them")
        return SiteDiagrams()
    evaluation = site.readiness.evaluation
    levels = ({sid: r.achieved.label for sid, r in evaluation.services.items()}
              if evaluation is not None else None)
    store = site_store(dirs)
    try:
        result = drawn_diagrams(
            store, site.catalog, dirs.paths, levels=levels, concurrency=options.concurrency,
            progress=progress_reporter(lambda text: report("info", text)),
            use_directory_urls=use_directory_urls)
    except GraphvizMissing as exc:
        raise SiteError(f"{exc} Or build without diagrams: set 'diagrams: false' under the "
                        "opsready plugin in mkdocs.yml.") from None
    finish(store, options)
    if result.report is not None:
        report("info", f"diagrams: {len(result.report.rendered)} drawn, "
               f"{len(result.report.cached)} from the cache in {store.root('diagrams')}")
        if result.report.refused:
            report("info", f"diagrams: {len(result.report.refused)} cached diagram(s) failed "
                   "the SVG check: drawn again")
    for d in result.diagnostics:
        report("error", d.log_line())
    if not result.ok:
        raise SiteError(f"{len(result.diagnostics)} diagram(s) failed (listed above)")
    taken = [g for g in result.files if g.src_path in docs]
    for g in taken:  # a file of the site's own is never replaced
        report("warning", f"{docs_dir}/{g.src_path} is the path of a generated diagram: "
               "the site's file is published and the diagram is left out")
    result.files = [g for g in result.files if g not in taken]
    return result


def _format_reference(options: SiteOptions) -> Any:
    if not options.format_reference:
        return None
    from ..pages.schema_page import format_reference_markdown

    return format_reference_markdown

"""The MkDocs plugin: wires MkDocs events to the core (catalog, pages, navigation). Nothing else.

Events: ``on_config`` resolves folders; ``on_pre_build`` loads the catalog and logs its problems;
``on_files`` adds the generated pages; ``on_nav`` places them in the navigation; ``on_page_context``
gives each page a navigation view that stays small as the fleet grows; ``on_serve`` watches the
catalog and the templates.
"""

from __future__ import annotations

import copy
import os
import posixpath
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from . import user_cache
from .catalog import Catalog, CatalogResult, load_catalog
from .config import OpsReadyConfig
from .diagrams.publish import (
    SiteDiagrams,
    progress_reporter,
    render_site_diagrams,
    resolve_cache_dir,
)
from .diagrams.tools import GraphvizMissing, graphviz_available
from .generated import GeneratedFile
from .loader import MAX_MARKDOWN_BYTES, size_problem
from .pages import (
    PACKAGED_DIR,
    ExtraPage,
    RenderInputs,
    TemplateError,
    TemplateSet,
    generate_pages,
    make_environment,
)
from .pages import nav as navplan
from .pages.catalog_macros import CatalogMacros
from .pages.contacts import ContactLinks
from .pages.handwritten import find_clashes, shown, split_hand_written, title_of
from .pages.plan import plan_pages
from .policy.build_readiness import SiteReadiness, site_readiness
from .policy.engine import today_from_env
from .rebuild_memo import Memo, tree_fingerprint
from .scorecard.publish import scorecard_files
from .site_paths import SitePaths
from .team_pages import TeamFiles, TeamPages, team_files
from .text_escape import html_text

log = get_plugin_logger(__name__)

REQUIRED_EXTENSIONS = ("attr_list", "admonition", "tables", "toc", "md_in_html")
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


class OpsReadyPlugin(BasePlugin[OpsReadyConfig]):
    """Generate every service's documents from the catalog and templates."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance (and its caches) across serve rebuilds.
        self._catalog_memo: Memo[CatalogResult] = Memo()
        self._templates_memo: Memo[TemplateSet] = Memo()
        self._serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not hasattr(self, "_catalog_memo"):
            self.on_startup(command="build", dirty=False)
        base = Path(config.config_file_path or ".").resolve().parent
        self.project_dir = base
        self.paths = SitePaths(self.config.prefix.strip("/"))
        self.policy_path = (base / self.config.policy).resolve() if self.config.policy else None
        self._directory_urls = config.use_directory_urls
        self.catalog_dir = (base / self.config.catalog_dir).resolve()
        self.parse_cache = user_cache.resolve_cache_dir(self.config.cache_dir, base,
                                                        self.catalog_dir)
        self.diagrams_cache = resolve_cache_dir(base, self.config.diagrams_cache_dir,
                                                self.parse_cache)
        if not self.catalog_dir.is_dir():
            raise PluginError(f"opsready: catalog_dir '{self.config.catalog_dir}' does not exist "
                              f"(looked for {self.catalog_dir})")
        problem = user_cache.cache_key()[1]
        if problem:  # builds stay correct, only slower; a key others can read is worth a warning
            (log.info if problem.startswith("cannot") else log.warning)(
                f"caches are off: {problem}")
        templates = self.config.templates_dir
        self.templates_dir: Path | None = (base / (templates or "templates")).resolve()
        if not self.templates_dir.is_dir():
            if templates:
                raise PluginError(f"opsready: templates_dir '{templates}' does not exist "
                                  f"(looked for {self.templates_dir})")
            self.templates_dir = None
        # Headings need ids (attr_list), flags admonitions, contact tables a wrapper (md_in_html).
        for ext in REQUIRED_EXTENSIONS:
            if ext not in config.markdown_extensions:
                config.markdown_extensions.append(ext)
        if self.config.services_filter:
            config.extra_javascript.append(self._asset(FILTER_SCRIPT))
        for asset in self._assets():
            extra = config.extra_css if asset.endswith(".css") else config.extra_javascript
            extra.append(self._asset(asset))
        macros = config.plugins.get("macros")
        if macros is not None and macros.config.get("on_undefined") != "strict":
            log.warning("mkdocs-macros: set 'on_undefined: strict' so that a misspelt name in a "
                        "page fails the build instead of passing through")
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        key = tree_fingerprint(self.catalog_dir)
        result = self._catalog_memo.get(
            key, lambda: load_catalog(self.catalog_dir, cache_dir=self.parse_cache,
                                      display_root=self.project_dir))
        errors = 0
        for d in result.diagnostics:
            text = f"{d.file}:{d.line}:{d.column}: {d.yaml_path or '-'}: {d.message}"
            text += f" (hint: {d.hint})" if d.hint else ""
            if d.severity == "error":
                errors += 1
                log.error(text)
            elif d.severity == "warning":
                log.warning(text)
            else:
                log.info(text)
        if errors:
            raise PluginError(f"opsready: the catalog in {self.catalog_dir} has {errors} "
                              f"error{'s' if errors != 1 else ''} (listed above)")
        self.catalog: Catalog = result.catalog
        self._evaluate_readiness()

    def _evaluate_readiness(self) -> None:
        """Readiness gaps and levels: logged now, flagged on pages, summarised after the build."""
        if not self.config.readiness:
            self.readiness: SiteReadiness = SiteReadiness(None)
            return
        try:
            today = today_from_env()
        except ValueError as exc:
            raise PluginError(f"opsready: {exc}") from None
        self.readiness = site_readiness(self.catalog, self.policy_path, today)
        for level, text in self.readiness.log_records(self.config.warn_gaps):
            getattr(log, level)(text)
        if self.readiness.evaluation is None:
            raise PluginError("opsready: the readiness policy has errors (listed above)")

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.readiness:
            return
        summary = self.readiness.summary()
        if not self.readiness.below_required:
            log.info(summary)
        elif self.config.enforce and not self._is_serving(config):
            raise PluginError(f"opsready: {summary}")
        else:
            (log.info if self.config.warn_gaps == "none" else log.warning)(summary)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        services_dir = posixpath.dirname(self.paths.services_index())
        team = self._team_files(files, services_dir, config)
        docs = {f.src_uri: f for f in files.documentation_pages()}
        hand, unknown = split_hand_written(docs, services_dir, self.catalog.services)
        too_big = [f"{shown(docs[s].abs_src_path or s)}: {problem} (hint: split the page)"
                   for s in sorted(unknown + [s for srcs in hand.values() for s in srcs])
                   if (problem := size_problem(docs[s].abs_src_path or "", MAX_MARKDOWN_BYTES))]
        for text in too_big:  # a team's page: bounded like every file a team writes
            log.error(text)
        if too_big:
            raise PluginError(f"opsready: {len(too_big)} page(s) over the size limit (listed "
                              "above)")
        for src in unknown:
            log.warning(f"{shown(os.path.join(config.docs_dir, src))}: no service "
                        f"'{src.split('/')[-2]}' in the "
                        "catalog, so the page belongs to no service's navigation section")
        extra = {sid: [ExtraPage(title_of(docs[s].content_string, s), s) for s in srcs]
                 for sid, srcs in hand.items()}
        self.diagrams = self._draw_diagrams(config, files)
        self.plan = plan_pages(self.catalog, self.paths,
                               fleet_map=self.diagrams.fleet_map is not None,
                               format_reference=self._format_reference() is not None)
        generated = self._collect_files(extra)
        origins = {g.src_path: g.origin for g in generated}
        clashes = find_clashes(origins, {s: docs[s].content_string for s in docs if s in origins},
                               self.config.hand_written_wins)
        for clash in clashes:
            (log.info if clash.deliberate else log.warning)(clash.message(config.docs_dir))
            if not clash.hand_written_wins:
                files.remove(docs[clash.src_path])
        skip = {c.src_path for c in clashes if c.hand_written_wins}
        for g in generated:
            if g.src_path not in skip:
                files.append(self._to_file(g, config))
        # Service pages are placed by on_nav: MkDocs must neither list them by folder in its
        # automatic nav nor report them as missing from a site's own nav.
        for src in {p.src_path for p in self.plan if p.service_id} | {
                s for srcs in hand.values() for s in srcs}:
            f = files.get_file_from_path(src)
            if f is not None and f.inclusion.is_in_nav():
                f.inclusion = InclusionLevel.NOT_IN_NAV
        self.hand_written = hand
        macros = self._team_macros if self.config.team_page_macros else None
        self.team_pages = TeamPages(team.pages, macros)
        return files

    def _team_files(self, files: Files, services_dir: str, config: MkDocsConfig) -> TeamFiles:
        """The teams' files; links out of docs/ fail the build, active content is left out."""
        team = team_files(((f.src_uri, f.abs_src_path, f.is_documentation_page()) for f in files),
                          services_dir, config.docs_dir)
        for message in team.refused:
            log.error(message)
        if team.refused:
            raise PluginError(f"opsready: {len(team.refused)} file(s) of the teams' folders "
                              "link outside docs/ (listed above)")
        for src, message in team.dropped.items():
            log.warning(message)
            dropped = files.get_file_from_path(src)
            if dropped is not None:
                files.remove(dropped)
        return team

    def _team_macros(self, page_path: str) -> CatalogMacros:
        return CatalogMacros(self.catalog, self.paths, page_path, self.templates,
                             self.contact_links())

    @event_priority(100)  # before mkdocs-macros (priority 0), which reads page.meta
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        try:
            return self.team_pages.before_markdown(markdown, page)
        except (TemplateError, ValueError) as exc:
            raise PluginError(f"opsready: {exc}") from None

    @event_priority(-100)  # after every plugin that edits the HTML
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str:
        return self.team_pages.after_markdown(html, page)

    def _templates(self) -> TemplateSet:
        # Compiled once and kept across serve rebuilds until a template file changes.
        dirs = [d for d in (PACKAGED_DIR, self.templates_dir) if d is not None]
        return self._templates_memo.get((self.templates_dir, tree_fingerprint(*dirs)),
                                        lambda: make_environment(self.templates_dir))

    def templates(self) -> TemplateSet:
        """The site's template set (used by the catalog helpers of hand-written pages)."""
        try:
            return self._templates()
        except TemplateError as exc:
            raise PluginError(f"opsready: {exc}") from None

    def _draw_diagrams(self, config: MkDocsConfig, files: Files) -> SiteDiagrams:
        """The diagrams of the site, drawn into the cache (only those that changed)."""
        if not self.config.diagrams:
            log.warning("diagrams are off (diagrams: false): architecture pages and the fleet "
                        "map are published without diagrams")
            return SiteDiagrams()
        if self.config.diagrams == "auto" and not graphviz_available():
            log.info("diagrams: Graphviz (dot) not found, so the site is built without diagrams "
                     "(diagrams: auto); install Graphviz to draw them")
            return SiteDiagrams()
        evaluation = self.readiness.evaluation
        levels = ({sid: r.achieved.label for sid, r in evaluation.services.items()}
                  if evaluation is not None else None)
        self.diagrams_cache, problem = user_cache.writable_or_temporary(self.diagrams_cache)
        if problem:
            log.info(problem)
        try:
            result = render_site_diagrams(
                self.catalog, self.paths, self.diagrams_cache, levels=levels,
                concurrency=self.config.concurrency, progress=progress_reporter(log.info),
                use_directory_urls=config.use_directory_urls)
        except GraphvizMissing as exc:
            raise PluginError(f"opsready: {exc} Or build without diagrams: set 'diagrams: false' "
                              "under the opsready plugin in mkdocs.yml.") from None
        if result.report is not None:
            log.info(f"diagrams: {len(result.report.rendered)} drawn, "
                     f"{len(result.report.cached)} from the cache in {self.diagrams_cache}")
            if result.report.refused:
                log.info(f"diagrams: {len(result.report.refused)} cached diagram(s) were not "
                         "drawn by this user's builds (or failed the SVG check): drawn again")
        for d in result.diagnostics:
            log.error(f"{d.file}:{d.line}:{d.column}: {d.yaml_path or '-'}: {d.message}"
                      + (f" (hint: {d.hint})" if d.hint else ""))
        if not result.ok:
            raise PluginError(f"opsready: {len(result.diagnostics)} diagram(s) failed "
                              "(listed above)")
        taken = [g for g in result.files if files.get_file_from_path(g.src_path) is not None]
        for g in taken:  # a file of the site's own is never replaced
            log.warning(f"{config.docs_dir}/{g.src_path} is the path of a generated diagram: "
                        "the site's file is published and the diagram is left out")
        result.files = [g for g in result.files if g not in taken]
        return result

    def _collect_files(self, extra: dict[str, list[ExtraPage]]) -> list[GeneratedFile]:
        """Every file the core publishes: pages now; readiness and diagrams plug in here."""
        templates = self._templates()
        inputs = RenderInputs(self.catalog, self.paths, gaps=self.readiness.evaluation,
                              diagrams=self.diagrams.by_service, fleet_map=self.diagrams.fleet_map,
                              extra_pages=extra, format_reference=self._format_reference(),
                              contact_links=self.contact_links())
        try:
            out = generate_pages(templates, inputs, self.plan)
        except TemplateError as exc:
            raise PluginError(f"opsready: {exc}") from None
        out += self.diagrams.files
        if self.config.scorecard and self.readiness.evaluation is not None:
            out += scorecard_files(self.readiness.evaluation, self.catalog, self.paths,
                                   use_directory_urls=self._directory_urls)[1]
        assets = {FILTER_SCRIPT: FILTER_TEMPLATE} if self.config.services_filter else {}
        assets.update(self._assets())
        try:  # a link to a file outside the templates folder is refused
            out += [GeneratedFile(self._asset(asset), templates.source(source))
                    for asset, source in assets.items()]
        except TemplateError as exc:
            raise PluginError(f"opsready: {exc}") from None
        return out

    def _assets(self) -> dict[str, str]:
        """Stylesheets and scripts the site gets: published path -> template source."""
        assets = dict(PRINT_ASSETS) if self.config.print_styles else {}
        if self.config.noc_styles:
            assets.update(NOC_ASSETS)
        if self.config.accessibility:
            assets.update(A11Y_ASSETS)
        return assets

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        # With the site's own nav: keep what it lists where it lists it; otherwise MkDocs'
        # automatic nav lists generated pages by folder, and we place them ourselves.
        listed = navplan.pages_in(nav.items) if config.nav is not None else set()
        names = {sid: s.name for sid, s in self.catalog.services.items()}
        planned = navplan.service_sections(self.plan, names, self.hand_written, exclude=listed)
        sections = [self._to_section(s, files) for s in planned]
        anchors: dict[str, Any] = {}
        self.services_section: Section | None = None
        index = files.get_file_from_path(self.paths.services_index())
        if index is not None and index.page is not None:
            self.services_section = Section("Services", [index.page, *sections])
            anchors[index.src_uri] = self.services_section
        runbooks = files.get_file_from_path(self.paths.runbooks_index())
        if runbooks is not None and runbooks.page is not None:
            # A section of its own: themes take an index.md page among a section's children
            # for that section's index page.
            anchors[runbooks.src_uri] = Section("Runbooks", [runbooks.page])
        managed = {p.src_path for p in self.plan if p.service_id} | {
            s for srcs in self.hand_written.values() for s in srcs}
        managed -= listed
        items = navplan.place(nav.items, managed, anchors)
        for src in managed:  # pages moved by us must not keep the automatic nav's parent
            f = files.get_file_from_path(src)
            if f is not None and f.page is not None:
                f.page.parent = None
        return Navigation(items, navplan.link_tree(items))

    def _to_section(self, planned: navplan.NavSection, files: Files) -> Section:
        children: list[Any] = []
        for child in planned.children:
            if isinstance(child, navplan.NavSection):
                children.append(self._to_section(child, files))
                continue
            f = files.get_file_from_path(child.src_path)
            if f is None or f.page is None:
                continue
            if child.title is not None and f.generated_by is not None:
                # The short label under its service; themes print titles unescaped.
                f.page.title = str(html_text(child.title))
            children.append(f.page)
        # Themes print section titles unescaped; service names are catalog data.
        return Section(str(html_text(planned.title)), children)

    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> Any:
        section = self.services_section
        if section is None or len(self.catalog.services) <= self.config.nav_max_services:
            return context
        own = navplan.child_towards(section, page)
        children = [section.children[0]] + ([own] if own is not None and own is not
                                            section.children[0] else [])
        view = copy.copy(nav)
        view.items = navplan.trim_view(nav.items, section, children, _clone_section)
        context["nav"] = view
        return context

    def _is_serving(self, config: MkDocsConfig) -> bool:
        # MkDocs keeps plugin instances per process: besides the startup command, check the
        # dev-server URL that `mkdocs serve` sets as site_url for the build in progress.
        host, port = config.dev_addr
        return self._serving and (config.site_url or "").startswith(f"http://{host}:{port}/")

    def on_shutdown(self) -> None:
        self._serving = False

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.catalog_dir), recursive=True)
        if self.templates_dir is not None:
            server.watch(str(self.templates_dir), recursive=True)
        if self.policy_path is not None:
            server.watch(str(self.policy_path))
        return server

    def _to_file(self, g: GeneratedFile, config: MkDocsConfig) -> File:
        if g.abs_path is not None:
            f = File.generated(config, g.src_path, abs_src_path=g.abs_path)
        else:
            f = File.generated(config, g.src_path, content=g.content or "")
        if g.origin:  # "edit this page" opens the catalog file the page came from
            f.edit_uri = Path(os.path.relpath(g.origin, config.docs_dir)).as_posix()
        return f

    def contact_links(self) -> ContactLinks:
        return ContactLinks(self.config.chat_url, self.config.chat_user_url,
                            self.config.pager_url)

    def _asset(self, path: str) -> str:
        return posixpath.join(self.paths.prefix, path) if self.paths.prefix else path

    def _format_reference(self) -> Any:
        if not self.config.format_reference:
            return None
        from .schema_doc import format_reference_markdown

        return format_reference_markdown


def _clone_section(original: Section, children: list[Any]) -> Section:
    clone = Section(original.title, children)
    clone.parent = None  # set before active: the setter would mark the parent active too
    clone.active = original.active
    return clone

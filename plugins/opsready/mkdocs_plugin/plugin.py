"""The MkDocs plugin: MkDocs events -> the core (``output``); its data -> MkDocs types
(``mkdocs_types``); team pages through ``team_pages``. Nothing else."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..cache.rebuild_memo import Memo, tree_fingerprint
from ..catalog.fleet import CatalogResult
from ..diagnostics import printable
from ..guard.html import schemes
from ..guard.includes import configured
from ..output.assemble import load_site, site_output
from ..output.manifest import MANIFEST, unchanged_generated
from ..output.options import SiteError, SiteOptions, resolve_dirs
from ..output.reuse import load_site_catalog
from ..output.verdict import readiness_verdict
from ..pages import PACKAGED_DIR, TemplateError, TemplateSet, make_environment
from ..pages import nav as navplan
from ..pages.catalog_helpers import CatalogMacros
from ..pages.contacts import ContactLinks
from ..pages.team_pages import TeamPages
from .config import OpsReadyConfig
from .macros import quiet_macros_log
from .mkdocs_additions import extend_config
from .mkdocs_types import docs_files, nav_without, page_view, place_generated, release_page, to_file

log = get_plugin_logger(__name__)
T = TypeVar("T")


def _report(level: str, text: str) -> None:
    _report_lines(level, [text])


def _report_lines(level: str, lines: Iterable[str]) -> None:
    # Messages name files and values a team chose: each line escaped (``printable``), so a line
    # break or control character in a name cannot start a line of its own in a CI log.
    getattr(log, level)("\n".join(printable(line) for line in lines))


def _core(call: Callable[[], T]) -> T:
    """Run a core step; its ``SiteError`` (and template errors) abort the build."""
    try:
        return call()
    except (SiteError, TemplateError, ValueError) as exc:
        _fail(str(exc))


def _fail(message: str, *more_lines: str) -> NoReturn:
    lines = [f"opsready: {message}", *more_lines]
    raise PluginError("\n".join(printable(line) for line in lines)) from None


def _drop_generate_output(files: Files, config: MkDocsConfig) -> None:
    """Files ``opsready generate`` wrote into docs/ (its manifest lists them, unchanged) are not
    the site's own pages: the plugin publishes fresh copies of them instead."""
    present = {f.src_uri: f.abs_src_path for f in files if f.abs_src_path}
    found = unchanged_generated(Path(config.docs_dir), present)
    for src in found:
        f = files.get_file_from_path(src)
        if f is not None:
            files.remove(f)
    if found:
        log.info(f"{len(found)} file(s) in {config.docs_dir} were written by 'opsready "
                 f"generate' ({MANIFEST}): the plugin publishes fresh copies of them. With the "
                 "plugin, 'opsready generate' is not needed (it is for builders without it).")


class OpsReadyPlugin(BasePlugin[OpsReadyConfig]):
    """Generate every service's documents from the catalog and templates."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance (and its caches) across serve rebuilds.
        self._catalog_memo: Memo[CatalogResult] = Memo()
        self._templates_memo: Memo[TemplateSet] = Memo()
        self._serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        quiet_macros_log()
        if not hasattr(self, "_catalog_memo"):
            self.on_startup(command="build", dirty=False)
        self.options = SiteOptions.from_mapping(dict(self.config))
        base = Path(config.config_file_path or ".").parent
        self.dirs = _core(lambda: resolve_dirs(self.options, base, _report))
        self.paths, self.catalog_dir = self.dirs.paths, self.dirs.catalog_dir
        self.templates_dir = self.dirs.templates_dir
        # The file-reading extensions and plugins (include-markdown) the catalog's text and the
        # team pages are judged by: each plugin's options as MkDocs validated them.
        self.readers = configured(config.markdown_extensions, config.mdx_configs, {
            name: getattr(plugin, "config", None) for name, plugin in config.plugins.items()})
        extend_config(config, self.options, self.dirs, self._serving, log.warning)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        vars(self).pop("catalog", None)  # not kept while the next one loads

        def load() -> CatalogResult:
            # Kept while neither the catalog nor the extensions it is judged by changed.
            key = (tree_fingerprint(self.catalog_dir), self.readers)
            return self._catalog_memo.get(key, lambda: load_site_catalog(
                self.dirs, self.options, self.readers))

        self.site = _core(lambda: load_site(self.options, self.dirs, _report, load))
        self.catalog, self.readiness = self.site.catalog, self.site.readiness

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.options.runbook_packs and not self._is_serving(config):
            from ..output.pack.build import write_into_site

            _core(lambda: write_into_site(config, self.site, self.out, self.dirs,
                                          self.options.runbook_packs is True, _report))
        readiness = self.readiness
        self.on_build_error(error=None)
        verdict = readiness_verdict(readiness, self.options, serving=self._is_serving(config))
        if verdict is not None and verdict.fails:
            _fail(*verdict.lines)
        if verdict is not None:
            _report_lines(verdict.level, verdict.lines)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        _drop_generate_output(files, config)
        docs = docs_files(files)
        # `mkdocs serve` writes no runbook packs: its pages do not link them.
        options = replace(self.options, runbook_packs=False) if self._serving else self.options
        self.out = _core(lambda: site_output(
            self.site, docs, options, self.dirs, self._templates(), _report,
            docs_dir=config.docs_dir, use_directory_urls=config.use_directory_urls))
        for src in self.out.remove:
            files.remove(files.get_file_from_path(src))  # type: ignore[arg-type]
        for g in self.out.files:
            taken = files.get_file_from_path(g.src_path)
            if taken is not None:  # replaced, as MkDocs asks (no DeprecationWarning)
                files.remove(taken)
            files.append(to_file(g, config))
        # Service pages are placed by on_nav: MkDocs must neither list them by folder in its
        # automatic nav nor report them as missing from a site's own nav.
        fleet_map = self.paths.fleet_map()
        if config.nav is not None and not any(g.src_path == fleet_map for g in self.out.files):
            # no map drawn (diagrams: auto without Graphviz): its nav entry would be a warning
            config.nav, dropped = nav_without(config.nav, fleet_map)
            if dropped:
                log.info(f"nav: '{fleet_map}' left out: no fleet map was drawn")
        for src in self.out.managed:
            f = files.get_file_from_path(src)
            if f is not None and f.inclusion.is_in_nav():
                f.inclusion = InclusionLevel.NOT_IN_NAV
        macros = self._team_macros if self.options.team_page_macros else None
        self.team_pages = TeamPages(self.out.team.pages, macros,
                                    schemes(self.catalog.organisation.link_schemes),
                                    self.readers)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        nav, self.services_section = place_generated(nav, self.out, self.paths, files,
                                                     own_nav=config.nav is not None)
        return nav

    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> Any:
        section = self.services_section
        if section is not None and navplan.trimmed(len(self.catalog.services),
                                                   self.options.nav_max_services):
            context["nav"] = page_view(nav, section, page)
        return context

    def _team_macros(self, page_path: str) -> CatalogMacros:
        return CatalogMacros(self.catalog, self.paths, page_path, self.templates,
                             self.contact_links())

    # Before mkdocs-macros (priority 0), which reads page.meta, and before the include-markdown
    # plugin (100: at the same priority, a plugin listed before opsready would run first and
    # read the files a team page names before the page is checked).
    @event_priority(110)
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        return _core(lambda: self.team_pages.before_markdown(markdown, page))

    @event_priority(-100)  # after every plugin that edits the HTML
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str:
        return self.team_pages.after_markdown(html, page)

    @event_priority(-1000)  # after every plugin: only the output is left to write
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        release_page(page)
        return output

    def _templates(self) -> TemplateSet:
        # Compiled once and kept across serve rebuilds until a template file changes.
        dirs = [d for d in (PACKAGED_DIR, self.templates_dir) if d is not None]
        return self._templates_memo.get((self.templates_dir, tree_fingerprint(*dirs)),
                                        lambda: make_environment(self.templates_dir))

    def templates(self) -> TemplateSet:
        """The site's template set (used by the catalog helpers of hand-written pages)."""
        return _core(self._templates)

    def contact_links(self) -> ContactLinks:
        """How chat and pager values become links (for the catalog helpers)."""
        return ContactLinks(self.options.chat_url, self.options.chat_user_url,
                            self.options.pager_url)

    def _is_serving(self, config: MkDocsConfig) -> bool:
        # MkDocs keeps plugin instances per process: besides the startup command, check the
        # dev-server URL that `mkdocs serve` sets as site_url for the build in progress.
        host, port = config.dev_addr
        return self._serving and (config.site_url or "").startswith(f"http://{host}:{port}/")

    def on_build_error(self, *, error: Exception | None) -> None:
        # This instance outlives the build under `mkdocs serve`: what only this build needs
        # (generated files, pages of the nav) must not stay in memory until the next one.
        for name in ("site", "readiness", "out", "team_pages", "services_section"):
            vars(self).pop(name, None)

    def on_shutdown(self) -> None:
        self._serving = False

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        for path in (self.catalog_dir, self.templates_dir):
            if path is not None:
                server.watch(str(path), recursive=True)
        for file in (self.dirs.policy_path, self.dirs.baseline_path):
            if file is not None and file.exists():
                server.watch(str(file))
        return server

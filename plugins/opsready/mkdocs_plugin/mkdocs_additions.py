"""What the opsready plugin adds to MkDocs' configuration: the Markdown extensions its pages
need, its stylesheets and scripts, and the page conversion cache; and the mkdocs-macros setting
it asks for. Adding twice changes nothing (a config object may be loaded once and built twice).
"""

from __future__ import annotations

from collections.abc import Callable

from mkdocs.config.defaults import MkDocsConfig

from ..output.assemble import REQUIRED_EXTENSIONS, asset_sources
from ..output.options import SiteDirs, SiteOptions
from ..output.reuse import site_store
from .html_cache import render_cache_plugin

MACROS_STRICT = ("mkdocs-macros: set 'on_undefined: strict' so that a misspelt name in a page "
                 "fails the build instead of passing through")


def extend_config(config: MkDocsConfig, options: SiteOptions, dirs: SiteDirs, serving: bool,
                  warn: Callable[[str], None]) -> None:
    """Add opsready's extensions, assets and render cache to ``config``."""
    for ext in REQUIRED_EXTENSIONS:
        if ext not in config.markdown_extensions:
            config.markdown_extensions.append(ext)
    for asset in asset_sources(options, dirs.paths):
        listed = config.extra_css if asset.endswith(".css") else config.extra_javascript
        if asset not in [str(item) for item in listed]:
            listed.append(asset)
    if options.render_cache:  # its hooks run last and first: a plugin of its own
        config.plugins["opsready/render_cache"] = render_cache_plugin(
            site_store(dirs), options, serving)
    macros = config.plugins.get("macros")
    if macros is not None and macros.config.get("on_undefined") != "strict":
        warn(MACROS_STRICT)

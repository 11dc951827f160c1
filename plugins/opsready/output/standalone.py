"""The catalog for mkdocs-macros pages when no MkDocs plugin runs (Zensical after
``opsready generate``): loaded from the opsready options of ``mkdocs.yml`` in the project folder.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from ..catalog.fleet import Catalog
from ..pages import TemplateSet, make_environment
from ..pages.contacts import ContactLinks
from .options import SiteError, read_mkdocs_yml, resolve_dirs
from .reuse import load_site_catalog
from .site_paths import SitePaths


@dataclass
class StandaloneSite:
    """What the catalog macros read from the plugin: catalog, paths, templates, contact links."""

    catalog: Catalog
    paths: SitePaths
    template_set: TemplateSet
    links: ContactLinks

    def templates(self) -> TemplateSet:
        """The site's template set."""
        return self.template_set

    def contact_links(self) -> ContactLinks:
        """How chat and pager values become links."""
        return self.links


def _ignore(level: str, text: str) -> None:
    """Problems are reported by ``opsready generate``, which ran before the builder."""


@functools.lru_cache(maxsize=4)
def standalone_site(root_dir: str) -> StandaloneSite:
    """The catalog of the site whose ``mkdocs.yml`` is in ``root_dir`` (loaded once per process).

    Raises ``RuntimeError`` when the catalog has errors (``opsready generate`` lists them).
    """
    site = read_mkdocs_yml(Path(root_dir) / "mkdocs.yml")
    try:
        dirs = resolve_dirs(site.options, Path(root_dir), _ignore)
    except SiteError as exc:
        raise RuntimeError(f"opsready: {exc}") from None
    result = load_site_catalog(dirs, site.options, site.readers)
    if not result.ok:
        raise RuntimeError("opsready: the catalog has errors: run 'opsready generate' or "
                           "'opsready check' to list them")
    o = site.options
    return StandaloneSite(result.catalog, dirs.paths, make_environment(dirs.templates_dir),
                          ContactLinks(o.chat_url, o.chat_user_url, o.pager_url))

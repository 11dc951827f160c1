"""mkdocs-macros module: the catalog for hand-written pages.

Enable it in ``mkdocs.yml``::

    plugins:
      - opsready
      - macros:
          modules: [opsready.mkdocs_plugin.macros]
          on_undefined: strict

Then a page can write ``{{ service_owner("payments") }}``, ``{{ team_services("platform") }}``,
``{{ escalation_table("payments") }}``, ``{{ service_link("payments", "runbook") }}``,
``{{ alert_link("payments", "PaymentsHighErrorRate") }}``, ``{{ severity_scale() }}`` or
``{{ deliverables_table() }}``, and
read ``opsready.services`` / ``opsready.teams`` (plain data: id, name, tier, ...).

Every macro returns Markdown in which catalog values are escaped: a value shows as text, never as
HTML or template code. Unknown ids fail the page with a message naming the id.
"""

from __future__ import annotations

import os
from typing import Any

from ..pages.catalog_helpers import MACRO_NAMES, CatalogMacros

MACROS_LOGGER = "mkdocs.plugins.mkdocs_macros.util"


def quiet_macros_log() -> None:
    """mkdocs-macros logs what it loads at info level on every build (seven lines for this
    site); keep its warnings and errors, and its chatter for ``mkdocs build --verbose``."""
    import logging

    if logging.getLogger("mkdocs").getEffectiveLevel() > logging.DEBUG:
        logging.getLogger(MACROS_LOGGER).setLevel(logging.WARNING)


# Imported by mkdocs-macros (modules: [opsready.mkdocs_plugin.macros]) or by the plugin.
quiet_macros_log()


class _Catalog:
    """Read access to the catalog the opsready plugin loaded for this build (without the plugin,
    after ``opsready generate``: the catalog of the ``mkdocs.yml`` beside the builder's config)."""

    def __init__(self, env: Any) -> None:
        self._env = env

    @property
    def plugin(self) -> Any:
        from ..output.standalone import standalone_site

        conf = self._env.conf
        if isinstance(conf, dict):  # Zensical: no MkDocs plugin runs there
            return standalone_site(conf.get("root_dir", "."))
        plugin = conf.plugins.get("opsready")
        if plugin is None:  # MkDocs with the config written by opsready generate
            return standalone_site(os.path.dirname(conf.config_file_path or "mkdocs.yml"))
        if not hasattr(plugin, "catalog"):
            raise RuntimeError("opsready macros need the opsready plugin, listed before macros "
                               "in mkdocs.yml")
        return plugin

    def macros(self) -> CatalogMacros:
        """The helpers for the page being rendered."""
        plugin = self.plugin
        page = self._env.page  # MkDocs: page.file.src_uri; Zensical: page.path
        src = page.file.src_uri if hasattr(page, "file") else str(page.path)
        return CatalogMacros(plugin.catalog, plugin.paths, src,
                             plugin.templates, plugin.contact_links())

    @property
    def services(self) -> list[dict[str, Any]]:
        """Every service as plain data, by id."""
        return self.macros().services()

    @property
    def teams(self) -> list[dict[str, Any]]:
        """Every team as plain data, by id."""
        return self.macros().teams()

    @property
    def runbook_packs_url(self) -> str:
        """The runbook packs' folder page relative to the page being rendered, or "" when this
        build writes no packs: only the MkDocs plugin writes them (its ``runbook_packs``
        option), and not under ``mkdocs serve``."""
        conf = self._env.conf
        plugin = None if isinstance(conf, dict) else conf.plugins.get("opsready")
        options = getattr(plugin, "options", None)
        url = getattr(self._env.page, "url", None)
        if (not getattr(options, "runbook_packs", False) or getattr(plugin, "_serving", False)
                or not isinstance(url, str)):
            return ""
        return "../" * url.count("/") + "packs/index.html"


def _bind(cat: _Catalog, name: str) -> Any:
    def macro(*args: Any, **kwargs: Any) -> str:
        return str(getattr(cat.macros(), name)(*args, **kwargs))

    macro.__name__ = name
    macro.__doc__ = getattr(CatalogMacros, name).__doc__
    return macro


def define_env(env: Any) -> None:
    """Register opsready's macros and the ``opsready`` variable with mkdocs-macros."""
    cat = _Catalog(env)
    env.variables["opsready"] = cat
    # The readiness policy's tables (default_policy_table), rendered from the policy data.
    from .policy_tables import define_env as define_policy_macros

    define_policy_macros(env)
    for name in MACRO_NAMES:
        env.macro(_bind(cat, name), name)

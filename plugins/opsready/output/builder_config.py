"""The config for a builder without the opsready plugin (Zensical, plain MkDocs), derived from
``mkdocs.yml``: the opsready plugin left out, the generated navigation, assets and Markdown
extensions added, and mkdocs-macros restricted to the platform's own pages.

Team pages must not run template code: ``render_by_default: false`` with the platform's pages
listed in ``force_render_paths`` keeps macros out of ``services/<id>/`` (``generate`` refuses a
team page that asks for macros with ``render_macros`` in its front matter).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from typing import Any

from ..pages.nav import NavPage, NavSection
from ..prose.escape import html_text
from .assemble import REQUIRED_EXTENSIONS, SiteOutput
from .config_file import dump_config
from .options import MkDocsSite, SiteDirs

HEADER = "# Written by opsready generate from "


def nav_items(out: SiteOutput, dirs: SiteDirs, published: set[str],
              trimmed: bool = False) -> list[Any]:
    """The generated pages' navigation as ``nav:`` items: Services (the services index, then one
    section per service unless ``trimmed``, see ``pages.nav.trimmed``) and the Runbooks
    index."""
    def item(node: NavPage | NavSection) -> Any:
        if isinstance(node, NavPage):
            return {str(html_text(node.title)): node.src_path} if node.title else node.src_path
        return {str(html_text(node.title)): [item(c) for c in node.children]}

    nav: list[Any] = []
    if dirs.paths.services_index() in published:
        sections = [] if trimmed else list(map(item, out.sections()))
        nav.append({"Services": [dirs.paths.services_index(), *sections]})
    if dirs.paths.runbooks_index() in published:
        nav.append({"Runbooks": [dirs.paths.runbooks_index()]})
    return nav


def merge_nav(site_nav: list[Any], generated: list[Any]) -> list[Any]:
    """The site's ``nav`` with each generated section where the site lists its index page
    (under the site's title), the others appended, as the plugin places them."""
    sections = {next(iter(item.values()))[0]: item for item in generated}
    placed: set[str] = set()

    def walk(items: list[Any]) -> list[Any]:
        out = []
        for item in items:
            title, value = (None, item) if isinstance(item, str) else next(iter(item.items()))
            if isinstance(value, str) and value in sections and value not in placed:
                placed.add(value)
                section = sections[value]
                out.append({title or next(iter(section)): next(iter(section.values()))})
            elif isinstance(value, list):
                out.append({title: walk(value)})
            else:
                out.append(item)
        return out

    merged = walk(site_nav)
    return merged + [item for src, item in sections.items() if src not in placed]


def _glob_escape(path: str) -> str:
    return "/" + re.sub(r"([*?\[\]!#\\])", r"\\\1", path)


def not_in_nav(dirs: SiteDirs) -> list[str]:
    """``not_in_nav`` patterns (gitignore syntax, as MkDocs reads them) for the pages of each
    service and its runbooks: with the short navigation they are reached through the index
    pages, and MkDocs' automatic navigation must not list them by folder."""
    return [_glob_escape(dirs.paths.service_dir("*")).replace("\\*", "*") + "/",
            _glob_escape(dirs.paths.alert("*", "x").rsplit("/", 1)[0]).replace("\\*", "*") + "/"]


def builder_config(site: MkDocsSite, out: SiteOutput, dirs: SiteDirs, assets: Iterable[str],
                   platform_pages: Iterable[str], published: set[str],
                   trimmed: bool = False) -> str:
    """The whole builder config as YAML text (written beside ``mkdocs.yml``)."""
    # Tags kept as written (``!ENV`` references, Python names): the builder resolves them as
    # MkDocs would, and no value of the environment is written out.
    data: dict[str, Any] = copy.deepcopy(site.config.raw if site.config is not None else {})
    plugins: list[Any] = []
    listed = data.get("plugins") or []
    if isinstance(listed, dict):
        listed = [{k: v} for k, v in listed.items()]
    for entry in listed:
        name = entry if isinstance(entry, str) else next(iter(entry))
        if name == "opsready":
            continue
        if name == "macros":
            options = dict(entry["macros"] or {}) if isinstance(entry, dict) else {}
            options["render_by_default"] = False  # team pages never run template code
            options["force_render_paths"] = "\n".join(map(_glob_escape, sorted(platform_pages)))
            entry = {"macros": options}
        plugins.append(entry)
    data["plugins"] = plugins
    generated = nav_items(out, dirs, published, trimmed)
    if data.get("nav") is not None:
        data["nav"] = merge_nav(list(data["nav"]), generated)
    if trimmed:
        own = str(data.get("not_in_nav") or "").splitlines()
        data["not_in_nav"] = "\n".join(own + [p for p in not_in_nav(dirs) if p not in own])
    for key, suffix in (("extra_css", ".css"), ("extra_javascript", ".js")):
        own = list(data.get(key) or [])
        data[key] = own + [a for a in assets if a.endswith(suffix) and a not in own]
    extensions = list(data.get("markdown_extensions") or [])
    names = {e if isinstance(e, str) else next(iter(e)) for e in extensions}
    data["markdown_extensions"] = extensions + [e for e in REQUIRED_EXTENSIONS if e not in names]
    return (f"{HEADER}{site.config_file.name}: edit that file, not this one.\n"
            "# The opsready plugin is left out (its pages are in docs/); macros render only the\n"
            "# platform's own pages.\n" + dump_config(data))

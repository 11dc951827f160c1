"""Template lookup and the sandboxed Jinja environment that renders generated Markdown.

Lookup order: the site's templates folder first, the packaged defaults second, so a site
overrides one template (or one partial) without copying the rest. Every packaged template is also
reachable as ``default/<name>``: a site template can ``{% extends "default/runbook.md.j2" %}``
and replace a single block.

Values reach the output only through ``finalize`` or the escaping filters, which return
``Markup`` (already-safe Markdown); anything else is escaped as plain text. Autoescape stays off:
HTML escaping is the wrong escaping for Markdown (it would show ``&lt;`` inside code spans).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from pathlib import Path
from typing import Any

import jinja2
from jinja2.runtime import Context
from markupsafe import Markup

from ..model.base import prose_text
from ..prose import escape
from .confined import ConfinedLoader, TemplateError
from .helpers import link_schemes
from .sandbox import PlainDataSandbox

PACKAGED_DIR = Path(__file__).resolve().parent.parent / "templates"
"""The default templates shipped inside the package."""

TEMPLATE_SUFFIX = ".md.j2"


def finalize(value: Any) -> Markup:
    """Turn any ``{{ expression }}`` result into safe Markdown (plain text unless ``Markup``)."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    if isinstance(value, bool):
        return Markup("yes" if value else "no")
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return Markup(value.isoformat())
    return escape.md_text(value)


@jinja2.pass_context
def _prose(ctx: Context, value: Any, heading_level: int = 3) -> Markup:
    return escape.prose(prose_text(value), heading_level, link_schemes(ctx))


@jinja2.pass_context
def _prose_inline(ctx: Context, value: Any) -> Markup:
    return escape.prose_inline(prose_text(value), link_schemes(ctx))


def _join_text(items: Iterable[Any], sep: str = ", ") -> Markup:
    return Markup(sep).join(escape.md_text(item) for item in items)


def _filters() -> dict[str, Callable[..., Any]]:
    return {
        "text": escape.md_text,
        "prose": _prose,
        "prose_inline": _prose_inline,
        "code": escape.code_wrap,  # breaks after _ . / - in a narrow table column
        "code_block": escape.code_block,
        "url": escape.url,
        "html": escape.html_text,
        "indent": escape.indent,
        "join_text": _join_text,
    }


class TemplateSet:
    """The templates of one site: a sandboxed environment over site + packaged templates.

    ``site_dir`` may be None (packaged defaults only). The environment is kept across
    ``mkdocs serve`` rebuilds by the plugin, which makes a new set when a template file
    changes (checking each template's file at every use costs a file system call per section).
    """

    def __init__(self, site_dir: Path | None, globals_: Mapping[str, Any] | None = None) -> None:
        self.site_dir = site_dir
        packaged = ConfinedLoader(PACKAGED_DIR)
        loaders: list[jinja2.BaseLoader] = [jinja2.PrefixLoader({"default": packaged})]
        if site_dir is not None:
            loaders.append(ConfinedLoader(site_dir))
        loaders.append(packaged)
        self.env = PlainDataSandbox(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=False,
            finalize=finalize,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # the plugin makes a new set when a template file changes
        )
        self.env.filters.update(_filters())
        if globals_:
            self.env.globals.update(globals_)

    def source_of(self, name: str) -> str:
        """Where template ``name`` comes from: ``site`` or ``packaged``."""
        if self.site_dir is not None and (self.site_dir / name).is_file():
            return "site"
        return "packaged"

    def source(self, name: str) -> str:
        """The text of a file of the template folders as it is (e.g. a script asset)."""
        assert self.env.loader is not None
        try:
            return self.env.loader.get_source(self.env, name)[0]
        except jinja2.TemplateNotFound:
            raise TemplateError(f"'{name}' not found (looked in {self._where()})") from None

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        """Render template ``name``; any Jinja problem becomes a ``TemplateError``."""
        try:
            return self.env.get_template(name).render(context)
        except jinja2.TemplateSyntaxError as exc:
            where = exc.filename or exc.name or name
            raise TemplateError(
                f"{where}:{exc.lineno}: template syntax error: {exc.message}") from None
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(f"template '{exc.name}' not found (looked in "
                                f"{self._where()})") from None
        except (jinja2.UndefinedError, jinja2.exceptions.SecurityError, TypeError,
                ValueError, AttributeError, KeyError, IndexError) as exc:
            where = _template_frame(exc) or name
            raise TemplateError(f"{where}: {type(exc).__name__}: {exc}") from None

    def _where(self) -> str:
        dirs = ([str(self.site_dir)] if self.site_dir is not None else []) + [str(PACKAGED_DIR)]
        return ", ".join(dirs)


def _template_frame(exc: BaseException) -> str | None:
    """``file:line`` of the innermost template frame of a rendering error, if any."""
    tb = exc.__traceback__
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(TEMPLATE_SUFFIX):
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found

"""Template code in a team's hand-written page, rendered in opsready's sandbox (opt-in).

Only when the site turns ``team_page_macros`` on. The page is a template of its own: it can call
the catalog helpers (``service_owner``, ``escalation_table``, ...) and loop over
``opsready.services``, in the same plain-data sandbox as the site templates, with no loader (no
``include``, ``import`` or ``extends``: a page reads no other file). Every ``{{ value }}`` prints
as escaped text; only the helpers' output is Markdown.
"""

from __future__ import annotations

from typing import Any

import jinja2

from .catalog_helpers import MACRO_NAMES, CatalogMacros
from .confined import TemplateError
from .sandbox import PlainDataSandbox
from .templates import finalize


def _environment() -> PlainDataSandbox:
    return PlainDataSandbox(loader=None, autoescape=False, finalize=finalize,
                            undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


_ENV = _environment()


def render_team_page(markdown: str, macros: CatalogMacros) -> str:
    """The Markdown of a team page with its template code evaluated in the sandbox; any problem
    becomes a ``TemplateError`` naming the page and line."""
    where = macros.page_path
    context: dict[str, Any] = {name: getattr(macros, name) for name in MACRO_NAMES}
    context["opsready"] = {"services": macros.services(), "teams": macros.teams()}
    try:
        return _ENV.from_string(markdown).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{where}:{exc.lineno}: template syntax error: {exc.message}") \
            from None
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, KeyError,
            IndexError) as exc:
        line = _page_line(exc)
        raise TemplateError(f"{where}{f':{line}' if line else ''}: {type(exc).__name__}: "
                            f"{exc}") from None


def _page_line(exc: BaseException) -> int | None:
    """The line of the page (a template compiled from a string) the error happened on."""
    tb = exc.__traceback__
    found = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            found = tb.tb_lineno
        tb = tb.tb_next
    return found

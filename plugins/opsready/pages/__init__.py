"""Page generation: the page plan, the sandboxed template renderer, template lookup and the
navigation tree. Pure core: nothing here imports MkDocs.
"""

from __future__ import annotations

from .plan import DOCUMENT_TITLES, DiagramRef, PlannedPage, plan_pages
from .render import ExtraPage, Fleet, RenderInputs, front_matter, make_environment
from .site_pages import PageStats, generate_pages
from .templates import PACKAGED_DIR, TemplateError, TemplateSet

__all__ = [
    "DOCUMENT_TITLES",
    "PACKAGED_DIR",
    "DiagramRef",
    "ExtraPage",
    "Fleet",
    "PageStats",
    "PlannedPage",
    "RenderInputs",
    "TemplateError",
    "TemplateSet",
    "front_matter",
    "generate_pages",
    "make_environment",
    "plan_pages",
]

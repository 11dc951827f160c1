"""The readiness scorecard: data, JSON, badges, the page, terminal output, comparisons.

Pure core (no MkDocs): ``build_scorecard(evaluation, catalog)`` makes one JSON-ready structure;
everything else renders it. Exports are resolved on first use (the CLI parser imports only
``scorecard.command``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import lazy_getattr

_EXPORTS = {
    "badge_svg": "badge", "service_badge": "badge", "Comparison": "compare",
    "compare_scorecards": "compare", "load_scorecard_json": "compare", "SCHEMA": "data",
    "build_scorecard": "data", "scorecard_markdown": "page", "scorecard_files": "publish",
    "scorecard_json": "publish",
}
__all__ = ["Comparison", "SCHEMA", "badge_svg", "build_scorecard", "compare_scorecards",
    "load_scorecard_json", "scorecard_files", "scorecard_json", "scorecard_markdown",
    "service_badge"]

if TYPE_CHECKING:
    from .badge import badge_svg, service_badge
    from .compare import Comparison, compare_scorecards, load_scorecard_json
    from .data import SCHEMA, build_scorecard
    from .page import scorecard_markdown
    from .publish import scorecard_files, scorecard_json


__getattr__ = lazy_getattr(__name__, _EXPORTS)

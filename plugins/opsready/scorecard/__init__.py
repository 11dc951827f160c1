"""The readiness scorecard: data, JSON, badges, the page, terminal output, comparisons.

Pure core (no MkDocs): ``build_scorecard(evaluation, catalog)`` makes one JSON-ready structure;
everything else renders it.
"""

from __future__ import annotations

from .badge import badge_svg, service_badge
from .compare import Comparison, compare_scorecards, load_scorecard_json
from .data import SCHEMA, build_scorecard
from .page import scorecard_markdown
from .publish import scorecard_files, scorecard_json

__all__ = ["SCHEMA", "Comparison", "badge_svg", "build_scorecard", "compare_scorecards",
           "load_scorecard_json", "scorecard_files", "scorecard_json", "scorecard_markdown",
           "service_badge"]

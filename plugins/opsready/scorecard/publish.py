"""Everything the scorecard adds to a site, as ``GeneratedFile`` objects for any adapter."""

from __future__ import annotations

import json
import posixpath
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..catalog.fleet import Catalog
from ..output.site_files import GeneratedFile
from ..output.site_paths import SitePaths
from ..pages.templates import TemplateSet
from ..policy.engine import Evaluation
from .badge import service_badge
from .data import build_scorecard
from .page import ASSETS, scorecard_markdown

ASSET_DIR = Path(__file__).resolve().parent.parent / "data" / "scorecard"


def scorecard_json(sc: dict[str, Any]) -> str:
    """``scorecard.json``: stable, pretty-printed, UTF-8."""
    return json.dumps(sc, indent=2, ensure_ascii=False) + "\n"


def scorecard_files(evaluation: Evaluation, catalog: Catalog, paths: SitePaths | None = None,
                    *, use_directory_urls: bool = True, templates: TemplateSet | None = None,
                    related: Sequence[tuple[str, str]] = ()
                    ) -> tuple[dict[str, Any], list[GeneratedFile]]:
    """The scorecard structure, and its page (from the site's ``templates``), JSON,
    per-service badges and page assets; ``related``: (title, file beside the scorecard page)
    of the pages the page links (the trend and campaign pages)."""
    paths = paths or SitePaths()
    sc = build_scorecard(evaluation, catalog, paths, use_directory_urls=use_directory_urls)
    folder = posixpath.dirname(paths.scorecard())
    files = [
        GeneratedFile(paths.scorecard(), content=scorecard_markdown(sc, paths, templates, related)),
        GeneratedFile(paths.scorecard_json(), content=scorecard_json(sc)),
    ]
    for service in sc["services"]:
        origin = str(catalog.sources[service["id"]].path)
        files.append(GeneratedFile(paths.badge(service["id"]), content=service_badge(service),
                                   origin=origin))
    for name in ASSETS:
        files.append(GeneratedFile(posixpath.join(folder, name),
                                   content=(ASSET_DIR / name).read_text(encoding="utf-8")))
    return sc, files

"""A Backstage entity file put into the catalog folder: one clear message, not ten schema errors."""

from __future__ import annotations

import re
from pathlib import Path

from ..diagnostics import Diagnostic

_API_VERSION = re.compile(r"^apiVersion:\s*['\"]?backstage\.io/", re.MULTILINE)
_PROBE_BYTES = 64 * 1024


def backstage_diagnostic(path: Path, display: str) -> Diagnostic | None:
    """The one diagnostic for a Backstage entity file, or None when ``path`` is not one."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_PROBE_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return None
    match = _API_VERSION.search(head)
    if match is None:
        return None
    line = head.count("\n", 0, match.start()) + 1
    return Diagnostic(
        display, line, 1, "apiVersion",
        "this is a Backstage entity, not an opsready service file; use "
        "`opsready import backstage`",
        f"move it out of the catalog folder and run `opsready import backstage {display} "
        "--out <catalog folder>`: it writes service files and teams.yaml entries")

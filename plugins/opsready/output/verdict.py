"""The readiness verdict at the end of a build: what to say, at which level, and whether it fails.

The warn/enforce mapping of the options, shared by the MkDocs plugin and ``opsready generate``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..policy.build_readiness import SiteReadiness
from .options import SiteOptions


@dataclass(frozen=True)
class Verdict:
    """The end-of-build summary, its log level, and whether the build fails."""

    level: str
    text: str
    fails: bool

    @property
    def lines(self) -> list[str]:
        """The summary's lines (each value in them is escaped already: its only line breaks
        are its own)."""
        return self.text.split("\n")


def readiness_verdict(readiness: SiteReadiness, options: SiteOptions, *,
                      serving: bool = False) -> Verdict | None:
    """None when readiness is off. A fleet below its required levels fails under ``enforce``
    (except while serving); otherwise it is a warning, or info with ``warn_gaps: none``."""
    if not options.readiness:
        return None
    summary = readiness.summary()
    if not readiness.below_required:
        return Verdict("info", summary, False)
    if options.enforce and not serving:
        return Verdict("error", summary, True)
    return Verdict("info" if options.warn_gaps == "none" else "warning", summary, False)

"""Place readiness findings in the service file: the one step from (YAML path, message)
findings to ``Gap`` records with file and line.

Pure: it reads only the findings and the file's immutable positions map, never the loader, so
everything after evaluation (pages, scorecard, check output, badges, reports) works from the
placed gaps alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..catalog.positions import Positions
from ..diagnostics import format_path
from ..output.site_files import Gap
from .file_format import Rule
from .rule_kinds import Failure


def place_gaps(rule: Rule, findings: Sequence[Failure], positions: Positions,
               file: str) -> tuple[Gap, ...]:
    """The findings of one rule as gaps in ``file``, each at the line to fix (the key of the
    value or of its nearest written ancestor, see ``Positions.gap_line``)."""
    gaps = []
    for finding in findings:
        path = format_path(finding.path)
        gaps.append(Gap(
            rule_id=rule.id, title=rule.title, section=rule.section, status=finding.status,
            level=rule.level, severity=rule.severity, yaml_path=path, file=file,
            line=positions.gap_line(finding.path), message=finding.message,
            hint=rule.hint or f"fill in `{path}` in {file}",
        ))
    return tuple(gaps)

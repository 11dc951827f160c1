"""Where the readiness baseline file is: small on purpose (the check command's warm path asks for
it before deciding whether anything needs loading)."""

from __future__ import annotations

from pathlib import Path

BASELINE_FILE = "readiness-baseline.yaml"


def default_baseline_path(policy_path: Path | str | None, project_dir: Path | str) -> Path:
    """``readiness-baseline.yaml`` beside the site's policy file, else in ``project_dir``."""
    base = Path(policy_path).parent if policy_path else Path(project_dir)
    return base / BASELINE_FILE


def baseline_path_for(given: str | None, policy_path: str | None, catalog: Path) -> Path:
    """The baseline the commands read: ``--baseline``, else ``readiness-baseline.yaml`` beside
    ``--policy``, else beside the catalog folder (the repository root of an ``init``ed site,
    where ``mkdocs.yml`` is)."""
    if given:
        return Path(given)
    return default_baseline_path(policy_path, catalog.resolve().parent)

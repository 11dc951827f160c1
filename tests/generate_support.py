"""A small site on disk for ``opsready generate`` tests: catalog, docs, mkdocs.yml (no build)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from test_policy_support import complete_service, yaml_text


def small_catalog() -> dict[str, str]:
    """Two services: a gold tier-1 one and a tier-3 one with a placeholder and a gold gap."""
    gold = complete_service("gold-svc")
    small = complete_service("small", tier=3, owner="team-b")
    small["name"] = "Small <b>svc</b> | x"
    small["runbook"]["on_call"] = "TODO: ask the team lead"
    del small["architecture"]["redundancy"]
    files = {"teams.yaml": yaml.safe_dump(
        {"teams": [{"id": t, "name": t.replace("-", " ").title()} for t in ("team-a", "team-b")]})}
    for s in (gold, small):
        files[f"{s['id']}.yaml"] = yaml_text(s)
    return files


def write_site(root: Path, catalog: dict[str, str] | None = None,
               docs: dict[str, str] | None = None, **options: Any) -> Path:
    """Write a site to ``root``; returns its ``mkdocs.yml``. ``options``: opsready options."""
    for name, text in (catalog if catalog is not None else small_catalog()).items():
        path = root / "service_catalog" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for name, text in (docs if docs is not None else {"index.md": "# Home\n"}).items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config = {"site_name": "Small", "theme": {"name": "material", "font": False},
              "plugins": ["search", {"opsready": {"diagrams": False, **options}}],
              "markdown_extensions": [{"toc": {"permalink": True}}]}
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path

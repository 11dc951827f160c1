"""Where the cache lives: the user's cache folder, one folder per catalog.

A cache is trusted input (a parsed file taken from it becomes a page), so by default it lives
outside the repository: ``$XDG_CACHE_HOME/opsready`` or ``~/.cache/opsready``, one folder per
catalog (``projects/<hash of the catalog's absolute path>``). Every namespace of the cache is a
folder inside it (``store``).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..guard.paths import linked_folder


def user_cache_root() -> Path:
    """``$XDG_CACHE_HOME/opsready`` (when set to an absolute path), else ``~/.cache/opsready``."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "opsready"


def default_cache_dir(catalog_dir: Path | str) -> Path:
    """The cache folder of a catalog: in the user cache, named by a hash of the catalog's
    absolute path (so two checkouts never share entries, and nothing is written into either)."""
    digest = hashlib.sha256(str(Path(catalog_dir).resolve()).encode("utf-8")).hexdigest()[:16]
    return user_cache_root() / "projects" / digest


def resolve_cache_dir(option: str | None, config_dir: Path, catalog_dir: Path) -> Path:
    """The ``cache_dir`` option resolved against ``mkdocs.yml``'s folder; unset: the default.
    ``ValueError`` when it is reached through a link (``project_folder``)."""
    if not option:
        return default_cache_dir(catalog_dir)
    return project_folder(Path(config_dir), option, "cache_dir")


def project_folder(config_dir: Path, option: str, name: str) -> Path:
    """A cache folder option (``name``) resolved against ``mkdocs.yml``'s folder.

    A folder inside the project may not be reached through a link: a link committed there
    (``.cache -> /``) would make the build write and prune entries wherever it points.
    ``ValueError`` names the link."""
    link = linked_folder(config_dir, option)
    if link is not None:
        raise ValueError(f"{name} '{option}' passes through the link '{link}': a cache "
                         "folder inside the project must be a real folder (remove the link, or "
                         f"set {name} to a folder outside the repository)")
    return (config_dir / option).resolve()

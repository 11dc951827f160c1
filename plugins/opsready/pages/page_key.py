"""Content digests for the page cache: the code and libraries that render, the templates, the
catalog's models, and the key of one service's pages.

A key covers everything a service's pages are made from besides what they read of other
services and of the readiness gaps (recorded while rendering, see ``read_tracking``): the
opsready code and the versions of the libraries that shape the Markdown, every template file,
the organisation, teams and contacts, the service itself (with its ``{file:}`` Markdown, which
the model holds), its file's path, its planned pages, diagrams and hand-written pages, and the
site options the templates see.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .. import __version__
from .templates import PACKAGED_DIR, TemplateSet

KEY_VERSION = "1"
"""Bump when the cached value or the key's meaning changes."""
LIBRARIES = ("jinja2", "markupsafe", "markdown", "nh3", "pydantic")
"""Libraries whose version can change the rendered Markdown."""
PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _hash(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _tree_digest(*roots: Path, suffixes: tuple[str, ...] = ()) -> str:
    """Digest of the relative paths and contents of every file under ``roots``."""
    parts: list[str | bytes] = []
    for root in roots:
        parts.append(str(root))
        if not root.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if suffixes and not name.endswith(suffixes):
                    continue
                path = Path(dirpath, name)
                parts += [path.relative_to(root).as_posix(), path.read_bytes()]
    return _hash(*parts)


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """The opsready version, its Python sources and the versions of the rendering libraries."""
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=?")
    return _hash(KEY_VERSION, __version__, *versions, _tree_digest(PACKAGE_DIR, suffixes=(".py",)))


def templates_digest(templates: TemplateSet) -> str:
    """Digest of every file of the site's and the packaged template folders (kept on the set:
    the plugin makes a new set when a template file changes)."""
    found = getattr(templates, "_opsready_digest", None)
    if found is None:
        dirs = [PACKAGED_DIR] + ([templates.site_dir] if templates.site_dir is not None else [])
        found = _tree_digest(*dirs)
        templates._opsready_digest = found  # type: ignore[attr-defined]
    return str(found)


def model_digest(value: BaseModel | None) -> str:
    """Digest of a model's data (every field, ``{file:}`` texts included)."""
    return _hash("none" if value is None else value.model_dump_json())


def models_digest(values: Mapping[str, BaseModel]) -> str:
    """Digest of a mapping of models, in key order."""
    return _hash(*(part for k in sorted(values) for part in (k, model_digest(values[k]))))


class FleetDigests:
    """Digests of one catalog's models, each computed once."""

    def __init__(self, organisation: BaseModel, teams: Mapping[str, BaseModel],
                 contacts: Mapping[str, BaseModel], services: Mapping[str, BaseModel]) -> None:
        self._services = services
        self._digests: dict[str, str] = {}
        self.shared = _hash(model_digest(organisation), models_digest(teams),
                            models_digest(contacts))
        """The organisation, teams and contacts: read by every service page."""
        self._fleet: str | None = None

    def service(self, service_id: str) -> str:
        """Digest of one service's data."""
        found = self._digests.get(service_id)
        if found is None:
            found = self._digests[service_id] = model_digest(self._services[service_id])
        return found

    @property
    def fleet(self) -> str:
        """Digest of every service (for pages that read the whole list)."""
        if self._fleet is None:
            self._fleet = _hash(*(p for sid in self._services for p in (sid, self.service(sid))))
        return self._fleet


def service_key(base: str, digests: FleetDigests, service_id: str,
                own: Sequence[Any]) -> str:
    """The cache key of one service's pages: ``base`` (code, templates, options, shared
    models), the service's digest and ``own`` (its file, planned pages, diagrams, hand-written
    pages), whose ``repr`` is hashed."""
    return _hash(base, service_id, digests.service(service_id), repr(tuple(own)))


def fleet_pages_key(base: str, own: Sequence[Any]) -> str:
    """The cache key of the fleet-wide pages: ``base`` and ``own`` (their planned pages, the
    fleet map), whose ``repr`` is hashed; the services they read are recorded apart."""
    return _hash(base, "fleet-wide pages", repr(tuple(own)))


def base_key(templates: TemplateSet, digests: FleetDigests, options: Sequence[Any]) -> str:
    """The part of every service's key that is the same for the whole site."""
    return _hash(code_digest(), templates_digest(templates), digests.shared, repr(tuple(options)))

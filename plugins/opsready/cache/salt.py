"""The one code salt every cache key starts with.

It is a SHA-256 over everything besides the inputs that can change a cached result: every file
of the installed opsready package (source, templates, packaged data and policy), the versions of
every library that shapes output, the version Graphviz' ``dot -V`` prints and the Python version.
An upgrade of any of them (or an edit of one line of opsready) makes every key new: old output
never survives it.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

SALT_VERSION = "1"
"""Bump when the layout of an entry changes without any file of the package changing."""
PACKAGE_DIR = Path(__file__).resolve().parent.parent
LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "nh3", "jinja2",
             "markupsafe", "pydantic", "pydantic-core", "pyyaml", "diagrams", "graphviz")
"""Distributions whose version can change a parsed file, an outcome, a page or a diagram."""


def _add_tree(digest: Any, root: Path) -> None:
    """Add the relative path and bytes of every file under ``root`` (bytecode caches left out;
    a missing root adds nothing)."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root).encode("utf-8", "surrogateescape")
            with open(path, "rb") as handle:
                data = handle.read()
            digest.update(len(rel).to_bytes(4, "big") + rel)
            digest.update(hashlib.sha256(data).digest())


def tree_digest(*roots: Path) -> str:
    """SHA-256 of the place, relative paths and bytes of every file under ``roots``."""
    digest = hashlib.sha256()
    for root in roots:
        name = str(root).encode("utf-8", "surrogateescape")
        digest.update(len(name).to_bytes(4, "big") + name)
        _add_tree(digest, root)
    return digest.hexdigest()


def package_digest(package: Path = PACKAGE_DIR) -> str:
    """SHA-256 of the relative path and bytes of every file of the package (not of its place:
    a copy hashes the same)."""
    digest = hashlib.sha256()
    _add_tree(digest, package)
    return digest.hexdigest()


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _installed() -> dict[str, str]:
    """Normalised distribution name -> version, from the names of the ``.dist-info`` folders
    on ``sys.path`` (the first one found wins, as for imports): reading the folder listings is
    much cheaper than importing ``importlib.metadata``, and a warm check pays for the salt."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info") and "-" in name:
                dist, _, version = name[: -len(".dist-info")].partition("-")
                found.setdefault(_normal(dist), version)
    return found


def library_versions() -> list[str]:
    """``name=version`` of every library of ``LIBRARIES`` (``name=-`` when not installed)."""
    installed = _installed()
    found = []
    for name in LIBRARIES:
        version = installed.get(_normal(name))
        if version is None:
            from importlib import metadata

            try:
                version = metadata.version(name)
            except metadata.PackageNotFoundError:
                version = "-"
        found.append(f"{name}={version}")
    return found


def graphviz_version() -> str:
    """What ``dot -V`` prints ('' without Graphviz)."""
    dot = shutil.which("dot")
    if dot is None:
        return ""
    try:
        done = subprocess.run([dot, "-V"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return (done.stderr or done.stdout).decode("utf-8", "replace").strip()


@functools.lru_cache(maxsize=1)
def code_salt() -> str:
    """The salt (hex) of this installation (computed once per process)."""
    parts = [SALT_VERSION, package_digest(), *library_versions(), graphviz_version(),
             sys.version]
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def key_of(*parts: str | bytes) -> str:
    """A cache key: SHA-256 (hex) of the code salt and ``parts``, each length-prefixed."""
    digest = hashlib.sha256()
    for part in (code_salt(), *parts):
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()

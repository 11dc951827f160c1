"""The same repository gives the same site, byte for byte, from any working directory and any
checkout location, and no output names the build machine's folders.

Each build runs ``mkdocs build`` in its own process with its own ``PYTHONHASHSEED``, so that an
order taken from a set (which changes from process to process) shows as a difference too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import TEAMS_YAML, service_yaml
from opsready.diagrams import tools

pytestmark = pytest.mark.slow  # runs processes

SERVICE = service_yaml("checkout", "Checkout", tier=1, extra="""\
    description: {file: overview.md}
    runbook:
      on_call: TODO
    """).replace("description: The Checkout service.\n", "")
ARCH = """\
architecture:
  components:
    - {id: api, name: checkout-api, kind: web}
    - {id: db, name: checkout-db, kind: sql}
  interactions:
    - {from: api, to: db, data: Orders, protocol: PostgreSQL, encrypted: true}
"""


def _project(root: Path, diagrams_cache: Path) -> Path:
    catalog = root / "service_catalog"
    (catalog / "checkout").mkdir(parents=True)
    (catalog / "teams.yaml").write_text(TEAMS_YAML, encoding="utf-8")
    (catalog / "checkout" / "service.yaml").write_text(SERVICE + ARCH, encoding="utf-8")
    (catalog / "checkout" / "overview.md").write_text("Takes the **basket**.\n", "utf-8")
    (catalog / "ledger.yaml").write_text(service_yaml("ledger", tier=3), encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    config = {
        "site_name": "Reproducible",
        "theme": {"name": "material", "font": False},
        "plugins": ["search", {"opsready": {
            "diagrams": tools.graphviz_available(), "enforce": False,
            "diagrams_cache_dir": str(diagrams_cache)}}],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return root


def _build(project: Path, cwd: Path, site: Path, seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1790000000"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"),
         "-d", str(site)], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_same_site_from_any_working_directory_and_checkout(tmp_path: Path) -> None:
    # One diagram cache for the three builds (drawn once), named by an absolute path that must
    # not show in the site either.
    here = _project(tmp_path / "checkout-one", tmp_path / "diagrams-cache")
    there = tmp_path / "elsewhere" / "checkout-two"
    shutil.copytree(here, there)
    other_cwd = tmp_path / "somewhere"
    other_cwd.mkdir()
    sites = [tmp_path / "site-a", tmp_path / "site-b", tmp_path / "site-c"]
    _build(here, here, sites[0], "1")
    _build(here, other_cwd, sites[1], "2")
    _build(there, there / "service_catalog", sites[2], "3")

    trees = [_tree(s) for s in sites]
    assert len(trees[0]) > 20
    for other in trees[1:]:
        assert sorted(other) == sorted(trees[0])
        changed = [name for name in trees[0] if trees[0][name] != other[name]]
        assert changed == []
    # The flags name the catalog file relative to the project, never by an absolute path.
    assert b"service_catalog/checkout/service.yaml" in trees[0]["scorecard/scorecard.json"]
    for tree in trees:
        for name, data in tree.items():
            for folder in (tmp_path, Path.cwd(), Path.home()):
                assert str(folder).encode() not in data, f"{name} names {folder}"


def test_placeholder_order_does_not_depend_on_the_hash_seed() -> None:
    code = "from opsready.policy.presence import Placeholders; print(Placeholders().prefixes)"
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, check=True).stdout
               for seed in ("1", "2", "3", "4")}
    assert len(outputs) == 1, outputs

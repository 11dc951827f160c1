"""The parse cache: unchanged files are not parsed again, and results never change because of it."""

from __future__ import annotations

import shutil
from pathlib import Path

from opsready.catalog import load_catalog
from opsready.loader import load_yaml
from opsready.parse_cache import ParseCache

BAD = Path(__file__).parent / "fixtures" / "bad"
SERVICE = "id: svc\nname: Svc\ndescription: d\ntier: 3\nlifecycle: beta\nowner: t\n" \
          "last_reviewed: 2026-11-01\n"


def _catalog(tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    root.mkdir()
    (root / "teams.yaml").write_text("teams: [{id: t, name: T}]\n", encoding="utf-8")
    (root / "svc.yaml").write_text(SERVICE, encoding="utf-8")
    return root


def test_second_load_reads_the_cache_and_gives_the_same_catalog(tmp_path: Path) -> None:
    root = _catalog(tmp_path)
    cache_dir = tmp_path / "cache"
    first = load_catalog(root, cache_dir=cache_dir)
    entries = list((cache_dir / "parsed").rglob("*.json"))
    assert len(entries) == 1  # the service file; teams.yaml is read directly
    second = load_catalog(root, cache_dir=cache_dir)
    assert second.catalog.services == first.catalog.services
    assert str(second.catalog.services["svc"].last_reviewed) == "2026-11-01"
    cache = ParseCache(cache_dir)
    loaded, _ = load_yaml(root / "svc.yaml", cache=cache)
    assert cache.hits == 1 and loaded is not None
    assert loaded.position(("tier",)) == (4, 7)  # positions still come from the text


def test_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    root = _catalog(tmp_path)
    cache_dir = tmp_path / "cache"
    load_catalog(root, cache_dir=cache_dir)
    (root / "svc.yaml").write_text(SERVICE.replace("tier: 3", "tier: 2"), encoding="utf-8")
    assert load_catalog(root, cache_dir=cache_dir).catalog.services["svc"].tier == 2


def test_damaged_entries_are_misses_and_bad_files_are_never_cached(tmp_path: Path) -> None:
    root = _catalog(tmp_path)
    cache_dir = tmp_path / "cache"
    load_catalog(root, cache_dir=cache_dir)
    [entry] = list((cache_dir / "parsed").rglob("*.json"))
    entry.write_text("{not json", encoding="utf-8")
    assert load_catalog(root, cache_dir=cache_dir).catalog.services["svc"].tier == 3
    broken = tmp_path / "broken"
    shutil.copytree(BAD / "duplicate-key", broken)
    for _ in range(2):
        result = load_catalog(broken, cache_dir=tmp_path / "cache2")
        assert any("duplicate key" in d.message for d in result.diagnostics)
    assert not list((tmp_path / "cache2").rglob("*.json"))

"""The parse cache: unchanged files are not parsed again, and results never change because of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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


def test_parallel_streamed_load_reports_exactly_what_a_serial_load_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers parse while the main process validates and checks the text of the files that
    came first, with some files from the parse cache: the same diagnostics, in the same order."""
    import opsready.catalog
    from conftest import catalog_with, service_yaml

    files = catalog_with(
        a=service_yaml("a", extra="runbook:\n  on_call: \"Rota.\\n\\n<!-- draft\"\n"),
        b=service_yaml("b", extra="tags: [x, 1,500]\n"),
        c="id: c\nname: [unclosed\n",
        d=service_yaml("d", tier=9),
        e=service_yaml("e", extra="description: dup\n"),
        f=service_yaml("wrong-id"),
        g=service_yaml("g", extra="runbook:\n  on_call: \"--8<-- /etc/passwd\"\n"))
    root = tmp_path / "catalog"
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    serial = load_catalog(root, jobs=1).diagnostics
    assert {d.code for d in serial} >= {"prose", "split-number", "include"}
    cache = tmp_path / "cache"
    load_catalog(root, jobs=1, cache_dir=cache)  # the valid files are now cached
    (root / "b.yaml").write_text(files["b.yaml"] + "# edited\n", encoding="utf-8")
    monkeypatch.setattr(opsready.catalog, "PARALLEL_THRESHOLD", 2)
    assert load_catalog(root, jobs=2, cache_dir=cache).diagnostics == serial
    assert load_catalog(root, jobs=2).diagnostics == serial

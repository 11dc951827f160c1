"""The ``parsed`` namespace: unchanged files are not parsed again, and results never change
because of it (the orchestration opens the store; ``load_catalog`` takes no cache argument)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import lived
from opsready.cache.session import using
from opsready.cache.store import Store
from opsready.catalog.fleet import CatalogResult
from opsready.catalog.load import load_catalog
from opsready.catalog.yaml_loader import load_yaml
from opsready.output.reuse import load_catalog_cached

BAD = Path(__file__).parent / "fixtures" / "bad"
SERVICE = "id: svc\nname: Svc\ndescription: d\ntier: 3\nlifecycle: beta\nowner: t\n" \
          "last_reviewed: 2026-11-01\n"


KEY = b"k" * 32


def cached_load(root: Path, cache_dir: Path, **kwargs: object) -> CatalogResult:
    return load_catalog_cached(lived(Store(cache_dir, KEY)), root,
                               **kwargs)  # type: ignore[arg-type]


def test_a_fresh_cache_folder_keeps_no_parsed_files_until_a_run_finished_with_it(
        tmp_path: Path) -> None:
    """A CI runner's cache usually lives for one run: its parse entries would only cost time.
    From the second run on (the folder holds a run's outcomes), the files are kept."""
    root = _catalog(tmp_path)
    cache_dir = tmp_path / "cache"
    store = Store(cache_dir, KEY)
    first = load_catalog_cached(store, root)
    assert _entries(cache_dir) == [] and not store.written
    store.put("evaluated", "1" * 64, b"outcomes of the first run")
    second = load_catalog_cached(Store(cache_dir, KEY), root)
    assert len(_entries(cache_dir)) == 2
    assert second.catalog.services == first.catalog.services
    again = Store(cache_dir, KEY)
    load_catalog_cached(again, root)
    assert again.hits == {"parsed": 2}


def _entries(cache_dir: Path) -> list[Path]:
    return [p for p in (cache_dir / "parsed").rglob("*") if p.is_file()]


def _catalog(tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    root.mkdir()
    (root / "teams.yaml").write_text("teams: [{id: t, name: T}]\n", encoding="utf-8")
    (root / "svc.yaml").write_text(SERVICE, encoding="utf-8")
    return root


def test_second_load_reads_the_cache_and_gives_the_same_catalog(tmp_path: Path) -> None:
    root = _catalog(tmp_path)
    cache_dir = tmp_path / "cache"
    first = cached_load(root, cache_dir)
    entries = _entries(cache_dir)
    assert len(entries) == 2  # the service file and teams.yaml
    second = cached_load(root, cache_dir)
    assert second.catalog.services == first.catalog.services
    assert str(second.catalog.services["svc"].last_reviewed) == "2026-11-01"
    store = Store(cache_dir, KEY)
    with using(store):
        loaded, _ = load_yaml(root / "svc.yaml")
    assert store.hits == {"parsed": 1} and loaded is not None
    assert loaded.position(("tier",)) == (4, 7)  # positions still come from the text


def test_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    root = _catalog(tmp_path)
    cache_dir = tmp_path / "cache"
    cached_load(root, cache_dir)
    (root / "svc.yaml").write_text(SERVICE.replace("tier: 3", "tier: 2"), encoding="utf-8")
    assert cached_load(root, cache_dir).catalog.services["svc"].tier == 2


def test_damaged_entries_are_misses_and_bad_files_are_never_cached(tmp_path: Path) -> None:
    root = _catalog(tmp_path)
    cache_dir = tmp_path / "cache"
    cached_load(root, cache_dir)
    for entry in _entries(cache_dir):
        entry.write_text("{not json", encoding="utf-8")
    assert cached_load(root, cache_dir).catalog.services["svc"].tier == 3
    broken = tmp_path / "broken"
    shutil.copytree(BAD / "duplicate-key", broken)
    for _ in range(2):
        result = cached_load(broken, tmp_path / "cache2")
        assert any("duplicate key" in d.message for d in result.diagnostics)
    from opsready.catalog.yaml_loader import _parsed_key

    stored = {p.name for p in _entries(tmp_path / "cache2")}
    for path in broken.glob("*.yaml"):  # the file with the duplicate key is never stored
        text = path.read_text(encoding="utf-8")
        assert (_parsed_key(text) in stored) == (path.name == "teams.yaml"), path


def test_parallel_streamed_load_reports_exactly_what_a_serial_load_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers parse while the main process validates and checks the text of the files that
    came first, with some files from the parse cache: the same diagnostics, in the same order."""
    import opsready.catalog.load
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
    cached_load(root, cache, jobs=1)  # the valid files are now cached
    (root / "b.yaml").write_text(files["b.yaml"] + "# edited\n", encoding="utf-8")
    monkeypatch.setattr(opsready.catalog.load, "PARALLEL_THRESHOLD", 2)
    assert cached_load(root, cache, jobs=2).diagnostics == serial
    assert load_catalog(root, jobs=2).diagnostics == serial


def test_workers_give_the_catalog_one_process_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(__file__).resolve().parent.parent / "service_catalog"
    alone = load_catalog(root, jobs=1).catalog
    monkeypatch.setattr("opsready.catalog.load.PARALLEL_THRESHOLD", 2)
    shared = load_catalog(root, jobs=2).catalog
    assert shared.services == alone.services and list(shared.services) == list(alone.services)
    for sid, source in alone.sources.items():
        other = shared.sources[sid]
        assert other.loaded.data == source.loaded.data and other.loaded.text == source.loaded.text
        assert list(other.loaded.positions.items()) == list(source.loaded.positions.items())
    assert shared.reads == alone.reads

"""The one pruning rule: every namespace counts towards one bound, entries used longest ago go
first, and the cache folder stays under its bound however many catalogs are built."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from opsready.cache.prune import LOW_WATER, folder_size, prune
from opsready.cache.store import NAMESPACES, Store
from opsready.cli.main import main

EXAMPLE = Path(__file__).resolve().parent.parent / "service_catalog"


def test_least_recently_used_entries_go_first_in_every_namespace(tmp_path: Path) -> None:
    store = Store(tmp_path, b"k" * 32)
    keys = []
    for i, namespace in enumerate(NAMESPACES * 3):
        key = f"{i:064x}"
        store.put(namespace, key, bytes(1000))
        os.utime(store.path(namespace, key), ns=(i * 10**9, i * 10**9))  # written in order
        keys.append((namespace, key))
    total = folder_size(tmp_path)
    assert total > len(keys) * 1000
    first_ns, first_key = keys[0]
    assert store.get(first_ns, first_key) is not None  # used now: the youngest entry
    bound = total // 2
    removed = prune(tmp_path, bound)
    assert folder_size(tmp_path) <= bound * LOW_WATER
    assert store.get(first_ns, first_key) is not None
    gone = [k for ns, k in keys if not store.path(ns, k).exists()]
    assert len(gone) == removed and keys[1][1] in gone  # the oldest unused one went first
    kept = [i for i, (ns, k) in enumerate(keys) if store.path(ns, k).exists() and i]
    assert kept == list(range(len(keys) - len(kept), len(keys)))  # the newest were kept


def test_nothing_is_pruned_under_the_bound_and_stale_temporary_files_go(tmp_path: Path) -> None:
    store = Store(tmp_path, b"k" * 32)
    store.put("parsed", "ab" * 32, b"x")
    stale = store.path("parsed", "ab" * 32).with_name("left.tmp")
    stale.write_bytes(b"half")
    os.utime(stale, (0, 0))
    assert prune(tmp_path, 10**9) == 1
    assert store.get("parsed", "ab" * 32) == b"x" and not stale.exists()


def test_a_store_that_wrote_nothing_does_not_walk_the_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import opsready.cache.prune

    def refuse(*_args: object, **_kwargs: object) -> int:
        raise AssertionError("pruned after a run that wrote nothing")
    monkeypatch.setattr(opsready.cache.prune, "prune", refuse)
    assert Store(tmp_path, b"k" * 32).finish(1) == 0


def test_the_folder_stays_under_its_bound_after_many_builds_of_different_catalogs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("OPSREADY_TODAY", "2026-11-26")
    cache = tmp_path / "cache"
    bound = 1024 * 1024
    for i in range(4):
        site = tmp_path / f"site-{i}"
        for name in ("teams.yaml", "organisation.yaml", "payments", "ledger",
                     "customer-profile", "notifications.yaml", "parcel-tracking.yaml"):
            source, target = EXAMPLE / name, site / "service_catalog" / name
            if source.is_dir():
                shutil.copytree(source, target)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(source, target)
        service = site / "service_catalog" / "ledger" / "service.yaml"
        service.write_text(service.read_text(encoding="utf-8").replace(
            "\nname: ", f"\nname: Catalog {i} ", 1), encoding="utf-8")
        (site / "docs").mkdir()
        (site / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
        (site / "mkdocs.yml").write_text(
            "site_name: S\nplugins:\n  - search\n  - opsready:\n      diagrams: false\n"
            f"      enforce: false\n      cache_dir: {cache}\n      cache_size_mb: 1\n",
            encoding="utf-8")
        monkeypatch.chdir(site)
        assert main(["generate", "--out", str(tmp_path / f"out-{i}")]) == 0
        assert main(["check", "service_catalog", "--cache-dir", str(cache),
                     "--cache-size-mb", "1"]) in (0, 1)
        capsys.readouterr()
        assert 0 < folder_size(cache) <= bound, i
    assert (tmp_path / "out-3" / "services" / "ledger" / "index.md").read_text(
        encoding="utf-8").count("Catalog 3") >= 1

"""The ``evaluated`` namespace: a warm ``opsready check`` reuses unchanged services' rule
outcomes, never changes the report, and only trusts entries this user's key signed. Outcomes
are keyed by the bytes of the files each service was made of (``Catalog.reads``)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import lived
from opsready.cache.reads import recording
from opsready.cache.store import Store
from opsready.catalog.load import load_catalog
from opsready.cli.main import main
from opsready.output.reuse import cached_evaluator
from opsready.policy.build_readiness import site_readiness
from test_policy_support import two_service_catalog


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPSREADY_TODAY", "2026-06-01")


@pytest.fixture()
def catalog(tmp_path: Path) -> Path:
    return two_service_catalog(tmp_path / "catalog")


def _check(capsys: pytest.CaptureFixture[str], catalog: Path, *options: str) -> str:
    main(["check", str(catalog), "--format", "json", "--all-gaps", *options])
    return capsys.readouterr().out


def _entries(cache: Path) -> list[Path]:
    return sorted(p for p in (cache / "evaluated").rglob("*") if p.is_file())


def test_cached_and_uncached_reports_are_byte_identical(
        catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "cache"
    lived(cache)
    uncached = _check(capsys, catalog, "--no-cache")
    assert "runbook-escalation" in uncached and "arch-redundancy" in uncached
    first = _check(capsys, catalog, "--cache-dir", str(cache))
    assert len(_entries(cache)) == 2  # one per service
    second = _check(capsys, catalog, "--cache-dir", str(cache))
    assert first == second == uncached
    # Lines moved: the file's bytes changed, so the service is evaluated again (a key is made of
    # the bytes read, never of a summary) and its gaps are placed on the new lines.
    path = catalog / "broken.yaml"
    path.write_text("# moved down\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    moved = _check(capsys, catalog, "--cache-dir", str(cache))
    assert len(_entries(cache)) == 3
    assert moved == _check(capsys, catalog, "--no-cache") != uncached
    lines = {(d["code"], d["line"]) for d in json.loads(moved)}
    old = {(d["code"], d["line"] + 2) for d in json.loads(uncached)
           if d["file"].endswith("broken.yaml")}
    assert old <= lines


def test_a_changed_service_policy_or_day_is_evaluated_again(
        catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    lived(cache)
    _check(capsys, catalog, "--cache-dir", str(cache))
    path = catalog / "small.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("tier: 3", "tier: 1"),
                    encoding="utf-8")
    changed = _check(capsys, catalog, "--cache-dir", str(cache))
    assert changed == _check(capsys, catalog, "--no-cache")
    assert len(_entries(cache)) == 3  # a new entry for the edited service
    monkeypatch.setenv("OPSREADY_TODAY", "2031-06-01")  # reviews become stale
    later = _check(capsys, catalog, "--cache-dir", str(cache))
    assert later == _check(capsys, catalog, "--no-cache") != changed
    assert len(_entries(cache)) == 5


def test_entries_not_signed_by_this_user_are_not_used(
        catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "cache"
    expected = _check(capsys, catalog, "--cache-dir", str(cache))
    for entry in _entries(cache):  # a hostile commit: every rule passes, signature made up
        mac, _, body = entry.read_bytes().partition(b"\n")
        outcomes = [[rule, "pass", "", []] for rule, *_ in json.loads(body)]
        entry.write_bytes(b"0" * len(mac) + b"\n" + json.dumps(outcomes).encode())
    assert _check(capsys, catalog, "--cache-dir", str(cache)) == expected


def test_the_site_build_uses_the_same_cache(catalog: Path, tmp_path: Path) -> None:
    loaded = load_catalog(catalog).catalog
    day = dt.date(2026, 6, 1)
    uncached = site_readiness(loaded, None, day).evaluation
    store = lived(Store(tmp_path / "cache", b"k" * 32))
    with recording() as reads:
        first = site_readiness(loaded, None, day,
                               evaluate=cached_evaluator(store, reads)).evaluation
    assert len(_entries(tmp_path / "cache")) == 2
    with recording() as reads:
        second = site_readiness(loaded, None, day,
                                evaluate=cached_evaluator(store, reads)).evaluation
    assert store.hits == {"evaluated": 2}
    assert uncached is not None and first is not None and second is not None
    gaps = {sid: r.gaps for sid, r in uncached.services.items()}
    assert any(gaps.values())
    assert {sid: r.gaps for sid, r in first.services.items()} == gaps
    assert {sid: r.gaps for sid, r in second.services.items()} == gaps


def test_a_fresh_cache_folder_keeps_outcomes_only_from_its_second_run(
        catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A CI runner's cache usually lives for one run: the first check keeps only its whole
    outcome; from the second run on (after an edit) the per-service outcomes are kept too, and
    every run reports what a check without cache reports."""
    cache = tmp_path / "cache"
    first = _check(capsys, catalog, "--cache-dir", str(cache))
    assert _entries(cache) == [] and (cache / "checked").is_dir()
    assert not [p for p in (cache / "parsed").rglob("*") if p.is_file()]
    path = catalog / "small.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    second = _check(capsys, catalog, "--cache-dir", str(cache))
    assert len(_entries(cache)) == 2
    assert first == second == _check(capsys, catalog, "--no-cache")

"""Large fleets are evaluated on forked workers (``engine._outcomes_on_workers``,
``cache.pool.map_inherited``): the evaluation must be exactly the one made in one process."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from opsready.cache import pool
from opsready.catalog.fleet import CatalogResult
from opsready.policy import engine
from opsready.policy.load import load_policy

TODAY = dt.date(2026, 11, 26)


def _shown(evaluation: engine.Evaluation) -> list[object]:
    return [(sid, r.achieved, r.required, [(x.rule.id, x.status, x.note, x.findings, x.gaps)
                                           for x in r.results])
            for sid, r in evaluation.services.items()]


@pytest.mark.skipif(not pool.can_fork(), reason="workers are forked only where the OS forks")
def test_workers_give_the_evaluation_one_process_gives(
        example_catalog: CatalogResult, monkeypatch: pytest.MonkeyPatch) -> None:
    policy = load_policy().policy
    assert policy is not None
    alone = engine.evaluate(example_catalog.catalog, policy, TODAY, jobs=1)
    monkeypatch.setattr(engine, "PARALLEL_THRESHOLD", 1)
    parent = os.getpid()
    seen: set[int] = set()
    real = engine.rule_outcomes

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.add(os.getpid())
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "rule_outcomes", spy)
    shared = engine.evaluate(example_catalog.catalog, policy, TODAY, jobs=2)
    assert _shown(shared) == _shown(alone)
    assert any(r.gaps for s in shared.services.values() for r in s.results)  # gaps were placed
    # The rules ran on the workers only (their pids are not recorded in this process): the
    # spy saw no call here.
    assert parent not in seen


def test_map_inherited_runs_a_closure_on_workers_in_order() -> None:
    big = list(range(1000))

    def add(i: int) -> tuple[int, int]:  # a closure over data the workers inherit
        return i + big[i], os.getpid()

    results = list(pool.map_inherited(add, range(50), 2, chunksize=4))
    assert [r for r, _ in results] == [2 * i for i in range(50)]
    if pool.can_fork():
        assert os.getpid() not in {pid for _, pid in results}


@pytest.mark.skipif(not pool.can_fork(), reason="workers are forked only where the OS forks")
def test_outcomes_computed_on_workers_are_kept_and_used_by_the_next_run(
        tmp_path: Path, example_catalog: CatalogResult,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import lived
    from opsready.cache.reads import ReadLog
    from opsready.cache.store import Store
    from opsready.output.reuse import cached_evaluator

    policy = load_policy().policy
    assert policy is not None
    monkeypatch.setattr(engine, "PARALLEL_THRESHOLD", 1)
    store = lived(Store(tmp_path / "cache", b"k" * 32))
    first = cached_evaluator(store, ReadLog(), jobs=2)(example_catalog.catalog, policy, TODAY)
    entries = list((tmp_path / "cache" / "evaluated").rglob("*"))
    assert len([p for p in entries if p.is_file()]) == len(example_catalog.catalog.services)
    assert store.written >= len(example_catalog.catalog.services)  # the bound still applies
    again = Store(tmp_path / "cache", b"k" * 32)
    second = cached_evaluator(again, ReadLog(), jobs=2)(example_catalog.catalog, policy, TODAY)
    assert again.hits == {"evaluated": len(example_catalog.catalog.services)}
    assert _shown(second) == _shown(first)

"""The ``pages`` namespace (``output.page_reuse``) and parallel rendering of services' pages
(``pages.site_pages``): cached, uncached and parallel output are identical; entries not signed
by this user are ignored; a change of template, option, gaps or of a service another one reads
invalidates exactly the services concerned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from conftest import rich_catalog, service_yaml, write_files
from opsready.cache.store import Store
from opsready.catalog.fleet import Catalog
from opsready.catalog.load import load_catalog
from opsready.output import page_reuse
from opsready.output.site_files import Gap, GeneratedFile
from opsready.output.site_paths import SitePaths
from opsready.pages import (
    PageStats,
    RenderInputs,
    TemplateError,
    generate_pages,
    make_environment,
    page_workers,
)
from opsready.pages.contacts import ContactLinks
from opsready.policy.build_readiness import site_readiness

# Each test generates every page of a small site, several times: out of the fast target.
pytestmark = pytest.mark.build

KEY = b"k" * 32


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Catalog, Any]:
    """A small catalog (checkout depends on the ledger; batch on nothing) and its gaps."""
    root = write_files(tmp_path_factory.mktemp("catalog"),
                       rich_catalog(batch=service_yaml("batch")))
    result = load_catalog(root)
    assert result.ok, result.diagnostics
    readiness = site_readiness(result.catalog, None, dt.date(2026, 11, 26))
    assert readiness.evaluation is not None
    return result.catalog, readiness.evaluation


@pytest.fixture(scope="module")
def plain(example: tuple[Catalog, Any]) -> list[tuple[str, Any, Any]]:
    """The example's pages rendered without a cache, in one process."""
    return texts(run(*example, None)[0])


def run(catalog: Catalog, gaps: Any, cache: Store | None, *, templates: Any = None,
        concurrency: int = 1, **inputs: Any) -> tuple[list[GeneratedFile], PageStats]:
    stats = PageStats()
    templates = templates or make_environment(None)
    render = RenderInputs(catalog, gaps=gaps, **inputs)
    if cache is None:
        files = generate_pages(templates, render, concurrency=concurrency, stats=stats)
    else:
        files = page_reuse.pages_reusing(cache, templates, render, concurrency=concurrency,
                                         stats=stats)
    return files, stats


def fresh_cache(root: Path) -> Store:
    """A store over ``root`` whose in-memory memo is forgotten (as in a new process)."""
    page_reuse.forget_memory()
    return Store(root, KEY)


def read_back(store: Store) -> int:
    return store.hits.get("pages", 0)


def texts(files: list[GeneratedFile]) -> list[tuple[str, Any, Any]]:
    return [(f.src_path, f.content, f.origin) for f in files]


def test_cached_output_is_identical_and_read_back_from_disk(example: Any, plain: Any,
                                                           tmp_path: Path) -> None:
    catalog, gaps = example
    first, stats = run(catalog, gaps, fresh_cache(tmp_path))
    assert stats.cached == [] and sorted(stats.rendered) == sorted(catalog.services)
    cache = fresh_cache(tmp_path)
    second, stats = run(catalog, gaps, cache)
    assert stats.rendered == [] and sorted(stats.cached) == sorted(catalog.services)
    assert read_back(cache) == len(catalog.services) + 1  # and the fleet-wide pages
    assert texts(first) == plain == texts(second)
    # the same process (mkdocs serve): served from memory, nothing read back
    memo = Store(tmp_path, KEY)
    third, stats = run(catalog, gaps, memo)
    assert read_back(memo) == 0 and stats.rendered == [] and texts(third) == plain
    assert stats.fleet_cached


def test_an_entry_not_signed_by_this_users_key_is_ignored(example: Any, plain: Any,
                                                          tmp_path: Path) -> None:
    catalog, gaps = example
    run(catalog, gaps, fresh_cache(tmp_path))
    entries = sorted(p for p in (tmp_path / "pages").rglob("*") if p.is_file())
    assert len(entries) == len(catalog.services) + 1
    tampered = entries[0]
    mac, _, body = tampered.read_bytes().partition(b"\n")
    tampered.write_bytes(mac + b"\n" + body.replace(b"---", b"--- <script>x</script>", 1))
    for other in entries[1:3]:  # written with another key (copied from elsewhere)
        Store(tmp_path, b"x" * 32).put("pages", other.name,
                                       other.read_bytes().partition(b"\n")[2])
    files, stats = run(catalog, gaps, fresh_cache(tmp_path))
    assert len(stats.rendered) + (not stats.fleet_cached) == 3 and texts(files) == plain


def test_a_template_change_invalidates_every_service(example: Any, tmp_path: Path) -> None:
    catalog, gaps = example
    run(catalog, gaps, fresh_cache(tmp_path))
    site = tmp_path / "templates"
    site.mkdir()
    (site / "alert.md.j2").write_text("{{ alert.name }} of {{ service.name }}\n")
    files, stats = run(catalog, gaps, fresh_cache(tmp_path), templates=make_environment(site))
    assert sorted(stats.rendered) == sorted(catalog.services)
    assert texts(files) == texts(run(catalog, gaps, None, templates=make_environment(site))[0])


@pytest.mark.parametrize("change", [{"paths": SitePaths("ops")},
                                    {"contact_links": ContactLinks(pager_url="https://p/{id}")}])
def test_an_option_change_invalidates_every_service(example: Any, tmp_path: Path,
                                                    change: Mapping[str, Any]) -> None:
    catalog, gaps = example
    run(catalog, gaps, fresh_cache(tmp_path))
    files, stats = run(catalog, gaps, fresh_cache(tmp_path), **change)
    assert sorted(stats.rendered) == sorted(catalog.services)
    assert texts(files) == texts(run(catalog, gaps, None, **change)[0])


class OneMoreGap:
    """The example's gaps plus one for a service: what a changed policy would place."""

    def __init__(self, evaluation: Any, service_id: str) -> None:
        self.evaluation, self.service_id = evaluation, service_id

    def gaps_for(self, service_id: str, section: str) -> list[Gap]:
        found = list(self.evaluation.gaps_for(service_id, section))
        if service_id == self.service_id and section == "runbook#escalation":
            found.append(Gap("new-rule", "A new rule", section, "missing", "bronze", "high",
                             "runbook.escalation", "x.yaml", 1, "Escalation is new.", "Write it"))
        return found

    def is_next_level(self, service_id: str, gap: Gap) -> bool:
        return bool(self.evaluation.is_next_level(service_id, gap))


def test_a_policy_change_recomputes_only_the_services_whose_gaps_changed(
        example: Any, tmp_path: Path) -> None:
    catalog, gaps = example
    run(catalog, gaps, fresh_cache(tmp_path))
    changed = OneMoreGap(gaps, "ledger")
    files, stats = run(catalog, changed, fresh_cache(tmp_path))
    assert stats.rendered == ["ledger"]
    assert "Escalation is new." in str(dict((f.src_path, f.content) for f in files)[
        "services/ledger/runbook.md"])
    assert texts(files) == texts(run(catalog, changed, None)[0])
    _, stats = run(catalog, None, fresh_cache(tmp_path))  # readiness off
    assert sorted(stats.rendered) == sorted(catalog.services)


def test_a_baseline_change_recomputes_only_the_services_it_accepts_gaps_of(
        example: Any, tmp_path: Path) -> None:
    """Only ``readiness-baseline.yaml`` changes (an entry added, its owner, its date): the
    pages of the service it covers show it on a warm run exactly as on a cold one."""
    catalog, gaps = example
    run(catalog, gaps, fresh_cache(tmp_path))
    rule = next(g.rule_id for g in gaps.services["ledger"].gaps)
    baseline = tmp_path / "readiness-baseline.yaml"
    runbooks = []
    for owner, due in (("payments", "2027-03-07"), ("platform", "2027-03-07"),
                       ("platform", "2026-11-01")):
        baseline.write_text(f"version: 1\nentries:\n  - {{service: ledger, rule: {rule}, "
                            f"level: bronze, owner: {owner}, due: {due}}}\n", encoding="utf-8")
        now = site_readiness(catalog, None, dt.date(2026, 11, 26), baseline_path=baseline)
        files, stats = run(catalog, now.evaluation, fresh_cache(tmp_path))
        assert stats.rendered == ["ledger"], (owner, due)
        assert texts(files) == texts(run(catalog, now.evaluation, None)[0])
        again, stats = run(catalog, now.evaluation, fresh_cache(tmp_path))
        assert stats.rendered == [] and texts(again) == texts(files)  # its reads, read back
        runbooks.append("\n".join(str(f.content) for f in files
                                   if f.src_path.startswith("services/ledger/")))
    assert "**Accepted debt** · owner: Payments Team · due\xa02027-03-07" in runbooks[0]
    assert "owner: Platform Team · due\xa02027-03-07" in runbooks[1]
    assert "**Overdue debt** · owner: Platform Team · was\xa0due\xa02026-11-01" in runbooks[2]
    baseline.unlink()  # and back: the first run's pages again
    files, stats = run(catalog, gaps, fresh_cache(tmp_path))
    assert stats.rendered == ["ledger"] and "debt" not in "".join(
        str(f.content) for f in files if f.src_path.startswith("services/ledger/"))


def test_a_referenced_service_change_recomputes_the_services_that_read_it(
        example: Any, tmp_path: Path) -> None:
    catalog, gaps = example
    run(catalog, gaps, fresh_cache(tmp_path))
    path = catalog.sources["ledger"].path
    text = path.read_text(encoding="utf-8")
    try:
        path.write_text(text.replace("name: Ledger", "name: Money"), encoding="utf-8")
        renamed = load_catalog(catalog.root).catalog
    finally:
        path.write_text(text, encoding="utf-8")
    assert renamed.services["ledger"].name == "Money"
    files, stats = run(renamed, gaps, fresh_cache(tmp_path))
    assert sorted(stats.rendered) == ["checkout", "ledger"]  # checkout names its dependency
    assert stats.cached == ["batch"]
    assert not stats.fleet_cached, "the indexes list every service"
    assert texts(files) == texts(run(renamed, gaps, None)[0])


def test_pages_rendered_on_worker_processes_are_identical(
        example: Any, plain: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog, gaps = example
    monkeypatch.setattr(page_workers, "MIN_PARALLEL", 2)
    parallel, stats = run(catalog, gaps, fresh_cache(tmp_path), concurrency=2)
    assert stats.processes == 2 and texts(parallel) == plain
    _, stats = run(catalog, gaps, fresh_cache(tmp_path), concurrency=2)
    assert stats.rendered == []  # what the workers read was recorded and cached


@pytest.mark.parametrize("body", ["{{ service.model_validate({}) }}",
                                  "{{ ''.__class__.__mro__ }}"])
def test_the_sandbox_is_as_strict_on_worker_processes(
        example: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    catalog, gaps = example
    monkeypatch.setattr(page_workers, "MIN_PARALLEL", 2)
    (tmp_path / "alert.md.j2").write_text(body + "\n")
    messages = []
    for concurrency in (1, 2):
        with pytest.raises(TemplateError) as caught:
            run(catalog, gaps, None, templates=make_environment(tmp_path),
                concurrency=concurrency)
        messages.append(str(caught.value))
    assert "SecurityError" in messages[0] or "unsafe" in messages[0]
    assert messages[0] == messages[1]

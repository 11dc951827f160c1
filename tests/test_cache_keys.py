"""Complete keys by construction: recorded reads (every file a step opens, with the hash of its
bytes), the one code salt, and the one worker-count rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from opsready.cache import pool, reads, salt
from opsready.catalog.load import SHARED_READS, load_catalog

EXAMPLE = Path(__file__).resolve().parent.parent / "service_catalog"


def _subset(root: Path) -> Path:
    for name in ("teams.yaml", "organisation.yaml", "payments", "ledger", "customer-profile",
                 "notifications.yaml", "parcel-tracking.yaml"):
        source, target = EXAMPLE / name, root / name
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            root.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
    return root


def test_recordings_nest_and_see_every_read(tmp_path: Path) -> None:
    from opsready.catalog.yaml_loader import read_bounded_text

    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text("A", encoding="utf-8")
    b.write_text("B", encoding="utf-8")
    read_bounded_text(a, 100)  # no recording open: nothing kept anywhere
    with reads.recording() as outer:
        read_bounded_text(a, 100)
        with reads.recording() as inner:
            read_bounded_text(b, 100)
    assert set(outer.files) == {str(a), str(b)} and set(inner.files) == {str(b)}
    before = outer.digest()
    b.write_text("B!", encoding="utf-8")
    with reads.recording() as again:
        read_bounded_text(a, 100)
        read_bounded_text(b, 100)
    assert again.digest() != before


def test_a_service_is_keyed_by_its_file_references_not_their_names(tmp_path: Path) -> None:
    """The defect of issue 21: the model's JSON holds ``{file: capacity-plan.md}``'s name; the
    record holds the bytes the validation read."""
    root = _subset(tmp_path / "catalog")
    first = load_catalog(root).catalog
    assert set(first.reads) == {SHARED_READS, *first.services}
    plan = root / "payments" / "capacity-plan.md"
    plan.write_text("TODO\n", encoding="utf-8")
    second = load_catalog(root).catalog
    assert second.services["payments"].model_dump_json() == \
        first.services["payments"].model_dump_json()  # the summary does not see it...
    assert second.reads["payments"] != first.reads["payments"]  # ...the record does
    assert {k: v for k, v in second.reads.items() if k != "payments"} == \
        {k: v for k, v in first.reads.items() if k != "payments"}
    (root / "teams.yaml").write_text((root / "teams.yaml").read_text(encoding="utf-8") + "\n",
                                     encoding="utf-8")
    assert load_catalog(root).catalog.reads[SHARED_READS] != second.reads[SHARED_READS]


def test_the_salt_covers_every_file_of_the_package(tmp_path: Path) -> None:
    copy = tmp_path / "opsready"
    shutil.copytree(salt.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert salt.package_digest(copy) == salt.package_digest()
    for name in ("policy/report.py", "data/default-policy.yaml", "templates/base.md.j2"):
        path = copy / name
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert salt.package_digest(copy) != salt.package_digest(), name
        path.write_bytes(original)
    versions = salt.library_versions()
    assert [v.split("=")[0] for v in versions] == list(salt.LIBRARIES)
    assert any(v.startswith("mkdocs-material=") and not v.endswith("=-") for v in versions)
    assert salt.key_of("a", "bc") != salt.key_of("ab", "c")


@pytest.mark.parametrize("concurrency, expected", [(3, 3), (1, 1), (0, None), (-2, None),
                                                   (None, None)])
def test_one_worker_count_rule(concurrency: int | None, expected: int | None) -> None:
    assert pool.worker_count(concurrency) == (expected or pool.available_cpus())


def test_the_pools_keep_the_order() -> None:
    items = list(range(40))
    assert list(pool.map_processes(abs, items, 2, chunksize=3)) == items
    assert list(pool.map_threads(abs, items, 3)) == items


def test_every_render_input_is_part_of_the_page_key() -> None:
    """A field added to ``RenderInputs`` must be keyed (or checked by reads) before a stored page
    is reused: the runbook-pack link and the URL style were once left out of the key."""
    import dataclasses

    from opsready.output import page_reuse
    from opsready.pages.render import RenderInputs

    fields = {f.name for f in dataclasses.fields(RenderInputs)}
    keyed = {*page_reuse.SITE_WIDE_FIELDS, *page_reuse.GROUP_FIELDS, *page_reuse.CHECKED_FIELDS}
    assert fields == keyed


def test_policy_reads_do_not_depend_on_what_this_process_read_before(tmp_path: Path) -> None:
    """The default policy and its packs are read once per process and kept: they are files of
    the package (the code salt covers them), so no key records them, and the policy reads of a
    second build in one process (``mkdocs serve``) give the first one's keys."""
    from opsready.cache.reads import recording
    from opsready.policy.load import load_policy

    site_policy = tmp_path / "policy.yaml"
    site_policy.write_text("rules: []\n", encoding="utf-8")
    digests = []
    for _ in range(2):
        with recording() as log:
            load_policy(None)
            load_policy(site_policy)
        digests.append((log.digest(), sorted(log.files)))
    assert digests[0] == digests[1]
    assert digests[0][1] == [str(site_policy)]

"""render_all: content-addressed cache, parallel drawing, every error collected with its spec id."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from opsready.diagrams import batch, render, tools
from opsready.diagrams.batch import DiagramErrors, prune_cache, read_manifest, render_all
from opsready.diagrams.spec import ClusterSpec, DiagramSpec, EdgeSpec, NodeSpec, spec_hash

pytestmark = pytest.mark.skipif(not tools.graphviz_available(), reason="needs Graphviz")


def make(i: int, title: str = "") -> DiagramSpec:
    return DiagramSpec(
        id=f"svc-{i}",
        title=title or f"Service {i}",
        clusters=(ClusterSpec("int", "Internal", style="internal"),),
        nodes=(
            NodeSpec("api", f"api-{i}", "web", "int"),
            NodeSpec("db", "db", "sql", "int", marks=frozenset({"spof"})),
            NodeSpec("q", "events", "queue"),
        ),
        edges=(
            EdgeSpec("api", "db", "SQL", frozenset({"critical"})),
            EdgeSpec("api", "q", "", frozenset({"unencrypted"})),
        ),
    )


def broken() -> DiagramSpec:
    return DiagramSpec("broken", "B", nodes=(NodeSpec("a", "A"),), edges=(EdgeSpec("a", "ghost"),))


def test_second_build_renders_nothing(tmp_path: Path) -> None:
    specs = [make(i) for i in range(10)]
    calls: list[tuple[int, int]] = []
    first = render_all(specs, tmp_path, concurrency=4, progress=lambda d, t: calls.append((d, t)))
    assert first.ok and first.cached == []
    assert first.rendered == [s.id for s in specs]
    assert calls[-1] == (10, 10) and [d for d, _ in calls] == sorted(d for d, _ in calls)
    for spec in specs:
        path = first.outputs[spec.id]
        assert path == tmp_path / f"{spec_hash(spec)}.svg"
        assert path.read_bytes().startswith(b"<?xml")
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]

    second = render_all(specs, tmp_path, concurrency=4)
    assert second.rendered == [] and second.cached == [s.id for s in specs]
    assert second.outputs == first.outputs

    changed = [*specs[:9], make(9, title="Renamed")]
    third = render_all(changed, tmp_path, concurrency=4)
    assert third.rendered == ["svc-9"] and len(third.cached) == 9


def test_manifest(tmp_path: Path) -> None:
    report = render_all([make(1), make(2)], tmp_path, concurrency=2)
    raw = json.loads((tmp_path / batch.MANIFEST).read_text())
    assert raw["tools"]["graphviz"].startswith("dot")
    entries = read_manifest(tmp_path)
    assert set(entries) == {"svc-1", "svc-2"}
    assert tmp_path / entries["svc-1"]["file"] == report.outputs["svc-1"]
    assert entries["svc-1"]["hash"] == spec_hash(make(1))
    assert read_manifest(tmp_path / "missing") == {}


def test_errors_are_collected_with_spec_ids(tmp_path: Path) -> None:
    specs = [make(1), broken(), make(2), make(1)]  # make(1) twice: duplicate id
    report = render_all(specs, tmp_path, concurrency=3)
    assert not report.ok
    assert report.rendered == ["svc-1", "svc-2"]
    ids = [spec_id for spec_id, _ in report.errors]
    assert ids == ["svc-1", "broken"] or ids == ["broken", "svc-1"]
    message = dict(report.errors)["broken"]
    assert "'broken'" in message and "unknown node 'ghost'" in message
    with pytest.raises(DiagramErrors) as info:
        report.raise_for_errors()
    assert "broken" in str(info.value) and "2 diagram(s) failed" in str(info.value)
    assert set(read_manifest(tmp_path)) == {"svc-1", "svc-2"}


def test_worker_failures_are_never_lost(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = render.render_svg

    def flaky(spec: DiagramSpec, timeout: float = 1.0) -> bytes:
        if spec.id in {"svc-3", "svc-5"}:
            raise RuntimeError(f"boom {spec.id}")
        return real(spec, timeout)

    monkeypatch.setattr(render, "render_svg", flaky)
    report = render_all([make(i) for i in range(8)], tmp_path, concurrency=4)
    assert dict(report.errors) == {
        "svc-3": "diagram 'svc-3': RuntimeError: boom svc-3",
        "svc-5": "diagram 'svc-5': RuntimeError: boom svc-5",
    }
    assert len(report.rendered) == 6
    assert not (tmp_path / f"{spec_hash(make(3))}.svg").exists()


def test_identical_content_renders_once(tmp_path: Path) -> None:
    a = make(1)
    b = DiagramSpec("other", a.title, a.direction, a.nodes, a.clusters, a.edges)
    report = render_all([a, b], tmp_path, concurrency=2)
    assert report.rendered == ["svc-1", "other"]
    assert report.outputs["svc-1"] == report.outputs["other"]  # the id is not drawn
    assert len(list(tmp_path.glob("*.svg"))) == 1


def test_concurrency_does_not_change_output(tmp_path: Path) -> None:
    specs = [make(i) for i in range(6)]
    one = render_all(specs, tmp_path / "one", concurrency=1)
    many = render_all(specs, tmp_path / "many", concurrency=6)
    for spec in specs:
        assert one.outputs[spec.id].read_bytes() == many.outputs[spec.id].read_bytes()


def test_graphviz_missing_only_when_something_to_draw(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    render_all([make(1)], tmp_path)
    monkeypatch.setattr(tools, "graphviz_available", lambda: False)
    report = render_all([make(1)], tmp_path)  # warm cache: no Graphviz needed
    assert report.cached == ["svc-1"]
    with pytest.raises(tools.GraphvizMissing, match="apt-get install graphviz"):
        render_all([make(2)], tmp_path)


def test_prune_cache(tmp_path: Path) -> None:
    old = render_all([make(1), make(2)], tmp_path)
    new = render_all([make(2)], tmp_path)
    removed = prune_cache(tmp_path, {p.stem for p in new.outputs.values()})
    assert removed == [old.outputs["svc-1"]]
    assert new.outputs["svc-2"].exists()


def test_prune_unused_keeps_what_is_used_and_what_is_recent(tmp_path: Path) -> None:
    import os

    from opsready.diagrams.batch import prune_unused

    now = 1_800_000_000.0
    old_used, old_unused, recent = (tmp_path / f"{n}.svg" for n in ("a", "b", "c"))
    for path in (old_used, old_unused, recent):
        path.write_text("<svg/>", encoding="utf-8")
    for path in (old_used, old_unused):
        os.utime(path, (now - 40 * 86400, now - 40 * 86400))
    os.utime(recent, (now - 2 * 86400, now - 2 * 86400))
    removed = prune_unused(tmp_path, [old_used], max_age_days=30, now=now)
    assert removed == [old_unused]
    assert old_used.exists() and recent.exists() and not old_unused.exists()
    assert old_used.stat().st_atime == now  # a used diagram is young again...
    assert old_used.stat().st_mtime == now - 40 * 86400  # ...but not redrawn

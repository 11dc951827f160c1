"""render_all: known drawings reused by content hash, parallel drawing, every error collected
with its spec id. It caches nothing itself (the orchestration keeps ``report.drawn``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from opsready.diagrams import render, tools
from opsready.diagrams.batch import DiagramErrors, render_all
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


def test_known_drawings_are_not_drawn_again() -> None:
    specs = [make(i) for i in range(10)]
    calls: list[tuple[int, int]] = []
    first = render_all(specs, concurrency=4, progress=lambda d, t: calls.append((d, t)))
    assert first.ok and first.cached == []
    assert first.rendered == [s.id for s in specs]
    assert calls[-1] == (10, 10) and [d for d, _ in calls] == sorted(d for d, _ in calls)
    for spec in specs:
        assert first.svgs[spec.id].startswith(b"<?xml")
        assert first.drawn[spec_hash(spec)] == first.svgs[spec.id]

    second = render_all(specs, concurrency=4, known=first.drawn)
    assert second.rendered == [] and second.cached == [s.id for s in specs]
    assert second.svgs == first.svgs and second.drawn == {}

    changed = [*specs[:9], make(9, title="Renamed")]
    third = render_all(changed, concurrency=4, known=first.drawn)
    assert third.rendered == ["svc-9"] and len(third.cached) == 9


def test_errors_are_collected_with_spec_ids() -> None:
    specs = [make(1), broken(), make(2), make(1)]  # make(1) twice: duplicate id
    report = render_all(specs, concurrency=3)
    assert not report.ok
    assert report.rendered == ["svc-1", "svc-2"]
    ids = [spec_id for spec_id, _ in report.errors]
    assert ids == ["svc-1", "broken"] or ids == ["broken", "svc-1"]
    message = dict(report.errors)["broken"]
    assert "'broken'" in message and "unknown node 'ghost'" in message
    with pytest.raises(DiagramErrors) as info:
        report.raise_for_errors()
    assert "broken" in str(info.value) and "2 diagram(s) failed" in str(info.value)
    assert set(report.svgs) == {"svc-1", "svc-2"}


def test_worker_failures_are_never_lost(monkeypatch: pytest.MonkeyPatch) -> None:
    real = render.render_svg

    def flaky(spec: DiagramSpec, timeout: float = 1.0) -> bytes:
        if spec.id in {"svc-3", "svc-5"}:
            raise RuntimeError(f"boom {spec.id}")
        return real(spec, timeout)

    monkeypatch.setattr(render, "render_svg", flaky)
    report = render_all([make(i) for i in range(8)], concurrency=4)
    assert dict(report.errors) == {
        "svc-3": "diagram 'svc-3': RuntimeError: boom svc-3",
        "svc-5": "diagram 'svc-5': RuntimeError: boom svc-5",
    }
    assert len(report.rendered) == 6
    assert spec_hash(make(3)) not in report.drawn


def test_identical_content_renders_once() -> None:
    a = make(1)
    b = DiagramSpec("other", a.title, a.direction, a.nodes, a.clusters, a.edges)
    report = render_all([a, b], concurrency=2)
    assert report.rendered == ["svc-1", "other"]
    assert report.svgs["svc-1"] == report.svgs["other"]  # the id is not drawn
    assert len(report.drawn) == 1


def test_concurrency_does_not_change_output() -> None:
    specs = [make(i) for i in range(6)]
    one = render_all(specs, concurrency=1)
    many = render_all(specs, concurrency=6)
    assert one.svgs == many.svgs


def test_graphviz_missing_only_when_something_to_draw(monkeypatch: pytest.MonkeyPatch) -> None:
    known = render_all([make(1)]).drawn
    monkeypatch.setattr(tools, "graphviz_available", lambda: False)
    report = render_all([make(1)], known=known)  # known drawing: no Graphviz needed
    assert report.cached == ["svc-1"]
    with pytest.raises(tools.GraphvizMissing, match="apt-get install graphviz"):
        render_all([make(2)], known=known)


def test_no_file_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    render_all([make(1)])
    assert list(tmp_path.iterdir()) == []

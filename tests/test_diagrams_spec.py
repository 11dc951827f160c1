"""Specs: hashable, validated, canonical hash that follows content and tool versions."""

from __future__ import annotations

import pytest

from opsready.diagrams import spec as spec_mod
from opsready.diagrams.spec import (
    ClusterSpec,
    DiagramSpec,
    EdgeSpec,
    NodeSpec,
    spec_from_dict,
    spec_hash,
    spec_to_dict,
    validate_spec,
)


def sample(**changes: object) -> DiagramSpec:
    base: dict[str, object] = dict(
        id="checkout",
        title="Checkout",
        clusters=[ClusterSpec("int", "Internal", style="internal")],
        nodes=[
            NodeSpec("api", "API", "web", cluster="int", marks=frozenset({"spof", "tier-1"})),
            NodeSpec("db", "DB", "sql", cluster="int"),
        ],
        edges=[EdgeSpec("api", "db", "SQL", marks=frozenset(["unencrypted"]))],
    )
    base.update(changes)
    return DiagramSpec(**base)  # type: ignore[arg-type]


def test_specs_are_frozen_and_hashable() -> None:
    a, b = sample(), sample()
    assert a == b and hash(a) == hash(b)
    assert isinstance(a.nodes, tuple) and isinstance(a.nodes[0].marks, frozenset)
    # Lists, sets and a lone string are accepted at run time and kept as frozensets.
    assert NodeSpec("x", "X", marks="spof").marks == frozenset({"spof"})  # type: ignore[arg-type]
    assert EdgeSpec("a", "b", marks=["x", "x"]).marks == frozenset({"x"})  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        a.title = "other"  # type: ignore[misc]


def test_hash_is_stable_and_follows_content() -> None:
    a = sample()
    assert spec_hash(a) == spec_hash(sample())
    assert len(spec_hash(a)) == 64
    # Mark order never matters; node order does (it steers the layout).
    swapped = frozenset(["tier-1", "spof"])
    api = NodeSpec("api", "API", "web", "int", None, swapped)
    db = NodeSpec("db", "DB", "sql", "int")
    reordered = sample(nodes=[api, db])
    assert spec_hash(reordered) == spec_hash(a)
    assert spec_hash(sample(title="Other")) != spec_hash(a)
    assert spec_hash(sample(id="other-id")) == spec_hash(a)  # the id is not drawn
    assert spec_hash(sample(nodes=tuple(reversed(a.nodes)))) != spec_hash(a)


def test_hash_includes_tool_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    before = spec_hash(sample())
    versions = spec_mod.tool_versions()
    assert versions["graphviz"].startswith("dot - graphviz version")
    assert versions["diagrams"]
    monkeypatch.setattr(spec_mod.tools, "graphviz_version", lambda: "dot - graphviz version 99")
    assert spec_hash(sample()) != before


def test_round_trip() -> None:
    a = sample()
    assert spec_from_dict(spec_to_dict(a)) == a


def test_valid_spec_has_no_problems() -> None:
    assert validate_spec(sample()) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"edges": [EdgeSpec("api", "ghost")]}, "unknown node 'ghost'"),
        ({"direction": "XY"}, "direction 'XY'"),
        ({"nodes": [NodeSpec("a", "A", "postgress")]}, "did you mean: postgres"),
        ({"nodes": [NodeSpec("a", "A", cluster="nope")]}, "unknown cluster 'nope'"),
        ({"nodes": [NodeSpec("a", "A"), NodeSpec("a", "B")]}, "'a' is defined twice"),
        ({"nodes": [NodeSpec("a", "A", url="javascript:alert(1)")]}, "must be relative"),
        ({"clusters": [ClusterSpec("a", "A", parent="b"), ClusterSpec("b", "B", parent="a")]},
         "nested in itself"),
        ({"clusters": [ClusterSpec("a", "A", parent="zz")]}, "unknown parent cluster 'zz'"),
    ],
)  # fmt: skip
def test_problems(changes: dict[str, object], expected: str) -> None:
    defaults: dict[str, object] = {"nodes": [NodeSpec("api", "API")], "clusters": [], "edges": []}
    problems = validate_spec(sample(**{**defaults, **changes}))
    assert any(expected in p for p in problems), problems


def test_allowed_urls() -> None:
    for url in ("/services/a/", "../a/", "https://x.example/", "mailto:team@example.com"):
        assert validate_spec(sample(nodes=[NodeSpec("a", "A", url=url)], edges=[])) == []

"""The positions map: recorded once while a file is loaded, immutable, answered without the
loader (values, keys, list items, the nearest written ancestor, the line a gap points at)."""

from __future__ import annotations

import marshal
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from opsready.cache.session import using
from opsready.cache.store import Store
from opsready.catalog.positions import EMPTY, Positions, pack, unpack
from opsready.catalog.yaml_loader import load_yaml

TEXT = """\
id: checkout
runbook:
  on_call:
    primary: payments
  steps:
    - title: Restart
    - title: Check the queue
      command: queuectl depth
tags: [a, b]
"""


def _positions(tmp_path: Path, text: str = TEXT) -> Positions:
    path = tmp_path / "svc.yaml"
    path.write_text(text, encoding="utf-8")
    loaded, diags = load_yaml(path)
    assert loaded is not None and not diags
    return loaded.positions


def test_values_keys_and_list_items_are_where_they_were_written(tmp_path: Path) -> None:
    positions = _positions(tmp_path)
    assert positions.value(("id",)) == (1, 5)
    assert positions.key(("id",)) == (1, 1)
    assert positions.key(("runbook", "on_call", "primary")) == (4, 5)
    assert positions.value(("runbook", "on_call", "primary")) == (4, 14)
    assert positions.value(("runbook", "steps", 1)) == (7, 7)  # the item, after its dash
    assert positions.key(("runbook", "steps", 1)) is None  # list items have no key
    assert positions.value(("runbook", "steps", 1, "command")) == (8, 16)
    assert positions.value(("tags", 1)) == (9, 11)
    assert positions.value(("runbook", "missing")) is None
    assert positions.path_at(8, 16) == ("runbook", "steps", 1, "command")
    assert positions.path_at(8, 15) is None


def test_a_path_not_in_the_file_falls_back_to_its_nearest_written_ancestor(
        tmp_path: Path) -> None:
    positions = _positions(tmp_path)
    # The ancestor is a mapping entry: its value's position, or its key's with key=True.
    assert positions.position(("runbook", "on_call", "secondary")) == (4, 5)  # on_call's value
    assert positions.position(("runbook", "on_call", "secondary"), key=True) == (3, 3)
    assert positions.position(("runbook", "steps", 5, "title")) == (6, 5)  # the list
    assert positions.position(("nothing", "here")) == (1, 1)  # the document
    # The line a gap points at: the key of the nearest written ancestor, a list item's line.
    assert positions.gap_line(("runbook", "on_call", "secondary")) == 3
    assert positions.gap_line(("runbook", "steps", 1, "owner")) == 7
    assert positions.gap_line(("runbook", "steps", 9)) == 5
    assert positions.gap_line(("absent",)) == 1


def test_positions_are_immutable(tmp_path: Path) -> None:
    positions = _positions(tmp_path)
    with pytest.raises(AttributeError, match="immutable"):
        positions._root = None  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        positions.extra = 1  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match="immutable"):
        del positions._count
    # Lookups hand out plain tuples, never a part of the map.
    found = positions.value(("id",))
    assert found == (1, 5) and type(found) is tuple


def test_plain_form_pickle_and_parse_cache_give_the_same_positions(tmp_path: Path) -> None:
    positions = _positions(tmp_path)
    everything = list(positions.items())
    assert len(everything) == len(positions) > 10
    again = Positions.from_state(marshal.loads(marshal.dumps(positions.state())))
    assert list(again.items()) == everything
    assert list(pickle.loads(pickle.dumps(positions)).items()) == everything
    for path, _ in everything:
        assert again.key(path) == positions.key(path)
    path = tmp_path / "svc.yaml"
    path.write_text(TEXT, encoding="utf-8")
    store = Store(tmp_path / "cache", b"k" * 32)
    with using(store):
        load_yaml(path)
        hit, _ = load_yaml(path)
    assert store.hits == {"parsed": 1} and hit is not None
    assert list(hit.positions.items()) == everything
    count, tree = positions.state()
    for damaged in ((), (count,), ("1", tree), (count, "tree"), (count, tree, 1), None):
        with pytest.raises(ValueError, match="not a positions map"):
            Positions.from_state(damaged)
    assert list(Positions.from_state(EMPTY.state()).items()) == []


def test_a_cached_load_has_the_positions_of_a_fresh_parse(tmp_path: Path) -> None:
    path = tmp_path / "svc.yaml"
    path.write_text(TEXT, encoding="utf-8")
    store = Store(tmp_path / "cache", b"k" * 32)
    with using(store):
        fresh, _ = load_yaml(path)
        cached, _ = load_yaml(path)
    assert store.hits == {"parsed": 1} and fresh is not None and cached is not None
    assert cached.data == fresh.data
    assert list(cached.positions.items()) == list(fresh.positions.items())
    assert cached.positions.key(("tags",)) == (9, 1)


def test_packing_keeps_large_lines_and_columns() -> None:
    assert unpack(pack(1_048_577, 1_048_576)) == (1_048_577, 1_048_576)
    assert unpack(pack(1, 1)) == (1, 1)


def test_paths_with_any_key_text_stay_distinct() -> None:
    positions = Positions.from_paths({("a\x00sb",): pack(2, 3), ("a",): pack(1, 1),
                                      ("a", "b"): pack(5, 5)}, {("a", "b"): pack(5, 1)})
    assert positions.value(("a\x00sb",)) == (2, 3) and positions.value(("a", "b")) == (5, 5)
    assert positions.key(("a\x00sb",)) is None and positions.key(("a", "b")) == (5, 1)


Mark = tuple[int, int]


def _node_marks(node: yaml.Node, path: tuple[str | int, ...] = ()
                ) -> Iterator[tuple[tuple[str | int, ...], Mark, Mark | None]]:
    """(path, value position, key position) of every node, read from PyYAML's own composer:
    the oracle the loader's map is compared with."""
    mark = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            here = (*path, str(key.value))
            key_at = (key.start_mark.line + 1, key.start_mark.column + 1)
            for sub_path, sub_mark, sub_key in _node_marks(value, here):
                yield sub_path, sub_mark, key_at if sub_path == here else sub_key
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _node_marks(item, (*path, i))
    yield path, mark, None


_keys = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
                max_size=6).filter(lambda k: k.strip() == k and k not in ("<<",))
_data = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(_keys, inner, max_size=3), max_leaves=15)


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(_keys, _data, min_size=1, max_size=4), st.sampled_from([None, False, True]))
def test_every_value_and_key_is_where_pyyaml_composes_it(
        tmp_path_factory: pytest.TempPathFactory, data: dict[str, object], flow: bool | None
        ) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    path = tmp_path_factory.mktemp("doc") / "doc.yaml"
    path.write_text(text, encoding="utf-8")
    loaded, diags = load_yaml(path)
    assert loaded is not None, diags
    oracle = list(_node_marks(yaml.compose(text, Loader=yaml.SafeLoader)))
    assert len(loaded.positions) == len(oracle)
    for where, value_at, key_at in oracle:
        assert loaded.positions.value(where) == value_at, where
        assert loaded.positions.key(where) == key_at, where
    again = Positions.from_state(marshal.loads(marshal.dumps(loaded.positions.state())))
    assert list(again.items()) == list(loaded.positions.items())

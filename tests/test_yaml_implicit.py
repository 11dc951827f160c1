"""The catalog loader resolves untagged scalars itself (``yaml_loader._DeferredLoader``): it must
read every file exactly as PyYAML's safe loader does, apart from its documented differences
(dates stay text, whole-number keys become text, duplicate keys and custom tags are refused)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from opsready.catalog.yaml_loader import load_yaml

SCALARS = [
    "plain text", "'quoted 1'", '"double 2"', "1", "-7", "0x1F", "0o17", "017", "1_000",
    "1.5", "-.5", "1e3", ".inf", "-.Inf", ".nan", "yes", "No", "on", "OFF", "true", "False",
    "y", "n", "~", "null", "", "'yes'", '"~"', "!!str 12", "!!int '12'", "!!float 3",
    "!!bool yes", "!!null ''", "<< not a merge", "-not a list", "+1", "1:20",
    "190:20:30", "0b101", "'multi\n  line'", "|\n  block 1\n", ">\n  folded\n  text\n",
]


def _both(tmp_path: Path, text: str) -> tuple[Any, Any]:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    loaded, diags = load_yaml(path)
    assert loaded is not None, diags
    return loaded.data, _text_keys(yaml.load(text, Loader=yaml.CSafeLoader))


def _text_keys(value: Any) -> Any:
    """The safe loader's data with whole-number keys as text, as the catalog loader keeps them
    (keys are names)."""
    if isinstance(value, dict):
        return {str(k) if type(k) is int else k: _text_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_text_keys(v) for v in value]
    return value


def _document(scalar: str) -> str:
    """The scalar as a value, and, when it fits on one line, as a list item and as a key."""
    lines = [f"value: {scalar.replace(chr(10), chr(10) + '  ')}"]
    if "\n" not in scalar:
        lines.append(f"list: [{scalar}]")
        as_key = yaml.load(f"{scalar}: key", Loader=yaml.CSafeLoader) if (
            scalar and not scalar.startswith(("!", "-", "=")) and ":" not in scalar) else None
        # Keys are text or whole numbers (the loader refuses true:, null:, 1.5: keys).
        if isinstance(as_key, dict) and all(type(k) in (str, int) for k in as_key):
            lines.append(f"{scalar}: key")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("scalar", SCALARS)
def test_a_scalar_reads_as_the_safe_loader_reads_it(tmp_path: Path, scalar: str) -> None:
    ours, safe = _both(tmp_path, _document(scalar))
    assert repr(ours) == repr(safe)  # repr: types too, and NaN equals itself


def test_merge_keys_and_explicit_collection_tags_read_as_the_safe_loader_reads_them(
        tmp_path: Path) -> None:
    text = ("base: &b {owner: ops, tier: 2}\nsvc:\n  <<: *b\n  tier: 1\n"
            "many:\n  <<: [*b, {extra: yes}]\nseq: !!seq [1, 2]\nmap: !!map {a: 1}\n")
    ours, safe = _both(tmp_path, text)
    assert ours == safe


def test_dates_stay_text_and_other_tags_are_refused(tmp_path: Path) -> None:
    ours, _ = _both(tmp_path, "when: 2026-01-31\n")
    assert ours == {"when": "2026-01-31"}
    path = tmp_path / "t.yaml"
    for text in ("x: !!python/object:os.system ls\n", "x: !custom 1\n", "x: !!set {a}\n"):
        path.write_text(text, encoding="utf-8")
        loaded, diags = load_yaml(path)
        assert loaded is None and "is not allowed" in diags[0].message, text


_keys = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8)
_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12)
    | st.floats(allow_nan=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_keys, inner, max_size=3),
    max_leaves=12)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(_keys, _values, min_size=1, max_size=4),
       st.sampled_from([None, "'", '"']))
def test_any_dumped_document_reads_back_as_the_safe_loader_reads_it(
        tmp_path_factory: pytest.TempPathFactory, data: dict[str, Any], style: str | None
        ) -> None:
    text = yaml.safe_dump(data, default_style=style, allow_unicode=True)
    ours, safe = _both(tmp_path_factory.mktemp("doc"), text)
    assert ours == safe

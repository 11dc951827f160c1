"""The diagrams guide stays true to the code: its kinds table is the aliases, its marks exist."""

from __future__ import annotations

from pathlib import Path

import pytest

from opsready.diagrams.docs import END, START, kinds_markdown, main, replace_block
from opsready.diagrams.render import CLUSTER_STYLES, LEVEL_FILLS
from opsready.diagrams.spec import EDGE_MARKS, NODE_MARKS
from opsready.model import component_kinds as kinds

GUIDE = Path(__file__).parents[1] / "docs" / "guide" / "diagrams.md"


def test_guide_table_is_the_generated_one() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    assert replace_block(text) == text, (
        "docs/guide/diagrams.md is stale: run "
        "`.venv/bin/python -m opsready.diagrams.docs docs/guide/diagrams.md`")


def test_table_lists_every_alias_once() -> None:
    rows = kinds_markdown().strip().splitlines()[2:]
    assert [row.split("`")[1] for row in rows] == list(kinds.ALIASES)
    assert all(f"`{kinds.ALIASES[row.split('`')[1]]}`" in row for row in rows)


def test_rewrite_replaces_only_the_block(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(f"intro\n{START}\nold table\n{END}\noutro\n", encoding="utf-8")
    assert main([str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert text == f"intro\n{START}\n{kinds_markdown()}{END}\noutro\n"
    with pytest.raises(ValueError, match="markers"):
        replace_block("no markers here")


def test_guide_explains_every_mark_and_zone_style() -> None:
    text = GUIDE.read_text(encoding="utf-8").lower()
    for phrase in ("single point of failure", "critical dependency", "external system",
                   "unencrypted", "trust boundary", "critical flow", "readiness level"):
        assert phrase in text, phrase
    assert set(NODE_MARKS) >= {"spof", "critical", "external"}
    assert set(EDGE_MARKS) == {"unencrypted", "cross-boundary", "critical"}
    for trust in ("public", "dmz", "internal", "restricted"):
        assert trust in CLUSTER_STYLES and f"`{trust}`" in text
    assert {m.removeprefix("level-") for m in LEVEL_FILLS} == {"gold", "silver", "bronze",
                                                               "none"}

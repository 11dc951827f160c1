"""Small edits of a YAML file's text that keep everything else as written: comments, order,
quoting and the file's indentation style. Used to add entries to ``teams.yaml`` (``import
backstage``) and to add and remove entries of the readiness baseline.

Only block lists of a top-level key are edited; the caller checks the result by parsing it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import yaml


@dataclass(frozen=True)
class BlockList:
    """Where a top-level key's list is in the text (0-based line numbers)."""

    key_line: int
    items: tuple[tuple[int, int], ...]
    """(first line, line after) of each item."""
    dash: int
    """Column of the items' ``-``."""
    flow: bool = False
    """The list is written in flow style (``key: []``) on the key's line."""

    @property
    def end(self) -> int:
        """The line after the list (where a new item goes)."""
        return self.items[-1][1] if self.items else self.key_line + 1


def find_list(text: str, key: str) -> BlockList | None:
    """The block list under top-level ``key``, or None (no such key, or not a list)."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.MappingNode):
        return None
    lines = text.splitlines()
    for k, value in node.value:
        if getattr(k, "value", None) != key:
            continue
        if isinstance(value, yaml.ScalarNode) and value.value in ("", "~", "null"):
            return BlockList(k.start_mark.line, (), 2, flow=True)
        if not isinstance(value, yaml.SequenceNode):
            return None
        if value.flow_style:
            if value.start_mark.line != value.end_mark.line or value.value:
                return None
            return BlockList(k.start_mark.line, (), 2, flow=True)
        spans = []
        items = value.value
        for n, item in enumerate(items):
            start = item.start_mark.line
            if n + 1 < len(items):
                end = items[n + 1].start_mark.line
            else:
                end = item.end_mark.line + (1 if item.end_mark.column > 0 else 0)
            while end > start + 1 and (not lines[end - 1].strip()
                                       or lines[end - 1].lstrip().startswith("#")):
                end -= 1
            spans.append((start, end))
        first = lines[items[0].start_mark.line] if items else ""
        dash = first.index("-") if "-" in first else 0
        return BlockList(k.start_mark.line, tuple(spans), dash)
    return None


def item_lines(data: object, dash: int) -> list[str]:
    """``data`` as one block list item with its ``-`` at column ``dash``."""
    text = yaml.safe_dump([data], sort_keys=False, allow_unicode=True, width=100,
                          default_flow_style=False)
    return [(" " * dash + line) if line else line for line in text.splitlines()]


def edit_list(text: str, key: str, add: Sequence[object] = (),
              remove: Sequence[int] = (), *, lines_of: object = None) -> str | None:
    """``text`` with the items at indexes ``remove`` taken out of ``key``'s list and ``add``
    appended to it (each as ``item_lines``, or ``lines_of(item, dash)`` when given), every
    other line as it was. A missing key is added at the end. None when the list cannot be
    edited as text (the caller falls back)."""
    render = lines_of if callable(lines_of) else item_lines
    lines = text.splitlines()
    found = find_list(text, key)
    if found is None:
        if any(ln.startswith(f"{key}:") for ln in lines):
            return None  # there, but not a list
        if not add:
            return text
        new = [ln for item in add for ln in render(item, 0)]
        return "\n".join([*lines, f"{key}:", *new]) + "\n"
    added = [ln for item in add for ln in render(item, found.dash)]
    if found.flow:
        if not added:
            return text
        lines[found.key_line] = f"{key}:"
        lines[found.key_line + 1:found.key_line + 1] = added
        return "\n".join(lines) + "\n"
    cut = {i for n in remove for i in range(*found.items[n])}
    out: list[str] = []
    for i, line in enumerate(lines):
        if i == found.end:
            out += added
        if i not in cut:
            out.append(line)
    if found.end >= len(lines):
        out += added
    if len(remove) == len(found.items) and not added:
        out[found.key_line] = f"{key}: []"
    return "\n".join(out) + "\n"

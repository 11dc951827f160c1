"""Where every value and key of a YAML file was written: an immutable map, made once per file.

The loader records the line and column of every value and of every mapping key while it turns
the composed document into plain data (one pass, see ``yaml_loader``). Everything later
(validation errors, cross-reference and kind checks, readiness gaps) asks this map; nothing parses
a file again to find a line.

The map is a tree shaped like the data, each position packed into one int (``line << 32 |
column``):

- a scalar is its position;
- a list is ``[position, item, item, ...]``;
- a mapping is ``[position, keys, key position, value, key position, value, ...]``, ``keys``
  being the tuple of its keys in the data's order.

Compact on purpose (a 1,000-service catalog holds about 1.2 million positions): no path string,
tuple or dict entry per value. Building it is a few list appends per node while the loader walks
the document (a map keyed by path strings cost twice the walk), and it crosses process boundaries
and the parse cache as plain lists, a third of the size of the path form.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

YamlPath = tuple[str | int, ...]
_SHIFT = 32
_LOW = (1 << _SHIFT) - 1

Node = Any
"""A node of the tree: an int (a scalar's position) or a list (see the module)."""


def pack(line: int, column: int) -> int:
    """One int for a 1-based (line, column)."""
    return line << _SHIFT | column


def unpack(packed: int) -> tuple[int, int]:
    """The (line, column) of a packed position."""
    return packed >> _SHIFT, packed & _LOW


def _is_mapping(node: list[Any]) -> bool:
    return len(node) > 1 and type(node[1]) is tuple


def _mark(node: Node) -> int:
    return node if type(node) is int else node[0]


def _step(node: Node, part: str | int) -> tuple[Node, int] | None:
    """(child, its key's position, 0 for a list item) of ``node`` at ``part``, or None."""
    if type(node) is not list:
        return None
    if _is_mapping(node):
        if type(part) is not str:
            return None
        try:
            i = node[1].index(part)
        except ValueError:
            return None
        return node[3 + 2 * i], node[2 + 2 * i]
    if type(part) is not int or not 0 <= part < len(node) - 1:
        return None
    return node[1 + part], 0


def _walk(node: Node, path: YamlPath) -> Iterator[tuple[YamlPath, int]]:
    """(path, value position) of ``node`` and every node below it, in document order."""
    stack: list[tuple[YamlPath, Node]] = [(path, node)]
    while stack:
        here, current = stack.pop()
        if _mark(current):
            yield here, _mark(current)
        if type(current) is not list:
            continue
        if _is_mapping(current):
            children = [((*here, key), current[3 + 2 * i]) for i, key in enumerate(current[1])]
        else:
            children = [((*here, i), item) for i, item in enumerate(current[1:])]
        stack.extend(reversed(children))


class Positions:
    """Line and column (1-based) of each value and each mapping key of one YAML document.

    Immutable: attributes cannot be set, and nothing reaches the tree but the lookups.
    """

    __slots__ = ("_count", "_root")
    _root: Node
    _count: int

    def __init__(self, root: Node = None, count: int = 0) -> None:
        """From the loader's tree (``yaml_loader._Walker``) and its number of values."""
        object.__setattr__(self, "_root", root)
        object.__setattr__(self, "_count", count)

    @classmethod
    def from_paths(cls, values: dict[YamlPath, int], keys: dict[YamlPath, int]) -> Positions:
        """From YAML path tuples -> packed positions (for hand-made maps); a path's parents
        need not be listed (they are then not in the file)."""
        root: Node = [0]
        for path in sorted(set(values) | set(keys), key=len):
            node, parent = root, None
            for depth, part in enumerate(path):
                node, parent = _grow(node, parent, part), node
                if depth == len(path) - 1:
                    _set_marks(parent, part, values.get(path, 0), keys.get(path, 0))
            if not path:
                root[0] = values.get(path, 0)
        return cls(_collapse(root), len(values))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Positions are immutable (cannot set '{name}')")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Positions are immutable (cannot delete '{name}')")

    def __reduce__(self) -> tuple[Any, tuple[Any]]:
        # Parse worker processes send positions back with the data.
        return Positions.from_state, (self.state(),)

    def state(self) -> tuple[int, Node]:
        """The map as plain data (for the parse cache and worker processes)."""
        return self._count, self._root

    @classmethod
    def from_state(cls, state: Any) -> Positions:
        """The inverse of ``state``; ValueError when ``state`` is not of that form."""
        try:
            count, root = state
        except (TypeError, ValueError):
            raise ValueError("not a positions map") from None
        if type(count) is not int or not (root is None or type(root) in (int, list)):
            raise ValueError("not a positions map")
        return cls(root, count)

    def __len__(self) -> int:
        return self._count

    def __repr__(self) -> str:
        return f"Positions({self._count} values)"

    def _chain(self, path: YamlPath) -> list[tuple[int, int]]:
        """(value position, key position) of each step of ``path`` found in the file, from the
        top; it stops where the file has no such value."""
        node, found = self._root, []
        for part in path:
            step = _step(node, part)
            if step is None:
                break
            node, key = step
            found.append((_mark(node), key))
        return found

    def value(self, path: YamlPath) -> tuple[int, int] | None:
        """Where the value at exactly ``path`` starts, or None when it is not in the file."""
        if not path:
            return unpack(_mark(self._root)) if self._root is not None and _mark(
                self._root) else None
        chain = self._chain(path)
        return unpack(chain[-1][0]) if len(chain) == len(path) and chain[-1][0] else None

    def key(self, path: YamlPath) -> tuple[int, int] | None:
        """Where the key of the mapping entry at exactly ``path`` is, or None."""
        chain = self._chain(path) if path else []
        return unpack(chain[-1][1]) if path and len(chain) == len(path) and chain[-1][1] else None

    def position(self, path: YamlPath, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value (or, with ``key``, the key) at ``path``; for a path
        not in the file, of its nearest written ancestor (its key when the ancestor is a
        mapping entry); (1, 1) for an empty document."""
        for value, key_at in reversed(self._chain(tuple(path))):
            found = key_at if key else value or key_at
            if found:
                return unpack(found)
        root = _mark(self._root) if self._root is not None else 0
        return unpack(root) if root else (1, 1)

    def gap_line(self, path: YamlPath) -> int:
        """The line to fix for ``path``: the key of the value (or of its nearest written
        ancestor), the line of a list item; line 1 when nothing of the path is in the file."""
        chain = self._chain(tuple(path))
        for depth in range(len(chain), 0, -1):
            value, key = chain[depth - 1]
            found = value if isinstance(path[depth - 1], int) else key
            if found:
                return found >> _SHIFT
        return 1

    def path_at(self, line: int, column: int) -> YamlPath | None:
        """The path of the value that starts at (line, column), or None (the shortest, then
        the first in document order, when several do: ``[]`` and its first item)."""
        wanted = pack(line, column)
        found = [p for p, mark in self._all() if mark == wanted]
        return min(found, key=len) if found else None

    def items(self) -> Iterator[tuple[YamlPath, tuple[int, int]]]:
        """Every value's path and position, in document order (by position; an alias's
        values, which share one, in the order the document reaches them)."""
        ordered = sorted(self._all(), key=lambda item: item[1])
        return ((path, unpack(mark)) for path, mark in ordered)

    def _all(self) -> Iterator[tuple[YamlPath, int]]:
        return iter(()) if self._root is None else _walk(self._root, ())


def _grow(node: list[Any], parent: list[Any] | None, part: str | int) -> list[Any]:
    """The child of a hand-made ``node`` at ``part``, made (as an empty list or mapping node)
    when missing."""
    if isinstance(part, int):
        while len(node) < part + 2:
            node.append([0])
        child = node[1 + part]
        if type(child) is not list:
            child = node[1 + part] = [child]
        return child
    if len(node) == 1:
        node.append(())
    keys = node[1]
    if part not in keys:
        node[1] = (*keys, part)
        node.extend([0, [0]])
    i = node[1].index(part)
    child = node[3 + 2 * i]
    if type(child) is not list:
        child = node[3 + 2 * i] = [child]
    return child


def _set_marks(parent: list[Any], part: str | int, value: int, key: int) -> None:
    if isinstance(part, int):
        parent[1 + part][0] = value
    else:
        i = parent[1].index(part)
        parent[2 + 2 * i] = key
        parent[3 + 2 * i][0] = value


def _collapse(node: Node) -> Node:
    """A hand-made tree with leaves as plain ints, as the loader makes them."""
    if type(node) is not list:
        return node
    if len(node) == 1:
        return node[0]
    if _is_mapping(node):
        return [node[0], node[1], *(_collapse(x) if i % 2 else x
                                    for i, x in enumerate(node[2:]))]
    return [node[0], *(_collapse(x) for x in node[1:])]


EMPTY = Positions()

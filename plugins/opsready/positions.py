"""Where every value and key of a YAML file was written: an immutable map, made once per file.

The loader records the line and column of every value and of every mapping key while it turns
the composed document into plain data (one pass, see ``loader``). Everything later (validation
errors, cross-reference and kind checks, readiness gaps) asks this map; nothing parses a file
again to find a line.

Compact on purpose: one packed int per position (``line << 32 | column``), and a mapping
entry's key and value share one path tuple. A 1,000-service catalog holds a few hundred
thousand positions.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

YamlPath = tuple[str | int, ...]
_SHIFT = 32
_LOW = (1 << _SHIFT) - 1


def pack(line: int, column: int) -> int:
    """One int for a 1-based (line, column)."""
    return line << _SHIFT | column


def unpack(packed: int) -> tuple[int, int]:
    """The (line, column) of a packed position."""
    return packed >> _SHIFT, packed & _LOW


class Positions:
    """Line and column (1-based) of each value and each mapping key of one YAML document.

    Immutable: the maps are read-only views and attributes cannot be set.
    """

    __slots__ = ("_keys", "_values")
    _values: Mapping[YamlPath, int]
    _keys: Mapping[YamlPath, int]

    def __init__(self, values: dict[YamlPath, int], keys: dict[YamlPath, int]) -> None:
        object.__setattr__(self, "_values", MappingProxyType(values))
        object.__setattr__(self, "_keys", MappingProxyType(keys))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Positions are immutable (cannot set '{name}')")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Positions are immutable (cannot delete '{name}')")

    def __reduce__(self) -> tuple[type[Positions], tuple[dict[YamlPath, int],
                                                         dict[YamlPath, int]]]:
        # Parse worker processes send positions back with the data.
        return Positions, (dict(self._values), dict(self._keys))

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Positions({len(self._values)} values, {len(self._keys)} keys)"

    def value(self, path: YamlPath) -> tuple[int, int] | None:
        """Where the value at exactly ``path`` starts, or None when it is not in the file."""
        packed = self._values.get(path)
        return None if packed is None else unpack(packed)

    def key(self, path: YamlPath) -> tuple[int, int] | None:
        """Where the key of the mapping entry at exactly ``path`` is, or None."""
        packed = self._keys.get(path)
        return None if packed is None else unpack(packed)

    def position(self, path: YamlPath, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value (or, with ``key``, the key) at ``path``; for a path
        not in the file, of its nearest written ancestor (its key when the ancestor is a
        mapping entry); (1, 1) for an empty document."""
        values, keys = self._values, self._keys
        probe = tuple(path)
        while probe:
            found = keys.get(probe) if key else values.get(probe, keys.get(probe))
            if found is not None:
                return unpack(found)
            probe = probe[:-1]
        return unpack(values.get((), pack(1, 1)))

    def gap_line(self, path: YamlPath) -> int:
        """The line to fix for ``path``: the key of the value (or of its nearest written
        ancestor), the line of a list item; line 1 when nothing of the path is in the file."""
        values, keys = self._values, self._keys
        probe = tuple(path)
        while probe:
            found = values.get(probe) if isinstance(probe[-1], int) else keys.get(probe)
            if found is not None:
                return found >> _SHIFT
            probe = probe[:-1]
        return 1

    def path_at(self, line: int, column: int) -> YamlPath | None:
        """The path of the value that starts at (line, column), or None."""
        wanted = pack(line, column)
        return next((p for p, v in self._values.items() if v == wanted), None)

    def items(self) -> Iterator[tuple[YamlPath, tuple[int, int]]]:
        """Every value's path and position, in document order."""
        return ((p, unpack(v)) for p, v in self._values.items())

    def to_plain(self) -> list[Any]:
        """JSON-ready form (for the parse cache): [paths, value positions, key positions],
        a key position 0 where the path is not a mapping entry."""
        keys = self._keys
        paths = list(self._values)
        return [[list(p) for p in paths], list(self._values.values()),
                [keys.get(p, 0) for p in paths]]

    @classmethod
    def from_plain(cls, plain: Any) -> Positions:
        """The inverse of ``to_plain``; ValueError when ``plain`` is not of that form."""
        try:
            paths, values, keys = plain
            tuples = [tuple(p) for p in paths]
            value_map = dict(zip(tuples, values, strict=True))
            key_map = {p: k for p, k in zip(tuples, keys, strict=True) if k}
        except (TypeError, ValueError) as exc:
            raise ValueError(f"not a positions map: {exc}") from None
        return cls(value_map, key_map)


EMPTY = Positions({}, {})

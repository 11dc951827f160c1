"""Where every value and key of a YAML file was written: an immutable map, made once per file.

The loader records the line and column of every value and of every mapping key while it turns
the composed document into plain data (one pass, see ``loader``). Everything later (validation
errors, cross-reference and kind checks, readiness gaps) asks this map; nothing parses a file
again to find a line.

Compact on purpose (a 1,000-service catalog holds about 600,000 positions): each YAML path is
one string (``encode_path``), kept sorted and looked up by bisection, and the positions are two
arrays of packed ints (``line << 32 | column``) beside them. No tuple or dict entry per value:
measured at 1,000 services (bench/fleet.py, peak RSS of ``opsready check --no-readiness``),
path tuples in two dicts added 110 MB (cold) and 207 MB (warm, from the parse cache) to the
check; this form adds 66 and 68 MB.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterator
from typing import Any

YamlPath = tuple[str | int, ...]
_SHIFT = 32
_LOW = (1 << _SHIFT) - 1
ROOT = ""
"""The encoded path of the document itself."""


def pack(line: int, column: int) -> int:
    """One int for a 1-based (line, column)."""
    return line << _SHIFT | column


def unpack(packed: int) -> tuple[int, int]:
    """The (line, column) of a packed position."""
    return packed >> _SHIFT, packed & _LOW


def _escape(key: str) -> str:
    # \x00 separates parts and \x01 escapes: any other character of a key stays as it is.
    if "\x00" in key or "\x01" in key:
        return key.replace("\x01", "\x01\x02").replace("\x00", "\x01\x03")
    return key


def key_part(key: str) -> str:
    """The encoded step into a mapping entry (append it to the parent's encoded path)."""
    return "\x00s" + _escape(key)


def item_part(index: int) -> str:
    """The encoded step into a list item."""
    return f"\x00i{index}"


def encode_path(path: YamlPath) -> str:
    """One string per YAML path, distinct for distinct paths."""
    return "".join(item_part(p) if isinstance(p, int) else key_part(p) for p in path)


def decode_path(encoded: str) -> YamlPath:
    """The inverse of ``encode_path``."""
    parts: list[str | int] = []
    for part in encoded.split("\x00")[1:]:
        if part[0] == "i":
            parts.append(int(part[1:]))
        else:
            parts.append(part[1:].replace("\x01\x03", "\x00").replace("\x01\x02", "\x01"))
    return tuple(parts)


def _frozen(ints: Any) -> memoryview:
    """A read-only array of 64-bit ints, from a list of ints or their bytes."""
    packed = array("q")
    if isinstance(ints, bytes):
        packed.frombytes(ints)
    else:
        packed.extend(ints)
    return memoryview(packed).toreadonly()


class Positions:
    """Line and column (1-based) of each value and each mapping key of one YAML document.

    Immutable: attributes cannot be set, the paths are a tuple and the positions read-only
    views.
    """

    __slots__ = ("_keys", "_paths", "_values")
    _paths: tuple[str, ...]
    _values: memoryview
    _keys: memoryview

    def __init__(self, values: dict[str, int], keys: dict[str, int]) -> None:
        """From encoded path -> packed position of values, and of keys (``Walker`` output)."""
        paths = tuple(sorted(values))
        self._set(paths, _frozen([values[p] for p in paths]),
                  _frozen([keys.get(p, 0) for p in paths]))

    def _set(self, paths: tuple[str, ...], values: memoryview, keys: memoryview) -> None:
        object.__setattr__(self, "_paths", paths)
        object.__setattr__(self, "_values", values)
        object.__setattr__(self, "_keys", keys)

    @classmethod
    def from_paths(cls, values: dict[YamlPath, int], keys: dict[YamlPath, int]) -> Positions:
        """From YAML path tuples -> packed positions (for hand-made maps)."""
        return cls({encode_path(p): v for p, v in values.items()},
                   {encode_path(p): k for p, k in keys.items()})

    @classmethod
    def _of(cls, paths: tuple[str, ...], values: Any, keys: Any) -> Positions:
        """From sorted encoded paths and their packed positions (lists of ints or bytes)."""
        value_view, key_view = _frozen(values), _frozen(keys)
        if not (len(paths) == len(value_view) == len(key_view)) or list(paths) != sorted(paths):
            raise ValueError("paths and positions do not match")
        made = cls.__new__(cls)
        made._set(paths, value_view, key_view)
        return made

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Positions are immutable (cannot set '{name}')")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Positions are immutable (cannot delete '{name}')")

    def __reduce__(self) -> tuple[Any, tuple[tuple[str, ...], bytes, bytes]]:
        # Parse worker processes send positions back with the data.
        return Positions._of, self.state()

    def __len__(self) -> int:
        return len(self._paths)

    def __repr__(self) -> str:
        return f"Positions({len(self._paths)} values)"

    def _index(self, encoded: str) -> int:
        paths = self._paths
        i = bisect_left(paths, encoded)
        return i if i < len(paths) and paths[i] == encoded else -1

    def value(self, path: YamlPath) -> tuple[int, int] | None:
        """Where the value at exactly ``path`` starts, or None when it is not in the file."""
        i = self._index(encode_path(path))
        return None if i < 0 else unpack(self._values[i])

    def key(self, path: YamlPath) -> tuple[int, int] | None:
        """Where the key of the mapping entry at exactly ``path`` is, or None."""
        i = self._index(encode_path(path))
        return None if i < 0 or not self._keys[i] else unpack(self._keys[i])

    def _ancestors(self, path: YamlPath) -> Iterator[tuple[YamlPath, int]]:
        """(path, index) of ``path`` and each ancestor written in the file, innermost first."""
        encoded = [ROOT]
        for part in path:
            encoded.append(encoded[-1] + (item_part(part) if isinstance(part, int)
                                          else key_part(part)))
        for depth in range(len(path), 0, -1):
            i = self._index(encoded[depth])
            if i >= 0:
                yield path[:depth], i

    def position(self, path: YamlPath, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value (or, with ``key``, the key) at ``path``; for a path
        not in the file, of its nearest written ancestor (its key when the ancestor is a
        mapping entry); (1, 1) for an empty document."""
        for _, i in self._ancestors(tuple(path)):
            found = self._keys[i] if key else self._values[i] or self._keys[i]
            if found:
                return unpack(found)
        root = self._index(ROOT)
        return unpack(self._values[root]) if root >= 0 else (1, 1)

    def gap_line(self, path: YamlPath) -> int:
        """The line to fix for ``path``: the key of the value (or of its nearest written
        ancestor), the line of a list item; line 1 when nothing of the path is in the file."""
        for probe, i in self._ancestors(tuple(path)):
            found = self._values[i] if isinstance(probe[-1], int) else self._keys[i]
            if found:
                return found >> _SHIFT
        return 1

    def path_at(self, line: int, column: int) -> YamlPath | None:
        """The path of the value that starts at (line, column), or None (the first in
        document order when several do)."""
        wanted = pack(line, column)
        found = [p for p, v in zip(self._paths, self._values, strict=True) if v == wanted]
        return decode_path(min(found, key=lambda p: (len(p), p))) if found else None

    def items(self) -> Iterator[tuple[YamlPath, tuple[int, int]]]:
        """Every value's path and position, in document order."""
        order = sorted(range(len(self._paths)), key=lambda i: (self._values[i], self._paths[i]))
        return ((decode_path(self._paths[i]), unpack(self._values[i])) for i in order)

    def state(self) -> tuple[tuple[str, ...], bytes, bytes]:
        """The map as plain data (for the parse cache): its sorted encoded paths, and the value
        and key positions as 64-bit ints."""
        return self._paths, self._values.tobytes(), self._keys.tobytes()

    @classmethod
    def from_state(cls, state: Any) -> Positions:
        """The inverse of ``state``; ValueError when ``state`` is not of that form."""
        paths, values, keys = state
        if not (isinstance(paths, tuple) and all(type(p) is str for p in paths)
                and isinstance(values, bytes) and isinstance(keys, bytes)):
            raise ValueError("not a positions map")
        return cls._of(paths, values, keys)


EMPTY = Positions({}, {})

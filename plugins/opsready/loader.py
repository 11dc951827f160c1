"""Safe YAML loading that remembers where every value came from.

PyYAML's loaders construct objects blindly and keep the last of two duplicate keys. Here the
document is composed into nodes (libyaml's C parser when available) and turned into plain data by
a walker that constructs only the standard scalar types, rejects duplicate keys and custom tags,
bounds alias expansion, and records the line and column of every key and value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from .diagnostics import Diagnostic

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml is missing on some platforms
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 1024 * 1024
MAX_NODES = 200_000

YamlPath = tuple[str | int, ...]
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MERGE_TAG = "tag:yaml.org,2002:merge"
_scalars = SafeConstructor()


@dataclass
class LoadedFile:
    """A parsed YAML file: plain data plus the position of each value and key (1-based)."""

    path: Path
    data: Any
    value_marks: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: YamlPath, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value (or key) at ``path``, or of its nearest ancestor."""
        marks = self.key_marks if key else self.value_marks
        probe = tuple(path)
        while probe:
            if probe in marks:
                return marks[probe]
            if not key and probe in self.key_marks:
                return self.key_marks[probe]
            probe = probe[:-1]
        return self.value_marks.get((), (1, 1))


class _LoadError(Exception):
    def __init__(self, line: int, column: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.line, self.column, self.message, self.hint = line, column, message, hint


class _Walker:
    """Turns composed nodes into plain data, recording marks and enforcing the bounds."""

    def __init__(self, loaded: LoadedFile, max_nodes: int) -> None:
        self.loaded = loaded
        self.budget = max_nodes

    def _mark(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def walk(self, node: yaml.Node, path: YamlPath) -> Any:
        self.budget -= 1
        if self.budget < 0:
            line, col = self._mark(node)
            raise _LoadError(
                line, col,
                f"the document expands to more than {MAX_NODES:,} values (alias expansion?)",
                "remove the repeated aliases; opsready bounds expansion to stay safe",
            )
        self.loaded.value_marks.setdefault(path, self._mark(node))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.SequenceNode):
            self._check_tag(node, "tag:yaml.org,2002:seq")
            return [self.walk(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            self._check_tag(node, "tag:yaml.org,2002:map")
            return self._mapping(node, path)
        line, col = self._mark(node)  # pragma: no cover - PyYAML has no other node types
        raise _LoadError(line, col, "unsupported YAML node")

    def _check_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag != expected:
            line, col = self._mark(node)
            raise _LoadError(line, col, f"YAML tag '{node.tag}' is not allowed",
                             "remove the tag: catalog values are plain data")

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag not in _STANDARD_TAGS:
            line, col = self._mark(node)
            raise _LoadError(line, col, f"YAML tag '{node.tag}' is not allowed",
                             "remove the tag: catalog values are plain data")
        try:
            return _scalars.yaml_constructors[node.tag](_scalars, node)
        except (ConstructorError, ValueError) as exc:
            line, col = self._mark(node)
            raise _LoadError(line, col, f"invalid {node.tag.rsplit(':', 1)[-1]} value "
                             f"{node.value!r}: {exc}") from None

    def _mapping(self, node: yaml.MappingNode, path: YamlPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merged.update(self._merge_source(value_node, path))
                continue
            key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                line, col = self._mark(key_node)
                raise _LoadError(line, col, "mapping keys must be plain strings")
            key = str(key)
            if key in result:
                line, col = self._mark(key_node)
                first = self.loaded.key_marks[(*path, key)][0]
                raise _LoadError(
                    line, col, f"duplicate key '{key}' (first defined on line {first})",
                    "YAML keeps only one of them: merge the two entries",
                )
            self.loaded.key_marks[(*path, key)] = self._mark(key_node)
            result[key] = self.walk(value_node, (*path, key))
        for key, value in merged.items():
            result.setdefault(key, value)
        return result

    def _merge_source(self, node: yaml.Node, path: YamlPath) -> dict[str, Any]:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        merged: dict[str, Any] = {}
        for source in sources:
            value = self.walk(source, path)
            if not isinstance(value, dict):
                line, col = self._mark(source)
                raise _LoadError(line, col, "a merge key '<<' must name a mapping")
            for key, item in value.items():
                merged.setdefault(key, item)
        return merged


def load_yaml(path: Path, *, display: str | None = None,
              max_bytes: int = MAX_FILE_BYTES) -> tuple[LoadedFile | None, list[Diagnostic]]:
    """Read one YAML file safely.

    Returns the loaded file, or ``None`` and the diagnostics that explain why it could not be
    read. ``display`` is the file name used in diagnostics (defaults to ``path``).
    """
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return None, [Diagnostic(name, 1, 1, "", f"file is {size:,} bytes, over the "
                                     f"{max_bytes:,}-byte limit", "split the file or move long "
                                     "prose into Markdown files")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Diagnostic(name, 1, 1, "", f"cannot read file: {exc.strerror}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Diagnostic(name, line, col, "", f"file is not valid UTF-8 (byte 0x"
                                 f"{raw[exc.start]:02x})", "save the file as UTF-8")]
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        return None, [Diagnostic(name, 1, 1, "", "file is empty",
                                 "describe the service, or delete the file")]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        return None, [Diagnostic(name, line, col, "", f"YAML syntax error: {problem}{context}",
                                 "check the indentation and quoting on this line and the one "
                                 "before it")]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(name, 1, 1, "", f"YAML error: {exc}")]
    except RecursionError:
        return None, [Diagnostic(name, 1, 1, "", "YAML nesting is too deep")]
    if node is None:
        return None, [Diagnostic(name, 1, 1, "", "file is empty",
                                 "describe the service, or delete the file")]
    loaded = LoadedFile(path=path, data=None)
    try:
        loaded.data = _Walker(loaded, MAX_NODES).walk(node, ())
    except _LoadError as exc:
        return None, [Diagnostic(name, exc.line, exc.column, "", exc.message, exc.hint)]
    except RecursionError:
        return None, [Diagnostic(name, 1, 1, "", "YAML nesting is too deep (recursive alias?)")]
    return loaded, []

"""Safe YAML loading that remembers where every value came from.

PyYAML's loaders construct objects blindly and keep the last of two duplicate keys. Here the
document is composed into nodes (libyaml's C parser when available) and turned into plain data by
a walker that constructs only the standard scalar types, rejects duplicate keys and custom tags,
bounds alias expansion, and records the line and column of every key and value.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from ..cache import reads, session
from ..cache.salt import key_of
from ..diagnostics import Diagnostic
from .positions import EMPTY as EMPTY_POSITIONS
from .positions import Positions, YamlPath

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml is missing on some platforms
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

class _FastLoader(_Loader):  # type: ignore[misc,valid-type]
    """The safe loader without path resolvers: composing is most of a catalog's load time."""

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return str(tag)
            return "tag:yaml.org,2002:str"
        if kind is yaml.SequenceNode:
            return "tag:yaml.org,2002:seq"
        return "tag:yaml.org,2002:map"


class _DeferredLoader(_Loader):  # type: ignore[misc,valid-type]
    """The safe loader with every resolver hook replaced by a C-level constructor: libyaml's
    composer calls the hooks for each node (three Python calls a node, a fifth of a catalog's
    compose time), so each node's tag is left as ``slice(kind, value, implicit)`` and the
    walker resolves the plain scalars itself, with the same implicit resolvers. Only for
    documents whose nodes stay inside this module (``load_yaml``)."""

    descend_resolver = staticmethod(slice)
    ascend_resolver = staticmethod(tuple)
    resolve = staticmethod(slice)


_IMPLICIT = _FastLoader.yaml_implicit_resolvers
"""The implicit resolvers of the safe loader, by first character (YAML 1.1: ``yes``, ``1_000``,
``2026-01-31``, ``~``, ``<<``...)."""


_SHORT = 40
_known_tags: dict[str, str] = {}
"""Tags of short plain scalars resolved before: keys and values repeat from file to file."""


def _implicit_tag(value: str) -> str:
    """The tag of a plain scalar written without one."""
    short = len(value) <= _SHORT
    if short:
        known = _known_tags.get(value)
        if known is not None:
            return known
    found = _STR_TAG
    for tag, regexp in _IMPLICIT.get(value[:1], ()):
        if regexp.match(value):
            found = str(tag)
            break
    if short and len(_known_tags) < 100_000:
        _known_tags[value] = found
    return found


MAX_FILE_BYTES = 1024 * 1024
"""Largest YAML file read (catalog, policy, alerting rules): 1 MiB."""
MAX_MARKDOWN_BYTES = 256 * 1024
"""Largest Markdown file a ``{file: ...}`` reference reads: 256 KiB, about 100 printed pages."""
MAX_NODES = 200_000

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_scalars = SafeConstructor()


@dataclass(frozen=True)
class LoadedFile:
    """A parsed YAML file: plain data, its source text, and the position of every value and
    key (1-based), recorded while the data was built."""

    path: Path
    data: Any
    text: str = field(default="", repr=False)
    positions: Positions = field(default=EMPTY_POSITIONS, repr=False)

    def position(self, path: YamlPath, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value (or key) at ``path``, or of its nearest ancestor."""
        return self.positions.position(path, key=key)

    def plain(self) -> tuple[Any, Any]:
        """Its data and positions as plain data (what the parse cache and the parse workers
        send as marshal bytes); ``from_plain`` reads them back with the file's text."""
        return self.data, self.positions.state()

    @classmethod
    def from_plain(cls, path: Path, text: str, plain: Any) -> LoadedFile:
        """The inverse of ``plain``; ValueError or TypeError when ``plain`` is not of its
        form."""
        data, state = plain
        return cls(path, data, text, Positions.from_state(state))


class _LoadError(Exception):
    def __init__(self, line: int, column: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.line, self.column, self.message, self.hint = line, column, message, hint


class _Walker:
    """Turns composed nodes into plain data, recording the position of every value and key in
    the same pass (the tree of ``positions``), and enforcing the bounds."""

    def __init__(self, max_nodes: int, *, limit: int = MAX_NODES) -> None:
        self.budget = max_nodes
        self.limit = limit  # the bound named in the error (the budget may be what is left of it)
        self.count = 0
        self.tree: list[Any] = []
        """The position tree of each document walked (``walk`` appends to it)."""

    def _mark(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def positions(self) -> Positions:
        """The positions of the document walked last, as an immutable map."""
        return Positions(self.tree[-1] if self.tree else None, self.count)

    def walk(self, node: yaml.Node, marks: list[Any]) -> Any:
        """The plain data of ``node``; its position (tree) is appended to ``marks``."""
        self.budget -= 1
        if self.budget < 0:
            line, col = self._mark(node)
            raise _LoadError(
                line, col,
                f"the document expands to more than {self.limit:,} values (alias expansion?)",
                "remove the repeated aliases; opsready bounds expansion to stay safe",
            )
        self.count += 1
        start = node.start_mark
        mark = (start.line + 1) << 32 | (start.column + 1)
        cls = type(node)
        if cls is yaml.ScalarNode:
            marks.append(mark)
            tag = node.tag
            if type(tag) is slice:  # no tag written (``_DeferredLoader``): the common case
                value = node.value
                if not tag.step[0] or value[:1] not in _IMPLICIT:
                    return value
                tag = _implicit_tag(value)
            return node.value if tag == _STR_TAG else self._scalar(node, tag)
        if cls is yaml.SequenceNode:
            self._check_tag(node, _SEQ_TAG)
            items = [mark]
            marks.append(items)
            walk = self.walk
            return [walk(item, items) for item in node.value]
        if cls is yaml.MappingNode:
            self._check_tag(node, _MAP_TAG)
            return self._mapping(node, mark, marks)
        line, col = self._mark(node)  # pragma: no cover - PyYAML has no other node types
        raise _LoadError(line, col, "unsupported YAML node")

    def _check_tag(self, node: yaml.Node, expected: str) -> None:
        tag = node.tag
        if type(tag) is not slice and tag != expected:
            line, col = self._mark(node)
            raise _LoadError(line, col, f"YAML tag '{tag}' is not allowed",
                             "remove the tag: catalog values are plain data")

    def _scalar(self, node: yaml.ScalarNode, tag: str) -> Any:
        if tag == _STR_TAG:  # by far the most common: skip the constructor
            return node.value
        if tag not in _STANDARD_TAGS:
            line, col = self._mark(node)
            raise _LoadError(line, col, f"YAML tag '{tag}' is not allowed",
                             "remove the tag: catalog values are plain data")
        if tag == _TIMESTAMP_TAG:
            # Dates stay text: the schema turns them into dates where a date is expected, a
            # date-like value in a text field stays text, and parsed data is plain JSON.
            return node.value
        try:
            return _scalars.yaml_constructors[tag](_scalars, node)
        except (ConstructorError, ValueError):
            # e.g. 2026-13-45 looks like a date but is none: keep the text, and let schema
            # validation say what was expected at this place.
            return node.value

    def _mapping(self, node: yaml.MappingNode, mark: int, marks: list[Any]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        entries = [mark, ()]  # [position, keys, key position, value, key position, value...]
        marks.append(entries)
        merged: list[tuple[dict[str, Any], list[Any]]] = []
        walk = self.walk
        for key_node, value_node in node.value:
            key: Any = None
            if type(key_node) is yaml.ScalarNode:
                tag = key_node.tag
                key = key_node.value
                if type(tag) is slice:  # no tag written: a plain or quoted key
                    tag = _implicit_tag(key) if tag.step[0] and key[:1] in _IMPLICIT else _STR_TAG
                if tag == _MERGE_TAG:
                    merged += self._merge_sources(value_node)
                    continue
                if tag != _STR_TAG:
                    key = self._scalar(key_node, tag)
                    if type(key) is int:  # a whole number names an entry too
                        key = str(key)
            if type(key) is not str:
                line, col = self._mark(key_node)
                raise _LoadError(line, col, "mapping keys must be plain strings")
            if key in result:
                line, col = self._mark(key_node)
                first = next(k for k, _ in node.value if k.value == key).start_mark.line + 1
                raise _LoadError(
                    line, col, f"duplicate key '{key}' (first defined on line {first})",
                    "YAML keeps only one of them: merge the two entries",
                )
            start = key_node.start_mark
            entries.append((start.line + 1) << 32 | (start.column + 1))
            result[key] = walk(value_node, entries)
        # Merged entries come after the mapping's own, the first source naming a key wins.
        for source, source_marks in merged:
            keys = source_marks[1]
            for i, key in enumerate(keys):
                if key not in result:
                    result[key] = source[key]
                    entries += source_marks[2 + 2 * i:4 + 2 * i]
        entries[1] = tuple(result)
        return result

    def _merge_sources(self, node: yaml.Node) -> list[tuple[dict[str, Any], list[Any]]]:
        """The mappings a merge key ``<<`` names, each with its positions."""
        found = []
        for source in node.value if isinstance(node, yaml.SequenceNode) else [node]:
            marks: list[Any] = []
            value = self.walk(source, marks)
            if not isinstance(value, dict):
                line, col = self._mark(source)
                raise _LoadError(line, col, "a merge key '<<' must name a mapping")
            found.append((value, marks[0]))
        return found


class FileReadError(Exception):
    """A file that cannot be read as catalog text: too large, unreadable or not UTF-8."""

    def __init__(self, message: str, hint: str = "", line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message, self.hint, self.line, self.column = message, hint, line, column


def read_bounded_text(path: Path, max_bytes: int, *,
                      hint: str = "split the file or move long prose into Markdown files") -> str:
    """A file's UTF-8 text (without a byte-order mark), refused above ``max_bytes``.

    Every file a user writes goes through here, so every one has a size limit. Raises
    ``FileReadError`` saying what is wrong: the size and the limit, the OS error, or the line
    and column of the first byte that is not UTF-8.
    """
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            raw = handle.read(max_bytes + 1)  # the file may grow after the stat
    except OSError as exc:
        raise FileReadError(f"cannot read file: {exc.strerror}") from None
    reads.note(path, raw)  # a cached result is keyed by every byte read (``cache.reads``)
    if len(raw) > max_bytes:
        raise FileReadError(_too_large(max(size, len(raw)), max_bytes), hint)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FileReadError(f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                            "save the file as UTF-8", line, col) from None
    return text[1:] if text.startswith("\ufeff") else text


def _too_large(size: int, max_bytes: int) -> str:
    return f"file is {size:,} bytes, over the {max_bytes:,}-byte limit"


def size_problem(path: Path | str, max_bytes: int) -> str:
    """Why a file is too large to read ('' when it is not), for files that another program
    reads (a team's hand-written pages, which MkDocs reads)."""
    try:
        size = os.stat(path).st_size
    except OSError:
        return ""
    return _too_large(size, max_bytes) if size > max_bytes else ""


def _read_text(path: Path, name: str, max_bytes: int) -> tuple[str | None, list[Diagnostic]]:
    """Read a file as UTF-8 text within the size bound, or the diagnostic saying why not."""
    try:
        return read_bounded_text(path, max_bytes), []
    except FileReadError as exc:
        return None, [Diagnostic(name, exc.line, exc.column, "", exc.message, exc.hint)]


def _syntax_error(name: str, exc: yaml.YAMLError) -> Diagnostic:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        return Diagnostic(name, line, col, "", f"YAML syntax error: {problem}{context}",
                          "check the indentation and quoting on this line and the one before it")
    return Diagnostic(name, 1, 1, "", f"YAML error: {exc}")


LOADER_VERSION = "5"
"""Bump when the loader's output for the same text changes without its source changing."""


def _parsed_key(text: str) -> str:
    return key_of("parsed", LOADER_VERSION, text)


def _from_store(path: Path, text: str) -> LoadedFile | None:
    """The file as parsed before (the run's store, ``cache.session``), or None."""
    store = session.active()
    plain = store.get_plain("parsed", _parsed_key(text)) if store is not None else None
    if plain is None:
        return None
    try:
        return LoadedFile.from_plain(path, text, plain)
    except (ValueError, TypeError):
        return None


def _to_store(loaded: LoadedFile) -> None:
    store = session.active()
    if store is not None:
        store.put_plain("parsed", _parsed_key(loaded.text), loaded.plain())


def load_yaml(path: Path, *, display: str | None = None,
              max_bytes: int = MAX_FILE_BYTES) -> tuple[LoadedFile | None, list[Diagnostic]]:
    """Read one YAML file safely.

    Returns the loaded file, or ``None`` and the diagnostics that explain why it could not be
    read. ``display`` is the file name used in diagnostics (defaults to ``path``). When the run
    opened a store (``cache.session``), a text parsed cleanly before is not parsed again (only
    clean parses are stored: every problem is found by a fresh parse).
    """
    name = display or str(path)
    text, diags = _read_text(path, name, max_bytes)
    if text is None:
        return None, diags
    cached = _from_store(path, text)
    if cached is not None:
        return cached, []
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        return None, [Diagnostic(name, 1, 1, "", "file is empty",
                                 "describe the service, or delete the file")]
    try:
        node = yaml.compose(text, Loader=_DeferredLoader)
    except yaml.YAMLError as exc:
        return None, [_syntax_error(name, exc)]
    except RecursionError:
        return None, [Diagnostic(name, 1, 1, "", "YAML nesting is too deep")]
    if node is None:
        return None, [Diagnostic(name, 1, 1, "", "file is empty",
                                 "describe the service, or delete the file")]
    walker = _Walker(MAX_NODES)
    try:
        data = walker.walk(node, walker.tree)
    except _LoadError as exc:
        return None, [Diagnostic(name, exc.line, exc.column, "", exc.message, exc.hint)]
    except RecursionError:
        return None, [Diagnostic(name, 1, 1, "", "YAML nesting is too deep (recursive alias?)")]
    loaded = LoadedFile(path, data, text, walker.positions())
    _to_store(loaded)
    return loaded, []


def load_stored(path: Path, max_bytes: int = MAX_FILE_BYTES) -> LoadedFile | None:
    """The file as parsed before, when the run's store holds its text; None otherwise (parse
    it, on a worker for large catalogs)."""
    store = session.active()
    if store is None or not store.holds("parsed"):
        return None
    text, _ = _read_text(path, str(path), max_bytes)
    return None if text is None else _from_store(path, text)


def load_yaml_documents(path: Path, *, display: str | None = None,
                        max_bytes: int = MAX_FILE_BYTES,
                        max_nodes: int = MAX_NODES) -> tuple[list[LoadedFile], list[Diagnostic]]:
    """Read every document of a multi-document YAML stream (``---`` separated) safely.

    The same rules as :func:`load_yaml` apply to each document (plain data only, no duplicate
    keys, bounded expansion, shared by all documents of the file). Empty documents are skipped.
    Marks are line/column in the whole file. On any error no document is returned, only the
    diagnostics.
    """
    name = display or str(path)
    text, diags = _read_text(path, name, max_bytes)
    if text is None:
        return [], diags
    parsed, diags = parse_yaml_documents(text, path=path, display=name, max_nodes=max_nodes)
    return [doc for _node, doc in parsed], diags


def read_yaml_text(path: Path, *, display: str | None = None,
                   max_bytes: int = MAX_FILE_BYTES) -> tuple[str | None, list[Diagnostic]]:
    """A YAML file's text as every reader here sees it (UTF-8, size-bounded, no byte-order
    mark), or ``None`` and the diagnostic saying why it cannot be read."""
    return _read_text(path, display or str(path), max_bytes)


def parse_yaml_documents(text: str, *, path: Path, display: str,
                         max_nodes: int = MAX_NODES,
                         ) -> tuple[list[tuple[yaml.Node, LoadedFile]], list[Diagnostic]]:
    """The non-empty documents of a YAML stream's text: each composed node (whose marks are
    character offsets into ``text``) with its plain data, by the rules of
    :func:`load_yaml_documents`. Code that edits a file's text uses the nodes, so that it reads
    the file exactly as the checks do."""
    documents: list[tuple[yaml.Node, LoadedFile]] = []
    budget = max_nodes
    try:
        for node in yaml.compose_all(text, Loader=_FastLoader):
            if node is None:
                continue
            walker = _Walker(budget, limit=max_nodes)
            data = walker.walk(node, walker.tree)
            budget = walker.budget
            documents.append((node, LoadedFile(path, data, text, walker.positions())))
    except yaml.YAMLError as exc:
        return [], [_syntax_error(display, exc)]
    except _LoadError as exc:
        return [], [Diagnostic(display, exc.line, exc.column, "", exc.message, exc.hint)]
    except RecursionError:
        return [], [Diagnostic(display, 1, 1, "", "YAML nesting is too deep (recursive alias?)")]
    return documents, []

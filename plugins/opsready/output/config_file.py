"""The one reader of ``mkdocs.yml`` outside MkDocs, with MkDocs' own tag semantics.

Every command that reads the site's configuration (``generate``, ``alerts``, ``export
backstage``, the mkdocs-macros module after ``generate``) reads it here, so that all of them see
the values ``mkdocs build`` sees:

- ``!ENV NAME`` and ``!ENV [NAME, OTHER, default]``: the first variable that is set, its text
  read as a YAML scalar (``false`` -> False, ``3`` -> 3); else the default, itself read as YAML
  (``yaml_env_tag``, which MkDocs uses);
- ``!relative $config_dir/sub`` and ``!relative $docs_dir/sub``: the path under the folder of
  the config file or under ``docs_dir``; a bare ``!relative`` (the folder of the page being
  rendered, for Markdown extensions) is kept as a ``Tagged`` value;
- ``INHERIT: parent.yml``: the parent file read first and this one merged into it;
- every other tag (``!!python/name:...``) is read as a ``Tagged`` value and never executed.

``tests/test_config_file.py`` checks these against ``mkdocs.utils.yaml`` on the same inputs. The
reader keeps the core free of MkDocs (the CLI starts without importing it). ``raw`` keeps every
tag as written, so a config derived from this one (``generate --builder-config``) holds the same
``!ENV`` references (no secret written out) and the same Python names.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..guard.includes import SiteReaders, configured

MAX_BYTES = 1_000_000
"""A ``mkdocs.yml`` larger than this is refused (it is written by people, not generated)."""


class ConfigFileError(ValueError):
    """The config file cannot be read: the message names the file (and the line when known)."""


@dataclass(frozen=True)
class Tagged:
    """A value under a tag that is neither ``!ENV`` nor a resolvable ``!relative``: kept as
    written (``tag``, and the scalar, list or mapping under it), never executed."""

    tag: str
    value: Any


@dataclass(frozen=True)
class ConfigFile:
    """A ``mkdocs.yml`` as MkDocs reads it."""

    path: Path
    data: dict[str, Any]
    """The values as MkDocs sees them (``!ENV`` resolved, ``!relative`` paths resolved)."""
    raw: dict[str, Any] = field(compare=False, repr=False)
    """The same file with every tag kept as a ``Tagged`` value (``dump`` writes it back)."""
    lines: dict[tuple[str, ...], int] = field(default_factory=dict, compare=False, repr=False)
    """Line (1-based) of the keys of each plugin entry: ``("plugins", name, option)``."""

    @property
    def folder(self) -> Path:
        """The folder of the config file: relative paths in it start here."""
        return self.path.resolve().parent

    @property
    def docs_dir(self) -> Path:
        """``docs_dir`` resolved against the config file's folder (default ``docs``)."""
        return (self.folder / str(self.data.get("docs_dir") or "docs")).resolve()

    @property
    def use_directory_urls(self) -> bool:
        """``use_directory_urls`` (default true); anything but a boolean is refused, as MkDocs
        refuses it."""
        value = self.data.get("use_directory_urls", True)
        if value is None:
            return True
        if not isinstance(value, bool):
            raise ConfigFileError(f"{self.path}: use_directory_urls: expected true or false, "
                                  f"got {value!r}")
        return value

    @property
    def site_url(self) -> str:
        """``site_url`` as written (empty when unset)."""
        value = self.data.get("site_url")
        return "" if value is None else str(value)

    def plugin(self, name: str) -> tuple[bool, dict[str, Any]]:
        """Whether ``plugins:`` lists ``name``, and its options (empty when it has none).

        Raises ``ConfigFileError`` when the entry holds something other than a mapping."""
        found, options = False, None
        plugins = self.data.get("plugins") or []
        if isinstance(plugins, dict):  # MkDocs also takes plugins as a mapping
            plugins = [{k: v} for k, v in plugins.items()]
        if not isinstance(plugins, list):
            raise ConfigFileError(f"{self.path}: plugins: expected a list of plugins")
        for entry in plugins:
            if entry == name:
                found, options = True, None
            elif isinstance(entry, dict) and name in entry:
                found, options = True, entry[name]
        if options is not None and not isinstance(options, dict):
            raise ConfigFileError(f"{self.line_of('plugins', name)}plugins.{name}: expected a "
                                  "mapping of options")
        return found, dict(options or {})

    @property
    def readers(self) -> SiteReaders:
        """The file-reading Markdown extensions of ``markdown_extensions`` and the file-reading
        plugins of ``plugins`` (include-markdown), with their options
        (``guard.includes.configured``): what catalog text and team pages are judged by."""
        return configured(self.data.get("markdown_extensions"),
                          plugins=self.data.get("plugins"))

    def line_of(self, *path: str) -> str:
        """``file:line: `` of the key at ``path`` (``file: `` when its line is not known)."""
        line = self.lines.get(path)
        return f"{self.path}:{line}: " if line else f"{self.path}: "


class _Reader(yaml.SafeLoader):
    """Safe YAML with MkDocs' tags. ``resolve_tags`` False keeps every tag as ``Tagged``."""

    resolve_tags = True
    config_dir = ""
    docs_dir: str | None = None


def _env(loader: _Reader, node: yaml.Node) -> Any:
    # The semantics of yaml_env_tag.construct_env_tag (MkDocs' !ENV).
    if not loader.resolve_tags:
        return _keep(loader, "!ENV", node)
    default = None
    if isinstance(node, yaml.ScalarNode):
        names = [loader.construct_scalar(node)]
    elif isinstance(node, yaml.SequenceNode):
        children = node.value
        if len(children) > 1:
            default = loader.construct_object(children[-1], deep=True)
            children = children[:-1]
        names = [loader.construct_scalar(child) for child in children]
    else:
        raise yaml.constructor.ConstructorError(
            None, None, f"!ENV expects a variable name or a list of them, but found {node.id}",
            node.start_mark)
    for name in names:
        if name in os.environ:
            value = os.environ[name]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


def _relative(loader: _Reader, node: yaml.Node) -> Any:
    # The semantics of mkdocs.utils.yaml._construct_dir_placeholder, resolved where it can be.
    if not loader.resolve_tags or not isinstance(node, yaml.ScalarNode):
        return _keep(loader, "!relative", node)
    value = str(loader.construct_scalar(node) or "")
    prefix, _, suffix = value.partition("/")
    if prefix == "$config_dir":
        return os.path.join(loader.config_dir, suffix)
    if prefix == "$docs_dir":
        if loader.docs_dir is None:  # resolved once docs_dir is known (see _resolve_docs)
            return Tagged("!relative", value)
        return os.path.join(loader.docs_dir, suffix)
    if prefix.startswith("$"):
        raise yaml.constructor.ConstructorError(
            None, None, f"unknown prefix {prefix!r} in !relative {value!r}", node.start_mark)
    if value:
        raise yaml.constructor.ConstructorError(
            None, None, f"'!relative' tag does not expect any value; received {value!r}",
            node.start_mark)
    return Tagged("!relative", "")  # the page's folder: only a builder knows it


def _keep(loader: _Reader, tag: str, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.ScalarNode):
        return Tagged(tag, loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        return Tagged(tag, loader.construct_sequence(node, deep=True))
    return Tagged(tag, loader.construct_mapping(node, deep=True))  # type: ignore[arg-type]


def _other(loader: _Reader, suffix: str, node: yaml.Node) -> Tagged:
    return _keep(loader, node.tag, node)


_Reader.add_constructor("!ENV", _env)
_Reader.add_constructor("!relative", _relative)
_Reader.add_multi_constructor("!", _other)
_Reader.add_multi_constructor("tag:yaml.org,2002:python/", _other)


def _construct(node: yaml.Node, *, resolve: bool, config_dir: str,
               docs_dir: str | None) -> Any:
    loader = _Reader("")
    loader.resolve_tags, loader.config_dir, loader.docs_dir = resolve, config_dir, docs_dir
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _merge(parent: Any, child: Any) -> Any:
    # mergedeep's default (what MkDocs uses for INHERIT): mappings merged key by key, the rest
    # (lists included) replaced by the child's value.
    if isinstance(parent, dict) and isinstance(child, dict):
        merged = dict(parent)
        for key, value in child.items():
            merged[key] = _merge(parent[key], value) if key in parent else value
        return merged
    return child


def _plugin_lines(root: yaml.Node) -> dict[tuple[str, ...], int]:
    """Lines of the option keys of each entry of ``plugins:``."""
    lines: dict[tuple[str, ...], int] = {}
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key, value in root.value:
        if getattr(key, "value", None) != "plugins":
            continue
        lines[("plugins",)] = key.start_mark.line + 1
        entries = value.value if isinstance(value, (yaml.SequenceNode, yaml.MappingNode)) else []
        pairs = entries if isinstance(value, yaml.MappingNode) else [
            pair for item in entries if isinstance(item, yaml.MappingNode) for pair in item.value]
        for name, options in pairs:
            plugin = str(getattr(name, "value", ""))
            lines[("plugins", plugin)] = name.start_mark.line + 1
            if isinstance(options, yaml.MappingNode):
                for option, _ in options.value:
                    lines[("plugins", plugin, str(getattr(option, "value", "")))] = (
                        option.start_mark.line + 1)
    return lines


def _load(path: Path, seen: tuple[Path, ...]) -> tuple[Any, Any, dict[tuple[str, ...], int]]:
    if path.resolve() in seen:
        raise ConfigFileError(f"{path}: INHERIT goes round in a circle")
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ConfigFileError(f"{path}: larger than {MAX_BYTES:,} bytes")
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigFileError(f"{path}: cannot read it: {exc}") from None
    config_dir = os.path.dirname(os.path.abspath(path))
    try:
        root = yaml.compose(text, Loader=_Reader)
        if root is None:
            return {}, {}, {}
        data = _construct(root, resolve=True, config_dir=config_dir, docs_dir=None)
        raw = _construct(root, resolve=False, config_dir=config_dir, docs_dir=None)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise ConfigFileError(f"{where}: not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigFileError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigFileError(f"{path}: expected a mapping of settings")
    if "$docs_dir" in text:  # !relative $docs_dir/...: known once docs_dir is
        docs = os.path.abspath(os.path.join(config_dir, str(data.get("docs_dir") or "docs")))
        data = _construct(root, resolve=True, config_dir=config_dir, docs_dir=docs)
    lines = _plugin_lines(root)
    if "INHERIT" in data:
        parent_path = Path(config_dir) / str(data.pop("INHERIT"))
        raw.pop("INHERIT", None)
        if not parent_path.is_file():
            raise ConfigFileError(f"{path}: the inherited config file {parent_path} does not "
                                  "exist")
        p_data, p_raw, p_lines = _load(parent_path, (*seen, path.resolve()))
        data, raw, lines = _merge(p_data, data), _merge(p_raw, raw), {**p_lines, **lines}
    return data, raw, lines


def read_config_file(path: Path | str) -> ConfigFile:
    """Read ``path`` (a ``mkdocs.yml``) as MkDocs does; raise ``ConfigFileError`` saying what is
    wrong and where."""
    path = Path(path)
    data, raw, lines = _load(path, ())
    return ConfigFile(path, data, raw, lines)


class _Writer(yaml.SafeDumper):
    """Writes a ``raw`` config back with its tags."""


def _represent_tagged(dumper: _Writer, value: Tagged) -> yaml.Node:
    if isinstance(value.value, dict):
        return dumper.represent_mapping(value.tag, value.value)
    if isinstance(value.value, list):
        return dumper.represent_sequence(value.tag, value.value)
    return dumper.represent_scalar(value.tag, "" if value.value is None else str(value.value))


_Writer.add_representer(Tagged, _represent_tagged)


def dump_config(data: dict[str, Any]) -> str:
    """YAML text of a config (``raw`` of a ``ConfigFile``, edited), tags written back."""
    return yaml.dump(data, Dumper=_Writer, sort_keys=False, allow_unicode=True)

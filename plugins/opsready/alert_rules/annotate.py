"""Set the ``runbook_url`` annotation of alerting rules by editing the file's text.

Loading and dumping YAML would drop comments, reorder keys and reflow strings. Instead the file
is composed into nodes (which know their character offsets) and only the annotation's value is
replaced, or one line inserted where it is missing; everything else stays byte for byte. The
result is read back and checked before anything is written, and files are replaced atomically.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..diagnostics import format_path
from ..loader import YamlPath
from .rules import RuleSet, read_rule_file
from .urls import expand_static_labels, same_page

UrlFor = Callable[[str, dict[str, str]], "str | None"]
"""Given an alert name and its labels, the runbook URL to set (``None``: leave the rule)."""


@dataclass
class AnnotateResult:
    """The edited text and what happened to each alerting rule (alert names, in file order)."""

    text: str
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(alert, reason) of rules left alone."""
    urls: dict[str, str] = field(default_factory=dict)
    """YAML path of each changed or unchanged rule -> its runbook URL (to check the result)."""


class AnnotateError(Exception):
    """The file cannot be edited safely."""


@dataclass(order=True)
class _Edit:
    start: int
    end: int
    text: str


def _get(node: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k, v
    return None


def _scalar(node: yaml.Node | None) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _labels(node: yaml.Node | None) -> dict[str, str]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: v.value for k, v in node.value
            if isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.ScalarNode)}


class _Annotator:
    def __init__(self, text: str, url_for: UrlFor) -> None:
        self.text = text
        self.url_for = url_for
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self.edits: list[_Edit] = []
        self.path = ""
        self.labels: dict[str, str] = {}
        self.result = AnnotateResult(text)

    def manifest(self, node: yaml.Node, path: YamlPath = ()) -> None:
        # The same shapes as rules.py reads: `groups:`, PrometheusRule, a List of them.
        if not isinstance(node, yaml.MappingNode):
            return
        kind = _scalar((_get(node, "kind") or (None, None))[1])
        if kind is None and (groups := _get(node, "groups")):
            self.groups(groups[1], (*path, "groups"))
        elif kind == "PrometheusRule" and (spec := _get(node, "spec")):
            if isinstance(spec[1], yaml.MappingNode) and (groups := _get(spec[1], "groups")):
                self.groups(groups[1], (*path, "spec", "groups"))
        elif (kind == "List" and (items := _get(node, "items"))
              and isinstance(items[1], yaml.SequenceNode)):
            for i, item in enumerate(items[1].value):
                self.manifest(item, (*path, "items", i))

    def groups(self, node: yaml.Node, path: YamlPath) -> None:
        if not isinstance(node, yaml.SequenceNode):
            return
        for i, group in enumerate(node.value):
            if not isinstance(group, yaml.MappingNode):
                continue
            group_labels = _labels((_get(group, "labels") or (None, None))[1])
            rules = (_get(group, "rules") or (None, None))[1]
            if isinstance(rules, yaml.SequenceNode):
                for j, rule in enumerate(rules.value):
                    if isinstance(rule, yaml.MappingNode):
                        self.path = format_path((*path, i, "rules", j))
                        self.rule(rule, group_labels)

    def rule(self, rule: yaml.MappingNode, group_labels: dict[str, str]) -> None:
        alert_entry = _get(rule, "alert")
        name = _scalar(alert_entry[1]) if alert_entry else None
        if not alert_entry or not name:
            return  # recording rules and broken rules are not ours to touch
        labels = {**group_labels, **_labels((_get(rule, "labels") or (None, None))[1])}
        self.labels = labels
        url = self.url_for(name, labels)
        if url is None:
            self.result.skipped.append((name, "no runbook entry matches it"))
            return
        if rule.flow_style:
            self.result.skipped.append((name, "the rule is written in flow style {...}"))
            return
        quoted = json.dumps(url)  # a JSON string is a valid YAML double-quoted scalar
        self.result.urls[self.path] = url
        annotations = _get(rule, "annotations")
        if annotations is None:
            self.insert_annotations(name, alert_entry[0], alert_entry[1], quoted)
            return
        key, value = annotations
        if isinstance(value, yaml.MappingNode):
            self.set_in_mapping(name, value, quoted, url)
        elif isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null"):
            # `annotations:` with nothing after it: add the entry on the next line.
            at = self.line_end(key.end_mark.index)
            indent = " " * (key.start_mark.column + 2)
            self.edit(name, at, at, f"{self.newline}{indent}runbook_url: {quoted}")
        else:
            del self.result.urls[self.path]
            self.result.skipped.append((name, "its annotations are not a mapping"))

    def set_in_mapping(self, name: str, node: yaml.MappingNode, quoted: str, url: str) -> None:
        existing = _get(node, "runbook_url")
        if existing is not None:
            value = existing[1]
            current = _scalar(value)
            # Already right, perhaps spelled differently (no trailing slash, {{ $labels.x }}).
            if current is not None and (current == url or same_page(
                    expand_static_labels(current, self.labels), url)):
                self.result.unchanged.append(name)
                return
            if not isinstance(value, yaml.ScalarNode):
                del self.result.urls[self.path]
                self.result.skipped.append((name, "its runbook_url is not a single value"))
                return
            start, end = value.start_mark.index, value.end_mark.index
            # A block scalar (| or >) ends after its line break: keep the break.
            tail = self.newline if self.text[start:end].endswith("\n") else ""
            # An empty value (`runbook_url:` and nothing else) starts right after the colon.
            lead = " " if start == end else ""
            self.edit(name, start, end, lead + quoted + tail)
            return
        if node.flow_style:
            start = node.start_mark.index + 1  # just after "{"
            sep = "" if not node.value else ", "
            self.edit(name, start, start, f"runbook_url: {quoted}{sep}")
            return
        first_key = node.value[0][0]
        line_start = self.text.rfind("\n", 0, first_key.start_mark.index) + 1
        if self.text[line_start:first_key.start_mark.index].strip():
            del self.result.urls[self.path]
            self.result.skipped.append((name, "its annotations share a line with other text"))
            return
        indent = " " * first_key.start_mark.column
        self.edit(name, line_start, line_start, f"{indent}runbook_url: {quoted}{self.newline}")

    def insert_annotations(self, name: str, key: yaml.Node, value: yaml.Node,
                           quoted: str) -> None:
        # After the line where the alert name ends, at the indentation of the `alert` key.
        indent = " " * key.start_mark.column
        block = (f"{indent}annotations:{self.newline}"
                 f"{indent}  runbook_url: {quoted}{self.newline}")
        nl = self.text.find("\n", value.end_mark.index)
        if nl == -1:  # the last line of a file without a final line break
            end = len(self.text)
            self.edit(name, end, end, self.newline + block.rstrip("\r\n"))
        else:
            self.edit(name, nl + 1, nl + 1, block)

    def line_end(self, index: int) -> int:
        """Index of the line break ending the line of ``index`` (before any ``\\r``)."""
        nl = self.text.find("\n", index)
        if nl == -1:
            return len(self.text)
        return nl - 1 if nl > 0 and self.text[nl - 1] == "\r" else nl

    def edit(self, name: str, start: int, end: int, text: str) -> None:
        self.edits.append(_Edit(start, end, text))
        self.result.changed.append(name)

    def apply(self) -> AnnotateResult:
        out = self.text
        for e in sorted(self.edits, reverse=True):
            out = out[: e.start] + e.text + out[e.end:]
        self.result.text = out
        return self.result


def annotate_text(text: str, url_for: UrlFor) -> AnnotateResult:
    """Set ``runbook_url`` on every alerting rule of a rules file's text for which ``url_for``
    gives a URL. Raises ``AnnotateError`` when the text is not valid YAML."""
    annotator = _Annotator(text, url_for)
    try:
        # The pure-Python composer: its marks are character offsets, which the edits need.
        for node in yaml.compose_all(text, Loader=yaml.SafeLoader):
            if node is not None:
                annotator.manifest(node)
    except yaml.YAMLError as exc:
        raise AnnotateError(f"not valid YAML: {exc}") from None
    return annotator.apply()


def _read(path: Path) -> str:
    # newline="" keeps \r\n line ends as they are, so an edit changes nothing else.
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def _write_checked(target: Path, text: str, expected: dict[str, str], before: RuleSet,
                   backup: Path | None) -> None:
    """Write ``text`` next to ``target``, re-read it, and move it into place if it is right
    (after copying the original to ``backup``, when given)."""
    tmp = target.with_name(f".{target.name}.opsready-tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    try:
        after = read_rule_file(tmp, display=str(target))
        problems = [d.text() for d in after.diagnostics if d.severity == "error"]
        if len(after.rules) != len(before.rules):
            problems.append(f"{len(before.rules)} alerting rules before the edit, "
                            f"{len(after.rules)} after")
        for rule in after.rules:
            want = expected.get(rule.yaml_path)
            got = rule.runbook_url or ""
            if want is not None and not (got == want or same_page(
                    expand_static_labels(got, dict(rule.labels)), want)):
                problems.append(f"{rule.alert}: runbook_url is {rule.runbook_url!r} after the edit")
        if problems:
            raise AnnotateError("the edited file did not read back as expected, nothing was "
                                "written:\n  " + "\n  ".join(problems))
        if backup is not None:
            backup.write_bytes(target.read_bytes())
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def annotate_file(source: Path, url_for: UrlFor, *, target: Path | None = None,
                  backup: bool = False, overwrite: bool = False) -> AnnotateResult:
    """Edit the rules of ``source`` and write the result to ``target`` (default: ``source``).

    Writing to ``source`` itself needs ``backup=True``: the original is kept as ``<name>.bak``
    (an existing backup is never overwritten). An existing ``target`` other than ``source`` is
    replaced only with ``overwrite=True``. Nothing is written when no rule changes. Raises
    ``AnnotateError`` on any of these refusals and when the file cannot be edited safely.
    """
    target = target or source
    in_place = target.resolve() == source.resolve()
    if in_place and not backup:
        raise AnnotateError(f"refusing to edit {source} in place without a backup")
    if not in_place and target.exists() and not overwrite:
        raise AnnotateError(f"{target} exists; choose a new file (or allow overwriting it)")
    backup_path = source.with_name(source.name + ".bak")
    if in_place and backup_path.exists():
        raise AnnotateError(f"backup {backup_path} already exists; move it away first")
    before = read_rule_file(source, display=str(source))
    if not before.ok:
        first = next(d for d in before.diagnostics if d.severity == "error")
        raise AnnotateError(f"{source} has errors; fix them first:\n  {first.text()}")
    try:
        text = _read(source)
    except (OSError, UnicodeDecodeError) as exc:
        raise AnnotateError(f"cannot read {source}: {exc}") from None
    result = annotate_text(text, url_for)
    if in_place and not result.changed:
        return result
    _write_checked(target, result.text, result.urls, before, backup_path if in_place else None)
    return result

"""Set the ``runbook_url`` annotation of alerting rules by editing a rules file's text.

Loading and dumping YAML would drop comments, reorder keys and reflow strings. Instead the text
is composed into nodes by the same reader ``alerts check`` uses (``rules.parse_rule_text``; the
nodes know their character offsets) and only the annotation's value is replaced, or one line
inserted where it is missing; everything else stays byte for byte. The result is read back and
compared with the original before anyone sees it (``verify``). Writing files is ``files.py``'s.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import yaml

from ...catalog.yaml_loader import YamlPath
from ...diagnostics import format_path
from .errors import AnnotateError, RulesInputError, WriteRefused
from .readback import RuleKey, verify
from .rules import ParsedRules, parse_rule_text
from .urls import expand_static_labels, same_page

__all__ = ["AnnotateError", "AnnotateResult", "RulesInputError", "WriteRefused",
           "annotate_parsed", "annotate_text"]

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
    urls: dict[RuleKey, str] = field(default_factory=dict)
    """(document, YAML path) of each changed or unchanged rule -> its runbook URL."""


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


def _merge_sources(node: yaml.MappingNode) -> list[yaml.Node]:
    """The mappings a ``<<`` key of ``node`` merges in."""
    out: list[yaml.Node] = []
    for k, v in node.value:
        if k.tag == "tag:yaml.org,2002:merge":
            out += v.value if isinstance(v, yaml.SequenceNode) else [v]
    return out


def _scalar(node: yaml.Node | None) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _labels(node: yaml.Node | None) -> dict[str, str]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: v.value for k, v in node.value
            if isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.ScalarNode)}


def _reference_counts(root: yaml.Node) -> dict[int, int]:
    """How many times each collection node is reached: more than once means an alias shares it."""
    counts: dict[int, int] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if not isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            continue
        counts[id(node)] = counts.get(id(node), 0) + 1
        if counts[id(node)] > 1:
            continue  # its children were counted on the first visit
        if isinstance(node, yaml.SequenceNode):
            stack += node.value
        else:
            for k, v in node.value:
                stack += [k, v]
    return counts


_ANCHOR = re.compile(r"&([^\s,\[\]{}]+)")


def _anchor(text: str, node: yaml.Node) -> str:
    """``&name`` of a node that carries an anchor (where an anchored node starts)."""
    line_end = text.find("\n", node.start_mark.index)
    m = _ANCHOR.match(text, node.start_mark.index, line_end if line_end != -1 else len(text))
    return f"&{m.group(1)}" if m else "an anchor"


class _Annotator:
    def __init__(self, text: str, url_for: UrlFor, display: str) -> None:
        self.text = text
        self.display = display
        self.url_for = url_for
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self.edits: list[_Edit] = []
        self.key: RuleKey = (0, "")
        self.labels: dict[str, str] = {}
        self.result = AnnotateResult(text)
        self.counts: dict[int, int] = {}
        # Nodes shared through an alias: who reaches each, and the edits that would touch it.
        self.sharers: dict[int, list[str]] = {}
        self.shared_edits: dict[int, tuple[yaml.Node, list[str]]] = {}
        self.problems: list[str] = []

    def document(self, index: int, node: yaml.Node) -> None:
        self.counts = _reference_counts(node)
        self.key = (index, "")
        self.manifest(node, (), None)

    def _shared(self, node: yaml.Node, outer: yaml.Node | None) -> yaml.Node | None:
        return outer or (node if self.counts.get(id(node), 0) > 1 else None)

    def manifest(self, node: yaml.Node, path: YamlPath, shared: yaml.Node | None) -> None:
        # The same shapes as rules.py reads: `groups:`, PrometheusRule, a List of them.
        if not isinstance(node, yaml.MappingNode):
            return
        shared = self._shared(node, shared)
        kind = _scalar((_get(node, "kind") or (None, None))[1])
        if kind is None and (groups := _get(node, "groups")):
            self.groups(groups[1], (*path, "groups"), shared)
        elif kind == "PrometheusRule" and (spec := _get(node, "spec")):
            if isinstance(spec[1], yaml.MappingNode) and (groups := _get(spec[1], "groups")):
                self.groups(groups[1], (*path, "spec", "groups"), self._shared(spec[1], shared))
        elif (kind == "List" and (items := _get(node, "items"))
              and isinstance(items[1], yaml.SequenceNode)):
            for i, item in enumerate(items[1].value):
                self.manifest(item, (*path, "items", i), self._shared(items[1], shared))

    def groups(self, node: yaml.Node, path: YamlPath, shared: yaml.Node | None) -> None:
        if not isinstance(node, yaml.SequenceNode):
            return
        shared = self._shared(node, shared)
        for i, group in enumerate(node.value):
            if not isinstance(group, yaml.MappingNode):
                continue
            in_group = self._shared(group, shared)
            group_labels = _labels((_get(group, "labels") or (None, None))[1])
            rules = (_get(group, "rules") or (None, None))[1]
            if isinstance(rules, yaml.SequenceNode):
                in_rules = self._shared(rules, in_group)
                for j, rule in enumerate(rules.value):
                    if isinstance(rule, yaml.MappingNode):
                        self.key = (self.key[0], format_path((*path, i, "rules", j)))
                        self.rule(rule, group_labels, self._shared(rule, in_rules))

    def rule(self, rule: yaml.MappingNode, group_labels: dict[str, str],
             shared: yaml.Node | None) -> None:
        alert_entry = _get(rule, "alert")
        name = _scalar(alert_entry[1]) if alert_entry else None
        if not alert_entry or not name:
            merged = [_scalar(found[1]) for m in _merge_sources(rule)
                      if isinstance(m, yaml.MappingNode) and (found := _get(m, "alert"))]
            if not alert_entry and merged:
                self.result.skipped.append((merged[0] or "?", "its alert name comes from a merge "
                                            f"key `<<` (line {rule.start_mark.line + 1})"))
            return  # recording rules and broken rules are not ours to touch
        labels = {**group_labels, **_labels((_get(rule, "labels") or (None, None))[1])}
        self.labels = labels
        annotations = _get(rule, "annotations")
        if annotations is not None:
            shared = self._shared(annotations[1], shared)
        if shared is not None:
            self.sharers.setdefault(id(shared), []).append(name)
        url = self.url_for(name, labels)
        if url is None:
            self.result.skipped.append((name, "no runbook entry matches it"))
            return
        if rule.flow_style:
            self.result.skipped.append((name, "the rule is written in flow style {...}"))
            return
        if annotations is None and any(_get(m, "annotations") for m in _merge_sources(rule)
                                       if isinstance(m, yaml.MappingNode)):
            self.problems.append(
                f"{self.display}:{rule.start_mark.line + 1}: alert '{name}' takes its "
                "annotations from a merge key `<<`; a runbook_url added to the rule would replace "
                "all of them. Give the rule its own `annotations:` (they may merge the shared "
                "ones with `<<:`)")
            return
        quoted = json.dumps(url)  # a JSON string is a valid YAML double-quoted scalar
        self.result.urls[self.key] = url
        before = len(self.edits)
        if annotations is None:
            self.insert_annotations(name, alert_entry[0], alert_entry[1], quoted)
        else:
            key, value = annotations
            if isinstance(value, yaml.MappingNode):
                self.set_in_mapping(name, value, quoted, url)
            elif isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null"):
                # `annotations:` with nothing after it: add the entry on the next line.
                at = self.line_end(key.end_mark.index)
                indent = " " * (key.start_mark.column + 2)
                self.edit(name, at, at, f"{self.newline}{indent}runbook_url: {quoted}")
            else:
                del self.result.urls[self.key]
                self.result.skipped.append((name, "its annotations are not a mapping"))
        if shared is not None and len(self.edits) > before:
            self.shared_edits.setdefault(id(shared), (shared, []))[1].append(name)

    def shared_problems(self) -> list[str]:
        """Edits that would land in a mapping several rules share: each refused, by anchor."""
        out = []
        for key, (node, names) in self.shared_edits.items():
            everyone = sorted(set(self.sharers.get(key, names)))
            anchor = _anchor(self.text, node)
            if len(everyone) > 1:
                who = f"alerts {', '.join(everyone)} share their annotations"
                effect = "would give all of them one runbook (or two runbook_url keys)"
            else:
                who = f"the annotations of alert {everyone[0]} are also used elsewhere"
                effect = "would change them in every place the anchor is used"
            out.append(
                f"{self.display}:{node.start_mark.line + 1}: {who} through the YAML anchor "
                f"{anchor}; setting runbook_url for {', '.join(sorted(set(names)))} there "
                f"{effect}: give each rule its own annotations, written out")
        return out

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
                del self.result.urls[self.key]
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
            del self.result.urls[self.key]
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
        problems = self.problems + self.shared_problems()
        if problems:
            raise RulesInputError("no rule was edited:\n  " + "\n  ".join(problems))
        out = self.text
        for e in sorted(self.edits, reverse=True):
            out = out[: e.start] + e.text + out[e.end:]
        self.result.text = out
        return self.result


def annotate_parsed(parsed: ParsedRules, url_for: UrlFor, display: str) -> AnnotateResult:
    """Set ``runbook_url`` on the rules of an already read rules file (see ``annotate_text``)."""
    errors = [d for d in parsed.rules.diagnostics if d.severity == "error"]
    if errors:
        raise RulesInputError(f"{display} has errors; fix them first:\n  "
                              + "\n  ".join(d.text() for d in errors))
    annotator = _Annotator(parsed.text, url_for, display)
    for index, node in enumerate(parsed.nodes):
        annotator.document(index, node)
    result = annotator.apply()
    if result.text != parsed.text:
        verify(parsed, parse_rule_text(result.text, display), result.urls)
    return result


def annotate_text(text: str, url_for: UrlFor, *, display: str = "<rules>") -> AnnotateResult:
    """Set ``runbook_url`` on every alerting rule of a rules file's text for which ``url_for``
    gives a URL. The text is read as ``alerts check`` reads it; the result is verified.

    Raises ``RulesInputError`` (naming ``display`` and the line) when the text has errors or
    cannot be edited safely.
    """
    return annotate_parsed(parse_rule_text(text, display), url_for, display)

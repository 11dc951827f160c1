"""Read Prometheus alerting rules: rule files (``groups:``) and ``PrometheusRule`` manifests.

Files are read with the catalog's safe loader (plain data only, bounded, every value's line and
column kept), multi-document streams included. Problems become diagnostics with file, line and
YAML path; recording rules are skipped, since only alerts can page someone.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ...catalog.load import display_name
from ...catalog.yaml_loader import LoadedFile, YamlPath, parse_yaml_documents, read_yaml_text
from ...diagnostics import Diagnostic, Severity, format_path, sort_key
from .helm import HELM_HINT, helm_template_line

# Generated rule bundles (kube-prometheus, mixins) reach a few hundred kilobytes.
MAX_RULE_FILE_BYTES = 8 * 1024 * 1024
MAX_RULE_NODES = 500_000
MIN_RULE_NODES = 50_000

RULE_KEYS = ("alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations")
PROMETHEUS_RULE_API = "monitoring.coreos.com/"


def node_budget(size: int) -> int:
    """How many values a rules file of ``size`` bytes may expand to.

    Without aliases a value takes a few bytes of text, so ten values per byte leaves room for
    anchors reused in labels while an alias bomb stops after a fraction of a second.
    """
    return min(MAX_RULE_NODES, max(MIN_RULE_NODES, 10 * size))


@dataclass(frozen=True)
class AlertRule:
    """One alerting rule, with where it was defined.

    ``labels`` are the rule's labels merged over its group's labels (Prometheus 3 group labels).
    """

    alert: str
    expr: str
    group: str
    file: str
    line: int
    column: int
    yaml_path: str
    labels: Mapping[str, str] = field(default_factory=dict)
    annotations: Mapping[str, str] = field(default_factory=dict)
    duration: str | None = None
    runbook_url_position: tuple[int, int] | None = None
    document: int = 0
    """Index of the rule's YAML document in its file (among the non-empty ones)."""

    @property
    def runbook_url(self) -> str | None:
        """The rule's ``runbook_url`` annotation, if any."""
        return self.annotations.get("runbook_url")


@dataclass
class RuleSet:
    """The alerting rules read from some files, and every problem found reading them."""

    rules: list[AlertRule] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    recording_rules: int = 0
    unreadable: list[str] = field(default_factory=list)
    """Files that could not be parsed at all (their rules are unknown)."""

    @property
    def ok(self) -> bool:
        """True when every file was read without an error."""
        return not any(d.severity == "error" for d in self.diagnostics)


class _Reader:
    """Walks the documents of one file, collecting rules and diagnostics."""

    def __init__(self, display: str, result: RuleSet) -> None:
        self.display = display
        self.result = result
        self.doc: LoadedFile | None = None
        self.node: Any = None
        self.index = 0

    def diag(self, path: YamlPath, message: str, hint: str = "", *, severity: Severity = "error",
             key: bool = False, code: str = "") -> None:
        assert self.doc is not None
        line, col = self.doc.position(path, key=key)
        self.result.diagnostics.append(Diagnostic(
            self.display, line, col, format_path(path), message, hint,
            severity=severity, code=code))

    def document(self, doc: LoadedFile, index: int, node: Any = None) -> None:
        self.doc = doc
        self.node = node
        self.index = index
        self._manifest(doc.data, ())

    def _manifest(self, data: Any, path: YamlPath) -> None:
        if not isinstance(data, dict):
            self.diag(path, f"expected a rules file (a mapping with `groups:`) or a "
                      f"PrometheusRule manifest, found {_describe(data)}",
                      "a Prometheus rules file starts with `groups:`")
            return
        kind = data.get("kind")
        if kind is None and "groups" in data:
            self._groups(data["groups"], (*path, "groups"))
            return
        if kind == "PrometheusRule":
            api = data.get("apiVersion")
            if not (isinstance(api, str) and api.startswith(PROMETHEUS_RULE_API)):
                self.diag((*path, "apiVersion"),
                          f"apiVersion {api!r} is not the Prometheus operator's",
                          "PrometheusRule manifests use apiVersion: monitoring.coreos.com/v1",
                          severity="warning")
            spec = data.get("spec")
            if not isinstance(spec, dict) or "groups" not in spec:
                self.diag((*path, "spec"), "PrometheusRule has no `spec.groups`",
                          "put the rule groups under spec: groups:")
                return
            self._groups(spec["groups"], (*path, "spec", "groups"))
            return
        if kind == "List" and isinstance(data.get("items"), list):
            for i, item in enumerate(data["items"]):
                self._manifest(item, (*path, "items", i))
            return
        if isinstance(kind, str):
            self.diag((*path, "kind"), f"skipped a {kind} manifest: only PrometheusRule "
                      "manifests hold alerting rules", severity="notice", code="skipped-manifest")
            return
        keys = ", ".join(sorted(map(str, data))[:6]) or "none"
        self.diag(path, f"expected a rules file (`groups:`) or a PrometheusRule manifest "
                  f"(`kind: PrometheusRule`); found the keys {keys}",
                  "point the command at Prometheus alerting rule files")

    def _groups(self, groups: Any, path: YamlPath) -> None:
        if groups is None:
            return
        if not isinstance(groups, list):
            self.diag(path, f"`groups` must be a list of rule groups, found {_describe(groups)}")
            return
        seen: dict[str, int] = {}
        for i, group in enumerate(groups):
            gpath = (*path, i)
            if not isinstance(group, dict):
                self.diag(gpath, f"a rule group must be a mapping with `name` and `rules`, found "
                          f"{_describe(group)}")
                continue
            name = group.get("name")
            if not isinstance(name, str) or not name.strip():
                self.diag(gpath, "rule group has no `name`", "give every group a unique name")
                name = f"#{i}"
            elif name in seen:
                assert self.doc is not None
                first = self.doc.position((*path, seen[name]))[0]
                self.diag((*gpath, "name"), f"group name '{name}' is repeated (first on line "
                          f"{first})", "Prometheus rejects a file with two groups of one name")
            else:
                seen[name] = i
            group_labels = self._string_map(group.get("labels"), (*gpath, "labels"))
            rules = group.get("rules")
            if rules is None:
                continue
            if not isinstance(rules, list):
                self.diag((*gpath, "rules"), f"`rules` must be a list, found {_describe(rules)}")
                continue
            for j, rule in enumerate(rules):
                self._rule(rule, (*gpath, "rules", j), name, group_labels or {})

    def _rule(self, rule: Any, path: YamlPath, group: str, group_labels: dict[str, str]) -> None:
        if not isinstance(rule, dict):
            self.diag(path, f"a rule must be a mapping with `alert` (or `record`) and `expr`, "
                      f"found {_describe(rule)}")
            return
        ok = True
        for key in rule:
            if key not in RULE_KEYS:
                close = difflib.get_close_matches(key, RULE_KEYS, n=1)
                hint = f"did you mean '{close[0]}'?" if close else (
                    "allowed keys: " + ", ".join(RULE_KEYS))
                self.diag((*path, key), f"unknown key '{key}' in a rule (Prometheus rejects it)",
                          hint, key=True)
                ok = False
        if "record" in rule:
            if "alert" in rule:
                self.diag(path, "a rule sets both `alert` and `record`",
                          "a rule is either an alert or a recording rule")
            else:
                self.result.recording_rules += 1
            return
        name = rule.get("alert")
        if isinstance(name, (bool, int, float)):
            # Prometheus reads `alert: 404` as the text "404": so do we, as written.
            name = _source_text(self.node, (*path, "alert")) or str(name)
        if not isinstance(name, str) or not name.strip():
            self.diag(path if "alert" not in rule else (*path, "alert"),
                      "rule has no alert name" if "alert" not in rule
                      else f"`alert` must be a name, found {_describe(name)}",
                      "set alert: <AlertName> (or record: for a recording rule)")
            return
        expr = rule.get("expr")
        if expr is None or isinstance(expr, (dict, list, bool)) or not str(expr).strip():
            self.diag((*path, "expr") if "expr" in rule else path,
                      f"alert '{name}' has no `expr`", "give the rule a PromQL expression")
            ok = False
        for key in ("for", "keep_firing_for"):
            if isinstance(rule.get(key), (dict, list)):
                self.diag((*path, key), f"`{key}` must be a duration such as 5m")
                ok = False
        labels = self._string_map(rule.get("labels"), (*path, "labels"))
        annotations = self._string_map(rule.get("annotations"), (*path, "annotations"))
        if labels is None or annotations is None or not ok:
            return
        assert self.doc is not None
        line, col = self.doc.position((*path, "alert"))
        url_pos = (self.doc.position((*path, "annotations", "runbook_url"))
                   if "runbook_url" in annotations else None)
        self.result.rules.append(AlertRule(
            alert=name, expr=str(expr), group=group, file=self.display, line=line, column=col,
            yaml_path=format_path(path), labels={**group_labels, **labels},
            annotations=annotations,
            duration=None if rule.get("for") is None else str(rule["for"]),
            runbook_url_position=url_pos, document=self.index))

    def _string_map(self, value: Any, path: YamlPath) -> dict[str, str] | None:
        """Labels and annotations: a mapping of names to scalar values (read as strings)."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.diag(path, f"`{path[-1]}` must be a mapping of names to values, found "
                      f"{_describe(value)}")
            return None
        out: dict[str, str] = {}
        for key, item in value.items():
            if isinstance(item, (dict, list)):
                self.diag((*path, key), f"the value of '{key}' must be a single value, found "
                          f"{_describe(item)}", "quote it to make it a string")
                return None
            out[key] = "" if item is None else (str(item).lower() if isinstance(item, bool)
                                                 else str(item))
        return out


def yaml_str(value: str) -> str:
    """``value`` written as a YAML scalar that reads back as the same text (quoted only when
    needed): for snippets users paste, such as ``- name: MysqlTooManyConnections(>80%)``."""
    try:
        plain = ("\n" not in value and value == value.strip() and " #" not in value
                 and yaml.safe_load(value) == value)
    except yaml.YAMLError:
        plain = False
    return value if plain else json.dumps(value, ensure_ascii=False)


def _source_text(node: Any, path: YamlPath) -> str | None:
    """The text of the scalar at ``path`` of a composed document, as written."""
    for part in path:
        if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if part < len(node.value) else None
        elif isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == part), None)
        else:
            return None
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"a string ({value[:40]!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "an empty value" if value is None else type(value).__name__


@dataclass
class ParsedRules:
    """One rules file's text as read: its documents (composed nodes and plain data) and rules."""

    text: str
    nodes: list[Any]
    documents: list[LoadedFile]
    rules: RuleSet


def parse_rule_text(text: str, display: str, *, path: Path | None = None,
                    result: RuleSet | None = None) -> ParsedRules:
    """Read the alerting rules of a rules file's text (``display`` names it in diagnostics).

    The one reader of rules files: ``alerts check`` and the ``runbook_url`` writer both use it,
    so a file reads the same for both. A Helm template gets one message saying so.
    """
    result = result if result is not None else RuleSet()
    parsed, diags = parse_yaml_documents(text, path=path or Path(display), display=display,
                                         max_nodes=node_budget(len(text)))
    if diags:
        result.unreadable.append(display)
        line = helm_template_line(text)
        if line is not None:
            diags = [Diagnostic(display, line, 1, "", "this is a Helm chart template ({{ ... }}), "
                                "not YAML until Helm renders it", HELM_HINT, code="helm-template")]
    result.diagnostics += diags
    if not diags and all(doc.data is None for _node, doc in parsed):
        result.diagnostics.append(Diagnostic(display, 1, 1, "", "file holds no YAML document",
                                             "point the command at a rules file",
                                             severity="warning"))
    reader = _Reader(display, result)
    for index, (_node, doc) in enumerate(parsed):
        if doc.data is not None:  # an empty document, as `---` followed by nothing but `~`
            reader.document(doc, index, _node)
    return ParsedRules(text, [node for node, _doc in parsed], [doc for _node, doc in parsed],
                       result)


def read_rule_file(path: Path, result: RuleSet | None = None, *,
                   display: str | None = None) -> RuleSet:
    """Read the alerting rules of one file into ``result`` (a new ``RuleSet`` by default)."""
    result = result if result is not None else RuleSet()
    name = display or display_name(path, path.parent)
    result.files.append(name)
    text, diags = read_yaml_text(path, display=name, max_bytes=MAX_RULE_FILE_BYTES)
    if text is None:
        result.diagnostics += diags
        result.unreadable.append(name)
        return result
    return parse_rule_text(text, name, path=path, result=result).rules


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given, and for a folder every ``*.yml``/``*.yaml`` file under it (sorted;
    hidden files and folders skipped)."""
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.suffix in (".yml", ".yaml")
                          and p.is_file() and not any(part.startswith(".")
                                                      for part in p.relative_to(path).parts))
        else:
            out.append(path)
    return out


def read_rule_files(paths: Iterable[Path | str]) -> RuleSet:
    """Read every alerting rule of several files (or folders of them); diagnostics come sorted
    by file and line."""
    result = RuleSet()
    for path in expand_paths(paths):
        read_rule_file(path, result)
    result.diagnostics.sort(key=sort_key)
    return result

"""Cross-check alerting rules against the runbook entries of the catalog.

A rule belongs to the service its service label names (``service`` by default); a rule without
that label, or whose label names no catalog service, belongs to the one service whose runbook
has an entry of the same alert name. Per service the check reports:

* ``missing-runbook`` (error): a rule whose alert has no runbook entry;
* ``unmatched-runbook`` (error): a runbook entry that no rule raises (renamed or deleted alert);
* ``runbook-url-mismatch`` (error): a rule whose ``runbook_url`` points elsewhere than the page
  of its alert;
* ``runbook-url-missing`` (warning): a matched rule without a ``runbook_url`` annotation;
* ``ambiguous-alert`` and ``unknown-service-label`` (warnings), ``runbook-url-templated``
  (notice: the URL is only known when Prometheus evaluates the rule).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ...catalog.fleet import Catalog
from ...diagnostics import Diagnostic, Severity, sort_key
from .rules import AlertRule, yaml_str
from .urls import SiteSettings, expand_static_labels, runbook_url, same_page

UNATTRIBUTED = ""
"""The key of rules that belong to no catalog service in ``CrossCheck.services``."""


@dataclass
class ServiceReport:
    """What the cross-check found for one service (alert names, sorted when reported)."""

    service: str
    matched: set[str] = field(default_factory=set)
    missing_runbook: list[str] = field(default_factory=list)
    unmatched_entries: list[str] = field(default_factory=list)
    url_mismatches: list[str] = field(default_factory=list)
    url_missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every rule has a runbook entry, every entry a rule, every URL is right."""
        return not (self.missing_runbook or self.unmatched_entries or self.url_mismatches)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the JSON report."""
        return {
            "matched": sorted(self.matched),
            "missing_runbook": sorted(set(self.missing_runbook)),
            "unmatched_runbook_entries": sorted(self.unmatched_entries),
            "runbook_url_mismatch": sorted(set(self.url_mismatches)),
            "runbook_url_missing": sorted(set(self.url_missing)),
        }


@dataclass
class CrossCheck:
    """The outcome of a cross-check: per-service reports and their diagnostics."""

    services: dict[str, ServiceReport]
    diagnostics: list[Diagnostic]
    rules_checked: int = 0

    @property
    def ok(self) -> bool:
        """True when no error was found."""
        return not any(d.severity == "error" for d in self.diagnostics)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: per-service findings (unattributed rules under ``""``) and a summary."""
        return {
            "ok": self.ok,
            "rules_checked": self.rules_checked,
            "services": {sid: r.to_dict() for sid, r in sorted(self.services.items())},
        }


class _Check:
    def __init__(self, catalog: Catalog, settings: SiteSettings, service_label: str,
                 scope: set[str] | None) -> None:
        self.catalog = catalog
        self.settings = settings
        self.label = service_label
        self.scope = scope
        self.diags: list[Diagnostic] = []
        self.reports: dict[str, ServiceReport] = {}
        # Alert name -> services whose runbook has an entry of that name.
        self.owners: dict[str, list[str]] = defaultdict(list)
        for sid, service in catalog.services.items():
            for alert in service.alerts:
                self.owners[alert.name].append(sid)
        self.rules_by_name: dict[str, list[AlertRule]] = defaultdict(list)
        self.unknown_labels: dict[tuple[str, str], list[AlertRule]] = defaultdict(list)

    def report(self, sid: str) -> ServiceReport:
        if sid not in self.reports:
            self.reports[sid] = ServiceReport(sid)
        return self.reports[sid]

    def in_scope(self, sid: str) -> bool:
        return self.scope is None or sid in self.scope

    def rule(self, rule: AlertRule) -> None:
        self.rules_by_name[rule.alert].append(rule)
        label = rule.labels.get(self.label)
        if label and label in self.catalog.services:
            if not self.in_scope(label):
                return
            names = {a.name for a in self.catalog.services[label].alerts}
            if rule.alert in names:
                self.matched(rule, [label])
            else:
                self.missing(rule, label)
            return
        if label:
            self.unknown_labels[(rule.file, label)].append(rule)
        owners = self.owners.get(rule.alert, [])
        if self.scope is not None:
            owners = [o for o in owners if o in self.scope]
            if not owners:
                return  # belongs to no service of the scope
        if not owners:
            self.missing(rule, None)
            return
        if len(owners) > 1:
            # The rule's runbook_url may already say which service's page it means.
            chosen = [o for o in owners if rule.runbook_url and
                      same_page(expand_static_labels(rule.runbook_url, dict(rule.labels)),
                                runbook_url(self.settings, o, rule.alert))]
            if len(chosen) == 1:
                owners = chosen
            else:
                self.diag(rule, "warning", "ambiguous-alert",
                          f"alert '{rule.alert}' has runbook entries in several services "
                          f"({', '.join(owners)}) and the rule has no `{self.label}` label to "
                          "choose", f"add the label `{self.label}: <service id>` to the rule")
        self.matched(rule, owners)

    def diag(self, rule: AlertRule, severity: Severity, code: str, message: str, hint: str = "",
             position: tuple[int, int] | None = None, path_suffix: str = "") -> None:
        line, col = position or (rule.line, rule.column)
        self.diags.append(Diagnostic(rule.file, line, col, rule.yaml_path + path_suffix, message,
                                     hint, severity=severity, code=code))

    def missing(self, rule: AlertRule, sid: str | None) -> None:
        self.report(sid or UNATTRIBUTED).missing_runbook.append(rule.alert)
        if sid:
            where = self.catalog.sources[sid].display if sid in self.catalog.sources else sid
            others = [o for o in self.owners.get(rule.alert, []) if o != sid]
            also = (f"; services {', '.join(others)} have an entry of that name: is the "
                    f"`{self.label}` label right?") if others else ""
            self.diag(rule, "error", "missing-runbook",
                      f"alert '{rule.alert}' of service '{sid}' has no runbook entry{also}",
                      f"add `- name: {yaml_str(rule.alert)}` under `alerts:` in {where} with "
                      "its meaning, impact, diagnosis and mitigation")
        else:
            label = rule.labels.get(self.label)
            whose = f"service label '{label}' names no catalog service and " if label else ""
            self.diag(rule, "error", "missing-runbook",
                      f"alert '{rule.alert}' has no runbook entry: {whose}no service of the "
                      "catalog has an entry of that name",
                      f"add it under `alerts:` of the service that raises it, and label the "
                      f"rule `{self.label}: <service id>`")

    def matched(self, rule: AlertRule, owners: list[str]) -> None:
        for sid in owners:
            self.report(sid).matched.add(rule.alert)
        found = rule.runbook_url
        first = owners[0]
        expected = [runbook_url(self.settings, sid, rule.alert) for sid in owners]
        if found is None or not found.strip():
            self.report(first).url_missing.append(rule.alert)
            self.diag(rule, "warning", "runbook-url-missing",
                      f"alert '{rule.alert}' has no runbook_url annotation",
                      f"add `runbook_url: {expected[0]}` under annotations (or let `opsready "
                      "alerts urls --rules FILE --write-to NEW_FILE` write it)")
            return
        value = expand_static_labels(found, dict(rule.labels))
        if "{{" in value:
            self.diag(rule, "notice", "runbook-url-templated",
                      f"runbook_url '{found}' of alert '{rule.alert}' is a template only "
                      "Prometheus can expand; not checked",
                      f"write the URL out: {expected[0]}",
                      position=rule.runbook_url_position, path_suffix=".annotations.runbook_url")
            return
        if any(same_page(value, e) for e in expected):
            return
        self.report(first).url_mismatches.append(rule.alert)
        scope = "" if self.settings.site_url else " (no site URL given: only the path was compared)"
        self.diag(rule, "error", "runbook-url-mismatch",
                  f"runbook_url of alert '{rule.alert}' points to '{found}', not to its runbook "
                  f"page '{expected[0]}'{scope}",
                  "set the annotation to the runbook page (`opsready alerts urls` prints them)",
                  position=rule.runbook_url_position, path_suffix=".annotations.runbook_url")

    def unmatched_entries(self) -> None:
        for sid, service in self.catalog.services.items():
            if not self.in_scope(sid):
                continue
            source = self.catalog.sources.get(sid)
            for i, alert in enumerate(service.alerts):
                if alert.name in self.report(sid).matched:
                    continue
                self.report(sid).unmatched_entries.append(alert.name)
                elsewhere = self.rules_by_name.get(alert.name, [])
                hint = (f"a rule of that name is in {elsewhere[0].file}:{elsewhere[0].line} with "
                        f"`{self.label}: {elsewhere[0].labels.get(self.label, '')}`: fix its "
                        "label" if elsewhere else
                        "rename the entry to the alert name its rule uses, or remove it if the "
                        "alert was deleted")
                file = source.display if source else sid
                line, col = source.position(("alerts", i, "name")) if source else (1, 1)
                self.diags.append(Diagnostic(
                    file, line, col, f"alerts[{i}].name",
                    f"runbook entry '{alert.name}' of service '{sid}' matches no alerting rule "
                    "in the rules checked", hint, severity="error", code="unmatched-runbook"))

    def unknown_label_warnings(self) -> None:
        for (_file, label), rules in self.unknown_labels.items():
            more = f" (and {len(rules) - 1} more rules)" if len(rules) > 1 else ""
            self.diag(rules[0], "warning", "unknown-service-label",
                      f"service label `{self.label}: {label}` names no catalog service{more}; "
                      "rules were matched by alert name instead",
                      "use catalog service ids as label values, or choose the label with "
                      "--service-label")


def cross_check(catalog: Catalog, rules: Iterable[AlertRule], settings: SiteSettings, *,
                service_label: str = "service", services: Iterable[str] | None = None,
                all_rules_read: bool = True) -> CrossCheck:
    """Compare alerting rules with the catalog's runbook entries, service by service.

    ``services`` limits the check to some service ids (rules of other services are ignored,
    and so are rules that cannot be attributed to a service of the scope). When some rules file
    could not be read (``all_rules_read=False``) runbook entries are not reported as matching no
    rule: the rule may be in that file.
    """
    scope = set(services) if services is not None else None
    check = _Check(catalog, settings, service_label, scope)
    count = 0
    for rule in rules:
        count += 1
        check.rule(rule)
    if all_rules_read:
        check.unmatched_entries()
    check.unknown_label_warnings()
    for sid in catalog.services:
        if check.in_scope(sid):
            check.report(sid)
    check.diags.sort(key=sort_key)
    return CrossCheck(check.reports, check.diags, count)


def owners_of(catalog: Catalog, alert: str, labels: dict[str, str], *,
              service_label: str = "service") -> list[str]:
    """The services whose runbook entry an alert rule matches, by the cross-check's rule.

    The service its label names when that is a catalog service (``[]`` when that service has no
    entry of this name), else every service with an entry of this name.
    """
    label = labels.get(service_label)
    if label and label in catalog.services:
        return [label] if any(a.name == alert for a in catalog.services[label].alerts) else []
    return sorted(sid for sid, s in catalog.services.items()
                  if any(a.name == alert for a in s.alerts))

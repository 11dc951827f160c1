"""The ``opsready alerts check`` and ``opsready alerts urls`` commands, over the core.

Exit codes: 0 all good; 1 problems in the input (a rule without runbook, an entry without rule,
a wrong ``runbook_url``, an unreadable rules file or catalog, a rules file that cannot be edited
safely); 2 usage error (bad arguments, a missing file or folder, a refused write).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO, cast

import yaml

from ..catalog.files import DEFAULT_CATALOG_DIR as DEFAULT_CATALOG
from ..catalog.fleet import Catalog
from ..catalog.load import load_catalog
from ..diagnostics import FORMATTERS, Diagnostic, printable
from ..integrations.alert_rules.annotate import RulesInputError, WriteRefused
from ..integrations.alert_rules.crosscheck import UNATTRIBUTED, CrossCheck, cross_check, owners_of
from ..integrations.alert_rules.files import annotate_file, annotate_to_text
from ..integrations.alert_rules.rules import expand_paths, read_rule_file, read_rule_files, yaml_str
from ..integrations.alert_rules.urls import SiteSettings, resolve_site_settings, runbook_url

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
DEFAULT_CONFIG = "mkdocs.yml"


def _format(fmt: str, diags: Sequence[Diagnostic]) -> str:
    formatter = cast(Callable[[Sequence[Diagnostic]], str], FORMATTERS[fmt])
    return formatter(diags)


class UsageError(Exception):
    """Bad arguments or missing inputs: exit code 2."""


@dataclass
class Context:
    """What both commands need: the site's URL settings and the loaded catalog."""

    settings: SiteSettings
    catalog: Catalog
    diagnostics: list[Diagnostic]


def load_context(*, config: str | None, catalog: str | None, site_url: str | None) -> Context:
    """Resolve the site settings (``--config`` or ./mkdocs.yml, then ``--site-url``) and load
    the catalog (``--catalog``, else the plugin's ``catalog`` option, else service_catalog)."""
    try:
        settings = resolve_site_settings(config, site_url, DEFAULT_CONFIG)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    root = Path(catalog or settings.catalog or DEFAULT_CATALOG)
    if not root.is_dir():
        raise UsageError(f"catalog folder '{root}' does not exist (give --catalog DIR)")
    result = load_catalog(root)
    return Context(settings, result.catalog,
                   [d for d in result.diagnostics if d.severity == "error"])


def _catalog_failed(ctx: Context, fmt: str, err: TextIO, out: TextIO) -> int:
    out.write(_format(fmt if fmt in FORMATTERS else "text", ctx.diagnostics) + "\n")
    err.write(f"opsready alerts: the catalog has {len(ctx.diagnostics)} errors; fix them first "
              "(opsready check)\n")
    return EXIT_PROBLEMS


def _summary_lines(result: CrossCheck) -> list[str]:
    lines = []
    width = max((len(s) for s in result.services), default=0)
    width = max(width, len("(no service)"))
    for sid, rep in sorted(result.services.items()):
        parts = [f"{len(rep.matched)} matched"]
        if rep.missing_runbook:
            parts.append(f"{len(rep.missing_runbook)} without runbook entry")
        if rep.unmatched_entries:
            n = len(rep.unmatched_entries)
            parts.append(f"{n} runbook {'entry' if n == 1 else 'entries'} without rule")
        if rep.url_mismatches:
            parts.append(f"{len(rep.url_mismatches)} wrong runbook_url")
        if rep.url_missing:
            parts.append(f"{len(rep.url_missing)} without runbook_url")
        name = sid if sid != UNATTRIBUTED else "(no service)"
        lines.append(f"  {name:<{width}}  {', '.join(parts)}")
    return lines


def run_check(rule_files: Sequence[str], *, catalog: str | None = None,
              config: str | None = None, site_url: str | None = None,
              service_label: str = "service", services: Sequence[str] | None = None,
              fmt: str = "text", strict: bool = False,
              out: TextIO | None = None, err: TextIO | None = None) -> int:
    """``opsready alerts check``: read rule files, cross-check them, print, return the code."""
    out, err = out or sys.stdout, err or sys.stderr
    missing = [f for f in rule_files if not Path(f).exists()]
    if missing:
        raise UsageError(f"rules file '{missing[0]}' does not exist")
    if not expand_paths(rule_files):
        raise UsageError("no .yml or .yaml file in " + ", ".join(rule_files))
    ctx = load_context(config=config, catalog=catalog, site_url=site_url)
    if ctx.diagnostics:
        return _catalog_failed(ctx, fmt, err, out)
    unknown = [s for s in services or () if s not in ctx.catalog.services]
    if unknown:
        raise UsageError(f"--service '{unknown[0]}' is not a service of the catalog")
    ruleset = read_rule_files(rule_files)
    result = cross_check(ctx.catalog, ruleset.rules, ctx.settings, service_label=service_label,
                         services=services or None, all_rules_read=not ruleset.unreadable)
    diags = sorted(ruleset.diagnostics + result.diagnostics,
                   key=lambda d: (d.file, d.line, d.column, d.message))
    errors = sum(d.severity == "error" for d in diags)
    warnings = sum(d.severity == "warning" for d in diags)
    failed = errors > 0 or (strict and warnings > 0)
    if fmt == "json":
        data = result.to_dict()
        data["ok"] = not failed
        data["files"] = ruleset.files
        data["diagnostics"] = json.loads(_format("json", diags))
        out.write(json.dumps(data, indent=2) + "\n")
    elif fmt == "text":
        if diags:
            out.write(_format("text", diags) + "\n")
        rules, files = len(ruleset.rules), len(ruleset.files)
        out.write(f"alerts check: {rules} alerting rule{'' if rules == 1 else 's'} in {files} "
                  f"file{'' if files == 1 else 's'}, per service:\n"
                  + "\n".join(_summary_lines(result)) + "\n")
    else:
        out.write(_format(fmt, diags) + "\n")
    if ruleset.unreadable:
        n = len(ruleset.unreadable)
        err.write(f"opsready alerts check: {n} rules file{'' if n == 1 else 's'} could not be "
                  "read, so runbook entries were not checked for a matching rule\n")
    if not ctx.settings.site_url:
        err.write("opsready alerts check: no site URL (--site-url or site_url in mkdocs.yml): "
                  "runbook_url annotations were compared by path only\n")
    err.write(f"opsready alerts check: {errors} errors, {warnings} warnings: "
              f"{'FAILED' if failed else 'OK'}\n")
    return EXIT_PROBLEMS if failed else EXIT_OK


def _prometheus_snippet(ctx: Context, service_label: str) -> str:
    lines = ["# runbook_url annotations for Prometheus alerting rules (generated by opsready).",
             "# Merge each entry into the rule of the same alert name, or let opsready do it:",
             "#   opsready alerts urls --rules RULES.yml --write-to NEW.yml"]
    for sid, service in sorted(ctx.catalog.services.items()):
        for alert in sorted(service.alerts, key=lambda a: a.name):
            url = runbook_url(ctx.settings, sid, alert.name)
            lines += [f"- alert: {yaml_str(alert.name)}",
                      "  labels:",
                      f"    {service_label}: {sid}",
                      "  annotations:",
                      f"    runbook_url: {json.dumps(url)}"]
    return "\n".join(lines) + "\n"


def run_urls(*, catalog: str | None = None, config: str | None = None,
             site_url: str | None = None, fmt: str = "json", service_label: str = "service",
             rules: str | None = None, write_to: str | None = None, in_place: bool = False,
             overwrite: bool = False, out: TextIO | None = None,
             err: TextIO | None = None) -> int:
    """``opsready alerts urls``: print the alert -> runbook URL map, or set the ``runbook_url``
    annotations of a rules file (printed, written to a new file, or in place with a backup)."""
    out, err = out or sys.stdout, err or sys.stderr
    if (write_to or in_place) and not rules:
        raise UsageError("--write-to and --in-place need --rules FILE")
    if write_to and in_place:
        raise UsageError("choose one of --write-to and --in-place")
    if rules and not Path(rules).is_file():
        raise UsageError(f"rules file '{rules}' does not exist")
    ctx = load_context(config=config, catalog=catalog, site_url=site_url)
    if not ctx.settings.site_url:
        raise UsageError("the site URL is unknown: give --site-url (e.g. "
                         "https://ops.example.com/) or set site_url in mkdocs.yml")
    if ctx.diagnostics:
        return _catalog_failed(ctx, "text", err, out)
    if rules:
        return _annotate(ctx, Path(rules), service_label, write_to, in_place, overwrite, out, err)
    data = {sid: {a.name: runbook_url(ctx.settings, sid, a.name)
                  for a in sorted(s.alerts, key=lambda a: a.name)}
            for sid, s in sorted(ctx.catalog.services.items()) if s.alerts}
    if fmt == "json":
        out.write(json.dumps(data, indent=2) + "\n")
    elif fmt == "yaml":
        out.write(yaml.safe_dump(data, sort_keys=False, default_flow_style=False))
    else:
        out.write(_prometheus_snippet(ctx, service_label))
    return EXIT_OK


def _annotate(ctx: Context, source: Path, service_label: str, write_to: str | None,
              in_place: bool, overwrite: bool, out: TextIO, err: TextIO) -> int:
    def url_for(alert: str, labels: dict[str, str]) -> str | None:
        owners = owners_of(ctx.catalog, alert, labels, service_label=service_label)
        return runbook_url(ctx.settings, owners[0], alert) if len(owners) == 1 else None

    checked = read_rule_file(source, display=str(source))
    if not checked.ok:
        out.write(_format("text", [d for d in checked.diagnostics if d.severity == "error"])
                  + "\n")
        err.write(f"opsready alerts urls: {source} has errors; nothing was written\n")
        return EXIT_PROBLEMS
    try:
        if write_to or in_place:
            target = Path(write_to) if write_to else source
            result = annotate_file(source, url_for, target=target, backup=in_place,
                                   overwrite=overwrite)
            where = f"{target}" + (f" (a link: the file at {target.resolve()})"
                                   if target.is_symlink() else "")
            where += f" (original kept as {source}.bak)" if in_place else ""
            if in_place and not result.changed:
                where = "nowhere (nothing to change)"
        else:
            result = annotate_to_text(source, url_for)
            out.write(result.text)
            where = "standard output"
    except RulesInputError as exc:
        err.write(printable(f"opsready alerts urls: {exc}") + "\n")
        return EXIT_PROBLEMS
    except WriteRefused as exc:
        err.write(printable(f"opsready alerts urls: {exc}") + "\n")
        return EXIT_USAGE
    except OSError as exc:
        err.write(printable(f"opsready alerts urls: cannot write: {exc}; nothing was changed")
                  + "\n")
        return EXIT_USAGE
    n = len(result.changed)
    err.write(f"opsready alerts urls: runbook_url set on {n} rule{'' if n == 1 else 's'}, "
              f"{len(result.unchanged)} already right, {len(result.skipped)} left alone; "
              f"written to {where}\n")
    for name, reason in result.skipped:
        # Alert names come from the rules file: escaped, one line each.
        err.write(printable(f"  left alone: {name}: {reason}") + "\n")
    return EXIT_OK

"""The ``opsready alerts`` sub-commands' arguments (``commands.py`` does the work, imported only
when a sub-command runs, so building the parser stays cheap)."""

from __future__ import annotations

import argparse
import sys


def _cmd_alerts_check(args: argparse.Namespace) -> int:
    from .alerts import UsageError, run_check

    try:
        return run_check(args.rules, catalog=args.catalog, config=args.config,
                         site_url=args.site_url, service_label=args.service_label,
                         services=args.service, fmt=args.format, strict=args.strict)
    except UsageError as exc:
        print(f"opsready alerts check: error: {exc}", file=sys.stderr)
        return 2


def _cmd_alerts_urls(args: argparse.Namespace) -> int:
    from .alerts import UsageError, run_urls

    try:
        return run_urls(catalog=args.catalog, config=args.config, site_url=args.site_url,
                        fmt=args.format, service_label=args.service_label, rules=args.rules,
                        write_to=args.write_to, in_place=args.in_place,
                        overwrite=args.overwrite)
    except UsageError as exc:
        print(f"opsready alerts urls: error: {exc}", file=sys.stderr)
        return 2


def add_alerts_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The ``alerts`` sub-commands (``check``, ``urls``)."""
    alerts = sub.add_parser("alerts", help="Prometheus alerting rules against the runbooks")
    alerts_sub = alerts.add_subparsers(dest="alerts_command", metavar="ALERTS_COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--catalog", help="catalog folder (default: the opsready plugin's "
                        "catalog option in mkdocs.yml, else service_catalog)")
    common.add_argument("--config", help="mkdocs.yml to read site_url, use_directory_urls and "
                        "the plugin's prefix from (default: ./mkdocs.yml when it exists)")
    common.add_argument("--site-url", help="base URL the site is published at (overrides "
                        "site_url of mkdocs.yml)")
    common.add_argument("--service-label", default="service", help="rule label that names "
                        "the catalog service (default: service)")

    check = alerts_sub.add_parser(
        "check", parents=[common],
        help="report rules without runbook entry, runbook entries without rule, and "
        "runbook_url annotations pointing elsewhere")
    check.add_argument("rules", nargs="+", metavar="RULES",
                       help="Prometheus rule files or PrometheusRule manifests (a folder: "
                       "every .yml/.yaml file under it)")
    check.add_argument("--service", action="append", metavar="ID",
                       help="check only this service (repeatable)")
    check.add_argument("--format", choices=["text", "json", "github", "junit"], default="text")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.set_defaults(func=_cmd_alerts_check)

    urls = alerts_sub.add_parser(
        "urls", parents=[common],
        help="print the alert -> runbook URL map, or set runbook_url in a rules file")
    urls.add_argument("--format", choices=["json", "yaml", "prometheus-annotations"],
                      default="json")
    urls.add_argument("--rules", metavar="FILE", help="set the runbook_url annotations of this "
                      "rules file (printed to stdout unless --write-to or --in-place)")
    target = urls.add_mutually_exclusive_group()
    target.add_argument("--write-to", metavar="NEW_FILE", help="write the edited rules here")
    target.add_argument("--in-place", action="store_true",
                        help="edit --rules FILE itself, keeping the original as FILE.bak")
    urls.add_argument("--overwrite", action="store_true",
                      help="allow --write-to to replace an existing file")
    urls.set_defaults(func=_cmd_alerts_urls)
    alerts.set_defaults(func=lambda _args: (alerts.print_help(sys.stderr), 2)[1])

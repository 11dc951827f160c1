"""The ``opsready pack`` sub-command: arguments in, exit code out (0 written or verified,
1 problems, 2 usage errors)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def add_pack_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``opsready pack``."""
    pack = sub.add_parser(
        "pack", help="write the runbook packs: per on-call rotation, tier and fleet, one "
        "self-contained HTML file and one PDF each that work with the network down")
    pack.add_argument("catalog", nargs="?", help="catalog folder (default: the catalog_dir "
                      "of the config file)")
    pack.add_argument("--out", help="output folder (e.g. site/packs)")
    pack.add_argument("--config", default="mkdocs.yml", help="the site's config file: its "
                      "opsready options and Markdown extensions (default: mkdocs.yml)")
    pack.add_argument("--team", action="append", default=[], metavar="ID",
                      help="the pack of this team's rotation (repeatable)")
    pack.add_argument("--tier", action="append", default=[], type=int, choices=[1, 2, 3],
                      help="the pack of this tier (repeatable)")
    pack.add_argument("--service", action="append", default=[], metavar="ID",
                      help="a pack for this service alone (repeatable)")
    pack.add_argument("--fleet", action="store_true", help="the pack of the whole fleet")
    pack.add_argument("--all", action="store_true", help="every team, tier and the fleet, "
                      "and one pack per service")
    pack.add_argument("--paper", choices=["a4", "letter"], default="a4",
                      help="page size of the PDF and of printing (default: a4)")
    pack.add_argument("--no-pdf", action="store_true", help="write the HTML files only")
    pack.add_argument("--valid-days", type=int, metavar="DAYS", help="days after which the "
                      "pack tells its reader to check the live site (default: the policy's "
                      "review age of NOC runbooks for the pack's tiers, e.g. 180 for tier 1)")
    pack.add_argument("--verify", metavar="DIR", help="check a copy of a pack folder against "
                      "its pack.json instead (exit 1 when a file is missing or changed)")
    pack.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write or verify packs."""
    if args.verify:
        from ..output.pack.manifest import verify

        problems = verify(Path(args.verify))
        for problem in problems:
            print(f"opsready pack: {problem}", file=sys.stderr)
        if not problems:
            print(f"opsready pack: {args.verify}: every file matches pack.json", file=sys.stderr)
        return EXIT_PROBLEMS if problems else EXIT_OK
    if not args.out:
        print("opsready: error: pack: --out DIR is required (or --verify DIR)", file=sys.stderr)
        return EXIT_USAGE
    if args.valid_days is not None and args.valid_days < 1:
        print("opsready: error: pack: --valid-days must be 1 or more", file=sys.stderr)
        return EXIT_USAGE
    from ..output.options import SiteError
    from ..output.pack.build import PackRequest, report_stderr, write_packs
    from ..output.pack.convert import PackError

    request = PackRequest(
        out=Path(args.out), config=Path(args.config),
        catalog=Path(args.catalog) if args.catalog else None, teams=args.team,
        tiers=args.tier, services=args.service, fleet=args.fleet, everything=args.all,
        paper=args.paper, pdf=not args.no_pdf, valid_days=args.valid_days)
    if request.catalog is not None and not request.catalog.is_dir():
        print(f"opsready: error: catalog folder '{request.catalog}' does not exist",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        result = write_packs(request, report_stderr)
    except ValueError as exc:
        print(f"opsready: error: pack: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (SiteError, PackError) as exc:
        print(f"opsready: error: pack: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    for message in result.messages:
        print(f"WARNING: {message}", file=sys.stderr)
    print(f"opsready pack: {len(result.specs)} pack(s), {len(result.files)} files and "
          f"pack.json in {request.out}", file=sys.stderr)
    return EXIT_OK

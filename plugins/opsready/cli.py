"""The ``opsready`` command line: thin wrappers over the core, with exit codes CI relies on.

Exit codes: 0 all good, 1 problems found, 2 usage error (bad arguments, missing folder).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _cmd_check(args: argparse.Namespace) -> int:
    from .catalog import load_catalog
    from .diagnostics import FORMATTERS

    root = Path(args.catalog)
    if not root.is_dir():
        print(f"opsready: error: catalog folder '{root}' does not exist", file=sys.stderr)
        return EXIT_USAGE
    result = load_catalog(root)
    diags = result.diagnostics
    if args.format == "text":
        if diags:
            print(FORMATTERS["text"](diags))
        errors = sum(d.severity == "error" for d in diags)
        warnings = sum(d.severity == "warning" for d in diags)
        status = "OK" if result.ok else "FAILED"
        print(f"opsready check: {len(result.catalog.services)} services, {errors} errors, "
              f"{warnings} warnings: {status}", file=sys.stderr)
    else:
        print(FORMATTERS[args.format](diags))
    return EXIT_OK if result.ok else EXIT_PROBLEMS


def _cmd_schema(args: argparse.Namespace) -> int:
    from .schema import schema_text

    text = schema_text(args.kind)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(
        prog="opsready",
        description="Production-readiness documentation as code: check a service catalog, "
        "print its schema.",
    )
    parser.add_argument("--version", action="version", version=f"opsready {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="validate a catalog and report every problem at once")
    check.add_argument("catalog", nargs="?", default="service_catalog",
                       help="catalog folder (default: service_catalog)")
    check.add_argument("--format", choices=["text", "json", "github", "junit"], default="text",
                       help="output format (github: workflow annotations; junit: XML report)")
    check.set_defaults(func=_cmd_check)

    schema = sub.add_parser("schema", help="print the JSON Schema of a catalog file kind")
    schema.add_argument("kind", nargs="?", default="service",
                        choices=["service", "teams", "organisation"])
    schema.add_argument("-o", "--output", help="write to this file instead of stdout")
    schema.set_defaults(func=_cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

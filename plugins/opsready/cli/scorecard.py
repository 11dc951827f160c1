"""``opsready scorecard``: the scorecard in a terminal, a pull-request comment, or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..catalog.files import DEFAULT_CATALOG_DIR
from ..diagnostics import to_text

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def add_scorecard_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register the ``scorecard`` sub-command."""
    parser = sub.add_parser(
        "scorecard", help="print the readiness scorecard (table, Markdown or JSON)",
        description="Evaluate the catalog against the readiness policy and print the scorecard. "
        "Exit 0, or 1 with --fail-below when an enforced service is below its required level; "
        "1 as well when the catalog or the policy has errors.")
    parser.add_argument("catalog", nargs="?", default=DEFAULT_CATALOG_DIR,
                        help="catalog folder (default: service_catalog)")
    parser.add_argument("--format", choices=["table", "markdown", "json"], default="table",
                        help="table: for a terminal; markdown: for a pull-request comment; "
                        "json: the scorecard.json of the site (with --compare: the comparison)")
    parser.add_argument("--compare", metavar="OLD.json",
                        help="show which services and rules got better or worse since OLD.json")
    parser.add_argument("--policy", metavar="FILE",
                        help="readiness policy file (default: the packaged default policy)")
    parser.add_argument("--baseline", metavar="FILE", help="readiness baseline (default: "
                        "readiness-baseline.yaml beside --policy, else beside the catalog "
                        "folder, when it exists): its gaps show as debt")
    parser.add_argument("--fail-below", action="store_true",
                        help="exit 1 when an enforced service is below its required level")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    parser.set_defaults(func=run_scorecard)


def run_scorecard(args: argparse.Namespace) -> int:
    """Run ``opsready scorecard``; returns the exit code."""
    from ..catalog.load import load_catalog
    from ..policy.baseline_path import default_baseline_path
    from ..policy.build_readiness import site_readiness
    from ..policy.engine import today_from_env
    from ..scorecard.compare import compare_scorecards, load_scorecard_json
    from ..scorecard.data import build_scorecard
    from ..scorecard.publish import scorecard_json
    from ..scorecard.text import comparison_markdown, comparison_text, markdown_text, table_text

    root = Path(args.catalog)
    if not root.is_dir():
        print(f"opsready scorecard: error: catalog folder '{root}' does not exist",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        old = load_scorecard_json(args.compare) if args.compare else None
        today = today_from_env()
    except ValueError as exc:
        print(f"opsready scorecard: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    result = load_catalog(root)
    baseline = (Path(args.baseline) if args.baseline
                else default_baseline_path(args.policy, root.resolve().parent))
    readiness = site_readiness(result.catalog, args.policy, today, baseline_path=baseline,
                               baseline_required=bool(args.baseline))
    problems = [d for d in result.diagnostics + readiness.diagnostics if d.severity == "error"]
    if problems:
        print(to_text(problems), file=sys.stderr)
    evaluation = readiness.evaluation
    if evaluation is None:
        print("opsready scorecard: the policy or the baseline has errors: nothing evaluated",
              file=sys.stderr)
        return EXIT_PROBLEMS
    sc = build_scorecard(evaluation, result.catalog)
    if old is None:
        text = {"table": table_text, "markdown": markdown_text,
                "json": scorecard_json}[args.format](sc)
    else:
        cmp = compare_scorecards(old, sc)
        if args.format == "json":
            text = json.dumps(cmp.to_dict(), indent=2, ensure_ascii=False) + "\n"
        elif args.format == "markdown":
            text = markdown_text(sc) + "\n" + comparison_markdown(cmp)
        else:
            text = table_text(sc) + "\n\n" + comparison_text(cmp)
    if args.output:
        Path(args.output).write_text(text if text.endswith("\n") else text + "\n",
                                     encoding="utf-8")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if problems:
        return EXIT_PROBLEMS
    return EXIT_PROBLEMS if args.fail_below and not evaluation.ok else EXIT_OK

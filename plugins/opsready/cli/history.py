"""``opsready history``: the readiness of the catalog at each commit that changed it, as JSON
for the site's trend charts (``policy/history.py`` does the work)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..catalog.files import DEFAULT_CATALOG_DIR


def add_history_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The ``history`` sub-command."""
    history = sub.add_parser(
        "history", help="readiness over time: evaluate the catalog at every commit that "
        "changed it (JSON for the site's trend charts)",
        description="Evaluate the catalog, with the policy of that commit, on the date of each "
        "commit that changed the catalog or the policy file; each commit is evaluated once "
        "and cached. Needs the whole Git history (not a shallow clone).")
    history.add_argument("catalog", nargs="?", default=DEFAULT_CATALOG_DIR,
                         help="catalog folder (default: service_catalog)")
    history.add_argument("--policy", metavar="FILE",
                         help="readiness policy file (read at each commit when it is in the "
                         "repository; default: the packaged default policy)")
    history.add_argument("--every", choices=["commit", "day", "week"], default="commit",
                         help="one point per commit (default), or the last commit of each "
                         "day or week, for long histories")
    history.add_argument("--ref", default="HEAD", help="history of this commit (default HEAD)")
    history.add_argument("-o", "--output", metavar="FILE",
                         help="write the JSON to FILE (e.g. readiness-history.json, the site's "
                         "'history' option) instead of stdout")
    history.add_argument("--cache-dir", help="where evaluated commits are cached (default: the "
                         "catalog's folder in the user cache)")
    history.add_argument("--no-cache", action="store_true", help="evaluate every commit afresh")
    history.add_argument("-v", "--verbose", action="store_true",
                         help="name each commit as it is evaluated")
    history.set_defaults(func=run_history)


def run_history(args: argparse.Namespace) -> int:
    import json

    from ..cache.folder import default_cache_dir
    from ..policy.git_tree import GitError
    from ..policy.history import build_history

    root = Path(args.catalog)
    if not root.is_dir():
        print(f"opsready history: error: catalog folder '{root}' does not exist",
              file=sys.stderr)
        return 2
    cache_dir = None if args.no_cache else (args.cache_dir or default_cache_dir(root))

    def said(i: int, n: int, commit: object) -> None:
        if args.verbose:
            print(f"opsready history: evaluating {i + 1}/{n} {commit}", file=sys.stderr)

    try:
        run = build_history(root, Path(args.policy) if args.policy else None, every=args.every,
                            ref=args.ref, cache_dir=cache_dir, progress=said)
    except (GitError, ValueError, OSError) as exc:
        print(f"opsready history: error: {exc}", file=sys.stderr)
        return 2
    text = json.dumps(run.document, indent=1, ensure_ascii=False) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    print(f"opsready history: {len(run.document['points'])} points ({len(run.evaluated)} "
          f"commits evaluated, {run.cached} from the cache)", file=sys.stderr)
    return 0

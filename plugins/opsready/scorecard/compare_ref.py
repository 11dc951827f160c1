"""``opsready check --compare REF``: what a change does to readiness, against a Git commit.

The catalog (and the policy file, when it lives in the repository) is read at ``REF`` with
``git archive`` (``policy.git_tree``), evaluated on the same day as the working tree, and both
scorecards go through the one comparison of ``scorecard --compare`` (``scorecard.compare``).
The JSON is ``opsready-scorecard-comparison/1`` (documented in docs/guide/readiness-over-time.md).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from ..diagnostics import to_text
from .compare import Comparison, compare_scorecards

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
FORMATS = ("text", "json", "markdown")


class CompareError(Exception):
    """The comparison cannot be made (Git, the catalog or the policy at one side)."""


def scorecard_of(catalog_dir: Path, policy: Path | None, today: dt.date,
                 display_root: Path | None = None,
                 baseline: Path | None = None) -> dict[str, Any]:
    """Load, evaluate (through ``site_readiness``, as the build does: the policy and the
    readiness baseline) and score one catalog; ``CompareError`` when the policy or the
    baseline has errors."""
    from ..catalog.load import load_catalog
    from ..policy.build_readiness import site_readiness
    from .data import build_scorecard

    result = load_catalog(catalog_dir, jobs=1, display_root=display_root)
    readiness = site_readiness(result.catalog, policy, today, baseline_path=baseline)
    if readiness.evaluation is None:
        errors = [d for d in readiness.diagnostics if d.severity == "error"]
        raise CompareError("the policy or the baseline has errors:\n" + to_text(errors))
    return build_scorecard(readiness.evaluation, result.catalog)


def scorecard_at(ref: str, catalog: Path, policy: Path | None,
                 today: dt.date, baseline: Path | None = None) -> tuple[str, dict[str, Any]]:
    """The commit ``ref`` names and the scorecard of the catalog as it was there. A policy or
    baseline file inside the repository is read at ``ref`` too (absent there: the packaged
    default policy, no baseline)."""
    from ..policy.git_tree import GitError, relative, repo_root, resolve, snapshot

    def inside(path: Path | None) -> str | None:
        if path is None:
            return None
        try:
            return relative(root, path)
        except GitError:  # outside the repository: the same file on both sides
            return None

    try:
        root = repo_root(catalog)
        commit = resolve(root, ref)
        cat_rel = relative(root, catalog)
        pol_rel, base_rel = inside(policy), inside(baseline)
        wanted = [cat_rel] + [r for r in (pol_rel, base_rel) if r]
        with snapshot(root, commit, wanted) as tree:
            old_catalog = tree / cat_rel
            if not old_catalog.is_dir():
                old_catalog.mkdir(parents=True)  # no catalog then: every service is new

            def then(path: Path | None, rel: str | None) -> Path | None:
                if rel is None:
                    return path
                return tree / rel if (tree / rel).is_file() else None

            return commit, scorecard_of(old_catalog, then(policy, pol_rel), today,
                                        display_root=catalog,
                                        baseline=then(baseline, base_rel))
    except GitError as exc:
        raise CompareError(str(exc)) from None


def compare_with_ref(ref: str, catalog: Path, policy: Path | None,
                     today: dt.date, baseline: Path | None = None) -> Comparison:
    """The comparison from the catalog at ``ref`` to the working tree."""
    commit, old = scorecard_at(ref, catalog, policy, today, baseline)
    new = scorecard_of(catalog, policy, today, baseline=baseline)
    old["date"], new["date"] = f"{ref} ({commit[:10]})", "working tree"
    return compare_scorecards(old, new)


def comparison_output(cmp: Comparison, fmt: str) -> str:
    """The comparison as text, JSON or Markdown."""
    from .text import comparison_markdown, comparison_text

    if fmt == "json":
        return json.dumps(cmp.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return comparison_markdown(cmp, f"Readiness: {cmp.old_date} → {cmp.new_date}")
    return comparison_text(cmp) + "\n"


def run_compare(ref: str, catalog: Path, policy: str | None, fmt: str, *,
                fail_on_regression: bool, output: str | None = None,
                baseline: Path | None = None) -> int:
    """Run ``check --compare``; the exit code (1: a regression with ``fail_on_regression``)."""
    from ..policy.engine import today_from_env

    if fmt not in FORMATS:
        print(f"opsready check: error: --compare prints {', '.join(FORMATS)}, not {fmt}",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        cmp = compare_with_ref(ref, catalog, Path(policy) if policy else None,
                               today_from_env(), baseline)
    except (CompareError, ValueError) as exc:
        print(f"opsready check: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    text = comparison_output(cmp, fmt)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    if cmp.regressions:
        print(f"opsready check: {len(cmp.regressions)} service(s) lost a level since {ref}: "
              f"{', '.join(c.id for c in cmp.regressions)}", file=sys.stderr)
    return EXIT_PROBLEMS if fail_on_regression and cmp.regressions else EXIT_OK

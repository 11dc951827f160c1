"""Readiness over time, from Git: the catalog evaluated at each commit that changed it.

Each point is the catalog and the policy file *as they were at that commit* (``git archive``,
``policy.git_tree``), evaluated on the commit's date. A point depends only on the commit, the
paths and opsready's code, so it is stored in the signed store under a key of those
(``<cache>/history/``): each commit is evaluated once, ever. The document written by
``opsready history`` (schema ``opsready-history/1``, documented in
docs/guide/readiness-over-time.md) is what the site's trend charts read.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cache.prune import DEFAULT_MAX_MB
from ..cache.salt import key_of
from ..cache.session import using
from ..cache.store import Store
from .git_tree import (
    SHALLOW_HINT,
    Commit,
    GitError,
    commits,
    is_shallow,
    relative,
    repo_root,
    snapshot,
)
from .git_tree import sample as sample_commits
from .levels import Level

if TYPE_CHECKING:
    from .engine import Evaluation

HISTORY_SCHEMA = "opsready-history/1"
EVERY = ("commit", "day", "week")
LEVELS = tuple(lv.label for lv in Level)


def point_of(evaluation: Evaluation) -> dict[str, Any]:
    """The part of a history point an evaluation gives: fleet, teams, services (with what a
    campaign's selection and goal read, so a campaign's progress can be drawn for any point,
    also one from before the campaign was written: ``campaigns.progress_of_point``)."""
    services: dict[str, dict[str, Any]] = {}
    teams: dict[str, dict[str, Any]] = {}
    levels = dict.fromkeys(LEVELS, 0)
    for r in evaluation.services.values():
        s = r.service
        services[s.id] = {"team": s.owner, "tier": s.tier, "lifecycle": s.lifecycle.value,
                          "tags": list(s.tags), "level": r.achieved.label,
                          "required": r.required.label, "gaps": r.gap_count,
                          "below_required": r.below_required,
                          "failing": [res.rule.id for res in r.results if not res.passed]}
        levels[r.achieved.label] += 1
        team = teams.setdefault(s.owner, {"services": 0, "levels": dict.fromkeys(LEVELS, 0),
                                          "gaps": 0, "below_required": 0})
        team["services"] += 1
        team["levels"][r.achieved.label] += 1
        team["gaps"] += r.gap_count
        team["below_required"] += r.below_required
    return {
        "summary": {"services": len(services), "levels": levels,
                    "gaps": sum(s["gaps"] for s in services.values()),
                    "below_required": sum(s["below_required"] for s in services.values())},
        "teams": dict(sorted(teams.items())),
        "services": dict(sorted(services.items())),
    }


def evaluate_tree(tree: Path, cat_rel: str, policy: Path | None, commit: Commit,
                  display_root: Path, store: Store | None = None) -> dict[str, Any]:
    """Evaluate the catalog of one snapshot on the commit's day; a policy with errors gives a
    point with ``error`` and no numbers. ``store``: the run's cache (a file unchanged between
    commits is parsed once)."""
    from ..catalog.load import load_catalog
    from .engine import evaluate
    from .load import load_policy

    base = {"commit": commit.sha, "date": commit.day.isoformat(),
            "time": commit.when.isoformat(), "subject": commit.subject, "error": None}
    catalog_dir = tree / cat_rel
    if not catalog_dir.is_dir():
        catalog_dir.mkdir(parents=True)
    loaded = load_policy(policy)
    if loaded.policy is None:
        first = next((d for d in loaded.diagnostics if d.severity == "error"), None)
        return {**base, "error": f"policy: {first.log_line() if first else 'errors'}"}
    with using(store):
        result = load_catalog(catalog_dir, jobs=1, display_root=display_root)
    errors = sum(d.severity == "error" for d in result.diagnostics)
    return {**base, "catalog_errors": errors,
            **point_of(evaluate(result.catalog, loaded.policy, commit.day))}


@functools.cache
def _default_policy() -> bytes:
    """The packaged default policy (what a commit without a policy file is judged by)."""
    from .load import DEFAULT_POLICY_PATH

    return DEFAULT_POLICY_PATH.read_bytes()


@dataclass
class HistoryRun:
    """A history document and how it was made."""

    document: dict[str, Any]
    evaluated: list[str] = field(default_factory=list)
    """Commits evaluated by this run (the others came from the cache)."""
    cached: int = 0


def build_history(catalog: Path, policy: Path | None = None, *, every: str = "commit",
                  ref: str = "HEAD", cache_dir: Path | str | None = None,
                  cache_size_mb: int = DEFAULT_MAX_MB,
                  progress: Callable[[int, int, Commit], None] | None = None) -> HistoryRun:
    """The readiness history of ``catalog`` (and ``policy``, when inside the repository) at
    every commit reachable from ``ref`` that changed either, sampled ``every`` commit, day or
    week. ``GitError`` says what is wrong (not a repository, a shallow clone, a bad ref)."""
    if every not in EVERY:
        raise ValueError(f"--every is one of {', '.join(EVERY)}, not {every!r}")
    root = repo_root(catalog)
    if is_shallow(root):
        raise GitError(f"cannot read the history of {catalog}: {SHALLOW_HINT}")
    cat_rel = relative(root, catalog)
    pol_rel: str | None = None
    outside: bytes = b""
    if policy is not None:
        try:
            pol_rel = relative(root, policy)
        except GitError:  # a policy file outside the repository: the same at every commit
            outside = Path(policy).read_bytes()
    paths = [cat_rel] + ([pol_rel] if pol_rel else [])
    chosen = sample_commits(commits(root, paths, ref), every)
    store = Store(cache_dir)
    context = hashlib.sha256(_default_policy() + f"{cat_rel}\0{pol_rel}\0".encode() + outside)
    run = HistoryRun({})
    points = []
    for i, commit in enumerate(chosen):
        key = key_of("history", context.digest(), commit.sha)  # the code salt, then the commit
        point = store.get_json("history", key)
        if point is None:
            if progress is not None:
                progress(i, len(chosen), commit)
            with snapshot(root, commit.sha, paths) as tree:
                pol = policy if pol_rel is None else (
                    tree / pol_rel if (tree / pol_rel).is_file() else None)
                point = evaluate_tree(tree, cat_rel, pol, commit, Path(catalog), store)
            run.evaluated.append(commit.sha)
            store.put_json("history", key, point)
        else:
            run.cached += 1
        points.append(point)
    store.finish(cache_size_mb * 1024 * 1024)
    run.document = {"schema": HISTORY_SCHEMA, "catalog": cat_rel, "policy": pol_rel,
                    "every": every, "ref": ref, "points": points}
    return run

"""The catalog as it was at a Git commit, read with the ``git`` command (never by hand).

``snapshot`` writes the files of some paths at a commit into a temporary folder (``git archive``
into Python's ``tarfile`` with its ``data`` filter: no link, device or path outside the folder
is ever written); ``commits`` lists the commits that changed some paths, oldest first, with their
commit dates. Every failure is a ``GitError`` whose message says what to do.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

SHALLOW_HINT = ("the repository is a shallow clone: its history is cut off. Fetch the whole "
                "history: `git fetch --unshallow`, or in GitHub Actions `actions/checkout` with "
                "`fetch-depth: 0` (GitLab CI: `GIT_DEPTH: 0`)")


class GitError(Exception):
    """A ``git`` command failed or Git is missing; the message says what to do."""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_PAGER": "cat"})
    return env


def git(cwd: Path | str, *args: str, binary: bool = False) -> str | bytes:
    """Run ``git args`` in ``cwd``; stdout (text unless ``binary``), or ``GitError``."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, env=_env(),
                              check=False)
    except FileNotFoundError:
        raise GitError("the `git` command is not installed (history and --compare read "
                       "the catalog from Git)") from None
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {' '.join(args[:2])} failed: {err[-1] if err else 'no message'}")
    return done.stdout if binary else done.stdout.decode("utf-8", "replace")


def repo_root(path: Path | str) -> Path:
    """The top folder of the work tree that holds ``path``."""
    folder = Path(path).resolve()
    if not folder.is_dir():
        folder = folder.parent
    try:
        out = git(folder, "rev-parse", "--show-toplevel")
    except GitError:
        raise GitError(f"'{path}' is not inside a Git work tree") from None
    return Path(str(out).strip()).resolve()


def relative(root: Path, path: Path | str) -> str:
    """``path`` relative to the work tree ``root``, with ``/`` (``GitError`` when outside)."""
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        raise GitError(f"'{path}' is outside the Git work tree {root}") from None


def is_shallow(root: Path) -> bool:
    """Whether the clone is shallow (``git rev-parse --is-shallow-repository``)."""
    return str(git(root, "rev-parse", "--is-shallow-repository")).strip() == "true"


def resolve(root: Path, ref: str) -> str:
    """The commit id ``ref`` names (a branch, tag, ``origin/main``, a sha)."""
    if ref.startswith("-"):
        raise GitError(f"'{ref}' is not a Git reference")
    try:
        return str(git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")).strip()
    except GitError:
        hint = f"; {SHALLOW_HINT}" if is_shallow(root) else ""
        raise GitError(f"unknown Git reference '{ref}' (fetch it first, e.g. `git fetch "
                       f"origin main`){hint}") from None


def exists_at(root: Path, commit: str, path: str) -> bool:
    """Whether ``path`` (file or folder) exists at ``commit``."""
    return bool(str(git(root, "ls-tree", "--name-only", commit, "--", path)).strip())


@contextlib.contextmanager
def snapshot(root: Path, commit: str, paths: Sequence[str]) -> Iterator[Path]:
    """A temporary folder holding ``paths`` (relative to ``root``) as they were at ``commit``;
    a path that did not exist then is simply absent. Deleted on exit."""
    present = [p for p in paths if p and exists_at(root, commit, p)]
    with tempfile.TemporaryDirectory(prefix="opsready-git-") as tmp:
        if present:
            data = git(root, "archive", "--format=tar", commit, "--", *present, binary=True)
            assert isinstance(data, bytes)
            with tarfile.open(fileobj=io.BytesIO(data)) as tar:
                tar.extractall(tmp, filter="data")
        yield Path(tmp)


@dataclass(frozen=True)
class Commit:
    """A commit that changed the catalog or the policy."""

    sha: str
    when: dt.datetime
    subject: str

    @property
    def day(self) -> dt.date:
        """The commit date (the committer's, in the committer's time zone)."""
        return self.when.date()


def commits(root: Path, paths: Sequence[str], ref: str = "HEAD") -> list[Commit]:
    """The commits reachable from ``ref`` that changed ``paths``, oldest first."""
    out = str(git(root, "log", "--format=%H%x09%cI%x09%s", "--reverse", ref, "--",
                  *[p for p in paths if p]))
    found = []
    for line in out.splitlines():
        sha, when, subject = (line.split("\t", 2) + ["", ""])[:3]
        if sha:
            found.append(Commit(sha, dt.datetime.fromisoformat(when), subject))
    return found


def sample(found: Sequence[Commit], every: str) -> list[Commit]:
    """``commit``: all; ``day`` / ``week`` (ISO week): the last commit of each period."""
    if every == "commit":
        return list(found)
    last: dict[tuple[int, ...], Commit] = {}
    for c in found:
        key: tuple[int, ...] = ((c.day.toordinal(),) if every == "day"
                                else tuple(c.day.isocalendar())[:2])
        last[key] = c  # oldest first: the last one of a period wins
    return sorted(last.values(), key=lambda c: c.when)

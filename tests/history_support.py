"""A Git repository with a scripted readiness history, for the history, --compare and trend
tests: three services, twelve commits that raise and lower readiness (one of them changes only
the policy), and one commit that touches nothing the history reads.

Rules (policy v1): ``repository`` bronze, ``tags`` silver, ``release.tickets`` gold; policy v2
(commit 9) moves the tickets rule to silver. Each missing field is one gap. The hand-computed
levels and gaps of every commit are in ``EXPECTED``.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

TEAMS = """teams:
  - id: red
    name: Red team
  - id: blue
    name: Blue team
"""


def policy_text(tickets_level: str) -> str:
    """The policy file: v1 (tickets at gold) or v2 (tickets at silver)."""
    return f"""extends: none
name: history test policy
required_levels: {{1: gold, 2: silver, 3: bronze}}
rules:
  - id: has-repository
    title: Source repository
    section: overview#identity
    level: bronze
    paths: [repository]
  - id: has-tags
    title: Tags
    section: overview#identity
    level: silver
    paths: [tags]
  - id: has-tickets
    title: Tracking tickets
    section: overview#tickets
    level: {tickets_level}
    paths: [release.tickets]
"""


SERVICES = {"alpha": (1, "red"), "beta": (2, "red"), "gamma": (3, "blue")}


def service_text(sid: str, fields: set[str]) -> str:
    """A service file with some of the three checked fields."""
    tier, team = SERVICES[sid]
    lines = [f"id: {sid}", f"name: {sid.capitalize()}", f"tier: {tier}",
             "lifecycle: production", f"owner: {team}",
             f"description: {sid.capitalize()} does one thing well."]
    if "repo" in fields:
        lines.append(f"repository: https://git.example.com/{team}/{sid}")
    if "tags" in fields:
        lines.append("tags: [core]")
    if "tickets" in fields:
        lines += ["release:", "  tickets:", f"    - {{id: {sid.upper()}-1, title: Launch}}"]
    return "\n".join(lines) + "\n"


# (subject, policy version, fields per service); the state *after* each commit.
STEPS: list[tuple[str, int, dict[str, set[str]]]] = [
    ("start", 1, {"alpha": set(), "beta": set(), "gamma": set()}),
    ("alpha repo", 1, {"alpha": {"repo"}, "beta": set(), "gamma": set()}),
    ("beta repo tags", 1, {"alpha": {"repo"}, "beta": {"repo", "tags"}, "gamma": set()}),
    ("alpha gold", 1, {"alpha": {"repo", "tags", "tickets"}, "beta": {"repo", "tags"},
                       "gamma": set()}),
    ("gamma repo", 1, {"alpha": {"repo", "tags", "tickets"}, "beta": {"repo", "tags"},
                       "gamma": {"repo"}}),
    ("alpha loses tickets", 1, {"alpha": {"repo", "tags"}, "beta": {"repo", "tags"},
                                "gamma": {"repo"}}),
    ("beta gold", 1, {"alpha": {"repo", "tags"}, "beta": {"repo", "tags", "tickets"},
                      "gamma": {"repo"}}),
    ("gamma tags", 1, {"alpha": {"repo", "tags"}, "beta": {"repo", "tags", "tickets"},
                       "gamma": {"repo", "tags"}}),
    ("policy: tickets at silver", 2, {"alpha": {"repo", "tags"},
                                      "beta": {"repo", "tags", "tickets"},
                                      "gamma": {"repo", "tags"}}),
    ("gamma tickets", 2, {"alpha": {"repo", "tags"}, "beta": {"repo", "tags", "tickets"},
                          "gamma": {"repo", "tags", "tickets"}}),
    ("beta loses repo", 2, {"alpha": {"repo", "tags"}, "beta": {"tags", "tickets"},
                            "gamma": {"repo", "tags", "tickets"}}),
    ("alpha tickets", 2, {"alpha": {"repo", "tags", "tickets"}, "beta": {"tags", "tickets"},
                          "gamma": {"repo", "tags", "tickets"}}),
]
# Hand-computed: (level, gaps) of alpha, beta, gamma after each step.
EXPECTED: list[dict[str, tuple[str, int]]] = [
    {"alpha": ("none", 3), "beta": ("none", 3), "gamma": ("none", 3)},
    {"alpha": ("bronze", 2), "beta": ("none", 3), "gamma": ("none", 3)},
    {"alpha": ("bronze", 2), "beta": ("silver", 1), "gamma": ("none", 3)},
    {"alpha": ("gold", 0), "beta": ("silver", 1), "gamma": ("none", 3)},
    {"alpha": ("gold", 0), "beta": ("silver", 1), "gamma": ("bronze", 2)},
    {"alpha": ("silver", 1), "beta": ("silver", 1), "gamma": ("bronze", 2)},
    {"alpha": ("silver", 1), "beta": ("gold", 0), "gamma": ("bronze", 2)},
    {"alpha": ("silver", 1), "beta": ("gold", 0), "gamma": ("silver", 1)},
    {"alpha": ("bronze", 1), "beta": ("gold", 0), "gamma": ("bronze", 1)},
    {"alpha": ("bronze", 1), "beta": ("gold", 0), "gamma": ("gold", 0)},
    {"alpha": ("bronze", 1), "beta": ("none", 1), "gamma": ("gold", 0)},
    {"alpha": ("gold", 0), "beta": ("none", 1), "gamma": ("gold", 0)},
]


def run_git(repo: Path, *args: str, day: int = 1) -> str:
    """``git args`` in ``repo`` with fixed author and dates (2026-01-<day>)."""
    when = f"2026-01-{day:02d}T12:00:00+00:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
           "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True,
                          check=True)
    return done.stdout.strip()


def write_state(repo: Path, version: int, fields: dict[str, set[str]]) -> None:
    """Write the policy and the catalog of one step into the work tree."""
    catalog = repo / "catalog"
    catalog.mkdir(parents=True, exist_ok=True)
    (catalog / "teams.yaml").write_text(TEAMS, encoding="utf-8")
    (repo / "policy.yaml").write_text(policy_text("gold" if version == 1 else "silver"),
                                      encoding="utf-8")
    for sid, have in fields.items():
        (catalog / f"{sid}.yaml").write_text(service_text(sid, have), encoding="utf-8")


def scripted_repo(repo: Path) -> list[str]:
    """Build the repository; the commit ids of the twelve steps, oldest first (one unrelated
    commit, touching only README.md, sits between steps 5 and 6)."""
    repo.mkdir(parents=True, exist_ok=True)
    run_git(repo, "init", "-q", "-b", "main")
    shas = []
    for day, (subject, version, fields) in enumerate(STEPS, start=1):
        write_state(repo, version, fields)
        run_git(repo, "add", "-A", day=day)
        run_git(repo, "commit", "-q", "-m", subject, day=day)
        shas.append(run_git(repo, "rev-parse", "HEAD"))
        if day == 5:
            (repo / "README.md").write_text("notes\n", encoding="utf-8")
            run_git(repo, "add", "-A", day=day)
            run_git(repo, "commit", "-q", "-m", "readme only", day=day)
    return shas


def fleet_of(state: dict[str, tuple[str, int]]) -> dict[str, Any]:
    """Hand computation of the fleet summary from the per-service table."""
    levels = dict.fromkeys(("none", "bronze", "silver", "gold"), 0)
    for level, _ in state.values():
        levels[level] += 1
    return {"levels": levels, "gaps": sum(g for _, g in state.values())}

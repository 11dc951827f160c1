"""``opsready init DIR``: a docs repository that builds at once with only ``pip install``.

Writes ``mkdocs.yml``, a catalog (``teams.yaml``, ``organisation.yaml``, one example service),
``docs/index.md``, a pre-commit configuration and CI workflows for GitHub Actions and GitLab CI.
An existing file is never replaced: it is reported and left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .model_base import SLUG_RE

TEMPLATES = Path(__file__).resolve().parent / "data" / "init"
FILES: tuple[tuple[str, str], ...] = (
    ("mkdocs.yml", "mkdocs.yml"),
    ("requirements.txt", "requirements.txt"),
    ("gitignore", ".gitignore"),
    ("index.md", "docs/index.md"),
    ("teams.yaml", "service_catalog/teams.yaml"),
    ("organisation.yaml", "service_catalog/organisation.yaml"),
    ("example-service.yaml", "service_catalog/example-service.yaml"),
    ("pre-commit-config.yaml", ".pre-commit-config.yaml"),
    ("github-docs.yml", ".github/workflows/docs.yml"),
    ("gitlab-ci.yml", ".gitlab-ci.yml"),
)
"""(template in data/init, destination in the new repository)."""


@dataclass(frozen=True)
class InitOptions:
    """What the new repository is called and which team owns the example service."""

    site_name: str = "Service documentation"
    team_id: str = "platform"
    team_name: str = "Platform team"


@dataclass
class InitReport:
    """Files written, files left alone because they existed, and files refused (path -> why)."""

    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    refused: dict[Path, str] = field(default_factory=dict)


def check_options(options: InitOptions) -> list[str]:
    """Problems that stop ``init`` (empty when it can run)."""
    problems = []
    if not SLUG_RE.match(options.team_id) or len(options.team_id) > 63:
        problems.append(f"team id '{options.team_id}' is not valid: use a-z, 0-9 and single "
                        "hyphens")
    for what, value in (("site name", options.site_name), ("team name", options.team_name)):
        if not value.strip() or any(c in value for c in "\n\r\"'{}:#"):
            problems.append(f"{what} {value!r}: give a plain name, without quotes, braces, "
                            "colons, '#' or line breaks")
    return problems


def render(template: str, options: InitOptions) -> str:
    """A template's text with the options filled in (only these three names are replaced)."""
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    for key, value in (("{site_name}", options.site_name), ("{team_id}", options.team_id),
                       ("{team_name}", options.team_name)):
        text = text.replace(key, value)
    return text


def init_site(target: Path, options: InitOptions) -> InitReport:
    """Write the files of a new docs repository under ``target``; never replace a file."""
    report = InitReport()
    for template, destination in FILES:
        path = target / destination
        linked = _linked_folder(target, destination)
        if linked is not None:
            report.refused[path] = (f"{linked} is a link: init writes only inside "
                                    f"{target}, never through a link")
            continue
        if path.exists() or path.is_symlink():
            report.kept.append(path)
            continue
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8") as handle:
                handle.write(render(template, options))
        except FileExistsError:  # appeared meanwhile
            report.kept.append(path)
            continue
        except OSError as exc:  # a folder that cannot be made or written (permissions, /proc)
            report.refused[path] = exc.strerror or str(exc)
            continue
        report.written.append(path)
    return report


def _linked_folder(target: Path, destination: str) -> Path | None:
    """The first folder of ``destination`` (below ``target``) that is a symbolic link."""
    folder = target
    for part in Path(destination).parts[:-1]:
        folder = folder / part
        if folder.is_symlink():
            return folder
    return None

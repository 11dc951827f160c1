"""``opsready init DIR``: a docs repository that builds at once with only ``pip install``.

Writes ``mkdocs.yml``, a catalog (``teams.yaml``, ``organisation.yaml``, one example service),
``docs/index.md``, a pre-commit configuration and CI workflows for GitHub Actions and GitLab CI.
An existing file is never replaced: it is reported and left as it is.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from ..model.base import SLUG_RE

TEMPLATES = Path(__file__).resolve().parent.parent / "data" / "init"
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
    notes: list[str] = field(default_factory=list)
    """What the user must do before CI works (e.g. replace the opsready requirement)."""


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


@dataclass(frozen=True)
class Requirement:
    """How the new repository installs opsready: the line of ``requirements.txt``, the comment
    above it, and a wheel to copy into the repository (``vendor/``) so CI can install it."""

    line: str
    comment: str = ""
    wheel: Path | None = None


def install_source(version: str, direct_url: dict[str, Any] | None) -> Requirement:
    """The requirement that installs this opsready the way the running one was installed
    (``direct_url.json`` of its distribution, PEP 610): from a VCS URL at the same revision, a
    local wheel (copied into ``vendor/``), a local folder (to be replaced: CI cannot reach it),
    or an index (pinned to ``version``)."""
    if not direct_url or not isinstance(direct_url.get("url"), str):
        return Requirement(f"opsready=={version}", "# opsready from the package index, pinned "
                           "to the version that wrote this file.")
    url: str = direct_url["url"]
    vcs = direct_url.get("vcs_info")
    if isinstance(vcs, dict):
        rev = vcs.get("requested_revision") or vcs.get("commit_id")
        at = f"@{rev}" if rev else ""
        return Requirement(f"opsready @ {vcs.get('vcs', 'git')}+{url}{at}",
                           f"# opsready from its Git repository (version {version}).")
    parsed = urlparse(url)
    local = Path(unquote(parsed.path)) if parsed.scheme == "file" else None
    if local is not None and local.suffix == ".whl" and local.is_file():
        return Requirement(f"./vendor/{local.name}",
                           f"# opsready {version} from a wheel, copied into vendor/ so CI can "
                           "install it;\n# once opsready is on your package index, replace "
                           f"this line with: opsready=={version}", wheel=local)
    where = str(local) if local is not None else url
    return Requirement(
        f"opsready=={version}",
        f"# REPLACE THE NEXT LINE: opsready was installed from {where}, which CI cannot\n"
        "# reach. Use one of:\n"
        f"#   opsready @ git+https://<your git host>/<group>/opsready.git@v{version}\n"
        f"#   ./vendor/opsready-{version}-py3-none-any.whl   (python -m pip wheel <checkout> "
        "--no-deps -w vendor)\n"
        f"#   opsready=={version}   (once it is on your package index; this line until then)")


def running_install_source() -> Requirement:
    """``install_source`` of the opsready that runs this code."""
    import importlib.metadata

    from .. import __version__

    try:
        text = importlib.metadata.distribution("opsready").read_text("direct_url.json")
        direct = json.loads(text) if text else None
    except (importlib.metadata.PackageNotFoundError, ValueError):
        direct = None
    return install_source(__version__, direct if isinstance(direct, dict) else None)


def requirements_text(requirement: Requirement) -> str:
    """``requirements.txt`` of the new repository."""
    text = (TEMPLATES / "requirements.txt").read_text(encoding="utf-8")
    comment = requirement.comment + "\n" if requirement.comment else ""
    return text.replace("{opsready_requirement}", comment + requirement.line)


def init_site(target: Path, options: InitOptions,
              requirement: Requirement | None = None) -> InitReport:
    """Write the files of a new docs repository under ``target``; never replace a file.
    ``requirement``: how it installs opsready (default: the way this one was installed)."""
    report = InitReport()
    requirement = requirement or running_install_source()
    if requirement.comment.startswith("# REPLACE"):
        report.notes.append("requirements.txt: opsready was installed from a local folder that "
                            "CI cannot reach: replace its line as the comment above it says")
    if requirement.wheel is not None:
        _copy_wheel(target, requirement.wheel, report)
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
                handle.write(requirements_text(requirement) if template == "requirements.txt"
                             else render(template, options))
        except FileExistsError:  # appeared meanwhile
            report.kept.append(path)
            continue
        except OSError as exc:  # a folder that cannot be made or written (permissions, /proc)
            report.refused[path] = exc.strerror or str(exc)
            continue
        report.written.append(path)
    return report


def _copy_wheel(target: Path, wheel: Path, report: InitReport) -> None:
    path = target / "vendor" / wheel.name
    if _linked_folder(target, f"vendor/{wheel.name}") is not None:
        report.refused[path] = "vendor is a link: init writes only inside the folder"
    elif path.exists() or path.is_symlink():
        report.kept.append(path)
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(wheel, path)
            report.written.append(path)
        except OSError as exc:
            report.refused[path] = exc.strerror or str(exc)


def _linked_folder(target: Path, destination: str) -> Path | None:
    """The first folder of ``destination`` (below ``target``) that is a symbolic link."""
    folder = target
    for part in Path(destination).parts[:-1]:
        folder = folder / part
        if folder.is_symlink():
            return folder
    return None

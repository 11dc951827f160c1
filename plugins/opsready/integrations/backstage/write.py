"""Write an import plan as catalog files: never over an existing file, each skip reported."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ...catalog.load import ORGANISATION_FILE, TEAMS_FILE
from ...catalog.yaml_loader import load_yaml
from .mapping import ImportPlan, label

HEADER = "# Imported from Backstage ({where}) by `opsready import backstage`.\n"


@dataclass
class WriteReport:
    """What was written, what was skipped and why, and entries to add by hand."""

    written: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    merged: list[tuple[Path, str]] = field(default_factory=list)
    """Existing files entries were added to (path, what was added)."""
    teams_to_add: str = ""


def dump(data: Any) -> str:
    """YAML text as a person would write it: keys in our order, Unicode kept."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100,
                          default_flow_style=False)


def _write_new(path: Path, text: str, report: WriteReport) -> None:
    try:
        with path.open("x", encoding="utf-8") as handle:  # "x": never replace a file
            handle.write(text)
    except FileExistsError:
        report.skipped.append((path, "exists: not overwritten"))
        return
    report.written.append(path)


def _existing_ids(path: Path) -> tuple[set[str], set[str]]:
    loaded, _ = load_yaml(path)
    data = loaded.data if loaded is not None and isinstance(loaded.data, dict) else {}
    ids = [{str(x.get("id")) for x in data.get(key) or [] if isinstance(x, dict)}
           for key in ("teams", "contacts")]
    return ids[0], ids[1]


def _teams(plan: ImportPlan, out: Path, report: WriteReport) -> None:
    path = out / TEAMS_FILE
    teams, contacts = list(plan.teams.values()), list(plan.contacts.values())
    if not path.exists():
        _write_new(path, HEADER.format(where="Groups and Users") + dump(
            {"teams": teams, **({"contacts": contacts} if contacts else {})}), report)
        return
    have_teams, have_contacts = _existing_ids(path)
    missing = {"teams": [t for t in teams if t["id"] not in have_teams],
               "contacts": [c for c in contacts if c["id"] not in have_contacts]}
    missing = {k: v for k, v in missing.items() if v}
    if not missing:
        report.skipped.append((path, "exists: every team and contact is already there"))
        return
    merged = _merged(path, missing)
    if merged is None:
        report.skipped.append((path, "exists and could not be extended as text: add the "
                               "entries printed below"))
        report.teams_to_add = dump(missing)
        return
    path.write_text(merged, encoding="utf-8")
    report.merged.append((path, ", ".join(f"{len(v)} {k}" for k, v in missing.items())))


def _merged(path: Path, missing: dict[str, list[dict[str, Any]]]) -> str | None:
    """teams.yaml with the missing entries appended to its lists, in the file's indentation,
    every existing entry and comment as it was; None when that cannot be done safely."""
    from ...catalog.yaml_edit import edit_list

    text: str | None = path.read_text(encoding="utf-8")
    before = yaml.safe_load(text or "") or {}
    for key, items in missing.items():
        text = edit_list(text, key, items) if text is not None else None
    if text is None:
        return None
    try:  # the result must read back as the old entries plus the new ones, nothing else
        after = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    for key in ("teams", "contacts"):
        if (after.get(key) or []) != (before.get(key) or []) + missing.get(key, []):
            return None
    return text


def _needs_inline_externals(plan: ImportPlan, out: Path) -> bool:
    return (out / ORGANISATION_FILE).exists() and bool(plan.external_systems)


def _organisation(plan: ImportPlan, out: Path, report: WriteReport) -> None:
    if not plan.external_systems and not plan.organisation_name:
        return
    path = out / ORGANISATION_FILE
    if path.exists():
        report.skipped.append((path, "exists: not changed (external systems are described in "
                               "each service's dependencies instead)"))
        return
    data: dict[str, Any] = {}
    if plan.organisation_name:
        data["name"] = plan.organisation_name
    if plan.external_systems:
        data["external_systems"] = list(plan.external_systems.values())
    _write_new(path, HEADER.format(where="Resources") + dump(data), report)


def _service_text(plan: ImportPlan, sid: str, inline: bool) -> str:
    service = plan.services[sid]
    if inline and "architecture" in service:
        deps = []
        for dep in service["architecture"]["dependencies"]:
            system = plan.external_systems.get(dep.get("external", ""))
            if system and "name" not in dep:
                dep = {**dep, "name": system["name"],
                       **({"kind": system["kind"]} if "kind" in system else {})}
            deps.append(dep)
        service = {**service, "architecture": {"dependencies": deps}}
    origin = plan.origin[sid]
    notes = plan.notes.get(label(origin), [])
    text = HEADER.format(where=origin.where)
    if notes:
        text += "# Not mapped or changed on the way:\n" + "".join(
            f"#   - {' '.join(n.splitlines())}\n" for n in notes)
    return text + dump(service)


def write_plan(plan: ImportPlan, out: Path) -> WriteReport:
    """Write the plan's files under ``out`` (created if missing); never overwrite a file."""
    report = WriteReport()
    out.mkdir(parents=True, exist_ok=True)
    inline = _needs_inline_externals(plan, out)
    _teams(plan, out, report)
    _organisation(plan, out, report)
    for sid in plan.services:
        folder_form = out / sid / "service.yaml"
        if folder_form.exists():
            report.skipped.append((folder_form, "exists: not overwritten"))
            continue
        _write_new(out / f"{sid}.yaml", _service_text(plan, sid, inline), report)
    return report

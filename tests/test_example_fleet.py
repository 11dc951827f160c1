"""The embedded example fleet (`service_catalog/`) is valid, varied and realistic.

The example site is built from this folder, so it must load without a single diagnostic, use
both catalog layouts, carry the editor schema line, and show a real spread of readiness: the
tier-1 services complete, one experimental tier-3 service deliberately thin.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from opsready.catalog.fleet import CatalogResult
from opsready.model import Service
from opsready.model.base import FileRef
from opsready.model.document_sections import SECTIONS

ROOT = Path(__file__).resolve().parent.parent
FLEET = ROOT / "service_catalog"
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")
# The fleet is plain data shown on every page: no template syntax, no raw HTML tags.
JINJA = re.compile(r"\{\{|\{%|\{#")
HTML_TAG = re.compile(r"<[A-Za-z!/?]")
# The date the fleet's review dates were written against (see the task brief).
FLEET_TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def result(example_catalog: CatalogResult) -> CatalogResult:
    return example_catalog


@pytest.fixture(scope="module")
def services(result: CatalogResult) -> dict[str, Service]:
    return dict(result.catalog.services)


def _yaml_files() -> list[Path]:
    return sorted(p for p in FLEET.rglob("*") if p.suffix in (".yaml", ".yml"))


def _resolve(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part, None)
    return obj


def _filled(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, (list, tuple, str)):
        return bool(value)
    return True


def _applicable(service: Service) -> list[list[str]]:
    """The service paths of each section that applies (billing only to billed services)."""
    found = []
    for section in SECTIONS:
        paths = [p for p in section.paths if p.split(".")[0] in Service.model_fields]
        if paths and (section.anchor != "billing" or service.flags.billed):
            found.append(paths)
    return found


def filled_sections(service: Service) -> int:
    """How many sections of the generated documents have content (or a written N/A)."""
    return sum(any(_filled(_resolve(service, p)) for p in paths)
               for paths in _applicable(service))


def _file_refs(obj: Any) -> Iterator[FileRef]:
    if isinstance(obj, FileRef):
        yield obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _file_refs(getattr(obj, name))
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from _file_refs(item)


def test_fleet_loads_without_any_diagnostic(result: CatalogResult) -> None:
    assert result.diagnostics == []
    assert result.ok


def test_fleet_size_tiers_and_teams(result: CatalogResult, services: dict[str, Service]) -> None:
    assert len(services) >= 8
    assert {s.tier for s in services.values()} == {1, 2, 3}
    assert len(result.catalog.teams) >= 2
    owners = {s.owner for s in services.values()}
    assert owners == set(result.catalog.teams), "every team owns at least one service"
    assert [s.id for s in result.catalog.organisation.severity_scale] == [
        "SEV-1", "SEV-2", "SEV-3", "SEV-4", "SEV-5"]


def test_both_layouts_are_used(result: CatalogResult) -> None:
    files = {sid: Path(src.loaded.path) for sid, src in result.catalog.sources.items()}
    flat = [sid for sid, p in files.items() if p.parent == FLEET and p.stem == sid]
    folders = [sid for sid, p in files.items() if p.name == "service.yaml"
               and p.parent.name == sid]
    assert flat and folders
    assert len(flat) + len(folders) == len(files)


def test_folder_services_keep_long_prose_in_markdown(services: dict[str, Service],
                                                     result: CatalogResult) -> None:
    used: set[Path] = set()
    for sid, service in services.items():
        refs = list(_file_refs(service))
        for ref in refs:
            assert ref.text.strip(), f"{sid}: {ref.file} is empty"
            used.add(Path(ref.path))
        if Path(result.catalog.sources[sid].loaded.path).name == "service.yaml":
            assert len(refs) >= 2, f"{sid} uses the folder layout but no Markdown files"
    on_disk = {p.resolve() for p in FLEET.rglob("*.md")}
    assert on_disk == used, "every Markdown file of the fleet is referenced by its service"


@pytest.mark.parametrize("path", _yaml_files(), ids=lambda p: str(p.relative_to(FLEET)))
def test_every_yaml_file_names_its_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = SCHEMA_LINE.match(first)
    assert match, f"{path.name}: first line must be the yaml-language-server schema comment"
    kind = {"teams.yaml": "teams", "organisation.yaml": "organisation"}.get(path.name, "service")
    assert match.group(1).endswith(f"schema/{kind}.schema.json")
    assert (path.parent / match.group(1)).resolve() == ROOT / "schema" / f"{kind}.schema.json"


def test_fleet_text_holds_no_template_syntax_or_html() -> None:
    for path in sorted(FLEET.rglob("*")):
        if path.suffix not in (".yaml", ".md"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not JINJA.search(line), f"{path.name}:{number}: template syntax"
            assert not HTML_TAG.search(line), f"{path.name}:{number}: raw HTML"


def test_alert_names_are_unique_across_the_fleet(services: dict[str, Service]) -> None:
    names = [a.name for s in services.values() for a in s.alerts]
    assert len(names) == len(set(names))
    for service in services.values():
        if service.tier == 1:
            assert 3 <= len(service.alerts) <= 6, service.id


def test_tier_one_complete_and_one_tier_three_service_thin(services: dict[str, Service]) -> None:
    tier1 = {sid: filled_sections(s) for sid, s in services.items() if s.tier == 1}
    for sid, filled in tier1.items():
        assert filled == len(_applicable(services[sid])), sid
    thin = [sid for sid, s in services.items()
            if s.tier == 3 and filled_sections(s) * 4 <= min(tier1.values())]
    assert thin, "one tier-3 service must be far less complete than the tier-1 ones"


def test_tier_one_sections_were_reviewed_recently(services: dict[str, Service]) -> None:
    sections = ("architecture", "security", "business", "ops_requirements", "service_guide",
                "testing", "operations", "observability", "runbook", "incident_response",
                "release")
    for service in services.values():
        if service.tier != 1:
            continue
        for name in sections:
            reviewed = getattr(service, name).last_reviewed
            assert reviewed is not None, f"{service.id}.{name}"
            assert 0 <= (FLEET_TODAY - reviewed).days <= 90, f"{service.id}.{name}: {reviewed}"


def test_readiness_spread_of_the_fleet(result: CatalogResult) -> None:
    from opsready.policy import evaluate, load_policy

    loaded = load_policy()
    assert loaded.policy is not None, loaded.diagnostics
    evaluation = evaluate(result.catalog, loaded.policy, FLEET_TODAY)
    assert evaluation.diagnostics == []
    # The example site must build: no enforced service is below its tier's level...
    assert evaluation.ok, [r.id for r in evaluation.below_required()]
    levels = {sid: r.achieved.label for sid, r in evaluation.services.items()}
    for sid, service in result.catalog.services.items():
        if service.tier == 1:
            assert levels[sid] == "gold", sid
    # ...and the scorecard has something to show: a service that reaches no level at all.
    assert "none" in levels.values(), levels

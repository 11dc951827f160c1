"""Templates and assets are read only from inside their folder, after resolving links; templates
see plain data (no model methods, no file access) — issue #10 items 2 and 3."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import BuildFailed, rich_catalog, write_files
from conftest import build_site_cached as build_site
from opsready.catalog.fleet import Catalog
from opsready.catalog.load import load_catalog
from opsready.output.site_paths import SitePaths
from opsready.pages import (
    PACKAGED_DIR,
    RenderInputs,
    TemplateError,
    TemplateSet,
    generate_pages,
    make_environment,
    plan_pages,
)

SECRET = "TOP-SECRET-outside-the-folder"


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    result = load_catalog(write_files(tmp_path_factory.mktemp("cat"), rich_catalog()))
    assert result.ok, result.diagnostics
    return result.catalog


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "elsewhere" / "secret.md"
    secret.parent.mkdir()
    secret.write_text(f"{SECRET}\n", encoding="utf-8")
    return secret


def render_template_pages(catalog: Catalog, site_dir: Path, template: str) -> dict[str, str]:
    """The pages made from ``template`` with the site's templates in ``site_dir`` (the other
    pages are left out: compiling every default template for each case is the cost)."""
    inputs = RenderInputs(catalog, SitePaths())
    plan = [p for p in plan_pages(catalog, inputs.paths) if p.template == template]
    assert plan, f"no page uses {template}"
    return {f.src_path: str(f.content)
            for f in generate_pages(make_environment(site_dir), inputs, plan)}


# --- item 2: links out of the templates folder ------------------------------------------------

@pytest.mark.parametrize("target", ["outside", "/proc/self/environ"])
def test_a_template_linking_outside_its_folder_is_refused(catalog: Catalog, tmp_path: Path,
                                                          outside: Path, target: str) -> None:
    site = tmp_path / "templates"
    site.mkdir()
    (site / "runbook.md.j2").symlink_to(outside if target == "outside" else Path(target))
    with pytest.raises(TemplateError) as refused:
        render_template_pages(catalog, site, "runbook.md.j2")
    message = str(refused.value)
    assert "templates/runbook.md.j2" in message and "outside the templates folder" in message
    assert SECRET not in message


def test_an_asset_linking_outside_its_folder_is_refused(tmp_path: Path, outside: Path) -> None:
    site = tmp_path / "templates"
    (site / "assets").mkdir(parents=True)
    (site / "assets" / "print.css").symlink_to(outside)
    with pytest.raises(TemplateError, match=r"assets/print\.css: refused.*outside"):
        make_environment(site).source("assets/print.css")


def test_a_link_inside_the_folder_is_read(catalog: Catalog, tmp_path: Path) -> None:
    site = tmp_path / "templates"
    (site / "mine").mkdir(parents=True)
    (site / "mine" / "runbook.md.j2").write_text('{% extends "default/runbook.md.j2" %}\n'
                                                 "{% block on_call %}LINKED-INSIDE{% endblock %}\n")
    (site / "runbook.md.j2").symlink_to(site / "mine" / "runbook.md.j2")
    assert "LINKED-INSIDE" in render_template_pages(catalog, site,
                                         "runbook.md.j2")["services/checkout/runbook.md"]


def test_the_built_site_refuses_a_linked_asset(tmp_path: Path, outside: Path) -> None:
    templates = tmp_path / "templates" / "assets"
    templates.mkdir(parents=True)
    os.symlink(outside, templates / "services-filter.js")
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path, rich_catalog())
    log = "\n".join(failed.value.errors + failed.value.warnings + [str(failed.value.cause)])
    assert "templates/assets/services-filter.js: refused" in log
    site = tmp_path / "site"
    published = [p for p in site.rglob("*") if p.is_file()] if site.exists() else []
    assert not any(SECRET in p.read_text(errors="replace") for p in published)


# --- item 3: templates see plain data ---------------------------------------------------------

def exploit(base: Path) -> str:
    """The exploit of the issue: a model method given a chosen base folder reads a file."""
    data = ('{"id": "x", "name": "X", "tier": 3, "lifecycle": "experimental", "owner": "platform",'
            ' "description": {"file": "secret.md"}}')
    ctx = f'{{"base_dir": "{base}", "catalog_root": "/"}}'
    return f"{{{{ service.model_validate({data}, context={ctx}).description.text }}}}\n"


@pytest.mark.parametrize("template", [
    "EXPLOIT",
    "{{ service.model_dump() }}",
    "{{ service.model_copy(update={'name': 'x'}).name }}",
    "{{ (service.alerts|first).model_validate_json('{}') }}",
    "{{ service.__class__ }}",
    "{{ service|attr('model_validate') }}",
    "{{ service['model_construct'] }}",
    "{{ organisation.model_fields_set }}",
])
def test_templates_cannot_call_model_methods(catalog: Catalog, tmp_path: Path, outside: Path,
                                              template: str) -> None:
    site = write_files(tmp_path / "templates", {
        "overview.md.j2": exploit(outside.parent) if template == "EXPLOIT" else template})
    with pytest.raises(TemplateError) as refused:
        render_template_pages(catalog, site, "overview.md.j2")
    message = str(refused.value)
    assert "SecurityError" in message or "UndefinedError" in message, message
    assert "templates/overview.md.j2" in message or "overview.md.j2" in message
    assert SECRET not in message


def test_templates_still_read_fields_and_properties(catalog: Catalog, tmp_path: Path) -> None:
    site = write_files(tmp_path / "templates", {"overview.md.j2": (
        "{% if service.id == 'checkout' %}{{ service.name }}|{{ service.description.text }}|"
        "{{ service.alerts|length }}|"
        "{{ fleet.team_services('payments')|map(attribute='id')|join(',') }}{% endif %}\n")})
    page = render_template_pages(catalog, site, "overview.md.j2")["services/checkout/index.md"]
    assert "Checkout|Checkout \\*\\*takes\\*\\* the basket." in page
    assert "|ledger" in page or ",ledger" in page


def test_every_default_template_renders_in_the_sandbox(catalog: Catalog,
                                                       packaged_templates: TemplateSet) -> None:
    inputs = RenderInputs(catalog, SitePaths())
    pages = {f.src_path: str(f.content) for f in generate_pages(packaged_templates, inputs)}
    planned = {p.src_path for p in plan_pages(catalog, SitePaths())}
    assert set(pages) == planned
    templates = {p.relative_to(PACKAGED_DIR).as_posix() for p in PACKAGED_DIR.rglob("*.md.j2")}
    used = {p.template for p in plan_pages(catalog, SitePaths())}
    assert used <= templates and len(used) >= 9
    assert all("Not documented" not in pages[f"services/checkout/{d}.md"]
               for d in ("runbook", "ops-guide"))


def test_remembered_attribute_decisions_are_the_decisions_made_fresh() -> None:
    # The sandbox remembers its answer per (type, attribute) for instances; asked in any order,
    # it answers as a sandbox that never saw the object before, and never lets a class through
    # because an instance of it was allowed.
    from opsready.model import Service
    from opsready.pages.sandbox import PlainDataSandbox

    service = Service.model_validate({"id": "svc", "name": "Svc", "owner": "team", "tier": 1,
                                      "description": "A service.", "lifecycle": "production"})

    def fn() -> None: ...

    cases = [(service, "name"), (service, "model_validate"), (service, "model_copy"),
             (service, "_private"), (Service, "name"), (Service, "model_validate"),
             ({}, "keys"), ({}, "clear"), ([], "append"), ([], "index"), ("x", "upper"),
             (fn, "__code__"), (fn, "__name__"), (dict, "fromkeys")]
    warm = PlainDataSandbox()
    for order in (cases, cases[::-1], cases):
        for obj, attr in order:
            fresh = PlainDataSandbox().is_safe_attribute(obj, attr, None)
            assert warm.is_safe_attribute(obj, attr, None) is fresh, (obj, attr)
    assert warm.is_safe_attribute(service, "name", None)
    assert not warm.is_safe_attribute(Service, "name", None)
    assert not warm.is_safe_attribute(service, "model_validate", None)

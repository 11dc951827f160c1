"""A site's templates folder overrides one template, one block or one partial of the packaged
defaults, and nothing else; broken templates fail the build with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BuildFailed, BuiltSite, rich_catalog
from conftest import build_site_cached as build_site

pytestmark = pytest.mark.build  # every test builds a site


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_site(tmp_path_factory.mktemp("baseline"), rich_catalog())


def articles(site: BuiltSite) -> dict[str, str]:
    """Page URL -> the HTML of its content, for every page of the site."""
    out = {}
    for path in sorted(site.site_dir.rglob("index.html")):
        url = path.parent.relative_to(site.site_dir).as_posix()
        out[url] = str(site.article(url if url != "." else ""))
    return out


def changed(baseline: BuiltSite, other: BuiltSite) -> set[str]:
    before, after = articles(baseline), articles(other)
    assert before.keys() == after.keys()
    return {url for url in before if before[url] != after[url]}


def test_overriding_one_template_changes_only_its_pages(baseline: BuiltSite,
                                                        tmp_path: Path) -> None:
    template = "# {{ service.name }} runbook, our way\n\nCall {{ party(service.owner) }}.\n"
    site = build_site(tmp_path, rich_catalog(), templates_files={"runbook.md.j2": template})
    assert changed(baseline, site) == {"services/checkout/runbook", "services/ledger/runbook"}
    text = site.article("services/checkout/runbook/").get_text(" ", strip=True)
    assert text.startswith("Checkout runbook, our way Call Payments Team.")


def test_overriding_one_block_keeps_the_rest_of_the_page(baseline: BuiltSite,
                                                         tmp_path: Path) -> None:
    template = ('{% extends "default/runbook.md.j2" %}\n'
                '{% block on_call %}\n## Who is on call { #on-call }\n\n'
                'See the {{ service.name }} calendar.\n{% endblock %}\n')
    site = build_site(tmp_path, rich_catalog(), templates_files={"runbook.md.j2": template})
    assert changed(baseline, site) == {"services/checkout/runbook", "services/ledger/runbook"}
    url = "services/checkout/runbook/"
    assert site.headings(url) == {**baseline.headings(url), "on-call": "Who is on call"}
    assert site.section_text(url, "on-call") == "See the Checkout calendar."
    assert site.section_text(url, "escalation") == baseline.section_text(url, "escalation")


def test_overriding_a_partial_changes_it_everywhere(tmp_path: Path) -> None:
    site = build_site(tmp_path, rich_catalog(),
                      templates_files={"partials/not-documented.md.j2": "_Ask the owners._\n"})
    assert site.section_text("services/ledger/runbook/", "on-call") == "Ask the owners."
    assert site.section_text("services/ledger/architecture/", "network") == "Ask the owners."


def test_a_template_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    broken = "# Title\n\n{% if service.tier %}\nno endif\n"
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path, rich_catalog(), templates_files={"ops-guide.md.j2": broken})
    message = "\n".join(failed.value.errors)
    assert "ops-guide.md.j2:" in message and "template syntax error" in message
    assert "Traceback" not in message


def test_an_undefined_name_in_a_template_names_file_and_line(tmp_path: Path) -> None:
    broken = "# Title\n\nline two\n{{ service.no_such_field }}\n"
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path, rich_catalog(), templates_files={"ops-guide.md.j2": broken})
    message = "\n".join(failed.value.errors)
    assert "templates/ops-guide.md.j2:4" in message
    assert "no_such_field" in message


def test_templates_run_in_a_sandbox(tmp_path: Path) -> None:
    escape_attempt = "{{ service.__class__.__mro__ }}\n"
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path, rich_catalog(), templates_files={"ops-guide.md.j2": escape_attempt})
    assert "SecurityError" in "\n".join(failed.value.errors)


def test_an_explicit_templates_dir_must_exist(tmp_path: Path) -> None:
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path, rich_catalog(), opsready={"templates_dir": "nowhere"})
    assert "templates_dir 'nowhere' does not exist" in "\n".join(failed.value.errors) + str(
        failed.value.cause)

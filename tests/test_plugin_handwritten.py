"""Hand-written pages beside generated ones: placement, clashes, unknown services; and how
catalog problems reach the build log."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BuildFailed, catalog_with, service_yaml
from conftest import build_site_cached as build_site

pytestmark = pytest.mark.build  # every test builds a site

CATALOG = catalog_with(api=service_yaml("api", "API"))
HAND_RUNBOOK = "# Our own runbook\n\nCall Bob.\n"


def test_hand_written_page_wins_a_clash_and_the_build_names_both(tmp_path: Path) -> None:
    docs = {"index.md": "# Home\n", "services/api/runbook.md": HAND_RUNBOOK}
    site = build_site(tmp_path, CATALOG, docs_files=docs, strict=False,
                      expect_warnings=[r"hand-written page docs/services/api/runbook\.md replaces "
                                       r"the page generated from .*service_catalog/api\.yaml"])
    assert "Call Bob." in site.article("services/api/runbook/").text
    labels = site.nav_labels("services/api/")
    assert "Our own runbook" in labels and "NOC runbook" not in labels


def test_a_clash_fails_a_strict_build(tmp_path: Path) -> None:
    docs = {"index.md": "# Home\n", "services/api/runbook.md": HAND_RUNBOOK}
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path, CATALOG, docs_files=docs)
    assert any("replaces the page generated" in w for w in failed.value.warnings)


def test_a_deliberate_replacement_is_only_noted(tmp_path: Path) -> None:
    page = "---\nopsready_replaces_generated: true\n---\n\n" + HAND_RUNBOOK
    docs = {"index.md": "# Home\n", "services/api/runbook.md": page}
    site = build_site(tmp_path, CATALOG, docs_files=docs)
    assert "Call Bob." in site.article("services/api/runbook/").text
    assert any("replaces the page generated" in m for m in site.infos)


def test_generated_page_can_be_chosen_to_win(tmp_path: Path) -> None:
    docs = {"index.md": "# Home\n", "services/api/runbook.md": HAND_RUNBOOK}
    site = build_site(tmp_path, CATALOG, docs_files=docs, strict=False,
                      opsready={"hand_written_wins": False},
                      expect_warnings=[r"hand-written page docs/services/api/runbook\.md is not "
                                       r"published"])
    text = site.article("services/api/runbook/").text
    assert "Call Bob." not in text and "Escalation contacts" in text


def test_hand_written_page_of_an_unknown_service_is_reported(tmp_path: Path) -> None:
    docs = {"index.md": "# Home\n", "services/nope/notes.md": "# Notes\n"}
    site = build_site(tmp_path, CATALOG, docs_files=docs, strict=False,
                      expect_warnings=[r"docs/services/nope/notes\.md: no service 'nope'"])
    assert site.exists("services/nope/notes/")


def test_hand_written_pages_join_their_service_section_in_order(tmp_path: Path) -> None:
    docs = {"index.md": "# Home\n",
            "services/api/b-later.md": "# Zeta notes\n",
            "services/api/a-first.md": "---\ntitle: Alpha notes\n---\n\nText.\n"}
    site = build_site(tmp_path, CATALOG, docs_files=docs)
    labels = site.nav_labels("services/api/a-first/")
    own = labels[labels.index("API"):]
    assert own[:8] == ["API", "Service guide", "Operators handbook", "Ops guide", "NOC runbook",
                       "Architecture", "Alpha notes", "Zeta notes"]
    overview = {a.get_text(): a["href"] for a in site.article("services/api/").select("a")}
    assert overview["Alpha notes"] == "a-first/" and overview["Zeta notes"] == "b-later/"


def test_catalog_errors_are_logged_one_per_problem_and_abort(tmp_path: Path) -> None:
    catalog = catalog_with(api=service_yaml("api", tier=7, owner="nobody"))
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path, catalog)
    errors = failed.value.errors
    assert any(e.startswith("opsready: service_catalog/api.yaml:4:7: tier: ") for e in errors)
    assert errors[-1].startswith("opsready: the catalog in ")
    assert any(e.startswith("opsready: service_catalog/api.yaml:6:8: owner: unknown team "
                            "'nobody'") for e in errors)
    assert errors[-1].endswith("has 2 errors (listed above)")


def test_a_missing_catalog_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path, {}, opsready={"catalog_dir": "elsewhere"})
    assert "catalog_dir 'elsewhere' does not exist" in str(failed.value.cause.__cause__ or "") + \
        "\n".join(failed.value.errors)

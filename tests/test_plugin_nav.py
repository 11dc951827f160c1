"""Navigation: small per-page views for big fleets, a site's own ``nav:``, the ``prefix``."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BuiltSite, catalog_with, service_yaml
from conftest import build_site_cached as build_site

pytestmark = pytest.mark.build  # every test builds a site

FLEET = catalog_with(**{f"svc{i}": service_yaml(f"svc{i}", f"Service {i}") for i in range(4)})
SERVICE_NAMES = [f"Service {i}" for i in range(4)]


FOOTER = {"theme": {"features": ["navigation.indexes", "navigation.prune", "navigation.footer"]}}


@pytest.fixture(scope="module")
def trimmed(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_site(tmp_path_factory.mktemp("trimmed"), FLEET, FOOTER,
                      opsready={"nav_max_services": 2})


def listed_services(site: BuiltSite, url: str) -> list[str]:
    return [label for label in site.nav_labels(url) if label in SERVICE_NAMES]


def test_above_the_limit_a_page_lists_only_its_own_service(trimmed: BuiltSite) -> None:
    assert listed_services(trimmed, "services/svc2/runbook/") == ["Service 2"]
    labels = trimmed.nav_labels("services/svc2/runbook/")
    assert {"Service guide", "Ops guide", "NOC runbook", "Architecture"} <= set(labels)


def test_above_the_limit_other_pages_list_no_service(trimmed: BuiltSite) -> None:
    assert listed_services(trimmed, "services/") == []
    assert listed_services(trimmed, "") == []
    assert "Services" in trimmed.nav_labels("")


def test_the_view_keeps_breadcrumbs_and_neighbours(trimmed: BuiltSite) -> None:
    soup = trimmed.soup("services/svc2/ops-guide/")
    footer = [a.get_text(" ", strip=True) for a in soup.select("nav.md-footer__inner a")]
    assert any("Operators handbook" in t for t in footer) and any("NOC runbook" in t
                                                                   for t in footer)


def test_up_to_the_limit_every_page_lists_every_service(tmp_path: Path) -> None:
    site = build_site(tmp_path, FLEET, opsready={"nav_max_services": 4})
    assert listed_services(site, "services/svc2/runbook/") == SERVICE_NAMES
    assert listed_services(site, "services/") == SERVICE_NAMES


def test_a_sites_own_nav_is_kept_and_the_services_go_where_it_says(tmp_path: Path) -> None:
    nav = [{"Start": "index.md"}, {"Services": "services/index.md"}, {"Guide": "guide.md"},
           {"Favourite runbook": "services/svc1/runbook.md"}]
    docs = {"index.md": "# Home\n", "guide.md": "# Guide\n"}
    site = build_site(tmp_path, FLEET, {"nav": nav}, docs)
    labels = site.nav_labels("services/svc1/")
    assert labels.index("Start") < labels.index("Services") < labels.index("Service 0")
    assert labels.index("Service 3") < labels.index("Guide") < labels.index("Favourite runbook")
    assert labels[-1] == "Runbooks"  # not in the site's nav: appended
    # svc1's runbook stays where the site put it, and only there
    assert "NOC runbook" not in labels
    assert "NOC runbook" in site.nav_labels("services/svc0/")


def test_prefix_puts_every_generated_page_under_one_folder(tmp_path: Path) -> None:
    site = build_site(tmp_path, FLEET, opsready={"prefix": "catalog"})
    assert site.exists("catalog/services/svc0/runbook/")
    assert site.exists("catalog/runbooks/")
    assert not site.exists("services/")
    labels = site.nav_labels("catalog/services/svc0/")
    assert "Service 0" in labels and "Runbooks" in labels
    link = site.article("catalog/services/").select_one("tbody a")
    assert link["href"] == "svc0/"

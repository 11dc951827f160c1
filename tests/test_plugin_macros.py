"""Hand-written pages read the catalog through opsready's mkdocs-macros module."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BuildFailed, BuiltSite, rich_catalog
from conftest import build_site_cached as build_site

pytestmark = pytest.mark.build  # every test builds a site

MACROS = {"plugins": ["search", {"opsready": {"readiness": False}},
                      {"macros": {"modules": ["opsready.mkdocs_plugin.macros"],
                                  "on_undefined": "strict"}}]}

PAGE = """\
# Payments corner

Checkout is owned by {{ service_owner("checkout") }}.

{{ service_link("checkout", "runbook") }} · {{ alert_link("checkout", "CheckoutHighErrorRate") }}

## Team services

{{ team_services("payments") }}

## Escalation

{{ escalation_table("checkout") }}

## Every service

{% for s in opsready.services %}
- {{ s.name }} (tier {{ s.tier }})
{% endfor %}

## Map

{{ deliverables_table() }}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    docs = {"index.md": "# Home\n", "teams/payments.md": PAGE}
    return build_site(tmp_path_factory.mktemp("macros"), rich_catalog(), MACROS, docs)


def test_macros_fill_a_hand_written_page(site: BuiltSite) -> None:
    url = "teams/payments/"
    article = site.article(url)
    assert "Checkout is owned by Payments Team." in article.get_text(" ", strip=True)
    links = {a.get_text(): a["href"] for a in article.select("a")}
    assert links["Checkout: NOC runbook"] == "../../services/checkout/runbook/"
    assert links["CheckoutHighErrorRate"] == "../../runbooks/checkout/CheckoutHighErrorRate/"
    assert links["Checkout"] == "../../services/checkout/"
    assert links["Ledger"] == "../../services/ledger/"
    escalation = article.find(id="escalation").find_next("table")
    assert "Network Operations Centre" in escalation.get_text()
    assert "Checkout (tier 1)" in site.section_text(url, "every-service")
    assert "service-guide#installation" in site.section_text(url, "map")


def test_an_undefined_name_fails_the_build(tmp_path: Path) -> None:
    docs = {"index.md": "# Home\n\n{{ servcie_owner('checkout') }}\n"}
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path, rich_catalog(), MACROS, docs)
    assert "servcie_owner" in "\n".join(failed.value.warnings + failed.value.errors)


def test_an_unknown_service_id_fails_the_build(tmp_path: Path) -> None:
    docs = {"index.md": "# Home\n\n{{ service_owner('nope') }}\n"}
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path, rich_catalog(), MACROS, docs)
    assert "no service 'nope' in the catalog" in "\n".join(failed.value.warnings
                                                           + failed.value.errors)


def test_macros_without_strict_undefined_are_reported(tmp_path: Path) -> None:
    lax = {"plugins": ["search", {"opsready": {"readiness": False}},
                       {"macros": {"modules": ["opsready.mkdocs_plugin.macros"]}}]}
    build_site(tmp_path, rich_catalog(), lax, strict=False,
               expect_warnings=[r"set 'on_undefined: strict'"])

"""Alert names as properties over generated names (Hypothesis), beside the worked examples of
``test_alert_names.py``: a classic Prometheus name is its own slug, any name gives one safe path
segment. In a module of their own so that the fast target does not import Hypothesis."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opsready.integrations.alert_rules.urls import runbook_path
from opsready.output.site_paths import MAX_SLUG_BYTES, alert_slug, url_of

pytestmark = pytest.mark.slow  # property-based

CLASSIC = st.from_regex(r"\A[A-Za-z_][A-Za-z0-9_:]{0,199}\Z")


@given(CLASSIC)
def test_a_classic_name_is_its_own_slug_so_existing_urls_do_not_change(name: str) -> None:
    assert alert_slug(name) == name
    # The URL every earlier version published for it.
    assert runbook_path("svc", name) == quote(url_of(f"runbooks/svc/{name}.md"))


@given(st.text(min_size=1, max_size=400))
def test_any_name_gives_one_safe_path_segment(name: str) -> None:
    slug = alert_slug(name)
    assert slug and len(slug.encode("utf-8")) <= MAX_SLUG_BYTES
    assert not any(ch in slug for ch in "/\\.%?#\x00\n\t ")
    assert slug == alert_slug(name)  # stable
    assert alert_slug(slug) == slug  # a slug is already its own slug

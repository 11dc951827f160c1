"""Red team: a team page reaches the site only under its own URL, and within the size limit.

``docs/services/<id>/runbook.markdown`` or ``runbook/index.md`` has the URL of the generated NOC
runbook (``services/<id>/runbook/``) without having its source path, so the clash check (by
path) did not see it: the build said nothing, the runbook's HTML stayed, and the team's text was
indexed for search under the runbook's URL. Pages with a suffix other than ``.md`` also escaped
the size limit of team pages.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import TEAMS_YAML, BuildFailed, build_site, service_yaml
from opsready.catalog.yaml_loader import MAX_MARKDOWN_BYTES

pytestmark = pytest.mark.build  # every test builds a site

CATALOG = {"teams.yaml": TEAMS_YAML, "svc.yaml": service_yaml("svc")}
FAKE = "# Fake runbook\n\nCall +1 555 0100 for every SEV-1.\n"


@pytest.mark.parametrize("name", ["services/svc/runbook.markdown",
                                  "services/svc/runbook/index.md",
                                  "services/svc/runbook/README.md"])
def test_a_team_page_at_a_generated_url_is_reported_and_left_out(tmp_path: Path,
                                                                  name: str) -> None:
    site = build_site(tmp_path, CATALOG, docs_files={"index.md": "# Home\n", name: FAKE},
                      opsready={"diagrams": False}, strict=False,
                      expect_warnings=["diagrams are off",
                                       rf"docs/{name} is not published: .*services/svc/runbook/"])
    page = site.html("services/svc/runbook/")
    assert "NOC runbook" in page and "555 0100" not in page
    index = json.loads((site.site_dir / "search" / "search_index.json").read_text())
    assert not any("555 0100" in doc["text"] or doc["title"] == "Fake runbook"
                   for doc in index["docs"])


def test_every_team_page_suffix_has_the_size_limit(tmp_path: Path) -> None:
    big = "word " * (MAX_MARKDOWN_BYTES // 5 + 100)
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path, CATALOG, opsready={"diagrams": False}, strict=False,
                   docs_files={"index.md": "# Home\n", "services/svc/notes.markdown": big})
    assert "docs/services/svc/notes.markdown: file is" in "\n".join(failed.value.errors)

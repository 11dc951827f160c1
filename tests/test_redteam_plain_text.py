"""Red team: a plain-text value that starts a line of a page cannot open a block there.

``alert.summary``, ``hours_of_operation`` and an encryption method stand alone on a line of
their page. ``~~~`` opened a fence (superfences, fenced_code) that swallowed the rest of the
alert page into a code block; ``: text`` made a definition (def_list) and ``/// details``
a block (pymdownx.blocks) out of the template's own text.
"""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from conftest import TEAMS_YAML, build_site, service_yaml
from opsready.prose.escape import md_text

EXTENSIONS = ["pymdownx.superfences", "def_list", "pymdownx.blocks.details", "pymdownx.tilde"]


@pytest.mark.parametrize("value", ["~~~", "~~~ sh", ": a definition", "/// details | x",
                                   "~~struck~~"])
def test_a_value_alone_on_a_line_stays_a_paragraph(value: str) -> None:
    page = f"Term\n{md_text(value)}\n\n## After\n\nText.\n"
    html = markdown.markdown(page, extensions=EXTENSIONS)
    assert html.startswith("<p>Term\n") and "<h2>After</h2>" in html, html
    assert "<pre" not in html and "<dl" not in html and "<details" not in html
    assert "<del>" not in html
    text = html.split("</p>")[0]
    assert value.replace("&", "&amp;") in text.replace("&#126;", "~").replace(
        "&#58;", ":").replace("&#47;", "/").replace("&#124;", "|").replace("\\|", "|")


def test_an_alert_summary_cannot_swallow_the_page(tmp_path: Path) -> None:
    svc = service_yaml("svc", extra="""\
        alerts:
          - name: SvcDown
            severity: SEV-3
            summary: "~~~"
            meaning: Nobody can log in.
            impact: Every customer.
        """)
    site = build_site(tmp_path, {"teams.yaml": TEAMS_YAML, "svc.yaml": svc},
                      {"markdown_extensions": ["toc", "attr_list", "admonition", "tables",
                                               "md_in_html", "pymdownx.superfences"]},
                      opsready={"diagrams": False}, strict=False,
                      expect_warnings=["diagrams are off"])
    article = site.article("runbooks/svc/SvcDown/")
    headings = [h.get_text(" ", strip=True) for h in article.find_all("h2")]
    assert any("Meaning" in h for h in headings) and any("Impact" in h for h in headings)
    assert "Nobody can log in." in article.get_text()
    assert not any("Meaning" in pre.get_text() for pre in article.find_all("pre"))

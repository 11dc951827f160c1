"""Red team: an SVG that is also an XSLT stylesheet is not inert.

Chromium still applies ``<?xml-stylesheet type="text/xsl"?>`` to an SVG opened at its URL. An SVG
whose root carries ``xsl:version`` is a (simplified) stylesheet, and ``<xsl:text
disable-output-escaping="yes">`` writes a ``<script>`` into the result: the script ran on the
site's origin (checked in headless Chromium), yet the file passed both SVG checks, because the
parser drops processing instructions and the element allow-list read local names in any
namespace (``xsl:text`` as ``text``). Both checks now refuse processing instructions other than
the XML declaration, and elements outside the SVG namespace.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TEAMS_YAML, build_site, service_yaml
from opsready.guard.svg import svg_problem, svg_problems

XSLT_SVG = """<?xml version="1.0"?>
<?xml-stylesheet type="text/xsl" href="drawing.svg"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
     xsl:version="1.0" width="10" height="10">
  <xsl:text disable-output-escaping="yes">&lt;script&gt;alert(1)&lt;/script&gt;</xsl:text>
  <rect width="10" height="10"/>
</svg>
"""
PI_ONLY = ('<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="other.svg"?>\n'
           '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>')
FOREIGN_TEXT = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="urn:x">'
                '<x:text>hi</x:text></svg>')
PLAIN = ('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
         'xmlns:xlink="http://www.w3.org/1999/xlink"><text>ok</text></svg>')


@pytest.mark.parametrize("svg", [XSLT_SVG, PI_ONLY, FOREIGN_TEXT])
def test_team_svg_check_refuses_stylesheets(svg: str) -> None:
    assert svg_problem(svg.encode()) is not None


@pytest.mark.parametrize("svg", [XSLT_SVG, PI_ONLY])
def test_published_svg_check_refuses_stylesheets(svg: str) -> None:
    assert svg_problems(svg)


def test_a_plain_svg_still_passes_both() -> None:
    assert svg_problem(PLAIN.encode()) is None and svg_problems(PLAIN) == []


def test_the_build_does_not_publish_the_stylesheet_svg(tmp_path: Path) -> None:
    site = build_site(tmp_path, {"teams.yaml": TEAMS_YAML, "svc.yaml": service_yaml("svc")},
                      docs_files={"index.md": "# Home\n", "services/svc/notes.md": "# Notes\n",
                                  "services/svc/drawing.svg": XSLT_SVG},
                      opsready={"diagrams": False}, strict=False,
                      expect_warnings=["diagrams are off",
                                       r"services/svc/drawing\.svg: not published"])
    assert not (site.site_dir / "services" / "svc" / "drawing.svg").exists()

"""The trend page of the built example site in Chromium: every chart is an inline SVG with a
title, text of at least 11 px as rendered, painted in the page's text colour in the light and
the dark scheme, and followed by a table with its data."""

from __future__ import annotations

import pytest

from example_site import BuiltSite, launched_chromium
from opsready.output.site_paths import SitePaths, url_of
from opsready.scorecard.charts import MIN_FONT_PX

pytestmark = [pytest.mark.build, pytest.mark.browser]

CHARTS = """() => [...document.querySelectorAll('svg.opsready-chart')].map(svg => {
  let box = svg.closest('.opsready-chart-box');
  let next = box ? box.nextElementSibling : null;
  while (next && !next.querySelector('table') && next.tagName !== 'TABLE'
         && !/^H[1-6]$/.test(next.tagName)) { next = next.nextElementSibling; }
  return {
    title: (svg.querySelector('title') || {}).textContent || '',
    labelled: svg.getAttribute('aria-labelledby') || '',
    minFont: Math.min(...[...svg.querySelectorAll('text')].map(
        t => parseFloat(getComputedStyle(t).fontSize))),
    color: getComputedStyle(svg).color,
    text: getComputedStyle(document.querySelector('.md-typeset')).color,
    inCell: !!svg.closest('td'),
    tableAfter: !!svg.closest('td') || !!(next && (next.tagName === 'TABLE'
                                                    || next.querySelector('table'))),
    scripts: svg.querySelectorAll('script').length,
  };
})"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_trend_charts_in_the_browser(built: BuiltSite, served: str, scheme: str) -> None:
    if not built.example:
        pytest.skip("the repository's example site is not the one built")
    paths = SitePaths(built.settings.prefix)
    page_url = url_of(paths.scorecard().replace("index.md", "trends.md"),
                      use_directory_urls=built.settings.use_directory_urls)
    with launched_chromium() as browser:
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        response = page.goto(f"{served}/{page_url}")
        assert response is not None and response.ok
        charts = page.evaluate(CHARTS)
        context.close()
    assert len([c for c in charts if not c["inCell"]]) >= 3  # fleet levels, gaps, a team
    assert any(c["inCell"] for c in charts)  # the small trend per service
    for chart in charts:
        assert chart["title"] and chart["labelled"]
        assert chart["minFont"] >= MIN_FONT_PX
        assert chart["color"] == chart["text"]  # currentColor: the scheme's text colour
        assert chart["tableAfter"] and chart["scripts"] == 0

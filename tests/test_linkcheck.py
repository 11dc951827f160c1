"""The link and offline checker, on real mkdocs-material builds."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from opsready.cli.main import main
from opsready.guard.linkcheck import check_site, resolve

# One small PNG (1x1, transparent).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")


def make_site(root: Path, config: str, pages: dict[str, str]) -> Path:
    """Write a MkDocs project and build it for real; returns the site folder."""
    docs = root / "docs"
    for name, text in pages.items():
        path = docs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".png"):
            path.write_bytes(PNG)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    (root / "mkdocs.yml").write_text(textwrap.dedent(config), encoding="utf-8")
    cfg = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    build(cfg)
    return root / "site"


CLEAN_CONFIG = """\
    site_name: Clean
    theme:
      name: material
      font: false
      features: [navigation.instant, content.code.copy, content.tabs.link]
    plugins: [search]
    markdown_extensions:
      - toc: {permalink: true}
      - admonition
      - footnotes
      - tables
      - attr_list
      - md_in_html
      - pymdownx.details
      - pymdownx.superfences
      - pymdownx.tabbed: {alternate_style: true}
      - pymdownx.highlight: {linenums: true, anchor_linenums: true}
    """

CLEAN_PAGES = {
    "index.md": """\
        # Home

        ## First part

        See [the runbook](runbooks/api/ApiDown.md#diagnosis), [part](#first-part),
        [the folder](runbooks/index.md) and a note[^1]. ![Logo](img/logo.png){ width=20 }
        [Elsewhere](https://example.com/page) and [mail](mailto:noc@example.com).

        [^1]: A footnote.

        ??? note "Closed by default"
            Hidden text.

        === "One"
            ```python
            print("one")
            ```
        === "Two"
            Two.
        """,
    "runbooks/index.md": "# Runbooks\n\n- [ApiDown](api/ApiDown.md)\n- [Home](../index.md)\n",
    "runbooks/api/ApiDown.md": "# ApiDown\n\n## Diagnosis\n\nCheck [home](../../index.md).\n",
    "img/logo.png": "",
}


@pytest.fixture(scope="module")
def clean_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_site(tmp_path_factory.mktemp("clean"), CLEAN_CONFIG, CLEAN_PAGES)


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = """\
        site_name: Broken
        repo_url: https://github.com/example/ops
        theme: {name: material, font: false}
        extra_css: ["https://fonts.googleapis.com/css2?family=Roboto"]
        extra_javascript: ["https://unpkg.com/htmx.org@1.9.0"]
        markdown_extensions: [attr_list, md_in_html]
        """
    pages = {
        "index.md": """\
            # Home

            [gone](missing.md) [bad anchor](other.md#nowhere) [good anchor](other.md#there)
            [above](../../../etc/passwd) [self](#home)

            ![lost](img/lost.png)

            <img src="https://cdn.example.com/pixel.gif" alt="tracker">

            <div class="mermaid">graph LR; a-->b</div>
            """,
        "other.md": "# Other\n\n## There\n",
    }
    return make_site(tmp_path_factory.mktemp("broken"), config, pages)


def test_clean_material_site_has_no_problem(clean_site: Path) -> None:
    report = check_site(clean_site)
    assert report.diagnostics == []
    assert report.ok
    assert report.pages == 4 and report.links > 30


def test_broken_site_reports_every_problem_with_its_place(broken_site: Path) -> None:
    report = check_site(broken_site)
    assert not report.ok
    messages = [d.text() for d in report.diagnostics if d.file == "index.html"]
    text = "\n".join(messages)
    assert "[broken-link]" in text and "'missing.md'" in text
    assert "[missing-anchor]" in text and "has no anchor '#nowhere'" in text
    assert "#there" not in text
    assert "points above the site root" in text
    assert "[missing-image]" in text and "img/lost.png" in text
    assert "fonts.googleapis.com" in text and "[external-asset]" in text
    assert "unpkg.com/htmx.org" in text
    assert "cdn.example.com/pixel.gif" in text
    assert "Mermaid" in text
    assert "repository facts" in text and "repo_url" in text
    # Every diagnostic names a line of the HTML file that holds the link.
    html = (broken_site / "index.html").read_text(encoding="utf-8").splitlines()
    for d in report.diagnostics:
        if d.file == "index.html" and d.code in ("broken-link", "missing-image"):
            link = d.message.split("'")[1]
            assert link in html[d.line - 1], d.text()


def test_offline_problems_can_be_allowed(broken_site: Path) -> None:
    report = check_site(broken_site, offline=False)
    codes = {d.code for d in report.diagnostics}
    assert "external-asset" not in codes
    assert {"broken-link", "missing-anchor", "missing-image"} <= codes


def test_parallel_scan_gives_the_same_report(broken_site: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import opsready.guard.linkcheck as lc

    serial = check_site(broken_site, jobs=1)
    monkeypatch.setattr(lc, "PARALLEL_THRESHOLD", 1)
    assert check_site(broken_site, jobs=2).diagnostics == serial.diagnostics


@pytest.mark.parametrize(("page", "url", "base", "expected"), [
    ("a/b/index.html", "../c/", "/", ("a/c/", "", "")),
    ("a/b/index.html", "../../", "/", ("", "", "")),
    ("a/index.html", "x.html#Top%20Part", "/", ("a/x.html", "Top Part", "")),
    ("a/index.html", "#frag", "/", ("a/index.html", "frag", "")),
    ("index.html", "/assets/app.js", "/", ("assets/app.js", "", "")),
    ("index.html", "/docs/assets/app.js", "/docs/", ("assets/app.js", "", "")),
    ("index.html", "/docs", "/docs/", ("", "", "")),
    ("index.html", "/other/app.js", "/docs/", (None, "", "absolute path outside the site's "
                                              "base path /docs/")),
    ("index.html", "../x/", "/", (None, "", "points above the site root")),
    ("a/index.html", "My%3AAlert/", "/", ("a/My:Alert/", "", "")),
])
def test_resolve(page: str, url: str, base: str,
                 expected: tuple[str | None, str, str]) -> None:
    assert resolve(page, url, base) == expected


def test_cli_exit_codes(clean_site: Path, broken_site: Path, tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["linkcheck", str(clean_site)]) == 0
    assert "0 broken: OK" in capsys.readouterr().err
    assert main(["linkcheck", str(broken_site), "--format", "github"]) == 1
    out = capsys.readouterr().out
    assert "::error file=index.html,line=" in out
    assert main(["linkcheck", str(tmp_path / "nope")]) == 2
    assert "does not exist" in capsys.readouterr().err

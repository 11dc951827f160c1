"""The hostile team pages of tests/fixtures/hostile_team_pages/ on two paths to the site, checked
in headless Chromium: the MkDocs plugin build publishes them sanitised (no dialog, no handler, no
script); ``opsready generate`` refuses each with its file and line, and the same payloads where
they are harmless (in code, a title with ``&``, ``<`` and ``>`` as text) go through generate and
``mkdocs build -f <builder config>`` into an inert site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TEAMS_YAML, BuildFailed, BuiltSite, build_site, service_yaml
from example_site import active_content
from generate_support import write_site
from opsready.cli.main import main
from opsready.guard.front_matter import page_meta
from opsready.guard.team_text import refusals
from opsready.output.team_check import team_page_problems

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile_team_pages"
# The HTML and front-matter cases of the shared corpus: pages the guard lets through to
# conversion (the others, file inclusions and pages too complex to convert, are refused before
# it: tests/test_guard_paths.py) and another builder would publish differently.
CASES = sorted(p.name for p in HOSTILE.glob("*.md")
               if not refusals(p.read_text(encoding="utf-8"))
               and team_page_problems(p.read_text(encoding="utf-8")))
CDATA = "<![CDATA[ x > <img src=x onerror=alert(1)> ]]>"



def _team_docs() -> dict[str, str]:
    docs = {"index.md": "# Home\n"}
    for case in CASES:
        docs[f"services/svc/{case}"] = (HOSTILE / case).read_text(encoding="utf-8")
    return docs


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_site(tmp_path_factory.mktemp("hostile-team-plugin"),
                      {"teams.yaml": TEAMS_YAML, "svc.yaml": service_yaml("svc")},
                      docs_files=_team_docs(), strict=False,
                      )


def test_the_plugin_build_publishes_every_hostile_team_page_inert(plugin_site: BuiltSite) -> None:
    paths = [f"services/svc/{case[:-3]}/" for case in CASES]
    for path in paths:
        assert (plugin_site.site_dir / path / "index.html").is_file(), path
    paths += ["services/svc/"]  # the navigation lists every team page by its title
    assert active_content(plugin_site.site_dir, paths) == []


def test_generate_refuses_every_hostile_team_page_with_file_and_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_site(tmp_path, docs={
        "index.md": "# Home\n",
        **{f"services/small/{case}": (HOSTILE / case).read_text(encoding="utf-8")
           for case in CASES}})
    assert main(["generate", "--config", str(config), "--builder-config",
                 str(tmp_path / "builder.yml")]) == 1
    err = capsys.readouterr().err
    for case in CASES:
        assert f"services/small/{case}:" in err, (case, err)
    assert "services/small/cdata-bogus-comment.md:5: HTML that the MkDocs plugin removes" in err
    assert "services/small/front-matter-title-img.md:2: front-matter 'title' holds HTML" in err
    assert not (tmp_path / "builder.yml").exists()  # nothing for a builder to publish


def test_generate_and_mkdocs_publish_the_same_payloads_as_text(tmp_path: Path) -> None:
    notes = (f"---\ntitle: R&D notes > <3 ops\n---\n\n# Notes\n\nIn a code span: `{CDATA}`\n\n"
             f"```html\n{CDATA}\n<script>alert(1)</script>\n```\n\nEscaped: &lt;img src=x "
             "onerror=alert(1)&gt;\n")
    assert page_meta(notes).data["title"] == "R&D notes > <3 ops"
    config = write_site(tmp_path, docs={"index.md": "# Home\n", "services/small/notes.md": notes},
                        readiness=False)
    assert main(["generate", "--config", str(config), "--builder-config",
                 str(tmp_path / "builder.yml")]) == 0
    proc = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "-q", "-f",
                           "builder.yml", "-d", "site"], cwd=tmp_path, capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    page = tmp_path / "site" / "services" / "small" / "notes" / "index.html"
    html = page.read_text(encoding="utf-8")
    # The theme prints the title as written; a browser reads '&D', '>' and '<3' as text, which
    # is why text_problem lets them through (it judges by the sanitiser's HTML5 parse).
    assert "<title>R&D notes > <3 ops - Small</title>" in html
    assert active_content(tmp_path / "site", ["services/small/notes/", "services/small/"]) == []


def test_the_sandbox_renders_a_hostile_page_into_the_same_sanitiser(tmp_path: Path) -> None:
    # team_page_macros: true renders template code first; what it produces (here the CDATA
    # section written around a helper's output) goes through the same allow-list.
    page = ("---\ntitle: <img src=x onerror=alert(2)>\n---\n\n# Ours\n\n"
            "Owner: {{ service_owner('svc') }}.\n\n" + CDATA + "\n\n"
            "<![CDATA[ {{ service_owner('svc') }} > <img src=x onerror=alert(3)> ]]>\n")
    site = build_site(tmp_path, {"teams.yaml": TEAMS_YAML, "svc.yaml": service_yaml("svc")},
                      {"plugins": ["search", {"opsready": {"readiness": False,
                                                           "team_page_macros": True}},
                                   {"macros": {"modules": ["opsready.mkdocs_plugin.macros"],
                                               "on_undefined": "strict"}}]},
                      {"index.md": "# Home\n", "services/svc/ours.md": page}, strict=False)
    assert "Owner: " in site.article("services/svc/ours/").get_text(" ")
    assert active_content(site.site_dir, ["services/svc/ours/", "services/svc/"]) == []


def test_the_plugin_refuses_a_front_matter_too_long_to_read(tmp_path: Path) -> None:
    page = "---\n" + "".join(f"k{i}: v\n" for i in range(9000)) + "---\n# N\n"
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path, {"teams.yaml": TEAMS_YAML, "svc.yaml": service_yaml("svc")},
                   docs_files={"index.md": "# Home\n", "services/svc/long.md": page})
    log = "\n".join(failed.value.errors + [str(failed.value.cause)])
    assert "services/svc/long.md:1: refused: front matter is longer than 64 KiB" in log

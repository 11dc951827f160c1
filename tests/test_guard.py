"""The guard's checks on their own (fast): file-including syntax of every file-reading extension,
complexity bounds of team pages and diagrams, links in the teams' area and under generate's
output folder. The same checks through every build path: ``test_guard_paths.py``."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from conftest import TEAMS_YAML, service_yaml
from opsready.catalog.load import load_catalog
from opsready.diagnostics import Diagnostic
from opsready.guard.bounds import (
    MAX_DIAGRAM_EDGES,
    MAX_DIAGRAM_NODES,
    MAX_HTML_DEPTH,
    MAX_OPEN_TAGS,
    MAX_TAGS,
    diagram_size_problem,
    html_too_deep,
    page_complexity,
)
from opsready.guard.includes import (
    READERS,
    bracket_lines,
    configured,
    directive_lines,
    inclusions,
    may_include,
)
from opsready.guard.paths import linked_folders, linked_parent
from opsready.guard.team_text import refusals
from opsready.output.manifest import MANIFEST, write_tree

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "hostile_team_pages"

# --- file-including syntax ------------------------------------------------------------------------


@pytest.mark.parametrize("text, lines", [
    ("{!.git/config!}", [0]),
    ("cat {! .git/config !}", [0]),
    ("a\n```\n{!x!}\n```", [2]),
    ("{!a!lines=1-3}", [0]),
    ("{!\n.git/config\n!}", [0]),  # stricter than the extensions: across lines too
    ("awk '{!seen[$0]++}'", []),
    ("{ !x! }", []),
    ("no marker", []),
    ("{!a!} and {!b!}\n{!c!}", [0, 1]),
])
def test_bracket_lines_finds_what_markdown_include_reads(text: str, lines: list[int]) -> None:
    assert bracket_lines(text) == lines


def test_every_known_file_reading_extension_has_its_syntax_refused() -> None:
    names = {n for r in READERS for n in r.names}
    assert {"pymdownx.snippets", "markdown_include.include", "mdx_include"} <= names
    text = '--8<-- ".git/config"\n{!.git/config!}\n'
    found = inclusions(text)
    assert [(i.line, i.extension) for i in found] == [(0, "pymdownx.snippets"),
                                                     (1, "markdown_include.include")]
    assert all(i.hint and "build machine" in i.message for i in found)


def test_a_configured_syntax_is_refused_too() -> None:
    """mdx_include lets a site choose its markers: the site's choice is what is looked for."""
    site = configured([{"mdx_include": {"syntax_left": r"\[\[", "syntax_right": r"\]\]"}},
                       "toc", {"pymdownx.snippets": {"base_path": ["."]}}])
    assert set(site) == {"mdx_include", "pymdownx.snippets"}
    assert [i.line for i in inclusions("a\n[[.git/config]]\n", site)] == [1]
    assert inclusions("a\n[[.git/config]]\n") == []  # not looked for on a site without it


MDX_AT = {"mdx_include": {"syntax_left": "@@", "syntax_right": "@@"}}


@pytest.mark.parametrize("extensions, mdx_configs", [
    ([MDX_AT], None),                                      # mkdocs.yml's list of items
    (MDX_AT, None),                                        # MkDocs also takes one mapping
    (["mdx_include"], {"mdx_include": MDX_AT["mdx_include"]}),  # MkDocs' config after loading
    ([{"mdx_include.mdx_include:IncludeExtension": MDX_AT["mdx_include"]}], None),
])
def test_a_sites_markers_are_found_however_mkdocs_yml_writes_the_extension(
        extensions: object, mdx_configs: dict[str, object] | None) -> None:
    site = configured(extensions, mdx_configs)  # type: ignore[arg-type]
    found = inclusions("echo hi\ncat @@.git/config@@\n", site)
    assert [(i.line, i.extension.split(".")[0]) for i in found] == [(1, "mdx_include")]
    assert "'@@' ... '@@'" in found[0].message and "markers" in found[0].hint


@pytest.mark.parametrize("left, right, text, lines", [
    (r"\{\{!", r"!\}\}", "a\n{{!x!}}", [1]),  # regular expressions, as mdx_include reads them
    ("(?:%%|@@)", "(?:%%|@@)", "a\n%% x @@", [1]),
    ("«", "»", "«/etc/passwd»", [0]),                  # not ASCII: no escaping changes it
    ("@@", "@@", "one @@ only", []),                   # an opening with no closing after it
    ("@@", "@@", "@@\n.git/config\n@@", [0]),          # across lines (stricter than mdx_include)
    ("(", ")", "f(x)", [0]),                           # no regular expression: the text itself
    ("^@@", "@@", "a\n@@x@@", [1]),                    # '^': a line's start, as mdx_include reads
    ("@include ", "@", "a\n@include\n  x@", [1]),       # plain text shows the line break as a space
])
def test_a_sites_markers_are_read_as_mdx_include_reads_them(left: str, right: str, text: str,
                                                            lines: list[int]) -> None:
    site = configured([{"mdx_include": {"syntax_left": left, "syntax_right": right}}])
    assert [i.line for i in inclusions(text, site) if i.extension == "mdx_include"] == lines


def test_the_pre_check_of_a_file_looks_for_the_sites_markers() -> None:
    from opsready.guard.includes import may_include

    site = configured([{"mdx_include": {"syntax_left": "@ @", "syntax_right": "@@"}}])
    assert not may_include("command: cat x\n", site)
    assert may_include("command: cat @ @x@@\n", site)
    assert may_include("command: cat @\n  @x@@\n", site)  # YAML folds the line break to a space
    assert not may_include("command: cat @ @x@@\n")  # without the site: default syntax only


def _command_errors(tmp_path: Path, diagnosis: str) -> list[Diagnostic]:
    """The errors of a catalog whose one alert has the ``diagnosis`` steps (YAML list items,
    indented as an alert's keys are below)."""
    (tmp_path / "teams.yaml").write_text(TEAMS_YAML, encoding="utf-8")
    (tmp_path / "svc.yaml").write_text(service_yaml("svc", extra="""\
        alerts:
          - name: SvcDown
            severity: SEV-3
            summary: Down.
            diagnosis:
        """.rstrip(" ") + diagnosis), encoding="utf-8")
    return [d for d in load_catalog(tmp_path).diagnostics if d.severity == "error"]


def test_the_check_refuses_a_command_that_includes_a_file_with_markdown_include(
        tmp_path: Path) -> None:
    diags = _command_errors(tmp_path, """\
              - title: Look at the config
                command: cat {!.git/config!}
        """)
    assert [(d.line, d.yaml_path) for d in diags] == [(13, "alerts[0].diagnosis[0].command")]
    assert "markdown_include" in diags[0].message and diags[0].hint
    assert diags[0].file.endswith("svc.yaml")


# --- include-markdown (a plugin: plugins:, not markdown_extensions:) ------------------------------


@pytest.mark.parametrize("text, lines", [
    ('{% include-markdown "/abs/.git/config" %}', [0]),
    ("echo hi\n{% include '.git/config' %}", [1]),
    ('{%include "x"%}', [0]),                                # no space after the opening tag
    ('{%\n  include-markdown\n  ".git/config"\n%}', [0]),     # across lines (the plugins too)
    ('{%\u00a0include\u2003"x" %}', [0]),                     # any white space, as `\s` reads
    ('a {% include "x" start="<!--s-->" %}', [0]),            # not only on its own line
    ('{% include-markdown "x"', [0]),                         # its closing tag may come later
    ('{%- include "x" %}', []),                               # Jinja's form: not a directive
    ("{% if x %}{{ y }}{% endif %}", []),
    ("{% includes x %}", []),
    ('{% include-markdowns "x" %}', []),
    ('{% include%}', []),                                     # a name needs white space after
    ('{{ include "chart.fullname" . }}', []),                 # Helm and Go templates
    ("{ % include 'x' %}", []),
    ("no directive", []),
])
def test_directive_lines_finds_what_include_markdown_reads(text: str, lines: list[int]) -> None:
    assert directive_lines(text) == lines
    assert [i.line for i in inclusions(text) if i.extension == "include-markdown"] == lines


def test_include_markdown_is_refused_whether_the_site_enables_it_or_not() -> None:
    found = inclusions('cat x\n{% include-markdown ".git/config" %}\n')
    assert [(i.line, i.extension) for i in found] == [(1, "include-markdown")]
    assert "include-markdown" in found[0].message and "build machine" in found[0].message
    assert "{%- include" in found[0].hint
    assert may_include("command: '{% include \"x\" %}'\n")


IM_TAGS = {"opening_tag": "<<", "closing_tag": ">>", "directives": {"include": "insert"}}


@pytest.mark.parametrize("extensions, configs, plugins", [
    (["toc"], None, ["search", {"include-markdown": IM_TAGS}]),   # mkdocs.yml's list of items
    (None, None, {"search": None, "include-markdown": IM_TAGS}),  # MkDocs also takes a mapping
    ([{"zensical.extensions.include_markdown": IM_TAGS}], None, None),  # Zensical's extension
    (["zensical.extensions.include_markdown"], {"zensical.extensions.include_markdown": IM_TAGS},
     None),                                                       # MkDocs' config after loading
])
def test_include_markdowns_tags_are_found_however_mkdocs_yml_writes_it(
        extensions: object, configs: dict[str, object] | None, plugins: object) -> None:
    site = configured(extensions, configs, plugins)  # type: ignore[arg-type]
    text = "echo hi\n<< insert '.git/config' >>\n<<include-markdown\n'x' >>\n<< if >>"
    found = [i for i in inclusions(text, site) if "<<" in i.message]
    assert [i.line for i in found] == [1, 2]
    assert "'<<' include or include-markdown or insert ... '>>'" in found[0].message
    assert "between the opening tag and the directive name" in found[0].hint
    assert [i.line for i in inclusions(text)] == []  # not looked for on a site without them
    assert may_include("command: << insert x\n", site) and not may_include("x: << if\n", site)


def test_include_markdowns_default_tags_stay_refused_on_a_site_with_its_own() -> None:
    site = configured(None, None, [{"include-markdown": IM_TAGS}])
    assert [i.line for i in inclusions('a\n{% include "x" %}', site)] == [1]
    # A site that keeps the defaults adds nothing (the default syntax is refused everywhere).
    assert configured(None, None, ["include-markdown"]) == {"include-markdown": {}}
    assert len(inclusions('{% include "x" %}', configured(None, None, ["include-markdown"]))) == 1


def test_a_tag_with_white_space_is_found_written_across_a_line_break() -> None:
    """Plain text shows a value with its white space folded: '{ %' written across a line break
    is a tag once published."""
    site = configured(None, None, [{"include-markdown": {"opening_tag": "{ %"}}])
    assert [i.line for i in inclusions("a\n{\n%  include 'x' %}", site)] == [1]
    assert [i.line for i in inclusions("a\n{\n%  if x %}", site)] == []


def test_the_sites_include_markdown_options_come_from_mkdocs_yml(tmp_path: Path) -> None:
    """The one mkdocs.yml reader (output/config_file.py) finds the plugin's options, `!ENV`
    resolved as MkDocs resolves it."""
    from opsready.output.config_file import read_config_file

    (tmp_path / "mkdocs.yml").write_text(
        "site_name: S\nplugins:\n  - search\n  - include-markdown:\n"
        "      opening_tag: !ENV [OPSREADY_TEST_TAG, '<<']\n      closing_tag: '>>'\n",
        encoding="utf-8")
    readers = read_config_file(tmp_path / "mkdocs.yml").readers
    assert readers == {"include-markdown": {"opening_tag": "<<", "closing_tag": ">>"}}
    assert [i.line for i in inclusions("<< include 'x' >>", readers)] == [0]


def test_the_check_refuses_include_markdown_in_a_command_and_keeps_other_templates(
        tmp_path: Path) -> None:
    diags = _command_errors(tmp_path, """\
              - title: Render the chart
                command: |
                  helm template . --set name={{ include "chart.name" . }}
                  echo '{% if x %}{{ y }}{% endif %}{%- include "z" %}'
              - title: Look at the config
                command: |
                  echo hi
                  {% include-markdown ".git/config" %}
        """)
    assert [(d.line, d.yaml_path) for d in diags] == [(19, "alerts[0].diagnosis[1].command")]
    assert "include-markdown" in diags[0].message and diags[0].hint
    assert diags[0].file.endswith("svc.yaml")


def test_a_team_page_with_include_markdown_is_refused() -> None:
    page = "# Notes\n\n```\n{% include-markdown '/etc/hostname' %}\n```\n"
    assert [r.line for r in refusals(page)] == [3]
    site = configured(None, None, [{"include-markdown": IM_TAGS}])
    assert [r.line for r in refusals("# N\n\n<< insert 'x' >>\n", site)] == [2]


def test_the_team_page_check_runs_before_the_include_markdown_plugin_reads() -> None:
    """include-markdown's page hook has priority 100: the plugin's check runs before it, wherever
    the site lists the two (the path matrix builds a site that lists include-markdown first)."""
    from opsready.mkdocs_plugin.plugin import OpsReadyPlugin

    assert OpsReadyPlugin.on_page_markdown.mkdocs_priority > 100  # type: ignore[attr-defined]


# --- bounds ---------------------------------------------------------------------------------------


def test_html_nesting_is_bounded_outside_fenced_code() -> None:
    deep = "<div>\n" * (MAX_HTML_DEPTH + 1)
    assert html_too_deep("<div>\n" * MAX_HTML_DEPTH) is None
    assert html_too_deep(deep) == MAX_HTML_DEPTH
    assert html_too_deep("<div></div>\n" * 500) is None  # closed: never deep
    assert html_too_deep("<br>" * 500 + "<img src=x>" * 500) is None  # void elements
    assert html_too_deep("```\n" + deep + "```\n") is None


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.md")), ids=lambda p: p.stem)
def test_each_refusal_of_a_hostile_page_names_a_line_of_it(path: Path) -> None:
    """(Their time: ``bench/hostile_inputs.py``.)"""
    text = path.read_text(encoding="utf-8")
    for r in refusals(text):
        assert 0 <= r.line <= text.count("\n") and r.message and r.hint, r


def test_a_page_within_the_limits_is_not_refused() -> None:
    page = ("# Notes\n\n" + "A paragraph with a [link](https://example.com) and `code`.\n\n" * 200
            + '<div markdown="1">\n\n*nested*\n\n</div>\n' + "| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert page_complexity(page) == [] and refusals(page) == []


def test_a_long_ordinary_page_is_not_refused() -> None:
    """A team page has room for five catalog values' worth of paragraphs."""
    page = ("## Section\n\nA paragraph with a [link](https://example.com), `code` and "
            "*emphasis*.\n\n") * 900
    assert refusals(page) == []


@pytest.mark.parametrize("page, reason", [
    ("text <a x\n\n" * (MAX_OPEN_TAGS + 1), "without their '>'"),
    ("<p>x</p>\n" * (MAX_TAGS // 2 + 1), "HTML tags (more than"),
])
def test_html_tags_are_bounded(page: str, reason: str) -> None:
    assert any(reason in why for _, why in page_complexity(page))
    assert not page_complexity(page[: len(page) // 3])


def test_the_rendered_text_is_bounded_like_the_page() -> None:
    """A page the sandbox blew up (a loop) is judged by its output's size."""
    found = refusals("x" * (300 * 1024))
    assert len(found) == 1 and "byte limit" in found[0].message


def test_diagram_size_limits() -> None:
    assert diagram_size_problem(MAX_DIAGRAM_NODES, MAX_DIAGRAM_EDGES) is None
    assert "components" in (diagram_size_problem(MAX_DIAGRAM_NODES + 1, 0) or "")
    assert "interactions" in (diagram_size_problem(0, MAX_DIAGRAM_EDGES + 1) or "")


def _architecture(components: int, interactions: int) -> str:
    rng = random.Random(1)
    text = "architecture:\n  components:\n"
    text += "".join(f"    - {{id: c{i}, name: C{i}, kind: service}}\n" for i in range(components))
    text += "  interactions:\n"
    for i in range(interactions):
        a, b = rng.randrange(components), rng.randrange(components)
        text += f"    - {{from: c{a}, to: c{b}, data: d{i}, protocol: HTTPS, encrypted: true}}\n"
    return text


def test_the_check_refuses_a_diagram_graphviz_would_not_draw_in_time(tmp_path: Path) -> None:
    """80 components and 800 interactions: once drawn for two minutes and refused by the build,
    now refused by the check, with file, line, YAML path and how to split it."""
    (tmp_path / "teams.yaml").write_text(TEAMS_YAML, encoding="utf-8")
    (tmp_path / "svc.yaml").write_text(service_yaml("svc", extra=_architecture(80, 800)),
                                       encoding="utf-8")
    diags = [d for d in load_catalog(tmp_path).diagnostics if d.severity == "error"]
    assert {d.yaml_path for d in diags} == {"architecture.components", "architecture.interactions"}
    for d in diags:
        assert d.line > 1 and "split" in d.hint and "at most" in d.message


def test_a_diagram_at_the_limits_passes_the_check(tmp_path: Path) -> None:
    (tmp_path / "teams.yaml").write_text(TEAMS_YAML, encoding="utf-8")
    (tmp_path / "svc.yaml").write_text(
        service_yaml("svc", extra=_architecture(MAX_DIAGRAM_NODES, MAX_DIAGRAM_EDGES)),
        encoding="utf-8")
    assert not [d for d in load_catalog(tmp_path).diagnostics if d.severity == "error"]


# --- links ----------------------------------------------------------------------------------------


def test_linked_folders_of_the_teams_area(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "inner").mkdir()
    (docs / "services" / "a" / "sub").mkdir(parents=True)
    (docs / "services" / "a" / "sub" / "deep").symlink_to(outside)
    (docs / "services" / "b").symlink_to(outside)
    (docs / "other").symlink_to(outside)  # the platform's part of docs/: not a team's
    found = linked_folders(docs, "services")
    assert [rel for rel, _ in found] == ["services/a/sub/deep", "services/b"]
    assert all(target == str(outside) for _, target in found)


def test_generate_writes_nothing_through_a_linked_folder(tmp_path: Path) -> None:
    out, outside = tmp_path / "out", tmp_path / "outside"
    outside.mkdir()
    (out / "services").mkdir(parents=True)
    (out / "services" / "svc").symlink_to(outside)
    assert linked_parent(out, "services/svc/index.md") == out / "services" / "svc"
    assert linked_parent(out, "services/new/index.md") is None
    result = write_tree(out, {"services/svc/index.md": b"# page\n", "index.md": b"# home\n"})
    assert result.refused and "link" in result.refused[0] and not result.written
    assert list(outside.iterdir()) == []


def test_generate_removes_nothing_through_a_linked_folder(tmp_path: Path) -> None:
    out, outside = tmp_path / "out", tmp_path / "outside"
    write_tree(out, {"services/svc/index.md": b"# page\n"})
    os.rename(out / "services" / "svc", outside)
    (out / "services" / "svc").symlink_to(outside)
    result = write_tree(out, {"index.md": b"# home\n"})  # the page is stale: removed if its own
    assert (outside / "index.md").is_file() and result.removed == []
    assert (out / MANIFEST).is_file()


def test_generate_refuses_to_replace_a_linked_file(tmp_path: Path) -> None:
    out, secret = tmp_path / "out", tmp_path / "secret.txt"
    secret.write_text("keep\n", encoding="utf-8")
    (out / "services" / "svc").mkdir(parents=True)
    (out / "services" / "svc" / "index.md").symlink_to(secret)
    result = write_tree(out, {"services/svc/index.md": b"# page\n"})
    assert result.refused and secret.read_text(encoding="utf-8") == "keep\n"

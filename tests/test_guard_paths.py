"""The path matrix: every hostile team page (``fixtures/hostile_team_pages/*.md``, plus linked
folders made here) and the hostile prose corpus (``hostile_prose.py``, in catalog values)
through every path a site can take to publication:

- ``plugin``: ``mkdocs build`` with the opsready plugin (team pages rendered by the sandbox:
  ``team_page_macros: true``);
- ``generate+mkdocs``: ``opsready generate --builder-config`` then ``mkdocs build -f`` that
  config (no opsready plugin);
- ``generate+zensical``: the same output built by Zensical.

For each path and case: either the path refuses the page, naming its file and line (a folder by
its name), or the built site holds the page and is inert (no handler, no script from user text,
no dialog in headless Chromium) and holds no byte of the secrets planted in the temporary
repository's ``.git/config`` and in a folder outside it. The site enables ``pymdownx.snippets``,
so a refusal that failed would publish ``.git/config``.

Four more sites each enable one file reader with its syntax (``READER_SITES``): ``mdx_include``
with markers of its own (``syntax_left``/``syntax_right``), the ``include-markdown`` plugin with
its default tags and with tags and a directive name of its own (MkDocs runs
mkdocs-include-markdown-plugin, Zensical its own implementation), and Zensical's include-markdown
extension: catalog values of every kind and a team page using the syntax are refused on every
path whose builder reads it, by ``opsready check`` and by ``opsready pack`` (catalog values), and
no secret reaches any output (HTML and search index).

Affordable: one site per path with every accepted case at once; refused cases are found by
running the path again without the case it named (refusals stop a run early).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import TEAMS_YAML, service_yaml
from example_site import active_content
from hostile_prose import PAYLOADS
from opsready.catalog.load import load_catalog
from test_prose_hostile import CHROMIUM, _catalog, _inert_problems

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "hostile_team_pages"
PAGES = {p.stem: p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.md"))}
LINKED_DIR = "linked-folder"
"""A folder inside a team folder that is a link to a folder outside the repository."""
LINKED_TEAM = "linked-team-folder"
"""A team folder (``docs/services/svc2``) that is a link to a folder outside the repository."""
CASES = [*PAGES, LINKED_DIR, LINKED_TEAM]
GIT_SECRET = "GIT_CONFIG_SECRET_4f1c9a"
OUTSIDE_SECRET = "OUTSIDE_REPO_SECRET_7b2e0d"
PATHS = ("plugin", "generate+mkdocs", "generate+zensical")
MUST_REFUSE = {
    # File inclusions, as written or once the sandbox rendered the page; pages too complex to
    # convert in bounded time; linked folders.
    "plugin": {"snippets-line", "snippets-in-fence", "snippets-block", "markdown-include",
               "markdown-include-in-fence", "include-markdown-in-fence", "macros-comment-bypass",
               "macros-include-bypass", "macros-include-markdown-bypass", "deep-nesting",
               "many-a-tags", "many-reference-definitions", LINKED_DIR, LINKED_TEAM},
    # Another builder publishes team pages as written (no sandbox): '{# #}' stays text there.
    "generate": {"snippets-line", "snippets-in-fence", "snippets-block", "markdown-include",
                 "markdown-include-in-fence", "include-markdown-in-fence", "deep-nesting",
                 "many-a-tags",
                 "many-reference-definitions", LINKED_DIR, LINKED_TEAM},
}
CONFIG: dict[str, Any] = {
    "site_name": "Matrix",
    "theme": {"name": "material", "font": False},
    "plugins": ["search", {"opsready": {"diagrams": False, "readiness": False,
                                        "team_page_macros": True}}],
    "markdown_extensions": ["toc", "attr_list", "admonition", "tables", "md_in_html",
                            "pymdownx.superfences",
                            {"pymdownx.snippets": {"base_path": ["."], "check_paths": False}}],
}

pytestmark = pytest.mark.build


# --- the sites ------------------------------------------------------------------------------------


def _accepted_prose() -> list[Any]:
    """The payloads of the prose corpus that ``opsready check`` accepts (the others are refused
    with file, line and YAML path: ``test_prose_hostile.py``)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        files, by_service = _catalog([[p] for p in PAYLOADS])
        for name, text in files.items():
            (Path(tmp) / name).parent.mkdir(parents=True, exist_ok=True)
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        refused = {d.file.split("/")[-2] for d in load_catalog(tmp).diagnostics
                   if d.severity == "error"}
    return [p for sid, (p,) in by_service.items() if sid not in refused]


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def _prepare(root: Path, cases: list[str], prose: list[Any]) -> Path:
    """A repository in ``root`` with ``cases`` as team pages of ``svc`` (and the linked
    folders), the accepted prose payloads as catalog services, and the secrets planted."""
    if root.exists():
        shutil.rmtree(root)
    outside = root.parent / f"{root.name}-outside"
    if outside.exists():
        shutil.rmtree(outside)
    catalog, _ = _catalog([prose[i:i + 8] for i in range(0, len(prose), 8)])
    catalog.update({"teams.yaml": TEAMS_YAML, "svc.yaml": service_yaml("svc"),
                    "svc2.yaml": service_yaml("svc2")})
    _write(root / "service_catalog", catalog)
    docs = {"index.md": "# Home\n"}
    docs.update({f"services/svc/{name}.md": PAGES[name] for name in cases if name in PAGES})
    _write(root / "docs", docs)
    _write(root, {".git/config": f"[remote]\n  token = {GIT_SECRET}\n",
                  "mkdocs.yml": yaml.safe_dump(CONFIG, sort_keys=False)})
    _write(outside, {"secret.md": f"# Secret\n\n{OUTSIDE_SECRET}\n",
                     "secret.txt": OUTSIDE_SECRET + "\n"})
    if LINKED_DIR in cases:
        (root / "docs/services/svc").mkdir(parents=True, exist_ok=True)
        (root / "docs/services/svc" / LINKED_DIR).symlink_to(outside, target_is_directory=True)
    if LINKED_TEAM in cases:
        (root / "docs/services/svc2").symlink_to(outside, target_is_directory=True)
    return outside


def _env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1",
            "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}


@contextlib.contextmanager
def _in(folder: Path) -> Iterator[None]:
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(cwd)


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def _plugin(root: Path) -> list[str] | None:
    """``mkdocs build`` with the plugin, in this process: None when built, else the errors."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    handler = _Errors()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        with _in(root):
            build(load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site")))
    except (SystemExit, Exception) as exc:  # noqa: BLE001 - the build's own error
        return handler.lines + [str(exc)]
    finally:
        logger.removeHandler(handler)
    return None


def _generate(root: Path) -> list[str] | None:
    """``opsready generate --builder-config builder.yml``, in this process."""
    from opsready.output.generate import generate

    err = io.StringIO()
    with _in(root), contextlib.redirect_stderr(err):
        code = generate(root / "mkdocs.yml", None, root / "builder.yml")
    if code == 0:
        return None
    return [line for line in err.getvalue().splitlines() if line.startswith("ERROR")] or [
        err.getvalue()]


def _refused_case(message: str, cases: list[str]) -> tuple[str, int | None] | None:
    """The case a refusal names, with its line (None for a folder), or None."""
    for name in cases:
        if name == LINKED_TEAM and re.search(r"services/svc2\b.*refused", message):
            return name, None
        if name == LINKED_DIR and re.search(rf"services/svc/{LINKED_DIR}\b.*refused", message):
            return name, None
        found = re.search(rf"services/svc/{re.escape(name)}\.md:(\d+)\b", message)
        if found:
            return name, int(found.group(1))
    return None


@dataclass
class PathResult:
    refused: dict[str, tuple[int | None, str]] = field(default_factory=dict)
    """Case -> (line named, message)."""
    accepted: list[str] = field(default_factory=list)
    root: Path | None = None
    site: Path | None = None
    outside_before: list[str] = field(default_factory=list)
    outside_after: list[str] = field(default_factory=list)


def _listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def _classify(root: Path, run: Callable[[Path], list[str] | None],
              prose: list[Any]) -> PathResult:
    """Run the path on every case; a refusal names a case, which is left out of the next run,
    until the run succeeds with the accepted ones."""
    result = PathResult(root=root)
    remaining = list(CASES)
    while True:
        outside = _prepare(root, remaining, prose)
        before = _listing(outside)
        errors = run(root)
        after = _listing(outside)
        assert after == before, f"a run wrote outside the repository: {set(after) - set(before)}"
        if errors is None:
            result.accepted = remaining
            result.outside_before, result.outside_after = before, after
            return result
        named = {}
        for message in errors:
            hit = _refused_case(message, remaining)
            if hit is not None:
                named.setdefault(hit[0], (hit[1], message))
        assert named, "a run failed without naming a case:\n" + "\n".join(errors)
        result.refused.update(named)
        remaining = [c for c in remaining if c not in named]


@pytest.fixture(scope="module")
def prose() -> list[Any]:
    return _accepted_prose()


@pytest.fixture(scope="module")
def plugin_path(tmp_path_factory: pytest.TempPathFactory, prose: list[Any]) -> PathResult:
    result = _classify(tmp_path_factory.mktemp("plugin") / "repo", _plugin, prose)
    assert result.root is not None
    result.site = result.root / "site"
    return result


@pytest.fixture(scope="module")
def generate_path(tmp_path_factory: pytest.TempPathFactory, prose: list[Any]) -> PathResult:
    """The generate run both builders of the generated output share."""
    return _classify(tmp_path_factory.mktemp("generate") / "repo", _generate, prose)


@pytest.fixture(scope="module")
def generate_mkdocs(generate_path: PathResult) -> PathResult:
    root = generate_path.root
    assert root is not None
    proc = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "-f",
                           "builder.yml", "-d", "site-mkdocs"], cwd=root, env=_env(),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return PathResult(generate_path.refused, generate_path.accepted, root, root / "site-mkdocs")


@pytest.fixture(scope="module")
def generate_zensical(generate_path: PathResult) -> PathResult:
    root = generate_path.root
    assert root is not None
    zensical = Path(sys.executable).parent / "zensical"
    if not zensical.exists():
        pytest.skip("zensical is not installed (pip install -e '.[test]')")
    proc = subprocess.run([str(zensical), "build", "-f", "builder.yml"], cwd=root, env=_env(),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return PathResult(generate_path.refused, generate_path.accepted, root, root / "site")


@pytest.fixture(scope="module", params=PATHS)
def path_result(request: pytest.FixtureRequest) -> PathResult:
    name = {"plugin": "plugin_path", "generate+mkdocs": "generate_mkdocs",
            "generate+zensical": "generate_zensical"}[request.param]
    result: PathResult = request.getfixturevalue(name)
    return result


# --- refusals -------------------------------------------------------------------------------------


def test_the_corpus_has_every_class_of_the_issue() -> None:
    assert {"snippets-line", "markdown-include", "macros-comment-bypass", "deep-nesting",
            "many-a-tags", "many-reference-definitions"} <= set(PAGES)
    assert len(PAGES) >= 10 and "plain-page" in PAGES


@pytest.mark.parametrize("path", ["plugin", "generate"])
def test_the_hostile_team_pages_are_refused(path: str, request: pytest.FixtureRequest) -> None:
    result: PathResult = request.getfixturevalue(f"{path}_path")
    missing = MUST_REFUSE[path] - set(result.refused)
    assert not missing, f"{path} accepted {sorted(missing)}"
    assert "plain-page" in result.accepted


def test_every_refusal_names_the_file_and_line_and_what_to_do(path_result: PathResult) -> None:
    for case, (line, message) in path_result.refused.items():
        if case in (LINKED_DIR, LINKED_TEAM):
            assert "link" in message and "refused" in message, message
            continue
        assert line is not None and 1 <= line <= PAGES[case].count("\n") + 1, (case, message)
        assert "hint:" in message, message
        assert "Traceback" not in message and "RecursionError" not in message, message


def test_refusals_point_at_the_offending_line() -> None:
    """The line named is the line of the page that holds the problem (front matter counted)."""
    from opsready.guard.team_text import refusals

    page = "---\ntitle: T\n---\n# T\n\ntext\n\n--8<-- \".git/config\"\n"
    found = refusals(page.split("---\n", 2)[2])
    assert [r.text("p.md", 4).split(": ")[0] for r in found] == ["p.md:8"]


# --- the built sites ------------------------------------------------------------------------------


def _files(site: Path) -> list[Path]:
    return [p for p in site.rglob("*") if p.is_file()]


def test_the_site_holds_no_secret(path_result: PathResult) -> None:
    assert path_result.site is not None and path_result.site.is_dir()
    leaked = [p.relative_to(path_result.site).as_posix() for p in _files(path_result.site)
              if GIT_SECRET.encode() in p.read_bytes() or OUTSIDE_SECRET.encode() in p.read_bytes()]
    assert not leaked, leaked


def test_the_accepted_pages_and_the_prose_are_published(path_result: PathResult) -> None:
    assert path_result.site is not None
    for case in path_result.accepted:
        if case in PAGES:
            page = path_result.site / "services/svc" / case / "index.html"
            assert page.is_file(), page
    assert list(path_result.site.glob("services/hostile-0/**/*.html"))


def _site_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if p.relative_to(site).as_posix().startswith(("services/svc/",
                                                                "services/hostile-")))


def test_the_site_is_inert_as_parsed(path_result: PathResult) -> None:
    assert path_result.site is not None
    pages = _site_pages(path_result.site)
    assert len(pages) > 10
    # A team page may show images (their URLs are checked like every link); catalog prose may
    # not, and a bogus comment's `<img onerror=...>` is published as a plain `<img>`.
    problems = [p for rel in pages for p in _inert_problems(
        (path_result.site / rel).read_text("utf-8"), rel)
        if not (rel.startswith("services/svc/") and p.endswith("<img> in the page content"))]
    assert not problems, "\n".join(problems)


def test_no_dialog_and_no_handler_runs_in_chromium(path_result: PathResult) -> None:
    if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
        pytest.skip(f"{CHROMIUM} is not installed; this test always runs in CI")
    assert path_result.site is not None
    assert active_content(path_result.site, _site_pages(path_result.site)) == []


# --- a site's own markers, and include-markdown ---------------------------------------------------
#
# Three sites, each enabling one more file reader:
#
# - ``mdx_include``: ``mdx_include`` with markers of its own choosing ('@@' ... '@@', which no
#   escaping of catalog values changes);
# - ``include-markdown``: the include-markdown plugin (``plugins:``; mkdocs-include-markdown-plugin
#   in MkDocs, Zensical's own implementation) with its default tags ('{%' ... '%}'), listed
#   before opsready (its page hook would run first at the same priority: opsready's runs
#   earlier, so that a team page is checked before anything reads the files it names);
# - ``include-markdown-tags``: the same plugin with tags of its own ('@@' ... '@@') and a
#   directive renamed (``include`` -> ``insert``);
# - ``zensical-extension``: Zensical's include-markdown as a Markdown extension, with tags of its
#   own ('%%' ... '%%'): Zensical builds with it, and ``opsready pack`` converts runbooks with it.
#
# Every catalog value that can reach a page (a command in a fence, plain text, prose, a
# {file: ...} Markdown file) and a team page use the site's syntax to include the repository's
# .git/config and a file outside the repository. The platform's home page uses it too, to
# include a file of the repository: that proves each builder runs the reader with this syntax.
# Every path refuses every case, naming file and line; the site built without them holds the
# platform's inclusion (in its HTML and its search index) and no byte of either secret.

PLATFORM_TEXT = "PLATFORM_INCLUDED_3d91e7"
MARKER_PATHS = ("plugin", "generate+mkdocs", "generate+zensical")


@dataclass(frozen=True)
class ReaderSite:
    """A site enabling one file reader with the syntax it reads."""

    extensions: list[Any]
    """Its ``markdown_extensions`` after the common ones."""
    plugins_before: list[Any]
    """Plugins listed before opsready."""
    mark: str
    """What the line a refusal names holds."""
    shown: str
    """How a refusal shows the syntax."""
    include: Callable[[str], str]
    """The syntax that includes a file (its absolute path)."""
    package: str
    """The module the MkDocs paths need (Zensical has its own include-markdown)."""
    paths: tuple[str, ...] = MARKER_PATHS
    """The paths whose builder reads this syntax."""


def _at(path: str) -> str:
    return f"@@{path}@@"


READER_SITES = {
    "mdx_include": ReaderSite(
        [{"mdx_include": {"syntax_left": "@@", "syntax_right": "@@"}}], [], "@@",
        "'@@' ... '@@'", _at, "mdx_include"),
    "include-markdown": ReaderSite(
        [], ["include-markdown"], "{%", "'{% include-markdown' or '{% include'",
        lambda path: f"{{% include-markdown '{path}' %}}", "mkdocs_include_markdown_plugin"),
    "include-markdown-tags": ReaderSite(
        [], [{"include-markdown": {"opening_tag": "@@", "closing_tag": "@@",
                                   "directives": {"include": "insert"}}}],
        "@@", "'@@' include or include-markdown or insert ... '@@'",
        lambda path: f"@@ insert '{path}' @@", "mkdocs_include_markdown_plugin"),
    # Zensical's include-markdown as a Markdown extension: Zensical builds with it, and
    # `opsready pack` converts the catalog's runbooks with the site's extensions.
    "zensical-extension": ReaderSite(
        [{"zensical.extensions.include_markdown": {"opening_tag": "%%", "closing_tag": "%%"}}],
        [], "%%", "'%%' include or include-markdown ... '%%'",
        lambda path: f"%% include '{path}' %%", "zensical", ("generate+zensical",)),
}


def _marker_cases(site: ReaderSite, outside: Path) -> dict[str, tuple[str, str]]:
    """Case -> (file written under the repository, its text); the line of the file holding
    ``site.mark`` is the line a refusal must name. ``outside``'s sibling is the repository."""
    root = outside.parent / outside.name.removesuffix("-outside")
    git, secret = site.include(f"{root}/.git/config"), site.include(f"{outside}/secret.txt")
    return {
        "command": ("service_catalog/mk-command.yaml", service_yaml("mk-command", extra=f"""\
            alerts:
              - name: Down
                severity: SEV-3
                summary: Down.
                diagnosis:
                  - title: Logs
                    command: |
                      echo hi
                      {git}
                      {secret}
            """)),
        "plain": ("service_catalog/mk-plain.yaml", service_yaml("mk-plain", extra=f"""\
            alerts:
              - name: Down
                severity: SEV-3
                summary: Down {git} {secret}
            """)),
        "prose": ("service_catalog/mk-prose.yaml", service_yaml("mk-prose", extra=f"""\
            runbook:
              on_call: |
                Read this.

                {git}

                {secret}
            """)),
        "markdown-file": ("service_catalog/mk-file/on-call.md",
                          f"# On call\n\n{git}\n\n{secret}\n"),
        "team-page": ("docs/services/svc/markers.md",
                      f"# Notes\n\n```\n{git}\n{secret}\n```\n\n{git}\n"),
    }


def _prepare_markers(site: ReaderSite, root: Path, cases: list[str]
                     ) -> dict[str, tuple[str, int]]:
    """The repository for the marker cases still in ``cases``: case -> (file, line)."""
    if root.exists():
        shutil.rmtree(root)
    outside = root.parent / f"{root.name}-outside"
    if outside.exists():
        shutil.rmtree(outside)
    _write(outside, {"secret.txt": OUTSIDE_SECRET + "\n"})
    files = {"service_catalog/teams.yaml": TEAMS_YAML,
             "service_catalog/svc.yaml": service_yaml("svc"),
             "service_catalog/mk-file/service.yaml": service_yaml(
                 "mk-file", extra="runbook: {on_call: {file: on-call.md}}\n"),
             "service_catalog/mk-file/on-call.md": "# On call\n\nRead this.\n",
             "docs/index.md": f"# Home\n\n{site.include(f'{root}/platform.md')}\n",
             "platform.md": PLATFORM_TEXT + "\n",
             ".git/config": f"[remote]\n  token = {GIT_SECRET}\n"}
    expected = {}
    for case, (name, text) in _marker_cases(site, outside).items():
        if case in cases:
            files[name] = text
            expected[case] = (name, text.split("\n").index(
                next(line for line in text.split("\n") if site.mark in line)) + 1)
    plugins = CONFIG["plugins"]
    config = {**CONFIG, "plugins": [plugins[0], *site.plugins_before, *plugins[1:]],
              "markdown_extensions": [*CONFIG["markdown_extensions"][:-1], *site.extensions]}
    files["mkdocs.yml"] = yaml.safe_dump(config, sort_keys=False)
    _write(root, files)
    return expected


def _secrets_in(folder: Path) -> list[str]:
    return [p.relative_to(folder).as_posix() for p in _files(folder)
            if GIT_SECRET.encode() in p.read_bytes() or OUTSIDE_SECRET.encode() in p.read_bytes()]


def _check(root: Path) -> list[str] | None:
    """``opsready check`` in the repository (it finds ./mkdocs.yml), in this process."""
    from opsready.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with _in(root), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "service_catalog", "--no-readiness", "--no-cache"])
    return None if code == 0 else out.getvalue().splitlines() + [err.getvalue()]


def _builder(path: str) -> Callable[[Path], list[str] | None]:
    """``opsready generate`` then the builder of ``path`` (``mkdocs build -f`` or Zensical)."""
    def run(root: Path) -> list[str] | None:
        errors = _generate(root)
        if errors is not None:
            return errors
        tool = Path(sys.executable).parent / ("mkdocs" if path == "generate+mkdocs"
                                               else "zensical")
        proc = subprocess.run([str(tool), "build", "-f", "builder.yml"], cwd=root, env=_env(),
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
        return None
    return run


@dataclass
class MarkerResult:
    refused: dict[str, str] = field(default_factory=dict)
    """Case -> the message that named its file and line."""
    leaked: list[str] = field(default_factory=list)
    """Files of any run's output that held a secret."""
    site: Path | None = None


def _classify_markers(site: ReaderSite, root: Path, run: Callable[[Path], list[str] | None],
                      output: str = "site") -> MarkerResult:
    result = MarkerResult()
    remaining = list(_marker_cases(site, root))
    while True:
        expected = _prepare_markers(site, root, remaining)
        errors = run(root)
        if (root / output).is_dir():  # a failed build too: nothing it wrote holds a secret
            result.leaked += _secrets_in(root / output)
        if errors is None:
            result.site = root / output
            return result
        named = {case: message for case, (name, line) in expected.items() for message in errors
                 if re.search(rf"{re.escape(name.removeprefix('docs/'))}:{line}\b", message)}
        assert named, "a run failed without naming a case:\n" + "\n".join(errors)
        result.refused.update(named)
        remaining = [c for c in remaining if c not in named]


def _needs(package: str) -> None:
    try:
        __import__(package)
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"{package} is not installed (pip install -e '.[test]')")


@pytest.fixture(scope="module",
                params=[(s, p) for s, site in READER_SITES.items() for p in site.paths],
                ids=lambda sp: f"{sp[0]}-{sp[1]}")
def marker_path(request: pytest.FixtureRequest,
                tmp_path_factory: pytest.TempPathFactory) -> tuple[ReaderSite, MarkerResult]:
    name, path = request.param
    site = READER_SITES[name]
    if path == "generate+zensical":
        if not (Path(sys.executable).parent / "zensical").exists():
            pytest.skip("zensical is not installed (pip install -e '.[test]')")
        if site.package != "mkdocs_include_markdown_plugin":  # Zensical has its own
            _needs(site.package)
    else:
        _needs(site.package)
    run = _plugin if path == "plugin" else _builder(path)
    return site, _classify_markers(site, tmp_path_factory.mktemp("markers") / "repo", run)


def _search_texts(site: Path) -> str:
    """Every text of the built site's search index (MkDocs' or Zensical's), parsed."""
    import json

    index = next(p for p in (site / "search/search_index.json", site / "search.json")
                 if p.is_file())
    data = json.loads(index.read_text("utf-8"))
    docs = data.get("docs", data.get("items", [])) if isinstance(data, dict) else data
    return "\n".join(str(d.get("text", "")) + str(d.get("title", "")) for d in docs)


def test_every_path_refuses_the_sites_file_reader_and_publishes_no_secret(
        marker_path: tuple[ReaderSite, MarkerResult]) -> None:
    site, result = marker_path
    assert result.leaked == []
    assert result.site is not None and _secrets_in(result.site) == []
    assert set(result.refused) == set(_marker_cases(site, Path("/x"))), result.refused
    for message in result.refused.values():
        assert site.shown in message and "hint:" in message, message
    home = BeautifulSoup((result.site / "index.html").read_text("utf-8"), "html.parser")
    assert PLATFORM_TEXT in home.get_text()  # the builder read the syntax: the test can fail
    texts = _search_texts(result.site)
    assert PLATFORM_TEXT in texts and GIT_SECRET not in texts and OUTSIDE_SECRET not in texts


@pytest.mark.parametrize("name", list(READER_SITES))
def test_opsready_check_refuses_the_sites_file_reader_in_catalog_values(
        tmp_path: Path, name: str) -> None:
    site = READER_SITES[name]
    result = _classify_markers(site, tmp_path / "repo", _check)
    catalog_cases = set(_marker_cases(site, Path("/x"))) - {"team-page"}  # no team page read
    assert set(result.refused) == catalog_cases, result.refused
    assert all(site.shown in m for m in result.refused.values())


def _pack(root: Path) -> list[str] | None:
    """``opsready pack --all --no-pdf`` into ``packs/`` (it finds ./mkdocs.yml), in this
    process."""
    from opsready.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with _in(root), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["pack", "--out", "packs", "--all", "--no-pdf"])
    return None if code == 0 else err.getvalue().splitlines()


@pytest.mark.parametrize("name", ["include-markdown", "zensical-extension"])
def test_opsready_pack_refuses_the_sites_file_reader_and_writes_no_secret(
        tmp_path: Path, name: str) -> None:
    """``opsready pack`` converts runbooks with the site's Markdown extensions (not its
    plugins): with Zensical's include-markdown extension it would read the files; either way
    the catalog's values are refused with the site's syntax, and no pack holds a secret."""
    site = READER_SITES[name]
    if name == "zensical-extension":
        _needs(site.package)
    result = _classify_markers(site, tmp_path / "repo", _pack, output="packs")
    assert result.leaked == []
    assert result.site is not None and _secrets_in(result.site) == []
    catalog_cases = set(_marker_cases(site, Path("/x"))) - {"team-page"}
    assert set(result.refused) == catalog_cases, result.refused
    assert all(site.shown in m and "hint:" in m for m in result.refused.values())
    if site.extensions:  # the pack's converter reads the syntax: the test can fail
        from opsready.output.pack.convert import site_converter

        md = site_converter(site.extensions, lambda level, message: None)
        included = md.convert(site.include(str(tmp_path / "repo" / "platform.md")))
        assert PLATFORM_TEXT in included

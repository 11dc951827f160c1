"""The page conversion cache (``render_cache``): real builds of small sites, cold, warm and
without the cache, compared file by file; warnings replayed; untrusted entries ignored; keys
that change with what the conversion depends on; workers that convert generated pages."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from conftest import DEFAULT_THEME, catalog_with, service_yaml, write_files

LINKS = "# Links\n\nSee [the guide](guide.md) and [the API runbook](services/api/runbook.md).\n"
TEAM_PAGE = "# Api notes\n\n## Deploys\n\nRead [the missing page](nowhere.md).\n"


class Built:
    """One build: its plugin (conversion counters), warnings and output folder."""

    def __init__(self, plugin: Any, warnings: list[str], site: Path) -> None:
        self.plugin, self.warnings, self.site = plugin, warnings, site

    @property
    def converted(self) -> set[str]:
        return set(self.plugin.converted) if self.plugin is not None else set()

    @property
    def restored(self) -> set[str]:
        return set(self.plugin.restored) if self.plugin is not None else set()


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def make_site(root: Path, *, toc: dict[str, Any] | None = None, **opsready: Any) -> Path:
    services = {name: service_yaml(name) for name in ("api", "web")}
    write_files(root / "service_catalog", catalog_with(**services))
    write_files(root / "docs", {"index.md": "# Home\n\nWelcome.\n", "links.md": LINKS,
                                "guide.md": "# Guide\n\n## Setup\n\nText.\n",
                                "services/api/notes.md": TEAM_PAGE})
    config = {"site_name": "Cache test", "theme": DEFAULT_THEME,
              "plugins": ["search", {"opsready": {"readiness": False, "diagrams": False,
                                                  **opsready}}],
              "markdown_extensions": [{"toc": toc or {"permalink": True}}]}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return root


def run_build(root: Path, site: str, *, strict: bool = False) -> Built:
    cfg = load_config(str(root / "mkdocs.yml"), strict=strict, site_dir=str(root / site))
    handler = _Warnings()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        build(cfg)
    finally:
        os.chdir(cwd)
        logger.removeHandler(handler)
    return Built(cfg.plugins.get("opsready/render_cache"), handler.messages, root / site)


def set_option(root: Path, **opsready: Any) -> None:
    path = root / "mkdocs.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["plugins"][1]["opsready"].update(opsready)
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def tree(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.name != "sitemap.xml.gz"}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path, cache_dir=str(tmp_path / "cache"))


def cache_entries(root: Path) -> list[Path]:
    return sorted((root / "cache" / "rendered").glob("*/*"))


def test_cold_warm_and_uncached_builds_are_byte_identical(site: Path) -> None:
    cold = run_build(site, "cold")
    warm = run_build(site, "warm")
    set_option(site, render_cache=False)
    off = run_build(site, "off")
    assert off.plugin is None
    pages = cold.converted | cold.restored
    assert {"index.md", "links.md", "services/api/notes.md"} <= pages
    assert warm.converted == set() and warm.restored == pages
    assert tree(cold.site) == tree(warm.site) == tree(off.site)
    assert (warm.site / "search" / "search_index.json").read_bytes() \
        == (off.site / "search" / "search_index.json").read_bytes()
    # The table of contents and the title came back too (permalinks, nav entries).
    soup = BeautifulSoup((warm.site / "guide" / "index.html").read_text(), "html.parser")
    assert soup.select_one("a.md-nav__link[href='#setup']") is not None
    assert soup.select_one("h2#setup a.headerlink") is not None


def test_text_that_looks_like_an_html_tag_with_a_bare_id_builds_cold_and_warm(
        site: Path) -> None:
    # MkDocs reads '<team id>' as a tag with an id of None; the cache sorted the ids and the
    # whole build failed on one line of a team's page.
    notes = site / "docs" / "services" / "api" / "notes.md"
    notes.write_text("# Api notes\n\nLinks use <team id> and `<team id>`; see [x](#top).\n\n"
                     "## Top { #top }\n", encoding="utf-8")
    cold = run_build(site, "cold")
    warm = run_build(site, "warm")
    assert not [w for w in cold.warnings + warm.warnings if "notes.md" in w]
    assert "services/api/notes.md" in cold.converted and "services/api/notes.md" in warm.restored
    assert tree(cold.site) == tree(warm.site)


def test_an_unresolved_link_warns_cold_and_warm_and_strict_fails_both(site: Path) -> None:
    expected = "contains a link 'nowhere.md'"
    cold = run_build(site, "cold")
    warm = run_build(site, "warm")
    assert "services/api/notes.md" in warm.restored
    for built in (cold, warm):
        assert [w for w in built.warnings if expected in w and "services/api/notes.md" in w]
    aborts = []
    for _ in range(2):  # the second strict build reuses the first one's entries
        with pytest.raises(Abort, match="warnings in strict mode") as failed:
            run_build(site, "strict", strict=True)
        aborts.append(str(failed.value))
    assert aborts[0] == aborts[1]


def test_a_tampered_or_planted_entry_is_not_used(site: Path) -> None:
    cold = run_build(site, "cold")
    stored = {path: path.read_bytes() for path in cache_entries(site)}
    assert len(stored) == len(cold.converted | cold.restored)
    home = next(p for p, data in stored.items() if b"Welcome." in data)
    guide = next(p for p, data in stored.items() if b'id=\\"setup\\"' in data)
    mac, _, body = stored[home].partition(b"\n")  # the signature kept, the body changed
    home.write_bytes(mac + b"\n" + body.replace(b"Welcome.", b"<script>x()</script>"))
    body = stored[guide].partition(b"\n")[2]  # a planted entry with a made-up signature
    guide.write_bytes(b"0" * 64 + b"\n" + body.replace(b"Text.", b"<script>y()</script>"))
    warm = run_build(site, "warm")
    assert warm.converted == {"index.md", "guide.md"}
    assert warm.restored == (cold.converted | cold.restored) - {"index.md", "guide.md"}
    assert tree(cold.site) == tree(warm.site)
    assert b"x()" not in (warm.site / "index.html").read_bytes()


def test_an_extension_option_change_converts_every_page_again(tmp_path: Path) -> None:
    root = make_site(tmp_path, cache_dir=str(tmp_path / "cache"))
    cold = run_build(root, "cold")
    make_site(tmp_path, toc={"permalink": False}, cache_dir=str(tmp_path / "cache"))
    changed = run_build(root, "changed")
    assert changed.restored <= {p for p in changed.restored if p.startswith("services/")}
    assert changed.converted | changed.restored == cold.converted | cold.restored
    assert not set(changed.restored) & {"index.md", "guide.md", "links.md"}
    assert b"headerlink" not in (changed.site / "guide" / "index.html").read_bytes()


def test_moving_a_linked_page_converts_again_the_pages_that_link_to_it(site: Path) -> None:
    run_build(site, "cold")
    (site / "docs" / "guide.md").rename(site / "docs" / "manual.md")
    moved = run_build(site, "moved")
    assert "links.md" in moved.converted
    assert any("contains a link 'guide.md'" in w for w in moved.warnings)
    html = (moved.site / "links" / "index.html").read_text(encoding="utf-8")
    assert 'href="guide.md"' in html


def test_a_rebuild_after_editing_one_page_converts_only_that_page(site: Path) -> None:
    set_option(site, concurrency=1)  # no workers: every page is converted here
    first = run_build(site, "one")
    assert len(first.converted) > 3 and first.restored == set()
    (site / "docs" / "guide.md").write_text("# Guide\n\n## Setup\n\nNew text.\n")
    second = run_build(site, "two")  # the same process, as `mkdocs serve` rebuilds
    assert second.converted == {"guide.md"}
    assert second.restored == first.converted - {"guide.md"}
    assert "New text." in (second.site / "guide" / "index.html").read_text(encoding="utf-8")
    # The entry of the old text stays until the folder's bound removes it (``cache.prune``).
    assert len(cache_entries(site)) == len(first.converted) + 1


WORKER_RUN = """
import json, sys, time
from mkdocs.commands.build import build
from mkdocs.config import load_config
from opsready.mkdocs_plugin import html_workers as render_workers
started = render_workers.Preconverter.__init__

def start_and_wait(self, *args, **kwargs):
    # Test hook: let the workers claim every page before MkDocs reaches the first one.
    started(self, *args, **kwargs)
    deadline = time.monotonic() + 60
    while not all(self.claims) and time.monotonic() < deadline:
        time.sleep(0.01)

render_workers.MIN_JOBS = 1
render_workers.Preconverter.__init__ = start_and_wait
cfg = load_config(sys.argv[1], site_dir=sys.argv[2])
build(cfg)
plugin = cfg.plugins["opsready/render_cache"]
print(json.dumps({"converted": plugin.converted, "restored": plugin.restored,
                  "indexed": plugin.search_computed}))
"""


def worker_build(root: Path, site: str) -> dict[str, set[str]]:
    """A cold build in a fresh process, as `mkdocs build` runs (workers are forked only
    without other threads), whose workers claim every generated page first."""
    out = subprocess.run([sys.executable, "-c", WORKER_RUN, str(root / "mkdocs.yml"),
                          str(root / site)], cwd=root, capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    counts = json.loads(out.stdout.strip().splitlines()[-1])
    return {name: set(pages) for name, pages in counts.items()}


def test_workers_convert_and_index_generated_pages_to_the_same_site(site: Path) -> None:
    set_option(site, concurrency=3)
    counts = worker_build(site, "parallel")
    converted, restored = counts["converted"], counts["restored"]
    generated = {p for p in converted | restored
                 if p.startswith(("services/", "runbooks/", "reference/"))} \
        - {"services/api/notes.md"}
    assert len(generated) > 5 and restored == generated
    assert "services/api/notes.md" in converted  # hand-written: converted by MkDocs' process
    # The workers indexed the pages they converted: MkDocs' process indexed only the others.
    assert counts["indexed"] == converted
    warm = run_build(site, "warm")
    assert warm.plugin.search_computed == []
    set_option(site, render_cache=False)
    off = run_build(site, "off")
    assert tree(site / "parallel") == tree(off.site) == tree(warm.site)
    index = (off.site / "search" / "search_index.json").read_text(encoding="utf-8")
    locations = {doc["location"] for doc in json.loads(index)["docs"]}
    assert "services/api/runbook/" in locations


def test_a_page_a_plugin_edits_after_conversion_is_indexed_as_edited(site: Path) -> None:
    # The worker indexed the HTML it converted; a hook changes it afterwards: the stored
    # entries do not fit that page any more, and MkDocs' process indexes what it serves.
    (site / "hook.py").write_text(
        "def on_page_content(html, page, config, files):\n"
        "    if page.file.src_uri == 'services/api/runbook.md':\n"
        "        return html + '<p>Added by a hook.</p>'\n"
        "    return html\n", encoding="utf-8")
    config = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8"))
    config["hooks"] = ["hook.py"]
    config["plugins"][1]["opsready"]["concurrency"] = 3
    (site / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    counts = worker_build(site, "parallel")
    assert "services/api/runbook.md" in counts["restored"]
    assert "services/api/runbook.md" in counts["indexed"]
    assert "services/api/index.md" in counts["restored"] - counts["indexed"]
    index = (site / "parallel" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Added by a hook." in index
    set_option(site, render_cache=False)
    off = run_build(site, "off")
    assert tree(site / "parallel") == tree(off.site)


def test_the_key_names_functions_and_partials_the_same_in_every_run() -> None:
    import functools

    from pymdownx.slugs import slugify

    from opsready.mkdocs_plugin.html_convert import _stable
    first = _stable({"toc": {"slugify": slugify(case="lower"), "permalink": True}})
    again = _stable({"toc": {"permalink": True, "slugify": slugify(case="lower")}})
    assert first == again and "0x" not in repr(first)
    assert _stable({"s": slugify(case="fold")}) != _stable({"s": slugify(case="lower")})
    assert _stable(functools.partial(len)) == ["partial", "builtins.len", [], []]


def test_extensions_that_read_files_or_keep_state_turn_the_cache_off(tmp_path: Path) -> None:
    from markdown.extensions.abbr import AbbrExtension

    from opsready.mkdocs_plugin.html_convert import unsupported
    (tmp_path / "docs").mkdir()
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml.safe_dump({"site_name": "x", "markdown_extensions": ["toc"]}))
    cfg = load_config(str(path))
    assert unsupported(cfg) == ""
    cfg.markdown_extensions.append("pymdownx.snippets")
    assert "pymdownx.snippets includes other files" in unsupported(cfg)
    cfg.markdown_extensions[-1:] = [AbbrExtension()]  # as plugins such as autorefs add theirs
    assert "added by a plugin" in unsupported(cfg)


def test_search_entries_come_back_unchanged_and_only_when_signed(site: Path) -> None:
    cold = run_build(site, "cold")
    stored = sorted((site / "cache" / "search").glob("*/*"))
    assert len(stored) == len(cold.converted | cold.restored)
    home = next(p for p in stored if b'"location":""' in p.read_bytes())
    mac, _, body = home.read_bytes().partition(b"\n")
    home.write_bytes(mac + b"\n" + body.replace(b"Welcome.", b"Planted words."))
    warm = run_build(site, "warm")
    index = "search/search_index.json"
    assert (warm.site / index).read_bytes() == (cold.site / index).read_bytes()
    assert b"Planted words." not in (warm.site / index).read_bytes()
    (site / "docs" / "index.md").write_text("# Home\n\nChanged words.\n", encoding="utf-8")
    edited = run_build(site, "edited")
    assert b"Changed words." in (edited.site / index).read_bytes()

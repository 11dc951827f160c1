"""``mkdocs serve`` keeps one process for every rebuild: what a build no longer needs is
released, so that memory does not grow with each rebuild (nor hold two builds at once)."""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files

from opsready.cache.rebuild_memo import Memo
from test_plugin_serve import make_site


class FilesKeeper(BasePlugin):  # type: ignore[type-arg]
    """Keeps the build's files, as mkdocs-macros does for the whole `mkdocs serve` session."""

    files: Files | None = None

    def on_files(self, files: Files, *, config: Any) -> Files:
        self.files = files
        return files


def test_written_generated_pages_release_their_markdown_and_html(tmp_path: Path) -> None:
    cfg = make_site(tmp_path)
    keeper = FilesKeeper()
    cfg.plugins["files-keeper"] = keeper
    build(cfg)
    assert keeper.files is not None
    generated = [f for f in keeper.files.documentation_pages() if f.generated_by == "opsready"]
    assert generated
    for f in generated:
        assert f.page is not None
        assert (f.page.markdown, f.page.content, list(f.page.toc)) == (None, None, [])
    # Released after writing: the published page has its content.
    html = (Path(cfg.site_dir) / "services" / "api" / "index.html").read_text(encoding="utf-8")
    heading = BeautifulSoup(html, "html.parser").find("h1")
    assert heading is not None and "Api" in heading.get_text()
    own = keeper.files.get_file_from_path("index.md")
    assert own is not None and own.page is not None and "Home" in (own.page.content or "")


def test_the_plugin_keeps_no_data_of_a_finished_build(tmp_path: Path) -> None:
    cfg = make_site(tmp_path)
    build(cfg)
    plugin = cfg.plugins["opsready"]
    for name in ("site", "readiness", "out", "team_pages", "services_section"):
        assert not hasattr(plugin, name), name


class Value:
    """A value a memo can hold (and a weak reference can follow)."""


def test_a_memo_releases_its_old_value_before_computing_the_new_one() -> None:
    memo: Memo[Value] = Memo()
    old = weakref.ref(memo.get("a", Value))
    assert old() is not None
    alive_while_computing: list[bool] = []

    def compute() -> Value:
        alive_while_computing.append(old() is not None)
        return Value()

    second = memo.get("b", compute)
    assert alive_while_computing == [False]
    assert memo.get("b", Value) is second  # same key: not computed again

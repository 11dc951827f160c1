"""``mkdocs serve`` with the real plugin: after one service's YAML is edited, the next build
renders only that service's pages and draws only its diagrams again; ``opsready generate``
writes the golden Markdown whether pages are rendered, cached or rendered on worker processes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import rich_catalog, write_files
from generate_support import write_site
from opsready.cli.main import main
from opsready.output import assemble
from opsready.pages import page_workers
from test_golden import GOLDEN, _texts


class Counts:
    """Services whose pages were rendered and diagrams drawn, build by build."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.pages: list[list[str]] = []
        self.diagrams: list[list[str]] = []
        render_service, draw = page_workers.render_service, assemble.drawn_diagrams

        def counting_render(templates: Any, inputs: Any, sid: str, pages: Any) -> Any:
            self.pages[-1].append(sid)
            return render_service(templates, inputs, sid, pages)

        def counting_draw(*args: Any, **kwargs: Any) -> Any:
            result = draw(*args, **kwargs)
            self.pages.append([])
            self.diagrams.append(list(result.report.rendered))
            return result

        monkeypatch.setattr(page_workers, "render_service", counting_render)
        monkeypatch.setattr(assemble, "drawn_diagrams", counting_draw)


def config_of(root: Path) -> Any:
    """The site's config, loaded again for each build as ``mkdocs serve`` does (the plugin
    instance, which defines ``on_startup``, is kept by MkDocs across loads)."""
    return load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))


def test_after_editing_one_service_only_its_pages_and_diagrams_are_recomputed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_files(tmp_path / "service_catalog", rich_catalog())
    write_files(tmp_path / "docs", {"index.md": "# Home\n"})
    config = {"site_name": "Serve", "theme": {"name": "material", "font": False},
              "plugins": [{"opsready": {"cache_dir": ".cache", "concurrency": 1,
                                        "enforce": False}}]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    load_config(str(tmp_path / "mkdocs.yml")).plugins.on_startup(command="serve", dirty=False)
    counts = Counts(monkeypatch)
    build(config_of(tmp_path))
    assert sorted(counts.pages[0]) == ["", "checkout", "ledger"]  # "": the fleet-wide pages
    assert counts.diagrams[0], "the first build draws every diagram"
    before = (tmp_path / "site" / "services" / "ledger" / "index.html").read_bytes()
    path = tmp_path / "service_catalog" / "checkout" / "service.yaml"
    path.write_text(path.read_text().replace("name: checkout-db", "name: orders-db"))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    build(config_of(tmp_path))
    assert counts.pages[1] == ["", "checkout"]  # the indexes list every service
    assert counts.diagrams[1] and all("checkout" in d for d in counts.diagrams[1])
    assert set(counts.diagrams[1]) < set(counts.diagrams[0])
    assert "orders-db" in (tmp_path / "site" / "services" / "checkout" / "architecture" /
                           "index.html").read_text()
    assert (tmp_path / "site" / "services" / "ledger" / "index.html").read_bytes() == before
    build(config_of(tmp_path))
    assert counts.pages[2] == [] and counts.diagrams[2] == []


@pytest.mark.parametrize("concurrency", [1, 2])
def test_generate_writes_the_golden_markdown_cold_warm_and_on_workers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        concurrency: int) -> None:
    monkeypatch.setenv("OPSREADY_TODAY", "2026-06-01")
    monkeypatch.setattr(page_workers, "MIN_PARALLEL", 1)
    config = write_site(tmp_path, readiness=True, diagrams=True, format_reference=True,
                        diagrams_cache_dir=str(tmp_path / "diagrams"), cache_dir="cache",
                        concurrency=concurrency)
    want = _texts(GOLDEN)
    for run, said in ((1, "pages: 2 service(s) rendered"), (2, "pages: 0 service(s) rendered")):
        out = tmp_path / f"out{run}"
        assert main(["generate", "--config", str(config), "--out", str(out)]) == 0
        assert said in capsys.readouterr().err
        assert _texts(out) == want

"""``mkdocs serve``: the catalog and templates are watched, and caches survive rebuilds until a
watched file changes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

from conftest import catalog_with, service_yaml


class Server:
    """Records what the plugin asks the live-reload server to watch."""

    def __init__(self) -> None:
        self.watched: list[tuple[str, bool]] = []

    def watch(self, path: str, recursive: bool = True) -> None:
        self.watched.append((path, recursive))


def make_site(root: Path, templates: bool = True) -> Any:
    for name, text in catalog_with(api=service_yaml("api")).items():
        (root / "service_catalog").mkdir(parents=True, exist_ok=True)
        (root / "service_catalog" / name).write_text(text, encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    if templates:
        (root / "templates").mkdir()
    config = {"site_name": "Serve", "plugins": [{"opsready": {"readiness": False,
                                                              "diagrams": False}}]}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    cfg = load_config(str(root / "mkdocs.yml"))
    cfg.plugins.on_startup(command="serve", dirty=False)
    return cfg.plugins.on_config(cfg)


def test_serve_watches_the_catalog_and_the_templates(tmp_path: Path) -> None:
    cfg = make_site(tmp_path)
    server = Server()
    cfg.plugins["opsready"].on_serve(server, config=cfg, builder=None)
    assert server.watched == [(str((tmp_path / "service_catalog").resolve()), True),
                              (str((tmp_path / "templates").resolve()), True)]


def test_without_a_templates_folder_only_the_catalog_is_watched(tmp_path: Path) -> None:
    cfg = make_site(tmp_path, templates=False)
    server = Server()
    cfg.plugins["opsready"].on_serve(server, config=cfg, builder=None)
    assert [p for p, _ in server.watched] == [str((tmp_path / "service_catalog").resolve())]


def test_the_catalog_is_read_again_only_when_a_file_changed(tmp_path: Path) -> None:
    cfg = make_site(tmp_path)
    plugin = cfg.plugins["opsready"]
    plugin.on_pre_build(config=cfg)
    first = plugin.catalog
    plugin.on_pre_build(config=cfg)
    assert plugin.catalog is first  # nothing changed: the same loaded catalog
    path = tmp_path / "service_catalog" / "api.yaml"
    path.write_text(path.read_text().replace("name: Api", "name: Renamed API"))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    plugin.on_pre_build(config=cfg)
    assert plugin.catalog is not first
    assert plugin.catalog.services["api"].name == "Renamed API"


def test_templates_are_compiled_again_only_when_a_file_changed(tmp_path: Path) -> None:
    cfg = make_site(tmp_path)
    plugin = cfg.plugins["opsready"]
    first = plugin._templates()
    assert plugin._templates() is first
    (tmp_path / "templates" / "runbook.md.j2").write_text("# Mine\n", encoding="utf-8")
    second = plugin._templates()
    assert second is not first
    assert second.source_of("runbook.md.j2") == "site"


def test_the_catalog_is_judged_again_when_only_the_sites_markers_changed(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The loaded catalog is kept across rebuilds by the catalog's files and the markers the
    site set for a file-reading extension: a rebuild after only mkdocs.yml's mdx_include
    markers changed judges the catalog by the new ones."""
    cfg = make_site(tmp_path)
    path = tmp_path / "service_catalog" / "api.yaml"
    path.write_text(path.read_text().replace("The Api service.", "See @@.git/config@@"))
    plugin = cfg.plugins["opsready"]
    plugin.on_pre_build(config=cfg)  # the default markers only: accepted
    # `mkdocs serve` after an edit of mkdocs.yml: the same plugin instance, a new config.
    cfg.markdown_extensions.append("mdx_include")
    cfg.mdx_configs["mdx_include"] = {"syntax_left": "@@", "syntax_right": "@@"}
    plugin.on_config(cfg)
    with pytest.raises(PluginError):
        plugin.on_pre_build(config=cfg)
    assert any("api.yaml:3:" in r.getMessage() and "'@@' ... '@@'" in r.getMessage()
               for r in caplog.records)



def test_the_catalog_is_judged_again_when_only_include_markdowns_tags_changed(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The same for the tags of the include-markdown plugin (``plugins:``, its options as MkDocs
    validated them): part of the key of the catalog kept across rebuilds."""
    from types import SimpleNamespace

    cfg = make_site(tmp_path)
    path = tmp_path / "service_catalog" / "api.yaml"
    path.write_text(path.read_text().replace("The Api service.", "See << include 'x' >>"))
    plugin = cfg.plugins["opsready"]
    cfg.plugins["include-markdown"] = SimpleNamespace(config={"opening_tag": "{%"})
    plugin.on_config(cfg)
    plugin.on_pre_build(config=cfg)  # the default tags: accepted
    cfg.plugins["include-markdown"].config = {"opening_tag": "<<", "closing_tag": ">>"}
    plugin.on_config(cfg)
    with pytest.raises(PluginError):
        plugin.on_pre_build(config=cfg)
    assert any("api.yaml:3:" in r.getMessage() and "'<<' include" in r.getMessage()
               for r in caplog.records)

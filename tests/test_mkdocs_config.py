"""What the plugin adds to MkDocs' configuration, tested on a loaded config without a build."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config

from opsready.mkdocs_plugin.mkdocs_additions import MACROS_STRICT, extend_config
from opsready.output.assemble import REQUIRED_EXTENSIONS
from opsready.output.options import SiteOptions, resolve_dirs


def _config(tmp_path: Path, plugins: str = "[search]") -> object:
    (tmp_path / "docs").mkdir()
    (tmp_path / "service_catalog").mkdir()
    (tmp_path / "mkdocs.yml").write_text(f"site_name: t\nplugins: {plugins}\n", encoding="utf-8")
    return load_config(str(tmp_path / "mkdocs.yml"))


def test_extensions_assets_and_render_cache_are_added_once(tmp_path: Path) -> None:
    config = _config(tmp_path)
    options = SiteOptions.from_mapping({})
    dirs = resolve_dirs(options, tmp_path, lambda level, text: None)
    warnings: list[str] = []
    for _ in range(2):  # a config loaded once and built twice
        extend_config(config, options, dirs, False, warnings.append)
    extensions = list(config.markdown_extensions)
    assert all(extensions.count(ext) == 1 for ext in REQUIRED_EXTENSIONS)
    assets = [str(a) for a in [*config.extra_css, *config.extra_javascript]]
    assert assets and len(assets) == len(set(assets))
    assert "opsready/render_cache" in config.plugins
    assert warnings == []


def test_render_cache_off_and_macros_without_strict_undefined(tmp_path: Path) -> None:
    config = _config(tmp_path, "[search, macros]")
    options = SiteOptions.from_mapping({"render_cache": False})
    dirs = resolve_dirs(options, tmp_path, lambda level, text: None)
    warnings: list[str] = []
    extend_config(config, options, dirs, False, warnings.append)
    assert "opsready/render_cache" not in config.plugins
    assert warnings == [MACROS_STRICT]

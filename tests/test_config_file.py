"""The one reader of ``mkdocs.yml`` (``config_file``): the same values as MkDocs' own loader
(``mkdocs.utils.yaml``) on the same inputs, and the same values in every command."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils import yaml as mkdocs_yaml

from opsready.cli.init_site import InitOptions, init_site
from opsready.integrations.alert_rules.urls import read_site_settings, runbook_url
from opsready.mkdocs_plugin.plugin import OpsReadyPlugin
from opsready.output.config_file import ConfigFileError, Tagged, dump_config, read_config_file
from opsready.output.options import read_mkdocs_yml

ENV = {"OPSR_TRUE": "true", "OPSR_FALSE": "false", "OPSR_EMPTY": "", "OPSR_NUM": "3",
       "OPSR_TEXT": "a: b", "OPSR_LIST": "[1, 2]", "OPSR_URL": "https://ops.example.com/"}

CASES = [
    "v: !ENV OPSR_FALSE",
    "v: !ENV OPSR_TRUE",
    "v: !ENV OPSR_EMPTY",
    "v: !ENV OPSR_NUM",
    "v: !ENV OPSR_TEXT",
    "v: !ENV OPSR_LIST",
    "v: !ENV OPSR_UNSET",
    "v: !ENV [OPSR_UNSET]",
    "v: !ENV [OPSR_UNSET, true]",
    "v: !ENV [OPSR_UNSET, OPSR_FALSE, true]",
    "v: !ENV [OPSR_FALSE, OPSR_NUM, 7]",
    "v: !ENV [OPSR_UNSET, '3']",
    "v: !ENV [OPSR_UNSET, [1, two]]",
    "v: !ENV [OPSR_UNSET, {a: 1}]",
    "v: !ENV [OPSR_UNSET, !ENV OPSR_NUM]",
    "v: !ENV [OPSR_URL, 'http://localhost/']",
    "v: [!ENV OPSR_NUM, !ENV [OPSR_UNSET, x]]",
    "v: {deep: {deeper: !ENV [OPSR_TRUE, false]}}",
    "v: !relative $config_dir/sub/folder",
    "v: !relative $config_dir",
    "v: !relative $docs_dir/snippets",
    "docs_dir: pages\nv: !relative $docs_dir/snippets",
    "v: [!relative $config_dir/a, !relative $docs_dir/b]",
]


def _mkdocs_reads(path: Path) -> dict[str, Any]:
    """What MkDocs' loader gives for ``path`` (placeholders turned into their paths)."""
    config = MkDocsConfig(config_file_path=str(path))
    with path.open("rb") as fd:
        data = mkdocs_yaml.yaml_load(fd, mkdocs_yaml.get_yaml_loader(config=config))
    config.docs_dir = os.path.abspath(path.parent / str(data.get("docs_dir") or "docs"))

    def plain(value: Any) -> Any:
        if isinstance(value, os.PathLike):
            return os.fspath(value)
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    return plain(data)  # type: ignore[no-any-return]


@pytest.fixture()
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("OPSR_UNSET", raising=False)


@pytest.mark.parametrize("text", CASES)
def test_tags_read_as_mkdocs_reads_them(tmp_path: Path, env: None, text: str) -> None:
    path = tmp_path / "mkdocs.yml"
    path.write_text(f"site_name: s\n{text}\n", encoding="utf-8")
    assert read_config_file(path).data == _mkdocs_reads(path)


def test_inherit_merges_as_mkdocs_does(tmp_path: Path, env: None) -> None:
    (tmp_path / "base.yml").write_text(
        "site_name: base\nuse_directory_urls: !ENV [OPSR_FALSE, true]\n"
        "theme: {name: material, features: [a, b]}\nextra: {x: 1, y: 2}\n", encoding="utf-8")
    path = tmp_path / "mkdocs.yml"
    path.write_text("INHERIT: base.yml\nsite_name: child\ntheme: {features: [c]}\n"
                    "extra: {y: 3}\n", encoding="utf-8")
    read = read_config_file(path)
    assert read.data == _mkdocs_reads(path)
    assert read.use_directory_urls is False and read.data["theme"]["name"] == "material"


def test_a_bare_relative_and_python_names_are_kept_never_run(tmp_path: Path) -> None:
    path = tmp_path / "mkdocs.yml"
    path.write_text("markdown_extensions:\n  - pymdownx.snippets:\n      base_path: !relative\n"
                    "  - pymdownx.emoji:\n      emoji_index: !!python/name:os.system\n"
                    "x: !!python/object/apply:os.system [echo no]\n", encoding="utf-8")
    data = read_config_file(path).data
    assert data["markdown_extensions"][0]["pymdownx.snippets"]["base_path"] == Tagged(
        "!relative", "")
    assert data["markdown_extensions"][1]["pymdownx.emoji"]["emoji_index"] == Tagged(
        "tag:yaml.org,2002:python/name:os.system", "")
    assert data["x"] == Tagged("tag:yaml.org,2002:python/object/apply:os.system", ["echo no"])


def test_the_raw_config_writes_its_tags_back(tmp_path: Path, env: None) -> None:
    text = ("use_directory_urls: !ENV [OPSR_FALSE, true]\nsecret: !ENV OPSR_URL\n"
            "base: !relative $config_dir/x\nmarkdown_extensions:\n"
            "  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji."
            "twemoji\n")
    path = tmp_path / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    written = dump_config(read_config_file(path).raw)
    assert ENV["OPSR_URL"] not in written  # the environment's values are not written out
    again = tmp_path / "again.yml"
    again.write_text(written, encoding="utf-8")
    assert read_config_file(again).data == read_config_file(path).data
    assert "!ENV" in written and "!!python/name:material.extensions.emoji.twemoji" in written


@pytest.mark.parametrize(("text", "message"), [
    ("site_name: [x\n", r"mkdocs\.yml:2: not valid YAML"),
    ("v: !ENV {a: 1}\n", r"mkdocs\.yml:1: not valid YAML: !ENV expects"),
    ("v: !relative $nowhere/x\n", r"unknown prefix '\$nowhere'"),
    ("v: !relative somewhere\n", r"does not expect any value"),
    ("- a\n", r"expected a mapping"),
    ("INHERIT: missing.yml\n", r"missing\.yml does not exist"),
    ("use_directory_urls: !ENV [OPSR_TEXT, true]\n", r"use_directory_urls: expected true or"),
])
def test_bad_config_files_are_refused_with_file_and_line(tmp_path: Path, env: None, text: str,
                                                         message: str) -> None:
    path = tmp_path / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigFileError, match=message):
        read = read_config_file(path)
        assert read.use_directory_urls is not None


SITE = """site_name: env site
site_url: !ENV [OPSR_SITE_URL, 'https://default.example.com/']
use_directory_urls: !ENV [DIRURLS, true]
docs_dir: !ENV [OPSR_DOCS, docs]
plugins:
  - opsready:
      catalog_dir: !relative $config_dir/catalog
      prefix: !ENV [OPSR_PREFIX, '']
      nav_max_services: !ENV [OPSR_NAV, 50]
      diagrams: !ENV [OPSR_DIAGRAMS, auto]
"""


@pytest.mark.parametrize("dirurls", ["false", "true", None])
def test_every_command_reads_env_and_relative_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dirurls: str | None) -> None:
    for name, value in {"OPSR_SITE_URL": "https://ops.example.com/", "OPSR_DOCS": "pages",
                        "OPSR_PREFIX": "catalog", "OPSR_NAV": "0",
                        "OPSR_DIAGRAMS": "false"}.items():
        monkeypatch.setenv(name, value)
    if dirurls is None:
        monkeypatch.delenv("DIRURLS", raising=False)
    else:
        monkeypatch.setenv("DIRURLS", dirurls)
    (tmp_path / "catalog").mkdir()
    (tmp_path / "pages").mkdir()
    path = tmp_path / "mkdocs.yml"
    path.write_text(SITE, encoding="utf-8")
    expected_dirurls = dirurls != "false"
    # mkdocs build: MkDocs' own loader and the plugin's on_config
    config = load_config(str(path))
    plugin = config.plugins["opsready"]
    assert isinstance(plugin, OpsReadyPlugin)
    plugin.on_config(config)
    # opsready generate (and the mkdocs-macros module after it)
    generate = read_mkdocs_yml(path)
    # opsready alerts urls / check / annotate and export backstage
    alerts = read_site_settings(path)
    assert config.use_directory_urls is generate.use_directory_urls is \
        alerts.use_directory_urls is expected_dirurls
    assert config.site_url == alerts.site_url == "https://ops.example.com/"
    assert Path(config.docs_dir) == generate.docs_dir == (tmp_path / "pages").resolve()
    assert plugin.options == generate.options
    assert generate.options.prefix == alerts.prefix == "catalog"
    assert generate.options.nav_max_services == 0 and generate.options.diagrams is False
    assert Path(generate.options.catalog_dir) == tmp_path / "catalog"
    assert Path(str(alerts.catalog)) == plugin.dirs.catalog_dir == tmp_path / "catalog"
    url = runbook_url(alerts, "payments", "HighErrorRate")
    assert url.startswith("https://ops.example.com/catalog/runbooks/payments/HighErrorRate")
    assert ".html" in url if not expected_dirurls else ".html" not in url


def test_the_site_init_writes_reads_as_mkdocs_reads_it(tmp_path: Path) -> None:
    init_site(tmp_path, InitOptions())
    path = tmp_path / "mkdocs.yml"
    assert read_config_file(path).data == _mkdocs_reads(path)
    site = read_mkdocs_yml(path)
    assert site.has_plugin and site.options.diagrams == "auto"

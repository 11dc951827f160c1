"""The options are declared once (``output.options.SiteOptions``): the MkDocs plugin's config,
``opsready generate`` and the user guide's table all come from that declaration."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError

from opsready.mkdocs_plugin.config import OpsReadyConfig
from opsready.output.options import (
    END,
    START,
    OptionError,
    SiteOptions,
    check_option,
    declared,
    main,
    options_markdown,
    read_mkdocs_yml,
    replace_block,
)

GUIDE = Path(__file__).parents[1] / "docs" / "guide" / "plugin-options.md"


def test_guide_block_is_the_generated_one() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    assert replace_block(text) == text, (
        "docs/guide/plugin-options.md is stale: run "
        "`.venv/bin/python -m opsready.output.options docs/guide/plugin-options.md`")


def test_guide_lists_exactly_the_declared_options() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    in_table = re.findall(r"^\| `(\w+)` \|", text, re.M)
    in_example = re.findall(r"^      (\w+): ", text.split("```yaml\nplugins:\n  - opsready:")[1]
                            .split("```")[0], re.M)
    assert in_table == in_example == list(declared())
    assert all(spec.doc.strip() for spec in declared().values())


def test_rewrite_replaces_only_the_block(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(f"intro\n{START}\nold\n{END}\noutro\n", encoding="utf-8")
    assert main([str(page)]) == 0
    assert page.read_text(encoding="utf-8") == f"intro\n{START}\n{options_markdown()}{END}\noutro\n"
    with pytest.raises(ValueError, match="markers"):
        replace_block("no markers")


def test_the_plugin_config_is_built_from_the_declaration() -> None:
    config = OpsReadyConfig()
    config.load_dict({})
    assert config.validate() == ([], [])
    assert dict(config) == {name: spec.default for name, spec in declared().items()}
    assert SiteOptions.from_mapping(dict(config)) == SiteOptions()


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("nav_max_services", "abc", "expected a whole number; got 'abc' (text)"),
    ("nav_max_services", True, "expected a whole number; got true (true/false)"),
    ("nav_max_services", -1, "expected a whole number of at least 0; got -1"),
    ("concurrency", 1.5, "expected a whole number; got 1.5 (a number)"),
    ("enforce", "no way", "expected true or false; got 'no way' (text)"),
    ("enforce", 1, "expected true or false; got 1 (a number)"),
    ("diagrams", "yes", "expected one of true, false, auto; got 'yes' (text)"),
    ("warn_gaps", "some", "expected one of blocking, all, none; got 'some' (text)"),
    ("prefix", ["a"], "expected text; got ['a'] (a list)"),
    ("chat_url", {"a": 1}, "expected text; got {'a': 1} (a mapping)"),
])
def test_build_and_generate_refuse_a_value_with_the_same_message(
        tmp_path: Path, name: str, value: Any, expected: str) -> None:
    with pytest.raises(OptionError) as caught:
        check_option(name, value)
    assert str(caught.value) == expected
    (tmp_path / "docs").mkdir()
    path = tmp_path / "mkdocs.yml"
    path.write_text(f"site_name: s\nplugins:\n  - opsready:\n      {name}: {_yaml(value)}\n",
                    encoding="utf-8")
    with pytest.raises(ValueError) as from_generate:
        read_mkdocs_yml(path)
    assert str(from_generate.value) == f"{path}:4: plugins.opsready.{name}: {expected}"
    config = OpsReadyConfig()
    config.load_dict({name: value})
    errors, _ = config.validate()
    assert [(key, str(err)) for key, err in errors] == [(name, expected)]
    with pytest.raises((ConfigurationError, Abort)):
        load_config(str(path))


def _yaml(value: Any) -> str:
    import json

    return json.dumps(value)


def test_none_takes_the_default_and_paths_take_relative(tmp_path: Path) -> None:
    assert check_option("prefix", None) == ""
    assert check_option("nav_max_services", None) == 50
    assert check_option("policy", tmp_path / "policy.yaml") == str(tmp_path / "policy.yaml")
    with pytest.raises(OptionError, match="expected text"):
        check_option("prefix", tmp_path)  # not a path option: a path object is refused

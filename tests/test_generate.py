"""``opsready generate`` without any site build: the written files, the manifest rules
(incremental, idempotent, never overwriting a file it did not write), exit codes, and the
warn/enforce verdict."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from generate_support import small_catalog, write_site
from opsready.cli.main import main
from opsready.output.manifest import MANIFEST, write_tree
from opsready.output.options import SiteOptions, read_mkdocs_yml
from opsready.output.verdict import readiness_verdict
from test_policy_support import complete_service

TODAY = "2026-06-01"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPSREADY_TODAY", TODAY)


def _mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
            for p in folder.rglob("*") if p.is_file()}


# --- the verdict: warn/enforce mapping ----------------------------------------------------------


@dataclass
class _Readiness:
    below_required: bool

    def summary(self) -> str:
        return "readiness: summary"


@pytest.mark.parametrize(("below", "enforce", "serving", "warn_gaps", "expected"), [
    (False, True, False, "blocking", ("info", False)),
    (True, True, False, "blocking", ("error", True)),
    (True, True, True, "blocking", ("warning", False)),   # serve only logs it
    (True, False, False, "blocking", ("warning", False)),
    (True, False, False, "all", ("warning", False)),
    (True, False, False, "none", ("info", False)),
])
def test_the_verdict_maps_enforce_and_warn_gaps(below: bool, enforce: bool, serving: bool,
                                                warn_gaps: str,
                                                expected: tuple[str, bool]) -> None:
    options = SiteOptions(enforce=enforce, warn_gaps=warn_gaps)
    verdict = readiness_verdict(_Readiness(below), options, serving=serving)  # type: ignore[arg-type]
    assert verdict is not None
    assert (verdict.level, verdict.fails) == expected
    assert verdict.text == "readiness: summary"


def test_no_verdict_when_readiness_is_off() -> None:
    assert readiness_verdict(_Readiness(True), SiteOptions(readiness=False)) is None  # type: ignore[arg-type]


# --- options from mkdocs.yml ---------------------------------------------------------------------


def test_options_are_read_from_the_plugin_entry(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\ndocs_dir: pages\nplugins:\n  - search\n  - opsready:\n"
                      "      prefix: catalog\n      enforce: !ENV [OPSREADY_NOT_SET, false]\n"
                      "markdown_extensions:\n  - pymdownx.emoji:\n"
                      "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
                      encoding="utf-8")
    site = read_mkdocs_yml(config)
    assert site.options.prefix == "catalog" and site.options.enforce is False
    assert site.docs_dir == (tmp_path / "pages").resolve() and site.has_plugin


def test_an_unknown_option_names_the_file(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("plugins:\n  - opsready:\n      catalogue_dir: x\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"mkdocs\.yml:3: plugins\.opsready: .*catalogue_dir"):
        read_mkdocs_yml(config)


# --- the manifest ---------------------------------------------------------------------------------


def test_write_tree_is_incremental_and_removes_only_its_own_stale_files(tmp_path: Path) -> None:
    (tmp_path / "mine.md").write_text("# Mine\n")
    first = write_tree(tmp_path, {"a.md": b"A", "d/b.md": b"B"})
    assert sorted(first.written) == ["a.md", "d/b.md"]
    before = _mtimes(tmp_path)
    again = write_tree(tmp_path, {"a.md": b"A", "d/b.md": b"B"})
    assert again.written == [] and sorted(again.unchanged) == ["a.md", "d/b.md"]
    assert _mtimes(tmp_path) == before  # idempotent: nothing touched, manifest included
    third = write_tree(tmp_path, {"a.md": b"A2"})
    assert third.written == ["a.md"] and third.removed == ["d/b.md"]
    assert not (tmp_path / "d").exists()  # emptied folder pruned
    assert (tmp_path / "mine.md").read_text() == "# Mine\n"
    assert json.loads((tmp_path / MANIFEST).read_text())["files"].keys() == {"a.md"}


def test_write_tree_refuses_a_file_it_did_not_write_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "b.md").write_text("# Hand-written\n")
    result = write_tree(tmp_path, {"a.md": b"A", "b.md": b"B"})
    assert len(result.refused) == 1 and "b.md: exists and was not written" in result.refused[0]
    assert not (tmp_path / "a.md").exists() and not (tmp_path / MANIFEST).exists()
    assert (tmp_path / "b.md").read_text() == "# Hand-written\n"


def test_a_stale_file_edited_by_hand_is_kept(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": b"A"})
    (tmp_path / "a.md").write_text("edited")
    result = write_tree(tmp_path, {})
    assert result.removed == [] and "edited since" in result.kept[0]
    assert (tmp_path / "a.md").read_text() == "edited"


def test_a_forged_manifest_cannot_reach_outside_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.md"
    victim.write_text("x")
    (out / MANIFEST).write_text(json.dumps({"files": {"../victim.md": "0"}}))
    write_tree(out, {})
    assert victim.exists()


# --- the command ----------------------------------------------------------------------------------


def test_generate_writes_the_site_and_a_second_run_changes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_site(tmp_path, readiness=True)
    assert main(["generate", "--config", str(config)]) == 0
    docs = tmp_path / "docs"
    assert (docs / "services/gold-svc/runbook.md").is_file()
    assert (docs / "scorecard/scorecard.json").is_file()
    assert (docs / "assets/opsready/print.css").is_file()
    assert (docs / "index.md").read_text() == "# Home\n"
    nav = yaml.safe_load((docs / ".opsready-nav.yml").read_text())
    services = nav["nav"][0]["Services"]
    assert services[0] == "services/index.md"
    assert {"Small &lt;b&gt;svc&lt;/b&gt; | x", "Gold Svc"} <= {next(iter(s)) for s in services[1:]}
    err = capsys.readouterr().err
    assert "opsready generate: " in err and " written, 0 unchanged" in err
    before = _mtimes(docs)
    assert main(["generate", "--config", str(config)]) == 0
    assert _mtimes(docs) == before
    assert ", 0 written," not in err and " 0 written, " in capsys.readouterr().err


def test_only_the_changed_service_is_rewritten(tmp_path: Path) -> None:
    config = write_site(tmp_path, readiness=False, scorecard=False)
    assert main(["generate", "--config", str(config)]) == 0
    docs = tmp_path / "docs"
    before = _mtimes(docs)
    path = tmp_path / "service_catalog" / "small.yaml"
    path.write_text(path.read_text().replace("Small <b>svc</b> | x", "Smaller"))
    assert main(["generate", "--config", str(config)]) == 0
    after = _mtimes(docs)
    changed = {p for p in after if after[p] != before.get(p)}
    assert changed and all(p.startswith(("services/small/", "runbooks/")) or p in {
        "services/index.md", MANIFEST, ".opsready-nav.yml", "runbooks/index.md"} for p in changed)
    assert not any(p.startswith("services/gold-svc/") for p in changed)


def test_a_removed_service_takes_only_its_generated_pages_with_it(tmp_path: Path) -> None:
    config = write_site(tmp_path, docs={"index.md": "# Home\n",
                                        "services/small/notes.md": "# Team notes\n"})
    assert main(["generate", "--config", str(config)]) == 0
    (tmp_path / "service_catalog" / "small.yaml").unlink()
    main(["generate", "--config", str(config)])
    docs = tmp_path / "docs"
    assert not (docs / "services/small/index.md").exists()
    assert (docs / "services/small/notes.md").read_text() == "# Team notes\n"


def test_a_hand_written_file_in_the_way_is_refused(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    config = write_site(tmp_path, docs={"index.md": "# Home\n",
                                        "assets/opsready/print.css": "/* mine */\n"})
    assert main(["generate", "--config", str(config)]) == 1
    assert "print.css: exists and was not written by opsready generate" in capsys.readouterr().err
    assert (tmp_path / "docs/assets/opsready/print.css").read_text() == "/* mine */\n"
    assert not (tmp_path / "docs/services").exists()


def test_a_hand_written_page_at_a_generated_path_wins_and_is_not_touched(tmp_path: Path) -> None:
    page = "---\nopsready_replaces_generated: true\n---\n# Our runbook\n"
    config = write_site(tmp_path, docs={"index.md": "# Home\n",
                                        "services/gold-svc/runbook.md": page})
    assert main(["generate", "--config", str(config)]) == 0
    assert (tmp_path / "docs/services/gold-svc/runbook.md").read_text() == page
    assert main(["generate", "--config", str(config)]) == 0


def test_enforce_fails_like_the_build_and_writes_the_site(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    service = complete_service("payments")
    del service["runbook"]["escalation"]
    catalog = {"teams.yaml": yaml.safe_dump({"teams": [{"id": "team-a", "name": "A"}]}),
               "payments.yaml": yaml.safe_dump(service)}
    config = write_site(tmp_path, catalog, readiness=True)
    assert main(["generate", "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert "payments (tier 1" in err and "none, requires gold" in err
    assert (tmp_path / "docs/services/payments/runbook.md").is_file()
    config = write_site(tmp_path, catalog, readiness=True, enforce=False)
    assert main(["generate", "--config", str(config)]) == 0


def test_catalog_errors_exit_1_and_usage_errors_exit_2(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--config", str(tmp_path / "missing.yml")]) == 2
    config = write_site(tmp_path, {**small_catalog(), "bad.yaml": "id: bad\n"})
    assert main(["generate", "--config", str(config)]) == 1
    assert "bad.yaml" in capsys.readouterr().err
    assert not (tmp_path / "docs" / MANIFEST).exists()


def test_a_team_page_asking_for_macros_is_refused(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    page = "---\nrender_macros: true\n---\n# Notes {{ 7 * 7 }}\n"
    config = write_site(tmp_path, docs={"index.md": "# Home\n", "services/small/n.md": page})
    assert main(["generate", "--config", str(config)]) == 1
    assert "may not set 'render_macros'" in capsys.readouterr().err


def test_the_builder_config_keeps_macros_out_of_team_pages(tmp_path: Path) -> None:
    config = write_site(tmp_path, docs={"index.md": "# Home {{ 1 }}\n",
                                        "services/small/n.md": "# Notes\n"})
    data = yaml.safe_load(config.read_text())
    data["plugins"].append({"macros": {"modules": ["opsready.mkdocs_plugin.macros"]}})
    config.write_text(yaml.safe_dump(data))
    builder = tmp_path / "zensical.yml"
    assert main(["generate", "--config", str(config), "--builder-config", str(builder)]) == 0
    derived = yaml.safe_load(builder.read_text())
    names = [p if isinstance(p, str) else next(iter(p)) for p in derived["plugins"]]
    assert names == ["search", "macros"]
    macros = derived["plugins"][1]["macros"]
    assert macros["render_by_default"] is False
    assert macros["force_render_paths"].split("\n") == ["/index.md"]
    assert "assets/opsready/a11y.css" in derived["extra_css"]
    assert "md_in_html" in derived["markdown_extensions"]
    before = builder.stat().st_mtime_ns
    assert main(["generate", "--config", str(config), "--builder-config", str(builder)]) == 0
    assert builder.stat().st_mtime_ns == before
    os.utime(builder, ns=(before, before))
    builder.write_text("site_name: mine\n")
    assert main(["generate", "--config", str(config), "--builder-config", str(builder)]) == 1
    assert builder.read_text() == "site_name: mine\n"


@pytest.mark.parametrize(("page", "named"), [
    ("# N\n\n<script>alert(1)</script>\n", "<script>"),
    ("# N\n\n<img src=x onerror=\"alert(2)\">\n", "<img onerror=...>"),
    ("# N\n\n[x](javascript:alert(1))\n", "<a href=\"javascript:...\">"),
    ("# N\n\n<iframe src=\"https://x.example\"></iframe>\n", "<iframe>"),
])
def test_team_pages_with_hostile_html_are_refused_for_other_builders(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], page: str, named: str) -> None:
    config = write_site(tmp_path, docs={"index.md": "# Home\n", "services/small/n.md": page})
    assert main(["generate", "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert "services/small/n.md:3: HTML that the MkDocs plugin removes" in err and named in err


def test_team_pages_with_ordinary_markdown_pass(tmp_path: Path) -> None:
    page = ("# N\n\nA [link](https://x.example), `<b>` in code, <https://y.example>.\n\n"
            "```\n<script>\n```\n\n| a | b |\n|:-:|--|\n| 1 | 2 |\n\n## H {: #h2 }\n\n"
            "!!! note\n    hi\n")
    config = write_site(tmp_path, docs={"index.md": "<b>platform HTML is not checked</b>\n",
                                        "services/small/n.md": page})
    assert main(["generate", "--config", str(config)]) == 0


def test_the_scorecard_page_is_a_template_a_site_overrides(tmp_path: Path) -> None:
    config = write_site(tmp_path, readiness=True)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "scorecard.md.j2").write_text(
        "# Our scorecard\n\nPolicy {{ policy_name }} on {{ sc.date }}.\n\n{{ services_table }}\n")
    assert main(["generate", "--config", str(config)]) == 0
    page = (tmp_path / "docs/scorecard/index.md").read_text()
    assert page.startswith("# Our scorecard\n\nPolicy ") and "on 2026-06-01." in page
    assert "Small &#60;b&#62;svc&#60;/b&#62; &#124; x" in page  # catalog values stay neutralised
    assert "## Fleet summary" not in page


def test_generated_sections_take_the_place_of_their_index_in_the_sites_nav() -> None:
    from opsready.output.builder_config import merge_nav

    services = {"Services": ["services/index.md", {"A": ["services/a/index.md"]}]}
    runbooks = {"Runbooks": ["runbooks/index.md"]}
    site = [{"Home": "index.md"}, {"Our services": "services/index.md"},
            {"Guide": [{"One": "guide/one.md"}]}]
    assert merge_nav(site, [services, runbooks]) == [
        {"Home": "index.md"},
        {"Our services": ["services/index.md", {"A": ["services/a/index.md"]}]},
        {"Guide": [{"One": "guide/one.md"}]},
        {"Runbooks": ["runbooks/index.md"]},
    ]


def test_site_options_mirror_the_plugin_config() -> None:
    from dataclasses import asdict

    from opsready.mkdocs_plugin.config import OpsReadyConfig

    cfg = OpsReadyConfig()
    cfg.load_dict({})
    assert cfg.validate() == ([], [])
    assert dict(cfg) == asdict(SiteOptions())

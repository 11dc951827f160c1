"""The cached outcome of ``opsready check``: byte-identical to a fresh check in every format,
invalidated by any change it depends on, never taken from an entry this user did not write."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import opsready.catalog.load
from opsready.cache.check_results import fingerprint, slot
from opsready.cache.store import Store
from opsready.cli.main import main
from test_policy_support import two_service_catalog

FORMATS = ("text", "json", "github", "junit")


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPSREADY_TODAY", "2026-06-01")


@pytest.fixture()
def catalog(tmp_path: Path) -> Path:
    root = two_service_catalog(tmp_path / "catalog")
    (root / "notes.txt").write_text("draft\n", encoding="utf-8")  # an unread-file warning
    return root


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _no_fresh_check(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the catalog was loaded again")
    monkeypatch.setattr(opsready.catalog.load, "load_catalog", refuse)


def _entry(cache: Path, catalog: Path, policy: str | None = None, *, readiness: bool = True,
           all_gaps: bool = False) -> Path:
    options = {"readiness": readiness, "all_gaps": all_gaps}
    return Store(cache).path("checked", slot(catalog, policy, options))


def write_signed(entry: Path, secret: bytes | None, name: str, body: bytes) -> None:
    """Write ``body`` at ``entry`` as a store whose key is ``secret`` would."""
    store = Store(entry.parent.parent.parent, secret)
    store.put("checked", entry.name, body, name=name)


@pytest.mark.parametrize("extra", [[], ["--all-gaps"], ["--no-readiness"], ["--strict"]])
def test_cached_outcome_is_byte_identical_in_every_format(
        catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, extra: list[str]) -> None:
    cache = str(tmp_path / "cache")
    fresh = {f: _run(capsys, str(catalog), "--no-cache", "--format", f, *extra) for f in FORMATS}
    assert "notes.txt" in fresh["text"][1]
    _run(capsys, str(catalog), "--cache-dir", cache, *extra)  # fills the entry
    assert _entry(tmp_path / "cache", catalog, readiness="--no-readiness" not in extra,
                  all_gaps="--all-gaps" in extra).is_file()
    _no_fresh_check(monkeypatch)
    for fmt in FORMATS:
        assert _run(capsys, str(catalog), "--cache-dir", cache, "--format", fmt,
                    *extra) == fresh[fmt]


def _edit_service(catalog: Path) -> None:
    path = catalog / "small.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("tier: 3", "tier: 1"),
                    encoding="utf-8")


def _add_file(catalog: Path) -> None:
    (catalog / "todo.md").write_text("# later\n", encoding="utf-8")


def _remove_file(catalog: Path) -> None:
    (catalog / "notes.txt").unlink()


def _add_folder(catalog: Path) -> None:
    (catalog / ".drafts").mkdir()


def _edit_teams(catalog: Path) -> None:
    path = catalog / "teams.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "unknown_key: 1\n", encoding="utf-8")


@pytest.mark.parametrize("change", [_edit_service, _add_file, _remove_file, _add_folder,
                                    _edit_teams])
def test_any_change_under_the_catalog_folder_invalidates(
        catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], change) -> None:  # type: ignore[no-untyped-def]
    cache = str(tmp_path / "cache")
    before = _run(capsys, str(catalog), "--cache-dir", cache, "--format", "json")
    assert _run(capsys, str(catalog), "--cache-dir", cache, "--format", "json") == before
    change(catalog)
    after = _run(capsys, str(catalog), "--cache-dir", cache, "--format", "json")
    assert after != before
    assert after == _run(capsys, str(catalog), "--no-cache", "--format", "json")


def test_the_policy_file_and_the_date_invalidate(catalog: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    cache = str(tmp_path / "cache")
    policy = tmp_path / "policy.yaml"
    policy.write_text("required_levels: {1: bronze}\n", encoding="utf-8")
    args = [str(catalog), "--cache-dir", cache, "--policy", str(policy)]
    first = _run(capsys, *args)
    assert first[0] == 1 and _run(capsys, *args) == first
    policy.write_text("required_levels: {1: bronze}\ndisable: [runbook-escalation]\n",
                      encoding="utf-8")
    second = _run(capsys, *args)
    assert second[0] == 0 and second == _run(capsys, *args[:1], "--no-cache", *args[3:])
    # Years later every review is stale: readiness depends on the evaluation date.
    monkeypatch.setenv("OPSREADY_TODAY", "2031-06-01")
    later = _run(capsys, *args)
    assert later != second and "1 gold" in second[2] and "0 gold" in later[2]
    assert later == _run(capsys, *args[:1], "--no-cache", *args[3:])


READER_CONFIGS = {
    # mdx_include's markers (``markdown_extensions``), and the include-markdown plugin's tags
    # (``plugins:``): what the site's file readers read, which the check judges text by.
    "mdx_include": ("Moves money %%.git/config%%", "'%%' ... '%%'",
                    "markdown_extensions:\n  - mdx_include:\n      syntax_left: '{0}'\n"
                    "      syntax_right: '{0}'\n"),
    "include-markdown": ("Moves money %% include 'x' %%", "'%%' include",
                         "plugins:\n  - include-markdown:\n      opening_tag: '{0}'\n"
                         "      closing_tag: '{0}'\n"),
}


@pytest.mark.parametrize("reader", sorted(READER_CONFIGS))
def test_the_sites_file_reader_syntax_invalidates(catalog: Path, tmp_path: Path, reader: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """The check judges text by the syntax the site's file readers read (``--config``): a warm
    run after changing only their markers in mkdocs.yml gives the cold result."""
    description, named, options = READER_CONFIGS[reader]
    path = catalog / "small.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "description: Moves money.", f"description: {description}"), encoding="utf-8")
    config = tmp_path / "mkdocs.yml"

    def markers(mark: str) -> None:
        config.write_text("site_name: S\n" + options.format(mark), encoding="utf-8")

    cache = str(tmp_path / "cache")
    args = [str(catalog), "--config", str(config), "--format", "json"]
    markers("@@")
    accepted = _run(capsys, *args, "--cache-dir", cache)
    assert _run(capsys, *args, "--cache-dir", cache) == accepted
    markers("%%")
    refused = _run(capsys, *args, "--cache-dir", cache)
    assert refused == _run(capsys, *args, "--no-cache")
    assert named in refused[1] and "'%%'" not in accepted[1]
    markers("@@")
    assert _run(capsys, *args, "--cache-dir", cache) == accepted


def test_a_bad_date_is_still_a_usage_error_after_a_cached_run(
        catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    cache = str(tmp_path / "cache")
    _run(capsys, str(catalog), "--cache-dir", cache)
    monkeypatch.setenv("OPSREADY_TODAY", "tomorrow")
    code, _, err = _run(capsys, str(catalog), "--cache-dir", cache)
    assert code == 2 and "OPSREADY_TODAY" in err


def test_tampered_and_foreign_entries_are_ignored(catalog: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "cache"
    fresh = _run(capsys, str(catalog), "--no-cache")
    _run(capsys, str(catalog), "--cache-dir", str(cache))
    entry = _entry(cache, catalog)
    raw = entry.read_bytes()
    # Edited in place (an attacker turning the failure into a pass, without the key).
    entry.write_bytes(raw.replace(b'"ok":false', b'"ok":true').replace(b"broken", b"brokex"))
    assert b'"ok":true' in entry.read_bytes()
    assert _run(capsys, str(catalog), "--cache-dir", str(cache)) == fresh
    # Signed with another key, for the right content key: still not this user's entry.
    key = fingerprint(catalog, None, {"readiness": True, "all_gaps": False})
    assert key is not None
    forged = b'{"services":2,"ok":true,"diagnostics":[],"readiness_summary":"all good"}'
    write_signed(entry, b"k" * 32, key, forged)
    assert _run(capsys, str(catalog), "--cache-dir", str(cache)) == fresh
    # Well signed but not an outcome: a miss, not a crash.
    own = Store(cache).secret
    assert own is not None
    write_signed(entry, own, key, b'{"services":"2"}')
    assert _run(capsys, str(catalog), "--cache-dir", str(cache)) == fresh


def test_an_entry_of_other_content_is_a_miss(catalog: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "cache"
    _run(capsys, str(catalog), "--cache-dir", str(cache))
    entry = _entry(cache, catalog)
    stored = entry.read_bytes()
    _edit_service(catalog)
    expected = _run(capsys, str(catalog), "--no-cache")
    entry.write_bytes(stored)  # the outcome of the content before the edit
    assert _run(capsys, str(catalog), "--cache-dir", str(cache)) == expected


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_catalog_with_a_link_is_checked_afresh(catalog: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "cache"
    (catalog / "alias.yaml").symlink_to(catalog / "small.yaml")
    assert fingerprint(catalog, None, {}) is None
    fresh = _run(capsys, str(catalog), "--no-cache")
    assert _run(capsys, str(catalog), "--cache-dir", str(cache)) == fresh
    assert not _entry(cache, catalog).exists()


def test_no_cache_reads_and_writes_no_entry(catalog: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "cache"
    _run(capsys, str(catalog), "--no-cache", "--cache-dir", str(cache))
    assert not (cache / "checked").exists()


def test_the_key_depends_on_options_date_and_files(catalog: Path) -> None:
    base = fingerprint(catalog, None, {"all_gaps": False}, {}, "2026-06-01")
    assert base == fingerprint(catalog, None, {"all_gaps": False}, {}, "2026-06-01")
    assert base != fingerprint(catalog, None, {"all_gaps": True}, {}, "2026-06-01")
    assert base != fingerprint(catalog, None, {"all_gaps": False}, {}, "2026-06-02")
    assert base != fingerprint(catalog, None, {"all_gaps": False},
                               {"OPSREADY_TODAY": "2026-06-01"}, "2026-06-01")
    (catalog / "empty").mkdir()
    assert base != fingerprint(catalog, None, {"all_gaps": False}, {}, "2026-06-01")

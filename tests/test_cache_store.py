"""The one store: caches cannot be planted (entries this user's builds did not write are never
used, in any namespace), a cached SVG passes the same check as a fresh drawing before it is
published, entry names are hex keys only, and writes are atomic."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from conftest import TEAMS_YAML, build_site, service_yaml
from opsready.cache.folder import default_cache_dir
from opsready.cache.store import NAMESPACES, Store, cache_key, sign
from opsready.catalog.yaml_loader import _parsed_key
from opsready.diagrams import tools
from opsready.diagrams.batch import render_all
from opsready.diagrams.spec import DiagramSpec, NodeSpec, spec_hash
from opsready.guard.svg import svg_problems
from opsready.output.reuse import load_catalog_cached

SERVICE = service_yaml("checkout", "Checkout", extra="""\
    architecture:
      components:
        - {id: api, name: checkout-api, kind: web}
    """)
PLANTED = "Planted By Another Team"
SCRIPT_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)'
              b"</script></svg>")


def _plant_parse_entries(cache_root: Path, text: str) -> None:
    """What a hostile commit can hold: the entry for ``text`` in the old unsigned format and in
    the signed format with a made-up signature."""
    data = {"id": "checkout", "name": PLANTED, "description": "d", "tier": 2,
            "lifecycle": "production", "owner": "platform"}
    key = _parsed_key(text)
    path = cache_root / "parsed" / key[:2] / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    twin = cache_root / "parsed" / key[:2] / "signed"
    twin.mkdir()
    (twin / key).write_text("0" * 64 + "\n" + json.dumps(data) + "\n", encoding="utf-8")


def test_parse_cache_committed_into_the_repository_is_not_used(tmp_path: Path) -> None:
    # The old default cache folder, inside the checkout (`git add -f .cache`).
    _plant_parse_entries(tmp_path / ".cache" / "opsready", SERVICE)
    site = build_site(tmp_path, {"teams.yaml": TEAMS_YAML, "checkout.yaml": SERVICE},
                      opsready={"diagrams": False}, strict=False,
                      expect_warnings=[r"diagrams are off"])
    assert PLANTED not in site.html("services/checkout/")
    assert "Checkout" in site.article("services/checkout/").get_text()
    # The build's own cache is outside the repository.
    assert [p for p in default_cache_dir(tmp_path / "service_catalog").rglob("*")
            if p.is_file()]


def test_cache_folder_inside_the_repository_only_uses_signed_entries(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "teams.yaml").write_text(TEAMS_YAML, encoding="utf-8")
    (catalog / "checkout.yaml").write_text(SERVICE, encoding="utf-8")
    cache = tmp_path / ".cache" / "opsready"
    _plant_parse_entries(cache, SERVICE)
    store = Store(cache)
    store.put("checked", "0" * 64, b"an earlier run")  # parse entries are kept from now on
    result = load_catalog_cached(store, catalog)
    assert result.catalog.services["checkout"].name == "Checkout"
    key = _parsed_key(SERVICE)
    planted = cache / "parsed" / key[:2] / key
    planted.write_bytes((cache / "parsed" / key[:2] / "signed" / key).read_bytes())
    for _ in range(2):  # the second load reads the entry the first one signed
        result = load_catalog_cached(store, catalog)
        assert result.catalog.services["checkout"].name == "Checkout"
    assert store.get("parsed", key) is not None


@pytest.mark.skipif(not tools.graphviz_available(), reason="needs Graphviz")
def test_planted_svg_is_drawn_again_not_published(tmp_path: Path) -> None:
    files = {"teams.yaml": TEAMS_YAML, "checkout.yaml": SERVICE}
    options = {"diagrams_cache_dir": ".cache/diagrams"}  # inside the repository, as committed
    build_site(tmp_path, files, opsready=options)
    cached = sorted(p for p in (tmp_path / ".cache" / "diagrams").rglob("*") if p.is_file())
    assert cached
    for path in cached:  # a hostile commit replaces the drawings (unsigned)
        path.write_bytes(b"0" * 64 + b"\n" + SCRIPT_SVG)
    site = build_site(tmp_path, files, opsready=options)
    published = sorted(site.site_dir.rglob("*.svg"))
    assert published
    for path in published:
        svg = path.read_text(encoding="utf-8")
        assert "<script" not in svg and '<g id="graph0"' in svg
        assert not svg_problems(svg)
    assert any("diagrams: 2 drawn, 0 from the cache" in m for m in site.infos), site.infos


@pytest.mark.skipif(not tools.graphviz_available(), reason="needs Graphviz")
def test_a_known_svg_still_passes_the_svg_check() -> None:
    spec = DiagramSpec(id="d", title="T", nodes=(NodeSpec(id="a", label="A", kind="web"),))
    report = render_all([spec], concurrency=1, known={spec_hash(spec): SCRIPT_SVG})
    assert report.refused == ["d"] and report.rendered == ["d"]  # known, yet it has a script
    assert b"<script" not in report.svgs["d"] and not svg_problems(report.svgs["d"].decode())
    clean = report.svgs["d"]
    again = render_all([spec], concurrency=1, known={spec_hash(spec): clean})
    assert again.cached == ["d"] and again.svgs["d"] == clean and not again.drawn


@pytest.mark.parametrize("svg, problem", [
    ('<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>', "event handler"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>', "<foreignobject>"),
    ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:l="http://www.w3.org/1999/xlink">'
     '<a l:href=" java&#9;script:x()"><text>t</text></a></svg>', "link to javascript:"),
    ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:l="http://www.w3.org/1999/xlink">'
     '<image l:href="https://evil.example/i.png"/></svg>', "external image"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://x.example/a)"/></svg>',
     "external resource"),
    ("<html><script>x()</script></html>", "not an SVG"),
])
def test_svg_check_refuses_active_or_external_content(svg: str, problem: str) -> None:
    assert any(problem in p for p in svg_problems(svg)), svg_problems(svg)


def test_a_key_others_can_read_turns_caches_off(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    key, problem = cache_key()
    key_file = tmp_path / "home-cache" / "opsready" / "cache.key"
    assert key is not None and not problem
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "planted"))
    planted = tmp_path / "planted" / "opsready" / "cache.key"
    planted.parent.mkdir(parents=True)
    planted.write_text(os.urandom(32).hex(), encoding="ascii")
    planted.chmod(0o644)  # what a checkout gives a committed file
    key, problem = cache_key()
    assert key is None and "not private to this user" in problem
    store = Store(tmp_path / "cache")
    assert not store.enabled
    store.put("parsed", "ab" * 32, b"x")
    assert store.get("parsed", "ab" * 32) is None and not (tmp_path / "cache").exists()


def test_every_namespace_uses_only_entries_signed_for_their_name(tmp_path: Path) -> None:
    store = Store(tmp_path, b"k" * 32)
    other = Store(tmp_path, b"o" * 32)
    for namespace in NAMESPACES:
        key = f"{len(namespace):02x}" * 32
        store.put(namespace, key, b"body")
        path = store.path(namespace, key)
        assert path == tmp_path / namespace / key[:2] / key  # one layout for every namespace
        assert store.get(namespace, key) == b"body"
        assert other.get(namespace, key) is None  # another user's (or machine's) key
        renamed = store.path(namespace, "f" * 64)
        renamed.parent.mkdir(parents=True, exist_ok=True)
        renamed.write_bytes(path.read_bytes())  # an entry moved to another key
        assert store.get(namespace, "f" * 64) is None
        path.write_bytes(path.read_bytes() + b"!")  # edited
        assert store.get(namespace, key) is None
    store.put("checked", "c" * 64, b"outcome", name="content-1")
    assert store.get("checked", "c" * 64, name="content-1") == b"outcome"
    assert store.get("checked", "c" * 64, name="content-2") is None  # for other content


@pytest.mark.parametrize("name", ["../../etc/passwd", "AB" * 32, "x", "ab/cd" * 10, ""])
def test_entry_names_are_hex_keys_only(tmp_path: Path, name: str) -> None:
    store = Store(tmp_path, b"k" * 32)
    with pytest.raises(ValueError, match="not a cache entry name"):
        store.put("parsed", name, b"x")
    with pytest.raises(ValueError, match="not a cache entry name"):
        store.get("elsewhere", "ab" * 32)


def test_writes_are_atomic_and_an_unwritable_folder_costs_only_speed(tmp_path: Path) -> None:
    store = Store(tmp_path / "cache", b"k" * 32)
    store.put("pages", "ab" * 32, b"one")
    store.put("pages", "ab" * 32, b"two")
    folder = store.path("pages", "ab" * 32).parent
    assert [p.name for p in folder.iterdir()] == ["ab" * 32]  # no temporary file left
    assert store.get("pages", "ab" * 32) == b"two"
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    stuck = Store(blocked, b"k" * 32)
    stuck.put("pages", "ab" * 32, b"x")  # no exception
    assert stuck.get("pages", "ab" * 32) is None and stuck.written == 0


def test_sign_separates_parts() -> None:
    assert sign(b"k" * 32, b"ab", b"c") != sign(b"k" * 32, b"a", b"bc")


@pytest.mark.parametrize("linked", ["folder", "namespace", "shard"])
def test_links_planted_in_a_cache_folder_are_neither_written_through_nor_pruned_through(
        tmp_path: Path, linked: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.md").write_text("a file the link points at\n", encoding="utf-8")
    old = outside / "old.tmp"
    old.write_text("looks like a killed run's temporary file\n", encoding="utf-8")
    os.utime(old, (1, 1))
    cache = tmp_path / "repo" / ".cache"
    key = "ab" + "0" * 62
    if linked == "folder":
        cache.parent.mkdir(parents=True)
        cache.symlink_to(outside, target_is_directory=True)
    elif linked == "namespace":
        cache.mkdir(parents=True)
        (cache / "parsed").symlink_to(outside, target_is_directory=True)
    else:
        (cache / "parsed").mkdir(parents=True)
        (cache / "parsed" / key[:2]).symlink_to(outside, target_is_directory=True)
    store = Store(cache, b"k" * 32)
    store.put("parsed", key, b"body")
    store.put_plain("parsed", key, {"a": 1})
    assert store.written == 0 and store.get("parsed", key) is None
    assert not store.has("parsed", key)
    store.written = 1
    store.finish(1)  # over any bound: prune everything it may
    assert sorted(p.name for p in outside.iterdir()) == ["keep.md", "old.tmp"]
    # Other namespaces of the same folder still work (none, when the folder is the link).
    store.put("evaluated", key, b"body")
    assert (store.get("evaluated", key) == b"body") is (linked != "folder")
    assert sorted(p.name for p in outside.iterdir()) == ["keep.md", "old.tmp"]


def test_a_cache_dir_inside_the_project_reached_through_a_link_fails_the_build(
        tmp_path: Path) -> None:
    from opsready.cache.folder import project_folder, resolve_cache_dir

    project = tmp_path / "repo"
    (project / "catalog").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (project / ".cache").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    with pytest.raises(ValueError, match=r"passes through the link '.*\.cache'"):
        resolve_cache_dir(".cache/opsready", project, project / "catalog")
    with pytest.raises(ValueError, match=r"^diagrams_cache_dir '\.cache/svg' passes through"):
        project_folder(project, ".cache/svg", "diagrams_cache_dir")
    # Outside the project, or a real folder inside it: the configuring user's choice.
    assert resolve_cache_dir(str(tmp_path / "elsewhere"), project, project / "catalog") == (
        tmp_path / "elsewhere").resolve()
    assert resolve_cache_dir("build-cache", project, project / "catalog") == (
        project / "build-cache").resolve()

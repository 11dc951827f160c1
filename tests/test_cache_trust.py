"""Caches cannot be planted: entries that this user's builds did not write are never used, and a
cached SVG passes the same check as a fresh drawing before it is published."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from conftest import TEAMS_YAML, build_site, service_yaml
from opsready.catalog import load_catalog
from opsready.diagrams import batch, tools
from opsready.guard.svg import svg_problems
from opsready.parse_cache import ParseCache
from opsready.user_cache import cache_key, default_cache_dir, sign

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
    key = ParseCache.key(text)
    path = cache_root / "parsed" / key[:2] / f"{key}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    twin = cache_root / "parsed" / key[:2] / "signed"
    twin.mkdir()
    (twin / f"{key}.json").write_text("0" * 64 + "\n" + json.dumps(data), encoding="utf-8")


def test_parse_cache_committed_into_the_repository_is_not_used(tmp_path: Path) -> None:
    # The old default cache folder, inside the checkout (`git add -f .cache`).
    _plant_parse_entries(tmp_path / ".cache" / "opsready", SERVICE)
    site = build_site(tmp_path, {"teams.yaml": TEAMS_YAML, "checkout.yaml": SERVICE},
                      opsready={"diagrams": False}, strict=False,
                      expect_warnings=[r"diagrams are off"])
    assert PLANTED not in site.html("services/checkout/")
    assert "Checkout" in site.article("services/checkout/").get_text()
    # The build's own cache is outside the repository.
    assert list((default_cache_dir(tmp_path / "service_catalog") / "parsed").rglob("*.json"))


def test_cache_folder_inside_the_repository_only_uses_signed_entries(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "teams.yaml").write_text(TEAMS_YAML, encoding="utf-8")
    (catalog / "checkout.yaml").write_text(SERVICE, encoding="utf-8")
    cache = tmp_path / ".cache" / "opsready"
    _plant_parse_entries(cache, SERVICE)
    assert load_catalog(catalog, cache_dir=cache).catalog.services["checkout"].name == "Checkout"
    key = ParseCache.key(SERVICE)
    planted = cache / "parsed" / key[:2] / f"{key}.json"
    planted.write_bytes((cache / "parsed" / key[:2] / "signed" / f"{key}.json").read_bytes())
    for _ in range(2):  # the second load reads the entry the first one signed
        result = load_catalog(catalog, cache_dir=cache)
        assert result.catalog.services["checkout"].name == "Checkout"
    assert ParseCache(cache).get(SERVICE) is not None


@pytest.mark.skipif(not tools.graphviz_available(), reason="needs Graphviz")
def test_planted_svg_is_drawn_again_not_published(tmp_path: Path) -> None:
    files = {"teams.yaml": TEAMS_YAML, "checkout.yaml": SERVICE}
    options = {"diagrams_cache_dir": ".cache/diagrams"}  # inside the repository, as committed
    build_site(tmp_path, files, opsready=options)
    cached = sorted((tmp_path / ".cache" / "diagrams").glob("*.svg"))
    assert cached
    for path in cached:  # a hostile commit replaces the drawings
        path.write_bytes(SCRIPT_SVG)
    site = build_site(tmp_path, files, opsready=options)
    published = sorted(site.site_dir.rglob("*.svg"))
    assert published
    for path in published:
        svg = path.read_text(encoding="utf-8")
        assert "<script" not in svg and '<g id="graph0"' in svg
        assert not svg_problems(svg)
    assert any("cached diagram(s) were not drawn by this user's builds" in m for m in site.infos)


def test_a_signed_svg_still_passes_the_svg_check(tmp_path: Path) -> None:
    key, problem = cache_key()
    assert key is not None, problem
    svg = tmp_path / "0123.svg"
    svg.write_bytes(SCRIPT_SVG)
    (tmp_path / "0123.mac").write_text(sign(key, b"0123", SCRIPT_SVG), encoding="ascii")
    assert not batch.is_trusted(svg, key)  # signed, yet it has a script
    clean = b'<svg xmlns="http://www.w3.org/2000/svg"><g id="graph0"/></svg>'
    svg.write_bytes(clean)
    assert not batch.is_trusted(svg, key)  # clean, but the signature is for other bytes
    (tmp_path / "0123.mac").write_text(sign(key, b"0123", clean), encoding="ascii")
    assert batch.is_trusted(svg, key)


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
    cache = ParseCache(tmp_path / "cache")
    cache.put(SERVICE, {"id": "checkout"})
    assert cache.get(SERVICE) is None and not (tmp_path / "cache").exists()

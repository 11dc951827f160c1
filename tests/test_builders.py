"""The example site built both ways: the MkDocs plugin, and ``opsready generate`` followed by
``zensical build`` (which runs no third-party MkDocs plugin). Same pages, same headings; team
pages run no template code in either."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[1]
TEAM_PAGE = "# Payments notes\n\nSeven times seven: {{ 7 * 7 }}.\n\n## Contacts\n\nAsk us.\n"

pytestmark = pytest.mark.build


def _copy_example(root: Path) -> Path:
    # The example site: its config, pages, catalog, templates, policy and readiness history.
    for name in ("mkdocs.yml", "docs", "service_catalog", "templates", "readiness-policy.yaml",
                 "readiness-history.json"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, root / name)
        elif src.is_file():
            shutil.copy(src, root / name)
    notes = root / "docs" / "services" / "payments" / "notes.md"
    notes.parent.mkdir(parents=True, exist_ok=True)
    notes.write_text(TEAM_PAGE, encoding="utf-8")
    return root / "mkdocs.yml"


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def _pages(site: Path) -> dict[str, list[str]]:
    """Published pages (URL path -> h1 and h2 texts) of a built site."""
    found = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel == "404.html" or rel.startswith("packs/"):  # runbook packs: the plugin's only
            continue
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        article = soup.find("article") or soup
        found[rel] = [" ".join(h.get_text(" ", strip=True).replace("¶", "").split())
                      for h in article.find_all(["h1", "h2"])]
    return found


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    bindir = Path(sys.executable).parent
    mk_root = tmp_path_factory.mktemp("with-plugin")
    _copy_example(mk_root)
    proc = _run([str(bindir / "mkdocs"), "build", "--strict", "-d", "site"], mk_root)
    assert proc.returncode == 0, proc.stderr[-4000:]
    zs_root = tmp_path_factory.mktemp("with-zensical")
    _copy_example(zs_root)
    proc = _run([str(bindir / "opsready"), "generate", "--builder-config", "zensical.yml"],
                zs_root)
    assert proc.returncode == 0, proc.stderr[-4000:]
    zensical = bindir / "zensical"
    if not zensical.exists():
        pytest.skip("zensical is not installed (pip install -e '.[test]')")
    proc = _run([str(zensical), "build", "-f", "zensical.yml"], zs_root)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return mk_root / "site", zs_root / "site"


def test_both_builders_publish_the_same_pages_with_the_same_headings(
        both: tuple[Path, Path]) -> None:
    mkdocs_pages, zensical_pages = (_pages(site) for site in both)
    assert sorted(mkdocs_pages) == sorted(zensical_pages)
    assert len(mkdocs_pages) > 50
    differ = {p: (mkdocs_pages[p], zensical_pages[p]) for p in mkdocs_pages
              if mkdocs_pages[p] != zensical_pages[p]}
    assert not differ, differ


def test_team_pages_run_no_template_code_in_either_build(both: tuple[Path, Path]) -> None:
    for site in both:
        text = (site / "services/payments/notes/index.html").read_text(encoding="utf-8")
        assert "{{ 7 * 7 }}" in text and "49" not in BeautifulSoup(text, "html.parser").get_text()


def test_platform_pages_still_render_their_macros_with_zensical(both: tuple[Path, Path]) -> None:
    texts = [(site / "noc/index.html").read_text(encoding="utf-8") for site in both]
    assert all("{{" not in BeautifulSoup(t, "html.parser").article.get_text() for t in texts)

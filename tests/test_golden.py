"""Golden files: the Markdown (and scorecard JSON and navigation) ``opsready generate`` writes for
a small catalog, every kind of generated page included (the six service documents, alert
runbooks, both indexes, the fleet map, the scorecard and the format reference). A template change
shows as a reviewable diff of ``tests/golden/small/``.

After an intended change, rewrite them with ``pytest tests/test_golden.py --update-golden`` and
review the diff (``git diff tests/golden``). Diagrams are drawn (the pages show their slots) but
their SVG files are not compared: Graphviz versions differ between machines.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from generate_support import write_site
from opsready.cli.main import main
from opsready.pages.plan import DOCUMENT_TITLES

pytestmark = pytest.mark.build  # runs opsready generate

GOLDEN = Path(__file__).parent / "golden" / "small"
SUFFIXES = (".md", ".json", ".yml")


def _texts(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name.endswith(SUFFIXES)
            and p.name != ".opsready-generated.json"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """What ``opsready generate`` writes for the small catalog, judged on 2026-06-01."""
    root = tmp_path_factory.mktemp("golden")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OPSREADY_TODAY", "2026-06-01")
        config = write_site(root, readiness=True, diagrams=True, format_reference=True,
                            diagrams_cache_dir=str(root / "cache"))
        assert main(["generate", "--config", str(config), "--out", str(root / "out")]) == 0
    return _texts(root / "out")


def test_generated_markdown_matches_the_golden_files(generated: dict[str, str],
                                                     request: pytest.FixtureRequest) -> None:
    if request.config.getoption("update_golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, text in generated.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text, encoding="utf-8")
    want = _texts(GOLDEN)
    assert sorted(generated) == sorted(want), "pages added or removed (--update-golden)"
    diffs = ["".join(difflib.unified_diff(want[r].splitlines(True), generated[r].splitlines(True),
                                          f"golden/{r}", f"generated/{r}"))
             for r in sorted(generated) if generated[r] != want[r]]
    assert not diffs, ("generated Markdown differs from tests/golden (if intended: "
                       "pytest tests/test_golden.py --update-golden):\n" + "\n".join(diffs)[:20000])


def test_the_golden_files_cover_every_kind_of_generated_page() -> None:
    names = set(_texts(GOLDEN))
    for service in ("gold-svc", "small"):
        documents = {n.removeprefix(f"services/{service}/") for n in names
                     if n.startswith(f"services/{service}/")}
        assert len(documents) == len(DOCUMENT_TITLES) == 6, documents
        assert any(n.startswith(f"runbooks/{service}/") for n in names)
    assert {"services/index.md", "runbooks/index.md", "architecture/fleet-map.md",
            "scorecard/index.md", "scorecard/scorecard.json", ".opsready-nav.yml"} <= names
    assert any(n.startswith("reference/") for n in names)

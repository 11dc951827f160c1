"""Golden files: the Markdown (and scorecard JSON and navigation) ``opsready generate`` writes for
a small catalog. A template change shows as a reviewable diff of ``tests/golden/small/``.

Update them after an intended change with ``OPSREADY_UPDATE_GOLDEN=1 pytest tests/test_golden.py``
and review the diff (``git diff tests/golden``).
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from generate_support import write_site
from opsready.cli import main

pytestmark = pytest.mark.build  # runs opsready generate

GOLDEN = Path(__file__).parent / "golden" / "small"
SUFFIXES = (".md", ".json", ".yml")


def _texts(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name.endswith(SUFFIXES)
            and p.name != ".opsready-generated.json"}


def test_generated_markdown_matches_the_golden_files(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPSREADY_TODAY", "2026-06-01")
    config = write_site(tmp_path, readiness=True, format_reference=False)
    assert main(["generate", "--config", str(config), "--out", str(tmp_path / "out")]) == 0
    got = _texts(tmp_path / "out")
    if os.environ.get("OPSREADY_UPDATE_GOLDEN") == "1":
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, text in got.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text, encoding="utf-8")
    want = _texts(GOLDEN)
    assert sorted(got) == sorted(want), "pages added or removed (OPSREADY_UPDATE_GOLDEN=1)"
    diffs = ["".join(difflib.unified_diff(want[r].splitlines(True), got[r].splitlines(True),
                                          f"golden/{r}", f"generated/{r}"))
             for r in sorted(got) if got[r] != want[r]]
    assert not diffs, ("generated Markdown differs from tests/golden (if intended: "
                       "OPSREADY_UPDATE_GOLDEN=1):\n" + "\n".join(diffs)[:20000])

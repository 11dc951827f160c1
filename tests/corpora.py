"""Where the shared real-world corpora are: ``shared/corpora/`` beside the repository (read from
there, never copied in). Tests skip when a corpus is absent, except in CI where it is laid out."""

from __future__ import annotations

from pathlib import Path


def corpus(name: str) -> Path | None:
    """``shared/corpora/<name>`` (a folder or file) in the nearest parent that has it."""
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "corpora" / name
        if candidate.exists():
            return candidate
    return None

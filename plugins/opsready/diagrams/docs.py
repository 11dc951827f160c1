"""The table of component kinds in the user guide, generated from `kinds.ALIASES`.

The guide keeps the table between two HTML comments; a test fails when it differs from the
aliases, and this module rewrites it:

    .venv/bin/python -m opsready.diagrams.docs docs/guide/diagrams.md
"""

from __future__ import annotations

import sys

from ..model.component_kinds import ALIAS_DESCRIPTIONS, ALIASES
from ..prose.generated_block import GeneratedBlock


def kinds_markdown() -> str:
    """Every alias with what it is for and the `diagrams` class that draws it."""
    rows = [f"| `{alias}` | {ALIAS_DESCRIPTIONS[alias]} | `{dotted}` |"
            for alias, dotted in ALIASES.items()]
    return "\n".join(["| Kind | Use it for | Drawn as |", "|---|---|---|", *rows]) + "\n"


BLOCK = GeneratedBlock("kinds", "opsready.diagrams.docs", kinds_markdown)
START, END = BLOCK.start, BLOCK.end


def replace_block(text: str) -> str:
    """``text`` with the generated table between the markers (which must be there)."""
    return BLOCK.replace(text)


def main(argv: list[str]) -> int:
    """Rewrite the table in each file named in ``argv``."""
    return BLOCK.rewrite(argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))

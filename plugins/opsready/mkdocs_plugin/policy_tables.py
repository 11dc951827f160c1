"""mkdocs-macros pluglet: the policy's own tables for the user guide.

``opsready.mkdocs_plugin.macros`` (the catalog macros) registers these too, so a site with
``modules: [opsready.mkdocs_plugin.macros]`` can write ``{{ default_policy_table() }}`` in a
page: the table is rendered from the packaged policy file at build time, so the guide cannot
drift from the rules.
"""

from __future__ import annotations

from typing import Any


def define_env(env: Any) -> None:
    """Register the policy macros with mkdocs-macros."""

    @env.macro
    def default_policy_table() -> str:
        """Settings and every rule of the packaged default policy, as Markdown tables."""
        from ..policy.docs import default_policy_markdown

        return default_policy_markdown()

    @env.macro
    def policy_packs_table() -> str:
        """Every packaged policy pack: checklist items covered and rules, as Markdown."""
        from ..policy.docs import packs_markdown

        return packs_markdown()

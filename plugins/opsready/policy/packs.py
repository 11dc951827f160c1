"""Policy packs: optional sets of rules a policy file enables for every service or for some.

A pack lives in ``opsready/data/packs/<name>.yaml`` (``PackFile``). Enabling it adds its rules
to the policy; enabling it for some services or tiers narrows each rule's ``applies`` to them.
A rule of the site's own file with the same id replaces the pack's, and ``disable`` drops one.
"""

from __future__ import annotations

import functools
from pathlib import Path

from ..cache import reads
from ..catalog.validate import validate_file
from ..catalog.yaml_loader import LoadedFile, load_yaml
from ..diagnostics import Diagnostic
from .file_format import PACKS_DIR, PackFile, PackUse, PolicyFile, Rule


def pack_display(name: str) -> str:
    """How diagnostics name a packaged pack file."""
    return f"opsready/data/packs/{name}.yaml"


@functools.lru_cache(maxsize=32)
def load_pack(name: str) -> tuple[PackFile | None, tuple[Diagnostic, ...]]:
    """Read and validate one packaged pack."""
    path: Path = PACKS_DIR / f"{name}.yaml"
    with reads.unrecorded():  # a file of the package: the code salt covers it
        loaded, diags = load_yaml(path, display=pack_display(name))
    if loaded is None:
        return None, tuple(diags)
    pack, diags = validate_file(loaded, PackFile, display=pack_display(name),
                                catalog_root=PACKS_DIR)
    if pack is not None and pack.name != name:
        diags.append(Diagnostic(pack_display(name), 1, 1, "name",
                                f"pack name '{pack.name}' does not match its file name"))
    return (pack if not diags else None), tuple(diags)


def _narrowed(rule: Rule, use: PackUse) -> Rule:
    cond = rule.applies
    tiers = cond.tiers
    if use.tiers is not None:
        tiers = [t for t in use.tiers if tiers is None or t in tiers]
    update = {"tiers": tiers, "services": use.services if use.services is not None
              else cond.services}
    return rule.model_copy(update={"applies": cond.model_copy(update=update)})


def pack_rules(policy_file: PolicyFile, display: str, loaded: LoadedFile
               ) -> tuple[dict[str, Rule], list[Diagnostic]]:
    """The rules of every pack the policy file enables, narrowed to where it enables them."""
    rules: dict[str, Rule] = {}
    diags: list[Diagnostic] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(policy_file.packs):
        use = entry if isinstance(entry, PackUse) else PackUse(pack=entry, services=None,
                                                               tiers=None)
        if use.pack in seen:
            line, col = loaded.position(("packs", i))
            diags.append(Diagnostic(display, line, col, f"packs[{i}]",
                                    f"pack '{use.pack}' is enabled twice (also packs"
                                    f"[{seen[use.pack]}])",
                                    "enable it once, listing all its services or tiers there"))
            continue
        seen[use.pack] = i
        pack, problems = load_pack(use.pack)
        diags += problems
        for rule in pack.rules if pack is not None else []:
            rules[rule.id] = (rule if use.services is None and use.tiers is None
                              else _narrowed(rule, use))
    return rules, diags

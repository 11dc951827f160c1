"""Backstage entity references (``[kind:][namespace/]name``) and the opsready ids made from them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...model.base import SLUG_RE

DEFAULT_NAMESPACE = "default"
_NON_SLUG = re.compile(r"[^a-z0-9]+")
MAX_ID = 63


@dataclass(frozen=True, order=True)
class EntityRef:
    """A full entity reference: kind and namespace lower-cased (Backstage compares them so)."""

    kind: str
    namespace: str
    name: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.namespace}/{self.name}"


def parse_ref(text: str, *, default_kind: str, default_namespace: str = DEFAULT_NAMESPACE
              ) -> EntityRef:
    """Parse ``group:default/team-a``, ``default/team-a`` or ``team-a`` with the defaults the
    field implies (``spec.owner`` defaults to a group, ``dependsOn`` has no default kind)."""
    rest = text.strip()
    kind = default_kind
    if ":" in rest:
        kind, rest = rest.split(":", 1)
    namespace = default_namespace
    if "/" in rest:
        namespace, rest = rest.split("/", 1)
    return EntityRef(kind.strip().lower(), namespace.strip().lower() or DEFAULT_NAMESPACE,
                     rest.strip())


def slugify(text: str) -> str:
    """A valid opsready id from any name: lower case, runs of other characters become one
    hyphen (``Artist_Lookup.v2`` -> ``artist-lookup-v2``); empty names become ``unnamed``."""
    slug = _NON_SLUG.sub("-", text.lower()).strip("-")[:MAX_ID].strip("-")
    return slug or "unnamed"


def entity_id(ref: EntityRef) -> str:
    """The opsready id of an entity: its name as a slug, prefixed with its namespace unless that
    is ``default`` (two entities of one name in two namespaces stay apart)."""
    base = ref.name if ref.namespace == DEFAULT_NAMESPACE else f"{ref.namespace}-{ref.name}"
    return slugify(base)


def is_slug(text: str) -> bool:
    """Whether ``text`` is already a valid opsready id."""
    return bool(SLUG_RE.match(text)) and len(text) <= MAX_ID

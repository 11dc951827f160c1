"""Map Backstage entities onto an opsready catalog: teams, contacts, services, external systems.

What maps: names (as valid ids, the original kept as the display name), owners, lifecycle,
description, tags, links, ``dependsOn`` and ``consumesApis`` (split into catalog services and
external systems), repository, PagerDuty and TechDocs annotations, group membership. Everything
else is recorded as a note on its entity, so the import can say what it left behind.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .annotations import map_annotations, map_links
from .entities import Entity
from .refs import EntityRef, entity_id, is_slug, parse_ref, slugify

LIFECYCLES = {"production": "production", "experimental": "experimental",
              "deprecated": "deprecated", "development": "development", "beta": "beta",
              "retired": "retired", "sandbox": "experimental", "dev": "development"}
RESOURCE_KINDS = {"database": "sql", "db": "sql", "s3-bucket": "saas", "bucket": "saas",
                  "queue": "queue", "topic": "stream", "cache": "cache", "cluster": "container"}
TODO_PURPOSE = "TODO: say what {service} uses it for (imported from Backstage {field})"
TODO_DESCRIPTION = "TODO: describe {name}: Backstage had no description"


@dataclass
class ImportPlan:
    """The opsready catalog made from the entities, with a note list per entity."""

    teams: dict[str, dict[str, Any]] = field(default_factory=dict)
    contacts: dict[str, dict[str, Any]] = field(default_factory=dict)
    services: dict[str, dict[str, Any]] = field(default_factory=dict)
    external_systems: dict[str, dict[str, Any]] = field(default_factory=dict)
    organisation_name: str | None = None
    notes: dict[str, list[str]] = field(default_factory=dict)
    origin: dict[str, Entity] = field(default_factory=dict)
    """Service id -> the component it came from."""

    def note(self, entity: Entity, text: str) -> None:
        """Record something about ``entity`` that did not map as it was."""
        self.notes.setdefault(label(entity), []).append(text)


def label(entity: Entity) -> str:
    """``Component default/artist-lookup (file:line)``: how notes name an entity."""
    return f"{entity.kind} {entity.namespace}/{entity.name} ({entity.where})"


class _Ids:
    """Ids handed out per pool, unique after slugging (a clash gets -2, -3, ...)."""

    def __init__(self) -> None:
        self.by_ref: dict[EntityRef, str] = {}
        self.taken: set[str] = set()

    def assign(self, ref: EntityRef) -> str:
        if ref in self.by_ref:
            return self.by_ref[ref]
        base = entity_id(ref)
        candidate, n = base, 2
        while candidate in self.taken:
            candidate, n = f"{base[:59]}-{n}", n + 1
        self.taken.add(candidate)
        self.by_ref[ref] = candidate
        return candidate


def _title(entity: Entity) -> str:
    found = entity.spec.get("profile")
    profile: dict[str, Any] = found if isinstance(found, dict) else {}
    return str(profile.get("displayName") or entity.metadata.get("title") or entity.name)


def _profile_email(entity: Entity) -> str | None:
    profile = entity.spec.get("profile")
    return str(profile["email"]) if isinstance(profile, dict) and profile.get("email") else None


def _refs(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def _by_kind(entities: Iterable[Entity], kind: str) -> list[Entity]:
    return [e for e in entities if e.kind.lower() == kind]


class _Mapper:
    def __init__(self, entities: list[Entity], tier: int) -> None:
        self.entities = entities
        self.tier = tier
        self.plan = ImportPlan()
        self.parties = _Ids()
        self.services = _Ids()
        self.externals = _Ids()
        self.user_groups: dict[EntityRef, list[str]] = {}
        self.api_providers: dict[EntityRef, list[str]] = {}
        self.known = {e.ref: e for e in entities}

    # --- groups and users ------------------------------------------------------------------

    def groups(self) -> None:
        for group in _by_kind(self.entities, "group"):
            gid = self.parties.assign(group.ref)
            team: dict[str, Any] = {"id": gid, "name": _title(group)}
            if group.metadata.get("description"):
                team["description"] = str(group.metadata["description"])
            if _profile_email(group):
                team["email"] = _profile_email(group)
            self.plan.teams[gid] = team
            if str(group.spec.get("type", "")).lower() == "organization":
                self.plan.organisation_name = self.plan.organisation_name or _title(group)
            kept = {"type", "profile", "children"}
            for key in sorted(set(group.spec) - kept):
                self.plan.note(group, f"spec.{key} not mapped (opsready teams are flat)")
            if group.metadata.get("links"):
                self.plan.note(group, "metadata.links not mapped (teams have no links)")

    def users(self) -> None:
        for user in _by_kind(self.entities, "user"):
            uid = self.parties.assign(user.ref)
            contact: dict[str, Any] = {"id": uid, "name": _title(user)}
            if _profile_email(user):
                contact["email"] = _profile_email(user)
            self.plan.contacts[uid] = contact
            teams = []
            for text in _refs(user.spec.get("memberOf")):
                ref = parse_ref(text, default_kind="group", default_namespace=user.namespace)
                if ref in self.parties.by_ref and self.parties.by_ref[ref] in self.plan.teams:
                    tid = self.parties.by_ref[ref]
                    self.plan.teams[tid].setdefault("members", []).append(uid)
                    teams.append(tid)
                else:
                    self.plan.note(user, f"memberOf {text}: no such group among the imported "
                                   "files, membership not kept")
            self.user_groups[user.ref] = teams

    def owner(self, entity: Entity) -> str:
        text = str(entity.spec.get("owner") or "")
        if not text:
            self.plan.note(entity, "no spec.owner: owned by the team 'unowned' (create it or "
                           "change the owner)")
            return self._team_for("unowned", "Unowned")
        ref = parse_ref(text, default_kind="group", default_namespace=entity.namespace)
        as_user = EntityRef("user", ref.namespace, ref.name)
        if ":" not in text and ref not in self.parties.by_ref and as_user in self.user_groups:
            ref = as_user  # a bare name that only a user has
        if ref.kind == "group" and ref in self.parties.by_ref:
            return self.parties.by_ref[ref]
        if ref.kind == "user" and ref in self.user_groups:
            groups = self.user_groups[ref]
            if groups:
                self.plan.note(entity, f"owner {text} is a user: owned by their team "
                               f"'{groups[0]}' (opsready owners are teams)")
                return groups[0]
            uid = self.parties.by_ref[ref]
            self.plan.note(entity, f"owner {text} is a user in no group: owned by a team "
                           f"'{uid}-team' made for them")
            return self._team_for(f"{uid}-team", f"{_title(self.known[ref])} (team)",
                                  members=[uid])
        tid = entity_id(ref) if ref.kind == "group" else slugify(f"{ref.kind}-{ref.name}")
        self.plan.note(entity, f"owner {text} is not among the imported groups and users: team "
                       f"'{tid}' added to teams.yaml (give it contacts)")
        return self._team_for(tid, ref.name)

    def _team_for(self, tid: str, name: str, members: list[str] | None = None) -> str:
        if tid in self.plan.contacts:  # team and contact ids share one namespace
            tid = f"{tid}-team"
        if tid not in self.plan.teams:
            self.parties.taken.add(tid)
            self.plan.teams[tid] = {"id": tid, "name": name, **({"members": members}
                                                                 if members else {})}
        return tid

    # --- resources, APIs, systems ----------------------------------------------------------

    def resources(self) -> None:
        for res in _by_kind(self.entities, "resource"):
            rid = self.externals.assign(res.ref)
            system: dict[str, Any] = {"id": rid, "name": _title(res)}
            kind = RESOURCE_KINDS.get(str(res.spec.get("type", "")).lower())
            if kind:
                system["kind"] = kind
            elif res.spec.get("type"):
                self.plan.note(res, f"spec.type {res.spec['type']!r} has no diagram kind: "
                               "set kind on the external system")
            if res.metadata.get("description"):
                system["description"] = str(res.metadata["description"])
            self.plan.external_systems[rid] = system
            self.plan.note(res, "imported as an external system (organisation.yaml); its owner "
                           "and system are not kept")

    def index_components(self) -> None:
        for comp in _by_kind(self.entities, "component"):
            sid = self.services.assign(comp.ref)
            for text in _refs(comp.spec.get("providesApis")):
                ref = parse_ref(text, default_kind="api", default_namespace=comp.namespace)
                self.api_providers.setdefault(ref, []).append(sid)

    def others(self) -> None:
        for entity in self.entities:
            kind = entity.kind.lower()
            if kind == "api":
                providers = self.api_providers.get(entity.ref, [])
                by = f"; provided by {', '.join(providers)}" if providers else ""
                self.plan.note(entity, "APIs have no opsready entity: consumers depend on the "
                               f"providing service, the definition is not imported{by}")
            elif kind == "system":
                self.plan.note(entity, "systems have no opsready entity: its components carry "
                               f"the tag '{slugify(entity.name)}'")
            elif kind not in ("component", "group", "user", "resource"):
                self.plan.note(entity, f"kind {entity.kind} has no opsready counterpart: "
                               "not imported")

    # --- components ------------------------------------------------------------------------

    def dependency(self, comp: Entity, sid: str, text: str, field_name: str,
                   default_kind: str) -> list[dict[str, Any]]:
        ref = parse_ref(text, default_kind=default_kind, default_namespace=comp.namespace)
        purpose = TODO_PURPOSE.format(service=sid, field=field_name)
        if ref.kind == "api" and ref in self.api_providers:
            return [{"service": p, "purpose": purpose} for p in self.api_providers[ref]
                    if p != sid]
        if ref.kind == "component" and ref in self.services.by_ref:
            target = self.services.by_ref[ref]
            return [] if target == sid else [{"service": target, "purpose": purpose}]
        if ref.kind == "resource" and ref in self.externals.by_ref:
            return [{"external": self.externals.by_ref[ref], "purpose": purpose}]
        ext = self.externals.assign(ref)
        self.plan.note(comp, f"{field_name} {text}: not among the imported entities; kept as "
                       f"the external system '{ext}'")
        return [{"external": ext, "name": ref.name, "purpose": purpose}]

    def component(self, comp: Entity) -> None:
        sid = self.services.by_ref[comp.ref]
        name = str(comp.metadata.get("title") or comp.name)
        if sid != comp.name and comp.namespace != "default" and is_slug(comp.name):
            self.plan.note(comp, f"namespace '{comp.namespace}': id '{sid}' keeps it apart "
                           "from the default namespace")
        elif sid != comp.name:
            self.plan.note(comp, f"metadata.name {comp.name!r} is not a valid id: id '{sid}', "
                           "the original kept as the display name")
        description = str(comp.metadata.get("description") or "").strip()
        if not description:
            description = TODO_DESCRIPTION.format(name=name)
            self.plan.note(comp, "no metadata.description: a TODO placeholder was written")
        raw_lifecycle = str(comp.spec.get("lifecycle") or "").lower()
        lifecycle = LIFECYCLES.get(raw_lifecycle, "development")
        if raw_lifecycle != lifecycle:
            self.plan.note(comp, f"lifecycle {raw_lifecycle or 'missing'!r} became "
                           f"'{lifecycle}'")
        service: dict[str, Any] = {"id": sid, "name": name, "description": description,
                                   "tier": self.tier, "lifecycle": lifecycle,
                                   "owner": self.owner(comp)}
        annotations = comp.metadata.get("annotations")
        mapped = map_annotations(annotations if isinstance(annotations, dict) else {})
        if mapped.repository:
            service["repository"] = mapped.repository
        links, link_notes = map_links(comp.metadata.get("links"))
        service["links"] = links + mapped.links
        service["tags"] = self.tags(comp)
        deps: list[dict[str, Any]] = []
        for field_name, default_kind in (("dependsOn", "component"), ("consumesApis", "api")):
            for text in _refs(comp.spec.get(field_name)):
                deps += self.dependency(comp, sid, text, field_name, default_kind)
        unique = list({(d.get("service"), d.get("external")): d for d in deps}.values())
        if unique:
            service["architecture"] = {"dependencies": unique}
        if mapped.on_call:
            service["runbook"] = {"on_call": " ".join(mapped.on_call)}
        for note in link_notes + mapped.notes:
            self.plan.note(comp, note)
        self.component_notes(comp)
        self.plan.services[sid] = {k: v for k, v in service.items() if v not in ([], None)}
        self.plan.origin[sid] = comp

    def tags(self, comp: Entity) -> list[str]:
        tags: list[str] = []
        for tag in _refs(comp.metadata.get("tags")):
            slug = slugify(tag)
            if slug != tag:
                self.plan.note(comp, f"tag {tag!r} became '{slug}'")
            tags.append(slug)
        if comp.spec.get("system"):
            tags.append(slugify(parse_ref(str(comp.spec["system"]), default_kind="system").name))
        return list(dict.fromkeys(tags))

    def component_notes(self, comp: Entity) -> None:
        ctype = str(comp.spec.get("type", ""))
        if ctype and ctype != "service":
            self.plan.note(comp, f"spec.type {ctype!r} not kept (every import is a service; "
                           "delete it if nobody operates it)")
        if comp.metadata.get("labels"):
            self.plan.note(comp, f"metadata.labels {comp.metadata['labels']!r} not mapped")
        if comp.spec.get("providesApis"):
            self.plan.note(comp, f"spec.providesApis {comp.spec['providesApis']!r}: APIs have "
                           "no opsready entity (their consumers depend on this service)")
        for key in ("subcomponentOf", "dependencyOf"):
            if comp.spec.get(key):
                self.plan.note(comp, f"spec.{key} {comp.spec[key]!r} not mapped")


def map_entities(entities: list[Entity], *, tier: int = 3) -> ImportPlan:
    """Map entities to an import plan. Pure: nothing is read or written."""
    mapper = _Mapper(entities, tier)
    mapper.groups()
    mapper.users()
    mapper.resources()
    mapper.index_components()
    for comp in _by_kind(entities, "component"):
        mapper.component(comp)
    mapper.others()
    return mapper.plan

"""Write a catalog as Backstage entities: teams as Groups, contacts as Users, services as
Components (with links to their generated pages and their readiness level as annotations),
external systems as Resources."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...catalog.fleet import Catalog
from ...model import Service
from ...model.base import prose_text
from ...output.site_paths import DOCUMENTS, SitePaths, url_of

API_VERSION = "backstage.io/v1alpha1"
ANNOTATION_PREFIX = "opsready"
_GITHUB = "https://github.com/"
_GITLAB = "https://gitlab.com/"


def _entity(kind: str, metadata: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": API_VERSION, "kind": kind,
            "metadata": {k: v for k, v in metadata.items() if v not in (None, [], {}, "")},
            "spec": spec}


def summary(service: Service, limit: int = 400) -> str:
    """The first paragraph of the description, as plain one-line text."""
    text = prose_text(service.description).strip()
    first = text.split("\n\n", 1)[0]
    line = " ".join(first.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def page_links(service_id: str, site_url: str, *, prefix: str = "",
               use_directory_urls: bool = True) -> list[dict[str, str]]:
    """Links to the service's generated documents and its scorecard badge."""
    if not site_url:
        return []
    base = site_url.rstrip("/") + "/"
    paths = SitePaths(prefix)
    links = [{"title": title, "url": base + url_of(paths.document(service_id, doc),
                                                      use_directory_urls=use_directory_urls),
              "icon": "docs"} for doc, title in DOCUMENTS]
    links.append({"title": "Readiness scorecard", "url": base + url_of(
        paths.scorecard(), use_directory_urls=use_directory_urls), "icon": "dashboard"})
    return links


def _repository_annotation(url: str | None) -> dict[str, str]:
    for host, key in ((_GITHUB, "github.com/project-slug"), (_GITLAB, "gitlab.com/project-slug")):
        if url and url.startswith(host):
            slug = url[len(host):].strip("/").removesuffix(".git")
            if slug.count("/") >= 1:
                return {key: slug}
    return {"backstage.io/source-location": f"url:{url}"} if url else {}


def export_entities(catalog: Catalog, levels: Mapping[str, tuple[str, str]], *,
                    site_url: str = "", prefix: str = "", use_directory_urls: bool = True
                    ) -> list[dict[str, Any]]:
    """The entities of a catalog. ``levels`` maps a service id to (achieved, required)."""
    entities: list[dict[str, Any]] = []
    member_of: dict[str, list[str]] = {}
    for team in catalog.teams.values():
        for member in team.members:
            member_of.setdefault(member, []).append(team.id)
        entities.append(_entity("Group", {"name": team.id, "description": team.description},
                                {"type": "team", "profile": {k: v for k, v in (
                                    ("displayName", team.name), ("email", team.email)) if v},
                                 "children": []}))
    for contact in catalog.contacts.values():
        entities.append(_entity("User", {"name": contact.id}, {
            "profile": {k: v for k, v in (("displayName", contact.name),
                                          ("email", contact.email)) if v},
            "memberOf": [f"group:default/{t}" for t in member_of.get(contact.id, [])]}))
    externals: dict[str, tuple[str, str, str]] = {
        e.id: (e.name, e.description or "", "") for e in catalog.organisation.external_systems}
    for service in catalog.services.values():
        entities.append(_component(service, levels.get(service.id), site_url, prefix,
                                   use_directory_urls))
        for dep in service.architecture.dependencies if service.architecture else []:
            if dep.external:
                name, desc, owner = externals.get(dep.external, (dep.name or dep.external, "",
                                                                 ""))
                externals[dep.external] = (dep.name or name, desc, owner or service.owner)
    used = {d.external for s in catalog.services.values() if s.architecture
            for d in s.architecture.dependencies if d.external}
    for ext_id in sorted(used):
        name, desc, owner = externals[ext_id]
        entities.append(_entity("Resource", {"name": ext_id, "title": name, "description": desc},
                                {"type": "external-system", "owner": f"group:default/{owner}"}))
    return entities


def _component(service: Service, level: tuple[str, str] | None, site_url: str, prefix: str,
               use_directory_urls: bool) -> dict[str, Any]:
    annotations = {f"{ANNOTATION_PREFIX}/tier": str(service.tier),
                   **_repository_annotation(service.repository)}
    if level is not None:
        annotations[f"{ANNOTATION_PREFIX}/readiness-level"] = level[0]
        annotations[f"{ANNOTATION_PREFIX}/required-level"] = level[1]
    links = page_links(service.id, site_url, prefix=prefix,
                       use_directory_urls=use_directory_urls)
    links += [{"title": link.title, "url": link.url} for link in service.links]
    depends = []
    for dep in service.architecture.dependencies if service.architecture else []:
        if dep.service:
            depends.append(f"component:default/{dep.service}")
        elif dep.external:
            depends.append(f"resource:default/{dep.external}")
    spec: dict[str, Any] = {"type": "service", "lifecycle": service.lifecycle.value,
                            "owner": f"group:default/{service.owner}"}
    if depends:
        spec["dependsOn"] = list(dict.fromkeys(depends))
    return _entity("Component", {"name": service.id, "title": service.name,
                                 "description": summary(service), "tags": list(service.tags),
                                 "links": links, "annotations": annotations}, spec)

"""References from procedure steps (``see:``) to alerts, documents and dashboards.

Resolved here for the pages (a title and a target) and checked here for ``opsready check``, so a
reference that would publish a dead link is an error with file, line and YAML path.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from pydantic import BaseModel

from ..diagnostics import Diagnostic, format_path
from ..model import Service, Step, StepRef
from ..model.base import fields_reaching
from ..model.document_sections import SECTIONS_BY_KEY
from ..output.site_paths import DOCUMENTS, SitePaths

Path_ = tuple[str | int, ...]
DOCUMENT_TITLES = dict(DOCUMENTS)


@dataclass(frozen=True)
class Target:
    """Where a reference points: a page of the site (``src_path``, ``anchor``) or a URL."""

    title: str
    src_path: str | None = None
    anchor: str | None = None
    url: str | None = None


def _dashboards(service: Service) -> dict[str, str]:
    """Dashboards and links of a service by title (dashboards win on a shared title)."""
    found = {link.title: str(link.url) for link in service.links}
    if service.observability is not None:
        found.update({d.title: str(d.url) for d in service.observability.dashboards})
    return found


def resolve(ref: StepRef, service: Service, services: Mapping[str, Service],
            paths: SitePaths) -> Target | None:
    """The target of a reference made from a step of ``service`` (None when it is unknown)."""
    owner = services.get(ref.service or service.id)
    if owner is None:
        return None
    if ref.alert:
        if not any(a.name == ref.alert for a in owner.alerts):
            return None
        return Target(ref.alert, src_path=paths.alert(owner.id, ref.alert))
    if ref.document:
        title = DOCUMENT_TITLES[ref.document]
        section = SECTIONS_BY_KEY.get(f"{ref.document}#{ref.section}")
        if section is not None:
            title = f"{title}: {section.title}"
        if owner.id != service.id:
            title = f"{owner.name}: {title}"
        return Target(title, src_path=paths.document(owner.id, ref.document),
                      anchor=ref.section)
    url = _dashboards(owner).get(ref.dashboard or "")
    if url is None:
        return None
    return Target(f"{ref.dashboard} dashboard" if "dashboard" not in (ref.dashboard or "").lower()
                  else str(ref.dashboard), url=url)


def iter_steps(obj: object, path: Path_ = ()) -> Iterator[tuple[Path_, Step]]:
    """Every ``Step`` inside a model, with its YAML path."""
    if isinstance(obj, Step):
        yield path, obj
        return
    if isinstance(obj, BaseModel):
        cls = type(obj)
        reaching = fields_reaching(cls, Step)  # only fields that can hold a step
        for name, info in cls.model_fields.items():
            value = getattr(obj, name) if name in reaching else None
            if value is not None:
                yield from iter_steps(value, (*path, info.alias or name))
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from iter_steps(item, (*path, i))


def check_step_refs(service: Service, services: Mapping[str, Service], display: str,
                    position: Callable[[Path_], tuple[int, int]]) -> list[Diagnostic]:
    """Diagnostics for the ``see:`` references of a service's steps that lead nowhere.

    ``position`` maps a YAML path to (line, column) (``ServiceSource.position``).
    """
    diags: list[Diagnostic] = []
    paths = SitePaths()
    for step_path, step in iter_steps(service):
        for i, ref in enumerate(step.see):
            ref_path: Path_ = (*step_path, "see", i)
            key_of = f"{ref.document}#{ref.section}"
            if ref.document and ref.section and key_of not in SECTIONS_BY_KEY:
                anchors = [k.split("#")[1] for k in SECTIONS_BY_KEY
                           if k.startswith(f"{ref.document}#")]
                close = difflib.get_close_matches(ref.section, anchors, n=1, cutoff=0.6)
                line, col = position((*ref_path, "section"))
                diags.append(Diagnostic(
                    display, line, col, format_path((*ref_path, "section")),
                    f"document '{ref.document}' has no section '{ref.section}'",
                    f"did you mean '{close[0]}'?" if close else
                    f"expected one of: {', '.join(anchors)}"))
                continue
            if resolve(ref, service, services, paths) is not None:
                continue
            owner = services.get(ref.service or service.id)
            if owner is None:
                continue  # an unknown service id is reported by the reference check
            if ref.alert:
                key, options = "alert", [a.name for a in owner.alerts]
                message = f"service '{owner.id}' has no alert '{ref.alert}'"
            else:
                key, options = "dashboard", sorted(_dashboards(owner))
                message = f"service '{owner.id}' has no dashboard or link '{ref.dashboard}'"
            close = difflib.get_close_matches(str(getattr(ref, key)), options, n=1, cutoff=0.6)
            hint = (f"did you mean '{close[0]}'?" if close else
                    f"expected one of: {', '.join(options)}" if options else
                    f"service '{owner.id}' has none")
            line, col = position((*ref_path, key))
            diags.append(Diagnostic(display, line, col, format_path((*ref_path, key)), message,
                                    hint))
    return diags

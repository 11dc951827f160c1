"""Functions templates call: section wrappers, links between pages, parties, steps.

Each returns ``Markup`` (safe Markdown) built only from escaped values. Functions that need the
page being rendered read it from the template context (``page_path``, ``service``, ``gaps``).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from ..catalog.step_refs import resolve
from ..guard import html as sanitize
from ..model import Alert, Severity, Step
from ..model.base import Link, Tracked, prose_text
from ..model.document_sections import SECTIONS_BY_KEY, Section
from ..output.site_files import Debt
from ..prose import escape
from .contacts import ContactLinks, contact_parts
from .state import present, section_state


def relative(from_src: str, to_src: str) -> str:
    """Relative link from one source page to another (MkDocs resolves ``.md`` links)."""
    rel = posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")
    # './' keeps a name such as 'job:rate5m.md' from reading as a URL scheme.
    return rel if rel.startswith("../") else "./" + rel


def _section_of(ctx: Context, key: str) -> Section:
    if "#" not in key:
        key = f"{ctx.get('document')}#{key}"
    try:
        return SECTIONS_BY_KEY[key]
    except KeyError:
        raise ValueError(f"unknown section '{key}'; see "
                         "opsready.model.document_sections.SECTIONS") from None


def heading(title: object, anchor: str, level: int = 2, search: bool = True) -> Markup:
    """An ATX heading with a stable id (attr_list). ``search=False`` leaves the section out of
    the site's search index (``data-search-exclude``, honoured by Material and Zensical): for an
    index table whose every row leads to a page search finds on its own."""
    pragma = "" if search else " data-search-exclude"
    return Markup(f"{'#' * level} {escape.md_text(title)} {{ #{anchor}{pragma} }}")


@pass_context
def section(ctx: Context, key: str, level: int = 2, caller: Any = None) -> Markup:
    """Render one section: heading, readiness flags, then its body or why it is empty.

    Used as ``{% call section("escalation") %}...body...{% endcall %}``; the body is rendered
    only when the section holds data. The layout comes from ``partials/section.md.j2``.
    """
    sec = _section_of(ctx, key)
    service = ctx.get("service")
    state = section_state(service, sec) if service is not None else None
    has_data = state.has_data if state else True
    lookup = ctx.get("gaps")
    gaps = lookup.gaps_for(service.id, sec.key) if (lookup is not None and service) else []
    # Gaps above the level the service's tier requires are "next level" information.
    is_next = getattr(lookup, "is_next_level", None)
    next_level = [g for g in gaps if is_next is not None and is_next(service.id, g)]
    gaps = [g for g in gaps if g not in next_level]
    body = Markup(caller()) if (has_data and caller is not None) else Markup("")
    values = dict(ctx.get_all())
    values.update(
        section=sec, heading=heading(sec.title, sec.anchor, level), has_data=has_data,
        not_applicable=state.not_applicable if state else None, section_gaps=gaps,
        next_level_gaps=next_level,
        body=Markup(body.strip("\n")), tracked=tracked_note(state.tracked if state else ()),
    )
    out = ctx.environment.get_template("partials/section.md.j2").render(values)
    return Markup(out.strip("\n") + "\n")


@pass_context
def link_to(ctx: Context, target: str, anchor: str | None = None) -> Markup:
    """The relative URL of a generated or hand-written page from the current page."""
    rel = relative(ctx["page_path"], target)
    return escape.url(rel + (f"#{anchor}" if anchor else ""))


@pass_context
def page_link(ctx: Context, title: object, target: str, anchor: str | None = None) -> Markup:
    """A Markdown link to another page of the site."""
    return Markup(f"[{escape.md_text(title)}]({link_to(ctx, target, anchor)})")


@pass_context
def party(ctx: Context, party_id: str) -> Markup:
    """Display name of a team or contact id, with its role when it has one."""
    fleet = ctx["fleet"]
    found = fleet.teams.get(party_id) or fleet.contacts.get(party_id)
    if found is None:
        return escape.md_text(party_id)
    role = getattr(found, "role", None)
    name = escape.md_text(found.name)
    return Markup(f"{name} ({escape.md_text(role)})") if role else name


def _contact_links(ctx: Context) -> ContactLinks:
    found = ctx.get("contact_links")
    return found if isinstance(found, ContactLinks) else ContactLinks()


@pass_context
def party_name(ctx: Context, party_id: str) -> Markup:
    """Display name of a team or contact id, without its role."""
    fleet = ctx["fleet"]
    found = fleet.teams.get(party_id) or fleet.contacts.get(party_id)
    return escape.md_text(found.name if found is not None else party_id)


@pass_context
def reach(ctx: Context, party_id: str) -> Markup:
    """How to reach a team or contact: pager, phone, chat, e-mail (those it has), as links
    where possible (``tel:``, ``mailto:``, the site's chat and pager URL patterns)."""
    fleet = ctx["fleet"]
    found = fleet.teams.get(party_id) or fleet.contacts.get(party_id)
    if found is None:
        return Markup("")
    return Markup(" · ").join(contact_parts(found, _contact_links(ctx)))


def _squashed(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


@pass_context
def reach_all(ctx: Context, party_id: str, how: object = "") -> Markup:
    """Every way to reach a party, in one cell: its channels (``reach``), then the parts of an
    escalation step's own ``how`` (comma-separated) that do not repeat them, in parentheses.
    ``—`` when there is neither."""
    channels = reach(ctx, party_id)
    known = _squashed(channels.striptags())
    extra = [part.strip() for part in str(how or "").split(",")]
    extra = [part for part in extra if part and _squashed(part) not in known]
    text = Markup(", ").join(escape.md_text(part) for part in extra)
    if channels and extra:
        return Markup(f"{channels} ({text})")
    return channels or text or Markup("—")


@dataclass(frozen=True)
class EscalationRow:
    """One row of an alert's escalation table: when, who (a party id), and how."""

    when: str
    party: str
    how: str = ""


@dataclass(frozen=True)
class EscalationChain:
    """Whom to call for an alert, and where that came from: ``alert`` (its own escalation),
    ``runbook`` (the service's escalation path, as a fallback), ``team`` (the owner team's
    contacts, as a last fallback) or ``none``."""

    source: str
    rows: list[EscalationRow]

    @property
    def fallback(self) -> bool:
        """Whether the rows come from somewhere other than the alert itself."""
        return self.source != "alert"


@pass_context
def escalation_chain(ctx: Context, alert: Alert) -> EscalationChain:
    """The escalation of an alert, falling back to the service's path, then to its owner team,
    so that an alert page never leaves the reader without someone to call."""
    if alert.escalation:
        return EscalationChain("alert", [EscalationRow(f"after {e.after}", e.to)
                                         for e in alert.escalation])
    service = ctx["service"]
    if service.runbook and service.runbook.escalation:
        levels = sorted(service.runbook.escalation, key=lambda e: e.level)
        return EscalationChain("runbook", [EscalationRow(f"level {e.level}: {e.when}", e.contact,
                                                         e.how) for e in levels])
    if service.owner in ctx["fleet"].teams:
        return EscalationChain("team", [EscalationRow("now", service.owner)])
    return EscalationChain("none", [])


@pass_context
def severity(ctx: Context, severity_id: str) -> Severity | None:
    """The organisation's severity level with this id (None when unknown)."""
    for level in ctx["fleet"].organisation.severity_scale:
        if level.id == severity_id:
            return level
    return None


@pass_context
def by_severity(ctx: Context, alerts: Iterable[Alert]) -> list[Alert]:
    """Alerts ordered by the organisation's severity scale (most severe first), then name."""
    rank = {s.id: i for i, s in enumerate(ctx["fleet"].organisation.severity_scale)}
    return sorted(alerts, key=lambda a: (rank.get(a.severity, len(rank)), a.name))


@pass_context
def alert_pages(ctx: Context, alert: Alert) -> bool:
    """Whether an alert pages on-call: its own setting, else its severity's."""
    if alert.pages is not None:
        return alert.pages
    level = severity(ctx, alert.severity)
    return bool(level and level.pages)


@pass_context
def component_name(ctx: Context, component_id: str) -> Markup:
    """Display name of a component of the page's service (the id when unknown)."""
    service = ctx.get("service")
    arch = getattr(service, "architecture", None)
    for comp in getattr(arch, "components", None) or ():
        if comp.id == component_id:
            return escape.md_text(comp.name)
    return escape.md_text(component_id)


def link_schemes(ctx: Context) -> frozenset[str]:
    """Link schemes prose may use on this site (base set plus organisation.yaml's own)."""
    return sanitize.schemes(getattr(ctx.get("organisation"), "link_schemes", None) or ())


def steps(items: Sequence[Step], heading_level: int = 4,
          see: Callable[[Step], Markup] | None = None,
          schemes: Iterable[str] = sanitize.BASE_SCHEMES) -> Markup:
    """A numbered procedure: bold step titles, prose below, commands as code blocks, what
    the engineer should see, then (with ``see``) links to what the step refers to.

    Steps are paragraphs rather than a Markdown list so that code blocks render with or
    without the superfences extension.
    """
    out: list[str] = []
    for number, step in enumerate(items, start=1):
        out.append(f"**{number}\\. {escape.md_text(step.title)}**")
        text = prose_text(step.description)
        if text.strip():
            out.append(str(escape.prose(text, heading_level, schemes)))
        if step.command:
            out.append(str(escape.code_block(step.command, "sh")))
        if step.expected:
            out.append(f"*Expected:* {escape.md_text(step.expected)}")
        if step.see and see is not None:
            out.append(str(see(step)))
    return Markup("\n\n".join(out))


@pass_context
def page_steps(ctx: Context, items: Sequence[Step], heading_level: int = 4) -> Markup:
    """``steps`` for a page: the ``see:`` references become links from that page."""
    return steps(items, heading_level, lambda step: see_links(ctx, step), link_schemes(ctx))


def see_links(ctx: Context, step: Step) -> Markup:
    """``See: <links>`` for the references of a step (unknown ones as text: the check reports
    them)."""
    service = ctx.get("service")
    fleet = ctx.get("fleet")
    parts: list[Markup] = []
    for ref in step.see:
        target = (resolve(ref, service, fleet.services, ctx["paths"])
                  if service is not None and fleet is not None else None)
        if target is None:
            parts.append(escape.md_text(ref.alert or ref.dashboard or ref.document or ""))
        elif target.url is not None:
            parts.append(escape.link(target.title, target.url))
        else:
            assert target.src_path is not None
            parts.append(page_link(ctx, target.title, target.src_path, target.anchor))
    return Markup("*See:* ") + Markup(" · ").join(parts)


def links(items: Iterable[Link], sep: str = ", ") -> Markup:
    """Links inline, separated by ``sep``."""
    return Markup(sep).join(escape.link(item.title, item.url) for item in items)


def external_link(href: str, title: object = None) -> Markup:
    """A link to a URL of the catalog (repository, ticket, dashboard); the URL is the title
    when none is given."""
    return escape.link(title if title else href, href)


def join_text(items: Iterable[object], sep: str = ", ") -> Markup:
    """Plain-text items joined by ``sep``."""
    return Markup(sep).join(escape.md_text(item) for item in items)


def tracked_note(objects: Iterable[Tracked]) -> Markup:
    """A one-line note of the evidence links and review dates of a section."""
    evidence: list[Link] = []
    reviewed = []
    for obj in objects:
        evidence.extend(obj.evidence)
        if obj.last_reviewed:
            reviewed.append(obj.last_reviewed)
    parts = []
    if evidence:
        parts.append(Markup("Evidence: ") + links(evidence))
    if reviewed:
        parts.append(Markup(f"Last reviewed: {max(reviewed).isoformat()}"))
    if not parts:
        return Markup("")
    return Markup("<small>") + Markup(" · ").join(parts) + Markup("</small>")


@pass_context
def debt_note(ctx: Context, debt: Debt | None) -> Markup:
    """One line for the flag of a gap the readiness baseline accepts (``Gap.debt``): accepted
    debt, its owner and due date; past the date, overdue (and, when the gap keeps the service
    below its required level, that it fails the build again). Empty without an entry. The
    owner and the note are the baseline file's text: shown as text, never as Markdown."""
    if debt is None:
        return Markup("")
    # no-break spaces: "was due" and its date stay on one line on a phone
    due = Markup("was\u00a0due\u00a0" if debt.overdue else "due\u00a0")
    parts = [Markup("**Overdue debt**" if debt.overdue else "**Accepted debt**"),
             Markup("owner: ") + party(ctx, debt.owner), due + escape.md_text(debt.due)]
    if debt.fails_build:
        parts.append(Markup("fails the build again"))
    if debt.note:
        parts.append(escape.md_text(debt.note))
    return Markup(" · ").join(parts)


def prose_or(value: Any, fallback: str = "", heading_level: int = 3,
             schemes: Iterable[str] = sanitize.BASE_SCHEMES) -> Markup:
    """A prose field as safe Markdown, or ``fallback`` (plain text) when it is empty."""
    text = prose_text(value)
    if not text.strip():
        return escape.md_text(fallback)
    return escape.prose(text, heading_level, schemes)


@pass_context
def _prose_or_here(ctx: Context, value: Any, fallback: str = "",
                   heading_level: int = 3) -> Markup:
    return prose_or(value, fallback, heading_level, link_schemes(ctx))


def template_globals() -> dict[str, Any]:
    """Everything templates can call, by name."""
    return {
        "section": section, "heading": heading, "link_to": link_to, "page_link": page_link,
        "party": party, "party_name": party_name, "reach": reach, "reach_all": reach_all,
        "severity": severity,
        "by_severity": by_severity,
        "alert_pages": alert_pages, "steps": page_steps, "escalation_chain": escalation_chain,
        "links": links, "present": present,
        "prose_or": _prose_or_here, "external_link": external_link, "prose_text": prose_text,
        "tracked_note": tracked_note, "component_name": component_name,
        "debt_note": debt_note,
    }

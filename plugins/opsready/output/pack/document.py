"""One pack as one self-contained HTML document: the stamp, the contents, the alert index with
its search box, then per service its NOC runbook, dependencies and diagrams, and one section per
alert. A Content-Security-Policy allows our one script (by hash), inline styles and ``data:``
images, and nothing else: the file makes no request of any kind.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ...catalog.fleet import Catalog
from ..site_paths import SitePaths, alert_slug
from .convert import Converter, PageLinks, sections
from .select import PackSpec

ASSETS = Path(__file__).resolve().parent.parent.parent / "data" / "pack"
PAPER = {"a4": "A4", "letter": "letter"}
DEPENDENCY_SECTIONS = ("components", "dependencies", "data-flows")
"""The architecture page's sections a pack holds: each diagram sits in its section with the
table that is its key (the numbered arrows of the data flows)."""
_WORD_SPLIT = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Stamp:
    """What every page of a pack states: where its content comes from and until when to trust
    it without checking the live site."""

    commit: str
    built: dt.datetime
    check_after: dt.date
    readiness: Mapping[str, tuple[str, str]]
    """Service id -> (level achieved, level required); empty when readiness is off."""

    def line(self) -> str:
        """The stamp as one line of text (printed in the margin of every PDF page)."""
        return (f"Catalog {self.commit} · built {self.built:%Y-%m-%d %H:%M} UTC · check the "
                f"live site after {self.check_after.isoformat()}")


def anchors(catalog: Catalog, spec: PackSpec, paths: SitePaths) -> dict[str, str]:
    """Site page -> the id of its section in the pack, for every page the pack holds."""
    found: dict[str, str] = {}
    for sid in spec.services:
        service = catalog.services[sid]
        found[paths.document(sid, "runbook")] = f"s-{sid}-runbook"
        found[paths.document(sid, "architecture")] = f"s-{sid}-dependencies"
        for alert in service.alerts:
            found[paths.alert(sid, alert.name)] = alert_anchor(sid, alert.name)
    return found


def alert_anchor(service_id: str, alert_name: str) -> str:
    """The id of an alert's section in a pack."""
    return f"a-{service_id}-{alert_slug(alert_name)}"


def search_words(*texts: str) -> str:
    """The words an alert is found by: of its name (CamelCase split), summary, aliases."""
    found: list[str] = []
    for text in texts:
        for part in _NOT_WORD.split(text):
            found += [part.lower()] + [w.lower() for w in _WORD_SPLIT.findall(part)]
    return " ".join(dict.fromkeys(w for w in found if w))


def _css_string(text: str) -> str:
    return '"' + "".join(ch if ch.isalnum() or ch in " .:-·," else f"\\{ord(ch):06x}"
                         for ch in text) + '"'


def script_and_hash() -> tuple[str, str]:
    """The pack's script and its CSP source (``'sha256-...'``)."""
    script = (ASSETS / "pack.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    return script, f"'sha256-{digest}'"


def render_pack(spec: PackSpec, catalog: Catalog, pages: Mapping[str, str], paths: SitePaths,
                converter: Converter, stamp: Stamp, paper: str = "a4") -> str:
    """The HTML document of one pack (pages: site src path -> the Markdown the site publishes)."""
    e = html.escape
    script, script_src = script_and_hash()
    css = (ASSETS / "pack.css").read_text(encoding="utf-8")
    page_css = (f"@page {{ size: {PAPER[paper]}; margin: 14mm 12mm 16mm; "
                f"@bottom-left {{ content: {_css_string(stamp.line())}; font-size: 7.5pt; }} "
                f"@bottom-right {{ content: counter(page) \" / \" counter(pages); "
                f"font-size: 7.5pt; }} }}")
    services = [catalog.services[sid] for sid in spec.services]
    alerts = sorted(((s, a) for s in services for a in s.alerts), key=lambda p: p[1].name.lower())
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        f"img-src data:; style-src 'unsafe-inline'; script-src {script_src}; "
        "form-action 'none'; base-uri 'none'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>Runbook pack: {e(spec.title)}</title>",
        f"<style>{css}\n{page_css}</style>",
        "</head>",
        "<body>",
        f'<div id="pack-stale" class="pack-stale" role="alert" hidden '
        f'data-after="{stamp.check_after.isoformat()}">This pack is past its date '
        f"({stamp.check_after.isoformat()}): it may be out of date. Check the live site, and "
        "get a fresh copy.</div>",
        "<header>",
        f'<p class="pack-stamp">{e(stamp.line())}</p>',
        f'<h1 id="pack-top">Runbook pack: {e(spec.title)}</h1>',
        f'<p class="pack-check">Copy for when the documentation site cannot be reached. Built '
        f"from catalog commit <code>{e(stamp.commit)}</code> on "
        f"{stamp.built:%Y-%m-%d %H:%M} UTC. <strong>Check the live site after "
        f"{stamp.check_after.isoformat()}</strong>: later, this copy may be out of date.</p>",
        _readiness_table(services, stamp),
        "</header>",
        _toc(services),
        _index(alerts),
    ]
    for service in services:
        sid = service.id
        runbook_src = paths.document(sid, "runbook")
        arch_src = paths.document(sid, "architecture")
        level = stamp.readiness.get(sid)
        readiness = f" · readiness {level[0]} (required {level[1]})" if level else ""
        out.append(f'<section class="pack-service" id="s-{sid}">')
        out.append(f'<p class="pack-stamp">{e(service.name)}: tier {service.tier}{readiness}'
                   f'<span class="pack-stamp-common"> · {e(stamp.line())}</span></p>')
        out.append(f'<div id="s-{sid}-runbook">')
        out.append(_page(converter, pages, runbook_src, f"s-{sid}-runbook"))
        out.append("</div>")
        out.append(f'<div id="s-{sid}-dependencies">')
        out.append(f"<h3>{e(service.name)}: dependencies</h3>")
        arch_anchor = f"s-{sid}-dependencies"
        out.append(sections(_page(converter, pages, arch_src, arch_anchor), arch_anchor,
                            DEPENDENCY_SECTIONS))
        out.append("</div></section>")
        for alert in sorted(service.alerts, key=lambda a: a.name):
            src = paths.alert(sid, alert.name)
            anchor = alert_anchor(sid, alert.name)
            out.append(f'<article class="pack-alert" id="{e(anchor)}">')
            out.append(f'<p class="pack-stamp">{e(service.name)}{readiness}'
                       f'<span class="pack-stamp-common"> · {e(stamp.line())}</span></p>')
            out.append(_page(converter, pages, src, anchor))
            out.append("</article>")
    out += [f"<script>{script}</script>", "</body>", "</html>", ""]
    return "\n".join(out)


def _page(converter: Converter, pages: Mapping[str, str], src: str, anchor: str) -> str:
    """A page of the site in the pack; a page the site publishes as written by hand (it wins
    over the generated one) is not in the pack, and the pack says so."""
    if src in pages:
        return converter.page(src, pages[src], anchor)
    links = converter.links
    live = PageLinks({}, links.site_url, links.use_directory_urls).target("", src)
    where = f'<a href="{html.escape(live)}">the live site</a>' if live else "the live site"
    return (f'<p class="pack-check">This page is written by hand on the site and is not in '
            f"the pack: see {where}.</p>")


def _readiness_table(services: list, stamp: Stamp) -> str:  # type: ignore[type-arg]
    e = html.escape
    rows = []
    for s in services:
        level = stamp.readiness.get(s.id, ("not evaluated", "—"))
        rows.append(f'<tr><td><a href="#s-{s.id}">{e(s.name)}</a></td><td>{s.tier}</td>'
                    f"<td>{e(level[0])}</td><td>{e(level[1])}</td><td>{len(s.alerts)}</td></tr>")
    return ('<table class="pack-readiness"><caption>Readiness of each service when the pack was '
            "built</caption><thead><tr><th>Service</th><th>Tier</th><th>Readiness</th>"
            "<th>Required</th><th>Alerts</th></tr></thead><tbody>" + "".join(rows)
            + "</tbody></table>")


def _toc(services: list) -> str:  # type: ignore[type-arg]
    e = html.escape
    items = ['<li><a href="#pack-index">Alert index and search</a></li>']
    for s in services:
        alerts = "".join(f'<li><a href="#{e(alert_anchor(s.id, a.name))}">{e(a.name)}</a></li>'
                         for a in sorted(s.alerts, key=lambda a: a.name))
        items.append(f'<li><a href="#s-{s.id}">{e(s.name)}</a><ul>'
                     f'<li><a href="#s-{s.id}-runbook">NOC runbook</a></li>'
                     f'<li><a href="#s-{s.id}-dependencies">Dependencies and diagrams</a></li>'
                     f"{alerts}</ul></li>")
    return (f'<nav class="pack-toc" aria-labelledby="pack-toc"><h2 id="pack-toc">Contents</h2>'
            f"<ul>{''.join(items)}</ul></nav>")


def _index(alerts: list) -> str:  # type: ignore[type-arg]
    e = html.escape
    rows = []
    for service, alert in alerts:
        key = " ".join(_NOT_WORD.sub("", t.lower()) for t in (alert.name, *alert.aliases))
        words = search_words(alert.name, alert.summary, *alert.aliases)
        rows.append(f'<tr data-key="{e(key)}" data-words="{e(words)}">'
                    f'<td><a href="#{e(alert_anchor(service.id, alert.name))}">{e(alert.name)}'
                    f"</a></td><td>{e(service.name)}</td><td>{e(alert.severity)}</td>"
                    f"<td>{e(alert.summary)}</td></tr>")
    return ('<section class="pack-index" id="pack-index"><h2>Alert index</h2>'
            '<form class="pack-search" role="search"><label for="pack-search">Find an alert by '
            'its name or the words of its summary</label><br><input type="search" '
            'id="pack-search" autocomplete="off" disabled> <span id="pack-search-count" '
            'role="status"></span></form>'
            '<table><thead><tr><th>Alert</th><th>Service</th>'
            "<th>Severity</th><th>Summary</th></tr></thead><tbody>" + "".join(rows)
            + "</tbody></table></section>")

"""The hostile-prose corpus (``hostile_prose.py``) through ``opsready check`` and a real build.

Every payload is placed in several fields: a service-level prose field (description, on-call,
incident escalation), a component description and technology, an alert's meaning and diagnosis
step, an escalation level, and a Markdown file beside the YAML (the alert's impact). For each
payload: either the check rejects it with file, line and YAML path, or the built site is inert: no
event-handler attribute, no script outside the theme's own, no javascript:/data:/vbscript: URL
after decoding, and in headless Chromium no dialog opens and no handler runs when each page
loads and when its links are focused and hovered. One check run, one build, one browser session.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from conftest import TEAMS_YAML, BuiltSite, build_site
from example_site import serve_folder
from hostile_prose import PAYLOADS, Payload
from opsready.catalog.load import load_catalog
from opsready.diagnostics import Diagnostic
from opsready.guard import html as sanitize
from test_policy_support import yaml_text

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "xlink:href", "srcdoc",
                  "content")
UNSAFE = ("javascript", "vbscript", "data")
GROUP = 8
"""Payloads per service of the built site (fewer pages to load than one service each)."""


def _service(sid: str, group: list[Payload]) -> tuple[dict[str, Any], dict[str, str]]:
    """A service using every payload of ``group`` in every field; also its Markdown files."""
    files = {f"notes-{i}.md": p.text for i, p in enumerate(group)}
    first = group[0].text
    service: dict[str, Any] = {
        "id": sid, "name": f"Hostile {sid}", "description": first, "tier": 2,
        "lifecycle": "production", "owner": "platform",
        "architecture": {"components": [
            {"id": f"part-{i}", "name": f"Part {i}", "kind": "service", "description": p.text,
             "technology": p.text} for i, p in enumerate(group)]},
        "alerts": [], "runbook": {
            "on_call": group[-1].text,
            "escalation": [{"level": i + 1, "contact": "noc", "when": p.text, "how": p.text}
                           for i, p in enumerate(group)]},
        "incident_response": {"escalation": group[len(group) // 2].text},
    }
    for i, p in enumerate(group):
        service["alerts"].append(
            {"name": f"HostileAlert{i}", "severity": "SEV-2", "summary": f"Alert {i}",
             "meaning": p.text,
             "impact": p.impact if p.impact is not None else {"file": f"notes-{i}.md"},
             "diagnosis": [{"title": "Look", "description": p.text, "command": p.text}]})
    return service, files


def _catalog(groups: list[list[Payload]]) -> tuple[dict[str, str], dict[str, list[Payload]]]:
    files = {"teams.yaml": TEAMS_YAML}
    by_service: dict[str, list[Payload]] = {}
    for n, group in enumerate(groups):
        sid = f"hostile-{n}"
        service, extra = _service(sid, group)
        files[f"{sid}/service.yaml"] = yaml_text(service)
        files.update({f"{sid}/{name}": text for name, text in extra.items()})
        by_service[sid] = group
    return files, by_service


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Diagnostic]]:
    """The check's errors for each payload (each alone in its own service); [] = accepted."""
    root = tmp_path_factory.mktemp("hostile-check")
    files, by_service = _catalog([[p] for p in PAYLOADS])
    _write(root, files)
    result = load_catalog(root)
    out: dict[str, list[Diagnostic]] = {}
    for sid, (payload,) in by_service.items():
        out[payload.id] = [d for d in result.diagnostics
                           if d.severity == "error" and f"/{sid}/" in "/" + d.file]
    unrelated = [d for d in result.diagnostics if "/hostile-" not in "/" + d.file]
    assert not unrelated, unrelated
    return out


@pytest.fixture(scope="module")
def site(verdicts: dict[str, list[Diagnostic]],
         tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    accepted = [p for p in PAYLOADS if not verdicts[p.id]]
    groups = [accepted[i:i + GROUP] for i in range(0, len(accepted), GROUP)]
    files, _ = _catalog(groups)
    return build_site(tmp_path_factory.mktemp("hostile-site"), files, strict=False,
                      expect_warnings=[r"raw HTML '<.*' shows as text",
                                       r"image '.*' is loaded from another host"])


def test_the_corpus_is_large_and_covers_both_outcomes(
        verdicts: dict[str, list[Diagnostic]]) -> None:
    assert len(PAYLOADS) >= 40 and len({p.id for p in PAYLOADS}) == len(PAYLOADS)
    rejected = {k for k, v in verdicts.items() if v}
    # What cannot render as written is refused: unclosed fences and comments, unsafe links.
    assert {"fence-pairs-across-fields", "unclosed-fence-swallows", "comment-unclosed",
            "entity-scheme-decimal", "entity-scheme-colon", "reference-link-scheme",
            "link-data-url", "image-data-url", "link-vbscript"} <= rejected
    assert {"script-tag", "img-onerror", "jinja", "attr-list", "heading-swallow"}.isdisjoint(
        rejected)


@pytest.mark.parametrize("payload", PAYLOADS, ids=[p.id for p in PAYLOADS])
def test_a_rejected_payload_is_named_with_file_line_and_yaml_path(
        payload: Payload, verdicts: dict[str, list[Diagnostic]]) -> None:
    for d in verdicts[payload.id]:
        assert d.line >= 1 and d.column >= 1 and d.yaml_path, d
        assert d.file.endswith((".yaml", ".md")), d
        assert d.hint, d


def _inert_problems(html: str, where: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    problems: list[str] = []
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            text = value if isinstance(value, str) else " ".join(value)
            if name.lower().startswith("on"):
                problems.append(f"{where}: handler {name} on <{tag.name}>")
            if name.lower() in URL_ATTRIBUTES and sanitize.url_scheme(text) in UNSAFE:
                problems.append(f"{where}: {name}={text[:60]!r} on <{tag.name}>")
    content = soup.find("article")
    assert content is not None, where
    for bad in content.find_all(["script", "iframe", "object", "embed", "form", "svg", "math",
                                 "style", "meta", "base", "input", "details", "img"]):
        if bad.name == "img" and bad.get("src", "").startswith(("http", "/", ".")):
            continue
        problems.append(f"{where}: <{bad.name}> in the page content")
    for script in soup.find_all("script"):
        if "alert" in script.get_text() or "msgbox" in script.get_text():
            problems.append(f"{where}: a script holds catalog text")
    return problems


def test_the_built_site_is_inert(site: BuiltSite) -> None:
    pages = sorted(site.site_dir.rglob("*.html"))
    assert len(pages) > 20
    problems = [p for page in pages for p in _inert_problems(
        page.read_text("utf-8"), str(page.relative_to(site.site_dir)))]
    assert not problems, "\n".join(problems)


def test_template_headings_survive_every_payload(site: BuiltSite) -> None:
    alert_pages = [p for p in site.site_dir.rglob("*.html") if "hostilealert" in str(p).lower()]
    assert alert_pages
    for page in alert_pages:
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        ids = {h.get("id") for h in soup.select("article h2")}
        assert {"meaning", "impact", "diagnosis"} <= ids, (page, ids)


def test_payload_text_reaches_the_page_as_text(site: BuiltSite) -> None:
    page = next(p for p in site.site_dir.rglob("*.html") if "hostilealert" in str(p).lower())
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    assert soup.select("article .opsready-prose"), page


# --- the browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(site: BuiltSite) -> Iterator[str]:
    with serve_folder(site.site_dir) as url:
        yield url


_PROBE = """
window.__ran = [];
for (const name of ['alert', 'confirm', 'prompt']) {
  window[name] = function () { window.__ran.push(name); };
}
"""
_POKE = """() => {
  const els = document.querySelectorAll('article a, article *');
  for (const el of els) {
    el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
    if (el.focus) el.focus();
  }
  return window.__ran;
}"""


def test_no_dialog_and_no_handler_runs_in_chromium(site: BuiltSite, served: str) -> None:
    if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
        pytest.skip(f"{CHROMIUM} is not installed; this test always runs in CI")
    if os.environ.get("CI"):
        from playwright.sync_api import sync_playwright
    else:
        sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    pages = sorted(p.relative_to(site.site_dir).as_posix() for p in site.site_dir.rglob("*.html")
                   if "hostile" in str(p.relative_to(site.site_dir)))
    assert len(pages) > 10
    dialogs: list[str] = []
    ran: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            context = browser.new_context()
            context.add_init_script(_PROBE)  # before any script of the page runs
            page = context.new_page()
            page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"),
                                         d.dismiss()))
            # The probe records alert/confirm/prompt called on load or by a handler; a dialog
            # opened any other way is caught by the dialog event.
            for path in pages:
                page.goto(served + path, wait_until="load")
                calls = page.evaluate(_POKE)
                ran += [f"{path}: {c}" for c in calls]
        finally:
            browser.close()
    assert not dialogs, dialogs
    assert not ran, ran

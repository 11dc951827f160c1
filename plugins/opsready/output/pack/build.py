"""``opsready pack``: the site's runbook pages, per on-call rotation, tier and fleet, written as
one self-contained HTML file and one PDF each, with a manifest.

The content is the site's own: ``output.assemble`` renders the pages exactly as for the site
(the same templates, sanitised prose, gaps and diagrams), ``convert`` turns them into HTML with
the site's Markdown extensions and the site's allow-list.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ... import __version__
from ...guard.html import schemes as site_schemes
from ...pages import TemplateError, make_environment
from ..assemble import RUNBOOK_PACKS, LoadedSite, SiteOutput, load_site, site_output
from ..options import MkDocsSite, SiteDirs, SiteError, SiteOptions, read_mkdocs_yml, resolve_dirs
from .convert import Converter, PackError, PageLinks, Report, site_converter
from .document import Stamp, anchors, render_pack
from .manifest import MANIFEST, write_manifest
from .pdf import find_chromium, print_pdf
from .select import PackSpec, select_specs

DEFAULT_VALID_DAYS = 180
"""Days a pack is trusted without checking the live site when the policy sets no review age."""
RUNBOOK_SECTIONS = "runbook#"


@dataclass
class PackRequest:
    """What to write, and where."""

    out: Path
    config: Path = Path("mkdocs.yml")
    catalog: Path | None = None
    teams: Sequence[str] = ()
    tiers: Sequence[int] = ()
    services: Sequence[str] = ()
    fleet: bool = False
    everything: bool = False
    paper: str = "a4"
    pdf: bool = True
    valid_days: int | None = None


@dataclass
class PackResult:
    """What was written (file names inside ``out``) and what to tell."""

    files: list[str] = field(default_factory=list)
    specs: list[PackSpec] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def catalog_commit(folder: Path) -> str:
    """The commit of the catalog folder's repository, with ``+uncommitted`` when the folder has
    changes; ``uncommitted`` outside a repository (or without git)."""
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True,
                                  text=True, timeout=30, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    head = git("rev-parse", "--short=12", "HEAD")
    if not head:
        return "uncommitted"
    dirty = git("status", "--porcelain", "--", ".")
    return f"{head}+uncommitted" if dirty else head


def build_time() -> dt.datetime:
    """Now (UTC, to the minute), or ``SOURCE_DATE_EPOCH`` for a reproducible pack."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)


def valid_days(loaded: LoadedSite, spec: PackSpec, override: int | None) -> int:
    """Days until a pack should be checked against the live site: ``override``, else the
    shortest review age the policy sets on the NOC runbook's sections for the pack's tiers."""
    if override is not None:
        return override
    evaluation = loaded.readiness.evaluation
    if evaluation is None:
        return DEFAULT_VALID_DAYS
    tiers = {loaded.catalog.services[sid].tier for sid in spec.services}
    ages = [days for rule in evaluation.policy.rules if rule.section.startswith(RUNBOOK_SECTIONS)
            for tier in tiers if (days := evaluation.policy.review_max_age(rule, tier))]
    return min(ages, default=DEFAULT_VALID_DAYS)


def _site(config: Path, catalog: Path | None) -> MkDocsSite:
    if config.is_file():
        site = read_mkdocs_yml(config)
    elif catalog is None:
        raise ValueError(f"{config}: no such file (give the catalog folder, or --config)")
    else:
        site = MkDocsSite(config, SiteOptions(), config.resolve().parent / "docs", True, False)
    if catalog is not None:
        site = dataclasses.replace(site, options=dataclasses.replace(
            site.options, catalog_dir=str(catalog.resolve())))
    return site


def write_packs(request: PackRequest, report: Report) -> PackResult:
    """Write the packs asked for into ``request.out`` with ``pack.json``.

    Raises ``ValueError`` (usage: an unknown team, a missing config), ``SiteError`` (the catalog
    or policy has errors, reported before) or ``PackError``.
    """
    site = _site(request.config, request.catalog)
    # The pack needs the pages only: the scorecard and the format reference are left out.
    options = dataclasses.replace(site.options, scorecard=False, format_reference=False,
                                  runbook_packs=False)
    dirs = resolve_dirs(options, request.config.resolve().parent, report)
    loaded = load_site(options, dirs, report, readers=site.readers)
    specs = select_specs(loaded.catalog, teams=request.teams, tiers=request.tiers,
                         services=request.services, fleet=request.fleet,
                         everything=request.everything)
    try:
        output = site_output(loaded, {}, options, dirs, make_environment(dirs.templates_dir),
                             report, docs_dir=str(site.docs_dir),
                             use_directory_urls=site.use_directory_urls)
    except TemplateError as exc:
        raise SiteError(str(exc)) from None
    built = SiteBuild(loaded, output, dirs, site.setting("markdown_extensions"),
                      str(site.setting("site_url") or ""), site.use_directory_urls)
    return write_site_packs(built, specs, request, report)


@dataclass(frozen=True)
class SiteBuild:
    """What a site build already has that the packs are made of (the plugin passes its own)."""

    loaded: LoadedSite
    output: SiteOutput
    dirs: SiteDirs
    markdown_extensions: Any
    """As ``mkdocs.yml`` lists them: names, or ``{name: config}``."""
    site_url: str = ""
    use_directory_urls: bool = True


def write_site_packs(build: SiteBuild, specs: Sequence[PackSpec], request: PackRequest,
                     report: Report) -> PackResult:
    """Write ``specs`` from the pages of a site build into ``request.out`` with ``pack.json``."""
    loaded, output, dirs = build.loaded, build.output, build.dirs
    pages = {f.src_path: f.content for f in output.files
             if f.src_path.endswith(".md") and isinstance(f.content, str)}
    diagrams = {f.src_path: f for f in output.files
                if f.src_path.endswith(".svg") and (f.abs_path is not None or f.content)}
    schemes = site_schemes(loaded.catalog.organisation.link_schemes)
    md = site_converter(build.markdown_extensions, report)
    commit = catalog_commit(dirs.catalog_dir)
    built = build_time()
    evaluation = loaded.readiness.evaluation
    readiness = {} if evaluation is None else {
        sid: (r.achieved.label, r.required.label) for sid, r in evaluation.services.items()}
    browser = find_chromium() if request.pdf else None
    result = PackResult(specs=list(specs))
    if request.pdf and browser is None:
        result.messages.append("no Chromium found (set OPSREADY_CHROMIUM or install chromium): "
                               "the packs are written without their PDF")
    request.out.mkdir(parents=True, exist_ok=True)
    manifest_packs: list[dict[str, Any]] = []
    for spec in specs:
        start = time.monotonic()
        links = PageLinks(anchors(loaded.catalog, spec, dirs.paths), build.site_url,
                          build.use_directory_urls)
        converter = Converter(md, links, diagrams, schemes)
        days = valid_days(loaded, spec, request.valid_days)
        stamp = Stamp(commit, built, built.date() + dt.timedelta(days=days), readiness)
        text = render_pack(spec, loaded.catalog, pages, dirs.paths, converter, stamp,
                           request.paper)
        names = [f"{spec.name}.html"]
        (request.out / names[0]).write_text(text, encoding="utf-8")
        if browser is not None:
            try:
                print_pdf(browser, request.out / names[0], request.out / f"{spec.name}.pdf")
                names.append(f"{spec.name}.pdf")
            except RuntimeError as exc:
                raise PackError(f"{spec.name}.pdf: {exc}") from None
        result.files += names
        manifest_packs.append({
            "name": spec.name, "title": spec.title, "services": list(spec.services),
            "check_after": stamp.check_after.isoformat(), "files": names,
            "alerts": [{"service": sid, "alert": a.name} for sid in spec.services
                       for a in sorted(loaded.catalog.services[sid].alerts,
                                       key=lambda a: a.name)]})
        report("info", f"opsready pack: {', '.join(names)} ({len(spec.services)} services, "
               f"{time.monotonic() - start:.1f} s)")
    (request.out / "index.html").write_text(_folder_index(manifest_packs, commit, built),
                                           encoding="utf-8")
    result.files.append("index.html")
    write_manifest(request.out, {"generator": f"opsready {__version__}", "commit": commit,
                                 "built": built.isoformat()}, manifest_packs, result.files)
    return result


SITE_FOLDER = RUNBOOK_PACKS.rstrip("/")
"""Where the plugin writes the packs in the built site."""


def write_into_site(config: Any, loaded: LoadedSite, output: SiteOutput, dirs: SiteDirs,
                    pdf: bool, report: Report) -> PackResult:
    """The default packs of a site build (the plugin's ``runbook_packs`` option) written into
    ``<site_dir>/packs`` from the pages the build already rendered. ``config`` is MkDocs'
    configuration, read as plain attributes (this module does not import MkDocs)."""
    extensions = [{name: config.mdx_configs.get(name)} for name in config.markdown_extensions
                  if isinstance(name, str)]
    build = SiteBuild(loaded, output, dirs, extensions, str(config.site_url or ""),
                      bool(config.use_directory_urls))
    request = PackRequest(out=Path(config.site_dir) / SITE_FOLDER, pdf=pdf)
    result = write_site_packs(build, select_specs(loaded.catalog), request, report)
    for message in result.messages:
        report("warning", message)
    return result


def _folder_index(packs: list[dict[str, Any]], commit: str, built: dt.datetime) -> str:
    """A plain page listing the packs of a folder (what the site links to)."""
    e = html.escape
    rows = "".join(
        f"<li>{e(str(p['title']))}: " + " · ".join(
            f'<a href="{e(n)}">{e(n)}</a>' for n in p["files"])
        + f" (check the live site after {e(str(p['check_after']))})</li>" for p in packs)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'\"><title>Runbook packs</title><style>body{font:16px/1.5 "
            "system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}</style>"
            f"</head><body><h1>Runbook packs</h1><p>Catalog commit <code>{e(commit)}</code>, "
            f"built {built:%Y-%m-%d %H:%M} UTC. Download the pack of your rotation and keep it "
            f"where you can open it when the site is down; <a href=\"{MANIFEST}\">{MANIFEST}"
            f"</a> lists the SHA-256 of every file (<code>opsready pack --verify</code>)."
            f"</p><ul>{rows}</ul></body></html>\n")


def report_stderr(level: str, text: str) -> None:
    """Progress and problems on stderr (debug records left out)."""
    if level != "debug":
        print(f"{level.upper()}: {text}" if level != "info" else text, file=sys.stderr)

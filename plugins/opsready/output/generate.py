"""``opsready generate``: the site output written to a folder as plain Markdown and assets, for
any builder (plain MkDocs, Zensical, ...), with the navigation as a YAML fragment.

Exit codes as ``opsready check``: 0 written and the policy met, 1 problems (catalog errors, a
file in the way, the policy not met under ``enforce``), 2 usage errors.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import sys
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from ..cache.rebuild_memo import tree_fingerprint
from ..diagnostics import printable
from ..guard.html import BASE_SCHEMES as URL_SCHEMES
from ..guard.html import schemes as site_schemes
from ..pages import TemplateError, make_environment
from ..pages import nav as navplan
from ..policy.baseline_path import default_baseline_path
from .assemble import DocsFile, SiteOutput, load_site, site_output
from .builder_config import HEADER, builder_config, nav_items
from .manifest import read_manifest, write_tree
from .options import MkDocsSite, SiteError, read_mkdocs_yml, resolve_dirs
from .team_check import team_page_problems as page_problems
from .verdict import readiness_verdict

NAV_FILE = ".opsready-nav.yml"
"""The navigation of the generated pages as ``nav:`` items, in the output folder."""
PAGE_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def report_stderr(level: str, text: str) -> None:
    """Progress and problems on stderr, one line each (debug records are left out)."""
    report_lines(level, [text])


def report_lines(level: str, lines: Iterable[str]) -> None:
    """One message of several ``lines`` on stderr. Messages name files and values a team
    chose: each line is escaped by the one formatter (``diagnostics.printable``), so a line break
    or control character in a name cannot start a line of its own in a CI log."""
    if level != "debug":
        text = "\n".join(printable(line) for line in lines)
        print(f"{level.upper()}: {text}" if level != "info" else text, file=sys.stderr)


def own_files(docs_dir: Path, out: Path, previous: dict[str, str]) -> dict[str, DocsFile]:
    """The site's own files in ``docs_dir``: every file but dot files and those generate wrote."""
    written = {str((out / rel).resolve()) for rel in previous}
    found: dict[str, DocsFile] = {}
    for dirpath, dirnames, filenames in os.walk(docs_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.startswith(".") or str(path.resolve()) in written:
                continue
            src = path.relative_to(docs_dir).as_posix()
            found[src] = DocsFile(src, str(path), name.endswith(PAGE_SUFFIXES),
                                  functools.partial(path.read_text, encoding="utf-8-sig"))
    return found


def team_page_problems(result: SiteOutput, docs: dict[str, DocsFile],
                       schemes: Iterable[str] = URL_SCHEMES,
                       readers: Mapping[str, Mapping[str, Any]] | None = None) -> list[str]:
    """Team pages another builder would not publish as safely as the plugin: the plugin's
    refusals (file inclusions, complexity), front matter it drops or escapes, HTML outside its
    allow-list (another builder publishes it as is)."""
    return [f"{docs[src].abs_path}:{line}: {problem}"
            for src in sorted(s for s in result.team.pages if s in docs)
            for line, problem in page_problems(docs[src].read(), schemes, readers)]


def generate(config_file: Path, out_dir: Path | None = None,
             builder_file: Path | None = None) -> int:
    """Write the site output of ``config_file``'s opsready options (and, when asked, a config for
    a builder without the plugin); return the exit code."""
    try:
        site: MkDocsSite = read_mkdocs_yml(config_file)
        dirs = resolve_dirs(site.options, config_file.resolve().parent, report_stderr)
        if builder_file is not None and builder_file.resolve().parent != dirs.project_dir:
            raise ValueError(f"{builder_file}: the builder config must be in the folder of "
                             f"{config_file} (paths in it are relative to that folder)")
    except (ValueError, SiteError) as exc:
        print(printable(f"opsready: error: {exc}"), file=sys.stderr)
        return EXIT_USAGE
    out = (out_dir or site.docs_dir).resolve()
    start = time.monotonic()
    if site.options.team_page_macros:
        report_stderr("warning", "team_page_macros is a plugin feature: another builder "
                      "publishes team pages as written, their {{ ... }} as text")
    try:
        loaded = load_site(site.options, dirs, report_stderr, readers=site.readers)
        docs = own_files(site.docs_dir, out, read_manifest(out))
        # Runbook packs are written by the MkDocs plugin only: no page links them here.
        options = dataclasses.replace(site.options, runbook_packs=False)
        result = site_output(loaded, docs, options, dirs, make_environment(dirs.templates_dir),
                             report_stderr, docs_dir=str(site.docs_dir),
                             use_directory_urls=site.use_directory_urls)
    except (SiteError, TemplateError) as exc:
        print(printable(f"opsready: error: {exc}"), file=sys.stderr)
        return EXIT_PROBLEMS
    refused = [f"{site.docs_dir / src}: would be left out by the MkDocs plugin, but any other "
               "builder publishes it: remove it" for src in result.remove]
    refused += team_page_problems(result, docs,
                                  site_schemes(loaded.catalog.organisation.link_schemes),
                                  site.readers)
    for message in refused:
        report_stderr("error", message)
    if refused:
        return EXIT_PROBLEMS
    assets = [g.src_path for g in result.files if g.src_path.startswith(
        f"{dirs.paths.prefix}/assets/opsready/" if dirs.paths.prefix else "assets/opsready/")
              and g.src_path.endswith((".css", ".js"))]
    data = {g.src_path: _bytes(g.content, g.abs_path) for g in result.files}
    published = set(data)
    trimmed = navplan.trimmed(len(loaded.catalog.services), site.options.nav_max_services)
    nav = {"nav": nav_items(result, dirs, published, trimmed), "extra_css": sorted(assets)}
    data[NAV_FILE] = ("# Written by opsready generate: the navigation of the generated pages.\n"
                      + yaml.safe_dump(nav, sort_keys=False, allow_unicode=True)).encode()
    written = write_tree(out, data)
    if builder_file is not None and not written.refused:
        platform = [s for s, f in docs.items() if f.is_page and s not in result.team.pages]
        text = builder_config(site, result, dirs, sorted(assets), platform, published, trimmed)
        written.refused += write_owned(builder_file, text)
    for message in written.refused:
        report_stderr("error", message)
    if written.refused:
        return EXIT_PROBLEMS
    for message in written.kept:
        report_stderr("warning", message)
    report_stderr("info", f"opsready generate: {len(written.written)} written, "
                  f"{len(written.unchanged)} unchanged, {len(written.removed)} removed in {out} "
                  f"({time.monotonic() - start:.1f} s)")
    verdict = readiness_verdict(loaded.readiness, site.options)
    if verdict is not None:
        report_lines(verdict.level, verdict.lines)
    return EXIT_PROBLEMS if verdict is not None and verdict.fails else EXIT_OK


def write_owned(path: Path, text: str) -> list[str]:
    """Write ``text`` to ``path`` unless a file not written by opsready is there (-> refusal)."""
    if path.is_file():
        old = path.read_text(encoding="utf-8")
        if not old.startswith(HEADER):
            return [f"{path}: exists and was not written by opsready generate: refused to "
                    "overwrite it"]
        if old == text:
            return []
    path.write_text(text, encoding="utf-8")
    return []


def watch(config_file: Path, out_dir: Path | None, builder_file: Path | None = None,
          interval: float = 1.0) -> int:
    """Generate, then again whenever the catalog, templates, policy, baseline or ``mkdocs.yml``
    change."""
    generate(config_file, out_dir, builder_file)
    site = read_mkdocs_yml(config_file)
    base = config_file.resolve().parent
    roots = [base / site.options.catalog_dir, base / (site.options.templates_dir or "templates")]
    extra = [config_file] + ([base / site.options.policy] if site.options.policy else [])
    policy = base / site.options.policy if site.options.policy else None
    extra.append(base / site.options.baseline if site.options.baseline
                 else default_baseline_path(policy, base))

    def key() -> object:
        return tree_fingerprint(*roots), [(p.stat().st_mtime_ns if p.exists() else 0)
                                          for p in extra]

    last = key()
    print("opsready generate: watching for changes (Ctrl-C stops)", file=sys.stderr)
    while True:
        time.sleep(interval)
        now = key()
        if now != last:
            last = now
            generate(config_file, out_dir, builder_file)


def _bytes(content: str | bytes | None, abs_path: str | None) -> bytes:
    if abs_path is not None:
        return Path(abs_path).read_bytes()
    return content.encode("utf-8") if isinstance(content, str) else (content or b"")

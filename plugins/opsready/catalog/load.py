"""Find, load and validate a whole catalog folder into one immutable ``Catalog``.

Layout of a catalog folder::

    teams.yaml                 teams and contacts (required once a service names an owner)
    organisation.yaml          optional: organisation name, severity scale
    <id>.yaml                  one service
    <id>/service.yaml          one service, with Markdown files beside it
"""

from __future__ import annotations

import gc
import marshal
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from ..cache import pool, reads
from ..diagnostics import Diagnostic, sort_key
from ..guard.includes import SiteReaders
from ..model import Organisation, Service, TeamsFile
from .backstage_detect import backstage_diagnostic
from .files import ORGANISATION_FILE, RESERVED_NAMES, SERVICE_FILE_NAMES, TEAMS_FILE, survey
from .fleet import Catalog, CatalogResult, ServiceSource
from .validate import validate_file
from .yaml_loader import LoadedFile, load_stored, load_yaml

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 400
SHARED_READS = ""
"""The key of ``Catalog.reads`` for the files every service shares (no service has an empty id)."""


def display_name(path: Path, root: Path, base: Path | None = None) -> str:
    """The name a diagnostic uses for a file.

    Without ``base``: relative to the working directory when inside it (what a terminal user
    clicks), else the path as given. With ``base`` (a site build passes the folder of
    ``mkdocs.yml``): relative to ``base`` when inside it, else relative to the folder holding
    the catalog ``root``; never absolute, so pages and ``scorecard.json`` do not depend on the
    working directory or on where the repository was checked out.
    """
    if base is None:
        try:
            rel = os.path.relpath(path)
        except ValueError:  # pragma: no cover - other drive on Windows
            return str(path)
        return str(path) if rel.startswith("..") else rel
    absolute = Path(os.path.abspath(path))
    for folder in (Path(os.path.abspath(base)), Path(os.path.abspath(root)).parent):
        if absolute.is_relative_to(folder):
            return absolute.relative_to(folder).as_posix()
    return absolute.name  # pragma: no cover - a file outside its own catalog folder


@contextmanager
def _gc_paused() -> Iterator[None]:
    # Loading builds many small acyclic objects that all stay alive: the cyclic collector
    # rescans them again and again (measured: 1,000 services took 13.6 s with it, 4.3 s without).
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


Parsed = tuple["LoadedFile | bytes | None", list[Diagnostic]]
"""What a worker sends back: the loaded file (as ``_packed`` bytes when it can), or None and why."""


def _parse(args: tuple[Path, str]) -> Parsed:
    path, display = args
    loaded, diags = load_yaml(path, display=display)
    return (_packed(loaded) if loaded is not None else None), diags


def _packed(loaded: LoadedFile) -> LoadedFile | bytes:
    """A parsed file as marshal bytes: plain data, positions and text cross the process
    boundary in a third of the time pickle takes to read them back (the main process is the
    one that waits)."""
    try:
        return marshal.dumps((loaded.plain(), loaded.text))
    except ValueError:  # not plain data after all: pickled as it is
        return loaded


def _unpacked(path: Path, parsed: LoadedFile | bytes | None) -> LoadedFile | None:
    if not isinstance(parsed, bytes):
        return parsed
    plain, text = marshal.loads(parsed)
    return LoadedFile.from_plain(path, text, plain)


COLD_PROBE = 16
"""Files looked up first: when none of them was parsed before, the cache is taken as cold and
the others are not looked up here (a worker still takes one it finds in the store)."""


def _stored(files: list[tuple[Path, str]]) -> list[LoadedFile | None]:
    """The files the run's store holds, in order (None: parse it); a cold cache is not asked
    for every file (each lookup reads and hashes the file before the workers start)."""
    hits: list[LoadedFile | None] = []
    for i, (path, _) in enumerate(files):
        if i == COLD_PROBE and not any(hits):
            return hits + [None] * (len(files) - i)
        hits.append(load_stored(path))
    return hits


def _parse_all(files: list[tuple[Path, str]], workers: int
               ) -> Iterator[tuple[LoadedFile | None, list[Diagnostic]]]:
    """Parse service files, in order, as they come: from the run's store when unchanged (see
    ``loader.load_stored``), else on worker processes for large catalogs, while the caller
    validates what came first.

    Workers only parse: plain data crosses the process boundary about 5x cheaper than
    validated model objects.
    """
    hits = _stored(files)
    args = [(path, display) for (path, display), hit in zip(files, hits, strict=True)
            if hit is None]
    if len(args) < PARALLEL_THRESHOLD:
        workers = 1
    parsed = pool.map_processes(_parse, args, workers, chunksize=32)
    for (path, _), hit in zip(files, hits, strict=True):
        if hit is not None:
            yield hit, []
            continue
        found, diags = next(parsed)
        yield _unpacked(path, found), diags


def with_shared_externals(service: Service, organisation: Organisation) -> Service:
    """The service with its dependencies on shared external systems (``organisation.yaml``)
    completed: name and kind come from the shared description unless the service sets them."""
    shared = {e.id: e for e in organisation.external_systems}
    arch = service.architecture
    if not shared or arch is None:
        return service
    deps = []
    for dep in arch.dependencies:
        known = shared.get(dep.external or "")
        if known is not None:
            dep = dep.model_copy(update={"name": dep.name or known.name,
                                         "kind": dep.kind or known.kind})
        deps.append(dep)
    if deps == arch.dependencies:
        return service
    return service.model_copy(update={"architecture": arch.model_copy(
        update={"dependencies": deps})})


def _load_optional(root: Path, path: Path | None, model: type, display: str,  # type: ignore[no-untyped-def]
                   read: set[Path], shared: reads.ReadLog):
    if path is None or not path.is_file():
        return None, None, []
    with reads.recording() as log:
        loaded, diags = load_yaml(path, display=display)
        if loaded is None:
            return None, None, diags
        obj, diags = validate_file(loaded, model, display=display, catalog_root=root,
                                   read_files=read)
    shared.update(log)
    return obj, loaded, diags


def _check_text(catalog: Catalog, parsed: list[ServiceSource],
                found: Mapping[Path, tuple[list[Diagnostic], list[Diagnostic]]]
                ) -> list[Diagnostic]:
    """Prose that would not render as written, and numbers split by flow lists, in a fixed
    order; ``found`` holds what ``_file_text_problems`` found in each file (prose of its
    service, then the file's own text)."""
    diags: list[Diagnostic] = []
    for sid in catalog.services:
        diags += found[catalog.sources[sid].path][0]
    for source in parsed:
        diags += found[source.path][1]
    return diags


def _file_text_problems(service: Service | None, display: str, loaded: LoadedFile,
                        schemes: frozenset[str], readers: SiteReaders | None
                        ) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """Prose problems of a validated service (as the catalog holds it: shared externals
    completed), and the file's split numbers and file-inclusion markers (``readers``: see
    ``load_catalog``): found while the workers parse the next files."""
    from ..prose.check import check_prose, include_markers, split_numbers

    prose = [] if service is None else check_prose(service, display, loaded, schemes, readers)
    return prose, split_numbers(loaded, display) + include_markers(loaded, display, readers)


def load_catalog(root: Path | str, *, jobs: int | None = None,
                 display_root: Path | str | None = None,
                 readers: SiteReaders | None = None) -> CatalogResult:
    """Load and validate every file of a catalog folder, collecting all problems at once.

    ``jobs`` caps the worker processes used to parse large catalogs (``cache.pool``: 0 or
    None, one per CPU). Files parsed before come from the run's store when an orchestration
    opened one (``cache.session``). What each service was made of is recorded in
    ``Catalog.reads``.
    ``display_root`` is the folder file names are shown relative to (see ``display_name``): a
    site build passes its project folder, so that pages do not depend on the working directory.
    ``readers``: the file-reading Markdown extensions of the site that builds the catalog
    (``guard.includes.configured``); text using the markers it set for one is refused too (the
    default syntax of every such extension always is).
    Every file of the folder that is not read is reported (see ``catalog_files``).

    The returned catalog holds every service that validated; services with errors are left out
    and their problems are in the diagnostics. Cross-reference checks run over what validated.
    """
    root = Path(root)
    gc.unfreeze()
    with _gc_paused():
        return _load(root, jobs, display_root, readers)


def _load(root: Path, jobs: int | None, display_root: Path | str | None,
          readers: SiteReaders | None) -> CatalogResult:
    """``load_catalog``, while the cyclic collector is paused (``_gc_paused``)."""
    from .kind_check import check_kinds
    from .references import check_references

    diags: list[Diagnostic] = []
    if not root.is_dir():
        diags.append(Diagnostic(str(root), 1, 1, "", "catalog folder does not exist"))
        empty = Catalog(root, Organisation(), {}, {}, {}, {})
        return CatalogResult(empty, diags)
    base = Path(display_root) if display_root is not None else None

    def name(path: Path) -> str:
        return display_name(path, root, base)

    files = survey(root)
    read: set[Path] = set()
    shared_reads = reads.ReadLog()
    teams_file, teams_loaded, d = _load_optional(root, files.teams, TeamsFile,
                                                 name(root / TEAMS_FILE), read, shared_reads)
    diags += d
    organisation, organisation_loaded, d = _load_optional(
        root, files.organisation, Organisation, name(root / ORGANISATION_FILE), read,
        shared_reads)
    diags += d
    tasks = [(sid, path, root, name(path)) for sid, path in files.services]
    workers = pool.worker_count(jobs)
    results = []
    service_reads: dict[Path, str] = {}
    text_found: dict[Path, tuple[list[Diagnostic], list[Diagnostic]]] = {}
    from ..guard import html as sanitize

    shared = organisation or Organisation()
    schemes = frozenset(sanitize.schemes(shared.link_schemes))
    parsed_files = _parse_all([(path, display) for _, path, _, display in tasks], workers)
    for (expected_id, path, _, display), (loaded, d) in zip(tasks, parsed_files, strict=True):
        service = None
        if loaded is not None:
            with reads.recording() as log:  # the {file: ...} Markdown it reads
                service, d = validate_file(loaded, Service, display=display,
                                           catalog_root=root, read_files=read)
            log.note(path, loaded.text)  # parsed here, on a worker or taken from the store
            service_reads[path] = log.digest()
            if service is not None:  # as the catalog holds it
                service = with_shared_externals(service, shared)
            text_found[path] = _file_text_problems(service, display, loaded, schemes, readers)
        if service is None:  # a Backstage file: one clear message instead of many
            found_bs = backstage_diagnostic(path, display)
            d = [found_bs] if found_bs is not None else d
        results.append((expected_id, path, display, service, loaded, d))

    services: dict[str, Service] = {}
    sources: dict[str, ServiceSource] = {}
    parsed: list[ServiceSource] = []
    for expected_id, path, display, service, loaded, d in results:
        diags += d
        if loaded is not None:
            parsed.append(ServiceSource(display, loaded))
        if service is None or loaded is None:
            continue
        if service.id != expected_id:
            line, col = loaded.position(("id",))
            where = "file name" if path.name not in SERVICE_FILE_NAMES else "folder name"
            diags.append(Diagnostic(display, line, col, "id",
                                    f"id '{service.id}' does not match the {where} "
                                    f"'{expected_id}'",
                                    f"rename the {where} or set id: {expected_id}"))
            continue
        if service.id in RESERVED_NAMES:
            line, col = loaded.position(("id",))
            diags.append(Diagnostic(display, line, col, "id",
                                    f"'{service.id}' is a reserved name", "choose another id"))
            continue
        if service.id in services:
            other = sources[service.id].display
            line, col = loaded.position(("id",))
            diags.append(Diagnostic(display, line, col, "id",
                                    f"duplicate service id '{service.id}' (also defined in "
                                    f"{other})", "keep one of the two files"))
            continue
        services[service.id] = service
        sources[service.id] = ServiceSource(display, loaded)

    organisation = shared
    teams = {t.id: t for t in teams_file.teams} if teams_file else {}
    contacts = {c.id: c for c in teams_file.contacts} if teams_file else {}
    catalog = Catalog(root=root, organisation=organisation, teams=teams,
                      contacts=contacts, services=dict(sorted(services.items())),
                      sources=sources, files=tuple(p for _, p, *_ in results),
                      reads={SHARED_READS: shared_reads.digest(),
                             **{sid: service_reads[src.path] for sid, src in sources.items()}})
    teams_source = (ServiceSource(name(root / TEAMS_FILE), teams_loaded)
                    if teams_loaded is not None else None)

    diags += check_references(catalog, teams_source, parsed,
                              teams_file_present=teams_file is not None)
    diags += _check_text(catalog, parsed, text_found)
    if organisation_loaded is not None:  # shared external systems have kinds to check too
        organisation_source = ServiceSource(name(root / ORGANISATION_FILE), organisation_loaded)
        diags += check_kinds(Organisation, [organisation_source])
    diags += files.diagnostics(read, name)
    diags.sort(key=sort_key)
    # The catalog lives as long as the build: move it out of the collector's sight, or every
    # later full collection walks it again (measured: readiness gaps on 1,000 services 3.3x
    # slower). A reload first hands the previous catalog back to the collector.
    gc.freeze()
    return CatalogResult(catalog, diags)

"""The ``opsready`` command line: thin wrappers over the core, with exit codes CI relies on.

Exit codes: 0 all good, 1 problems found, 2 usage error (bad arguments, missing folder).
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..catalog.files import DEFAULT_CATALOG_DIR

if TYPE_CHECKING:
    from ..cache.check_results import CheckOutcome
    from ..cache.store import Store
    from ..guard.includes import SiteReaders

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _cmd_check(args: argparse.Namespace) -> int:
    root = Path(args.catalog)
    if not root.is_dir():
        print(f"opsready: error: catalog folder '{root}' does not exist", file=sys.stderr)
        return EXIT_USAGE
    if args.compare:  # what the working tree changes against a Git commit (scorecard.compare_ref)
        from ..policy.baseline_path import baseline_path_for
        from ..scorecard.compare_ref import run_compare

        return run_compare(args.compare, root, args.policy, args.format,
                           fail_on_regression=args.fail_on_regression, output=args.output,
                           baseline=baseline_path_for(args.baseline, args.policy, root))
    if args.format == "markdown" or args.fail_on_regression or args.output:
        print("opsready: error: --format markdown, --fail-on-regression and --output go with "
              "--compare REF", file=sys.stderr)
        return EXIT_USAGE
    from ..cache.check_results import fingerprint, slot, store_outcome, stored_outcome
    from ..cache.folder import default_cache_dir
    from ..cache.prune import DEFAULT_MAX_MB
    from ..diagnostics import printable
    from ..output.reuse import MIB, open_store
    from ..policy.baseline_path import baseline_path_for

    try:
        readers = site_readers(args.config)
    except ValueError as exc:
        print(printable(f"opsready: error: {exc}"), file=sys.stderr)
        return EXIT_USAGE
    store = open_store(None if args.no_cache else (args.cache_dir or default_cache_dir(root)))
    baseline = baseline_path_for(args.baseline, args.policy, root)
    options: dict[str, object] = {"readiness": not args.no_readiness, "all_gaps": args.all_gaps}
    if readers:  # the outcome depends on them: part of the key (as written, tags included)
        options["readers"] = json.dumps(readers, sort_keys=True, default=repr)
    entry = slot(root, args.policy, options)
    key = fingerprint(root, args.policy, options, extra=(baseline,)) if store.enabled else None
    outcome = stored_outcome(store, entry, key) if key is not None else None
    if outcome is None:
        fresh = _check_afresh(args, root, store, readers)
        if isinstance(fresh, int):
            return fresh
        outcome = fresh
        # Stored only when nothing changed while the check ran (the key is taken again).
        if key is not None and key == fingerprint(root, args.policy, options, extra=(baseline,)):
            store_outcome(store, entry, key, outcome)
        store.finish((args.cache_size_mb or DEFAULT_MAX_MB) * MIB)
    return _report_check(outcome, args)


def site_readers(config: str | None, default: str = "mkdocs.yml") -> SiteReaders:
    """The file-reading Markdown extensions of the site's ``mkdocs.yml`` (``config``, else
    ``default`` when it exists; as ``alerts`` finds it), read by the one reader of the file
    (``output.config_file``); empty without one. Raises ``ValueError`` saying what is wrong."""
    from ..output.config_file import ConfigFileError, read_config_file

    path = Path(config or default)
    if config and not path.is_file():
        raise ValueError(f"config file '{config}' does not exist")
    if not path.is_file():
        return {}
    try:
        return read_config_file(path).readers
    except ConfigFileError as exc:
        raise ValueError(str(exc)) from None


def _check_afresh(args: argparse.Namespace, root: Path, store: Store,
                  readers: SiteReaders) -> CheckOutcome | int:
    """Load, validate and evaluate the catalog (files parsed and outcomes evaluated before come
    from ``store``; text judged by the site's ``readers`` too): the outcome, or the exit code of
    a usage error."""
    from ..cache.check_results import CheckOutcome
    from ..cache.reads import recording
    from ..output.reuse import cached_evaluator, load_catalog_cached

    result = load_catalog_cached(store, root, readers=readers)
    diags = result.diagnostics
    readiness = None
    if not args.no_readiness:  # same engine and verdict as the build (policy/check_command.py)
        from ..diagnostics import sort_key
        from ..policy.baseline_path import baseline_path_for
        from .check_readiness import run_readiness

        with recording() as policy_reads:
            readiness = run_readiness(result.catalog, args.policy, all_gaps=args.all_gaps,
                                      evaluate=cached_evaluator(store, policy_reads),
                                      baseline_path=baseline_path_for(
                                          args.baseline, args.policy, root),
                                      baseline_required=bool(args.baseline))
        if readiness.usage_error:
            print(f"opsready: error: {readiness.usage_error}", file=sys.stderr)
            return EXIT_USAGE
        diags = sorted(diags + readiness.diagnostics, key=sort_key)
    return CheckOutcome(len(result.catalog.services),
                        result.ok and (readiness is None or readiness.ok), diags,
                        None if readiness is None else readiness.summary())


def _report_check(outcome: CheckOutcome, args: argparse.Namespace) -> int:
    """Print the outcome in the chosen format; the exit code (``--strict``: warnings fail)."""
    from ..diagnostics import FORMATTERS

    diags = outcome.diagnostics
    ok = outcome.ok
    if args.strict:  # warnings (files not read, readiness gaps) fail the check too
        ok = ok and not any(d.severity == "warning" for d in diags)
    if args.format == "text":
        if diags:
            print(FORMATTERS["text"](diags))
        errors = sum(d.severity == "error" for d in diags)
        warnings = sum(d.severity == "warning" for d in diags)
        status = "OK" if ok else "FAILED"
        from ..diagnostics import plural

        print(f"opsready check: {plural(outcome.services, 'service')}, "
              f"{plural(errors, 'error')}, {plural(warnings, 'warning')}: {status}",
              file=sys.stderr)
        if outcome.readiness_summary is not None:
            print(f"opsready check: {outcome.readiness_summary}", file=sys.stderr)
    else:
        print(FORMATTERS[args.format](diags))
    return EXIT_OK if ok else EXIT_PROBLEMS


def _cmd_generate(args: argparse.Namespace) -> int:
    from ..output.generate import generate, watch

    config = Path(args.config)
    out = Path(args.out) if args.out else None
    builder = Path(args.builder_config) if args.builder_config else None
    return watch(config, out, builder) if args.watch else generate(config, out, builder)


def _cmd_schema(args: argparse.Namespace) -> int:
    if args.reference:
        from ..pages.schema_page import format_reference_markdown

        text = format_reference_markdown()
    else:
        from ..model.json_schema import schema_text

        text = schema_text(args.kind)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _cmd_new(args: argparse.Namespace) -> int:
    from ..catalog.load import TEAMS_FILE
    from ..catalog.yaml_loader import load_yaml
    from .new_service import NewService, check_new, display_name, write_new

    if args.example:
        from .new_service import EXAMPLE_SERVICE

        sys.stdout.write(EXAMPLE_SERVICE.read_text(encoding="utf-8"))
        return EXIT_OK
    missing = [o for o, v in (("ID", args.id), ("--tier", args.tier), ("--owner", args.owner))
               if v is None]
    if missing:
        print(f"opsready new: error: {', '.join(missing)} required (or --example to print a "
              "complete service)", file=sys.stderr)
        return EXIT_USAGE
    catalog = Path(args.catalog)
    if not catalog.is_dir():
        print(f"opsready: error: catalog folder '{catalog}' does not exist", file=sys.stderr)
        return EXIT_USAGE
    teams: set[str] = set()
    loaded, _ = load_yaml(catalog / TEAMS_FILE) if (catalog / TEAMS_FILE).is_file() else (
        None, [])
    if loaded is not None and isinstance(loaded.data, dict):
        teams = {str(t.get("id")) for t in loaded.data.get("teams") or [] if isinstance(t, dict)}
    spec = NewService(id=args.id, name=args.name or display_name(args.id),
                      tier=args.tier, owner=args.owner, lifecycle=args.lifecycle,
                      description=args.description or "", folder=args.folder)
    problems = check_new(catalog, spec, teams)
    for problem in problems:
        print(f"opsready new: error: {problem}", file=sys.stderr)
    if problems:
        return EXIT_PROBLEMS
    try:
        path = write_new(catalog, spec, policy_path=args.policy)
    except ValueError as exc:
        print(f"opsready new: error: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    todos = path.read_text(encoding="utf-8").count("TODO:")
    print(f"wrote {path}: {todos} TODO{'s' if todos != 1 else ''} to replace\nnext: replace "
          f"each TODO with what it says, then `opsready check {catalog}` lists what is left "
          "(`opsready explain RULE` explains a rule; `opsready new --example` prints a "
          "complete service)")
    return EXIT_OK


def _cmd_linkcheck(args: argparse.Namespace) -> int:
    from ..diagnostics import FORMATTERS
    from ..guard.linkcheck import check_site

    site = Path(args.site)
    if not site.is_dir():
        print(f"opsready linkcheck: error: site folder '{site}' does not exist (build it with "
              "mkdocs build)", file=sys.stderr)
        return EXIT_USAGE
    report = check_site(site, offline=not args.allow_external, base_path=args.base_path)
    if report.diagnostics or args.format != "text":
        print(FORMATTERS[args.format](report.diagnostics))
    errors = sum(d.severity == "error" for d in report.diagnostics)
    print(f"opsready linkcheck: {report.pages} pages, {report.links} links, {errors} broken: "
          f"{'OK' if report.ok else 'FAILED'}", file=sys.stderr)
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def _cmd_init(args: argparse.Namespace) -> int:
    from .init_site import InitOptions, check_options, init_site
    from .new_service import display_name

    options = InitOptions(site_name=args.site_name, team_id=args.team,
                          team_name=args.team_name or display_name(args.team))
    problems = check_options(options)
    for problem in problems:
        print(f"opsready init: error: {problem}", file=sys.stderr)
    if problems:
        return EXIT_USAGE
    target = Path(args.directory)
    if target.exists() and not target.is_dir():
        print(f"opsready init: error: '{target}' exists and is not a folder", file=sys.stderr)
        return EXIT_USAGE
    report = init_site(target, options)
    for path in report.written:
        print(f"wrote {path}")
    for path in report.kept:
        print(f"kept {path}: it exists (not overwritten)")
    for path, why in report.refused.items():
        print(f"opsready init: error: {path}: not written: {why}", file=sys.stderr)
    if report.refused:
        return EXIT_PROBLEMS
    for note in report.notes:
        print(f"note: {note}")
    print(f"next: cd {target} && pip install -r requirements.txt && opsready check && "
          "mkdocs serve")
    return EXIT_OK


def _cmd_import_backstage(args: argparse.Namespace) -> int:
    from .backstage import run_import

    return run_import(args.paths, args.out, tier=args.tier, baseline=args.baseline,
                      due=args.due)


def _cmd_export_backstage(args: argparse.Namespace) -> int:
    from .backstage import run_export

    return run_export(args.catalog, args.output, site_url=args.site_url, config=args.config,
                      policy=args.policy)


def _add_backstage_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    imp = sub.add_parser("import", help="import a catalog from another tool (backstage)")
    imp_sub = imp.add_subparsers(dest="import_command", metavar="SOURCE")
    backstage = imp_sub.add_parser(
        "backstage", help="write service files from Backstage catalog-info.yaml files and add "
        "their teams and contacts to teams.yaml (never overwrites a file or an entry)")
    backstage.add_argument("paths", nargs="+", metavar="PATH",
                           help="catalog-info.yaml files or folders of them")
    backstage.add_argument("--out", default=DEFAULT_CATALOG_DIR,
                           help="catalog folder to write into (default: service_catalog)")
    backstage.add_argument("--tier", type=int, choices=[1, 2, 3], default=3,
                           help="tier of every imported service (Backstage has none; default 3)")
    backstage.add_argument("--baseline", nargs="?", const="", metavar="FILE",
                           help="then record the imported fleet's readiness gaps as debt "
                           "(opsready baseline) in FILE (default: readiness-baseline.yaml "
                           "beside the catalog folder)")
    backstage.add_argument("--due", metavar="DAYS|DATE", help="with --baseline: due date of "
                           "the entries (default: 90 days)")
    backstage.set_defaults(func=_cmd_import_backstage)
    imp.set_defaults(func=lambda _args: (imp.print_help(sys.stderr), EXIT_USAGE)[1])

    exp = sub.add_parser("export", help="export the catalog for another tool (backstage)")
    exp_sub = exp.add_subparsers(dest="export_command", metavar="TARGET")
    backstage = exp_sub.add_parser(
        "backstage", help="write the catalog as Backstage entities (catalog-info.yaml) with "
        "links to the generated pages and the readiness level")
    backstage.add_argument("catalog", nargs="?", default=DEFAULT_CATALOG_DIR,
                           help="catalog folder (default: service_catalog)")
    backstage.add_argument("-o", "--output", help="write to this file (default: stdout); an "
                           "existing file is not overwritten")
    backstage.add_argument("--site-url", help="base URL of the published site (default: "
                           "site_url of mkdocs.yml)")
    backstage.add_argument("--config", help="mkdocs.yml to read site_url and the page prefix "
                           "from (default: ./mkdocs.yml when it exists)")
    backstage.add_argument("--policy", metavar="FILE",
                           help="readiness policy file (default: the packaged default policy)")
    backstage.set_defaults(func=_cmd_export_backstage)
    exp.set_defaults(func=lambda _args: (exp.print_help(sys.stderr), EXIT_USAGE)[1])


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    from .alerts_arguments import add_alerts_parser
    from .baseline import add_baseline_parser
    from .check_readiness import add_readiness_options
    from .explain import add_explain_parser
    from .history import add_history_parser
    from .pack import add_pack_parser
    from .scorecard import add_scorecard_parser

    parser = argparse.ArgumentParser(
        prog="opsready",
        description="Production-readiness documentation as code: check a service catalog, "
        "print its schema.",
    )
    parser.add_argument("--version", action="version", version=f"opsready {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="validate a catalog and report every problem at once")
    check.add_argument("catalog", nargs="?", default=DEFAULT_CATALOG_DIR,
                       help="catalog folder (default: service_catalog)")
    check.add_argument("--format", choices=["text", "json", "github", "junit", "markdown"],
                       default="text", help="output format (github: workflow annotations; "
                       "junit: XML report; with --compare: text, json or markdown)")
    check.add_argument("--compare", metavar="REF",
                       help="instead of checking: compare readiness of the catalog at the Git "
                       "commit REF (e.g. origin/main) with the working tree, per service: "
                       "level before and after, gaps added and removed, exemptions added; "
                       "regressions first")
    check.add_argument("--fail-on-regression", action="store_true",
                       help="with --compare: exit 1 when a service lost a level it had")
    check.add_argument("-o", "--output", metavar="FILE",
                       help="with --compare: write the comparison to FILE")
    check.add_argument("--cache-dir", help="where parsed files, readiness outcomes and "
                       "the check's outcome are cached (default: the "
                       "catalog's folder in the user cache, ~/.cache/opsready, shared with the "
                       "plugin)")
    check.add_argument("--no-cache", action="store_true",
                       help="check everything afresh: read and write no cache")
    check.add_argument("--cache-size-mb", type=int, default=None, metavar="MB",
                       help="bound of the cache folder (default 1024, as the plugin's "
                       "cache_size_mb): entries used longest ago are deleted beyond it")
    check.add_argument("--config", help="the site's mkdocs.yml: text using the markers its "
                       "file readers were given (mdx_include's syntax_left and syntax_right, "
                       "the include-markdown plugin's tags and directive names) is an error too "
                       "(default: ./mkdocs.yml when it exists)")
    check.add_argument("--strict", action="store_true",
                       help="fail on warnings too (e.g. a file of the catalog folder that is "
                       "not read), as mkdocs build --strict does")
    add_readiness_options(check)
    check.set_defaults(func=_cmd_check)

    add_baseline_parser(sub)
    add_explain_parser(sub)

    gen = sub.add_parser("generate", help="write the generated pages, assets and navigation "
                         "to a folder, for a builder without the plugin (Zensical, MkDocs)")
    gen.add_argument("--out", help="output folder (default: the docs_dir of the config file)")
    gen.add_argument("--config", default="mkdocs.yml",
                     help="the config file with the opsready options (default: mkdocs.yml)")
    gen.add_argument("--builder-config", metavar="FILE",
                     help="also write a config for a builder without the plugin (e.g. "
                     "zensical.yml beside mkdocs.yml): mkdocs.yml without opsready, with the "
                     "generated navigation and assets, macros kept out of team pages")
    gen.add_argument("--watch", action="store_true", help="generate again whenever the "
                     "catalog, templates, policy or config change")
    gen.set_defaults(func=_cmd_generate)

    schema = sub.add_parser("schema", help="print the JSON Schema of a catalog file kind")
    schema.add_argument("kind", nargs="?", default="service",
                        choices=["service", "teams", "organisation"])
    schema.add_argument("-o", "--output", help="write to this file instead of stdout")
    schema.add_argument("--reference", action="store_true", help="the format reference of "
                        "every catalog file kind, as Markdown (the site's format reference page)")
    schema.set_defaults(func=_cmd_schema)

    add_scorecard_parser(sub)
    add_pack_parser(sub)

    add_history_parser(sub)

    new = sub.add_parser("new", help="start a new service file (never overwrites one)")
    new.add_argument("id", nargs="?", help="the service id: a lowercase slug such as "
                     "'billing-api'")
    new.add_argument("--tier", type=int, choices=[1, 2, 3],
                     help="the tier: the file holds every key its required level asks for")
    new.add_argument("--owner", help="the owning team's id (teams.yaml)")
    new.add_argument("--policy", metavar="FILE",
                     help="readiness policy file (default: the packaged default policy)")
    new.add_argument("--example", action="store_true",
                     help="print a complete service (tier 1, gold) to read, instead")
    new.add_argument("--name", help="display name (default: from the id)")
    new.add_argument("--description", help="one-paragraph description")
    new.add_argument("--lifecycle", default="experimental",
                     choices=["experimental", "development", "beta", "production",
                              "deprecated", "retired"])
    new.add_argument("--folder", action="store_true",
                     help="write <id>/service.yaml, for Markdown files beside it")
    new.add_argument("--catalog", default=DEFAULT_CATALOG_DIR,
                     help="catalog folder (default: service_catalog)")
    new.set_defaults(func=_cmd_new)

    add_alerts_parser(sub)
    _add_backstage_parsers(sub)

    init = sub.add_parser("init", help="create a docs repository that builds at once: "
                          "mkdocs.yml, a catalog with one example service, pre-commit and CI "
                          "workflows (never overwrites a file)")
    init.add_argument("directory", nargs="?", default=".", help="where (default: here)")
    init.add_argument("--site-name", default="Service documentation")
    init.add_argument("--team", default="platform", help="id of the first team (default: "
                      "platform)")
    init.add_argument("--team-name", help="display name of the first team")
    init.set_defaults(func=_cmd_init)

    linkcheck = sub.add_parser("linkcheck", help="check every internal link and image of a "
                               "built site, and that it loads nothing from other hosts")
    linkcheck.add_argument("site", help="the built site folder (e.g. site)")
    linkcheck.add_argument("--format", choices=["text", "json", "github", "junit"],
                           default="text")
    linkcheck.add_argument("--allow-external", action="store_true",
                           help="do not report assets loaded from other hosts")
    linkcheck.add_argument("--base-path", default="/", help="path the site is served under, "
                           "for links starting with / (default: /)")
    linkcheck.set_defaults(func=_cmd_linkcheck)
    return parser


@functools.lru_cache(maxsize=1)
def _shared_parser() -> argparse.ArgumentParser:
    """The parser ``main`` reuses within a process: building it costs a few milliseconds each
    time a process runs many commands (the tests run about 200). Parsing leaves it unchanged and
    no command changes the values it parses (the empty lists of the appending options are
    shared)."""
    return build_parser()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _shared_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

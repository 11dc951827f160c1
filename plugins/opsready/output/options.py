"""The opsready options of a site, declared once, without MkDocs: name, type, default, what
each does (``doc``: the Markdown of the user guide's table) and its validation.

The MkDocs plugin's config class is built from this declaration (``config.OpsReadyConfig``: each
option a MkDocs config option that calls ``check_option``); ``opsready generate`` reads the
``opsready`` entry of ``mkdocs.yml``'s ``plugins:`` through ``config_file`` and validates it with
the same ``check_option``, so both refuse a wrong value with the same message. The table of
``docs/guide/plugin-options.md`` is generated from it (``options_markdown``; a test compares).
Paths are relative to the folder of ``mkdocs.yml``.
"""

from __future__ import annotations

import os
import sys
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any

from ..cache import folder as cache_folder
from ..cache.store import cache_key
from ..catalog.files import DEFAULT_CATALOG_DIR
from ..guard.includes import SiteReaders
from ..policy.baseline_path import default_baseline_path
from ..prose.generated_block import GeneratedBlock
from .config_file import ConfigFile, ConfigFileError, read_config_file
from .site_paths import SitePaths

Report = Callable[[str, str], None]
"""Where the core sends what it has to say: ``report(level, text)`` with level ``error``,
``warning``, ``info`` or ``debug``; the MkDocs adapter logs it, ``generate`` prints it."""


class SiteError(Exception):
    """The site cannot be published (the reasons were reported before)."""


class OptionError(ValueError):
    """An option's value is refused: the message says what was expected and what was found;
    ``option`` names the option (``None`` when the message is about the entry as a whole)."""

    def __init__(self, message: str, option: str | None = None) -> None:
        super().__init__(message)
        self.option = option


def option(default: Any, *, doc: str, path: bool = False, minimum: int | None = None,
           choices: tuple[Any, ...] = (), hint: str = "") -> Any:
    """One option of ``SiteOptions``: its default, its documentation (Markdown, links relative
    to ``docs/guide/``), and what is checked beyond its type (``path``: a path-like value such
    as MkDocs' ``!relative`` is taken as its text; ``minimum``; ``choices``). ``hint`` is the
    comment beside the option in the guide's example."""
    return field(default=default, metadata={"doc": doc, "path": path, "minimum": minimum,
                                            "choices": choices, "hint": hint})


@dataclass(frozen=True)
class SiteOptions:
    """The options of the ``opsready`` plugin entry: the one declaration (see the module)."""

    catalog_dir: str = option(
        DEFAULT_CATALOG_DIR, path=True,
        doc=(
            "The catalog folder: `teams.yaml`, `organisation.yaml` and one YAML file (or folder) "
            "per service. It must exist."))
    templates_dir: str | None = option(
        None, path=True, hint="default: templates/ if that folder exists",
        doc=(
            "The site's templates, which replace the packaged ones of the same name (see "
            "[Templates](templates.md)). Left unset, `templates/` is used when it exists; a "
            "folder named explicitly must exist."))
    prefix: str = option(
            "",
        doc=(
            "A folder of `docs/` that every generated page goes under, e.g. `catalog` gives "
            "`catalog/services/<id>/...` and `catalog/runbooks/...`. Empty: at the top."))
    hand_written_wins: bool = option(
        True,
        doc=(
            "When a page in `docs/` has the path of a generated page, publish the hand-written "
            "page (`true`) or the generated one (`false`). Either way the build warns and names "
            "both (see [Adding a "
            "service](adding-a-service.md#when-a-page-has-the-path-of-a-generated-one))."))
    team_page_macros: bool = option(
        False,
        doc=(
            "Whether the pages of teams (`docs/services/<id>/`) may use the catalog helpers "
            "(`service_owner`, `escalation_table`, ...). `false` (default): they are plain "
            "Markdown, template code shows as written. `true`: opsready renders them in its own "
            "sandbox, with the helpers and no access to code or files. mkdocs-macros never "
            "renders them either way (see [Trust model](../reference/trust-model.md))."))
    nav_max_services: int = option(
        50, minimum=0,
        doc=(
            "Up to this many services, every page's navigation lists every service. Above it, a "
            "page lists only its own service's section (the services index lists them all), which "
            "keeps the build time linear in the number of pages (see "
            "[Performance](performance.md)). `0` always uses the short form. Above it, "
            "`opsready generate` lists only the services index, for a builder without the plugin "
            "(see [Other builders](builders.md#what-differs-from-the-plugin-build))."))
    services_filter: bool = option(
        True,
        doc=(
            "Adds a small local script that filters the services index by team, tier and "
            "lifecycle, and the runbooks index by the words of an alert's name (also run "
            "together, in any case) or summary, its service and its severity. Without it the "
            "indexes show every row (the services index also grouped by team, tier and "
            "lifecycle)."))
    format_reference: bool = option(
        True,
        doc=(
            "Publishes the YAML format reference generated from the schema at "
            "`reference/service-format.md`."))
    print_styles: bool = option(
        True,
        doc=(
            "Adds the print stylesheet and script to every page: navigation, header and search "
            "hidden, collapsed sections printed open, every link followed by its URL, no page "
            "break inside a step or a table row (see [Alerts and "
            "runbooks](alerts.md#printing-a-runbook))."))
    noc_styles: bool = option(
        True,
        doc=(
            "Adds the NOC stylesheet and script (`assets/opsready/noc.css`, `noc.js`): commands "
            "wrap inside their block instead of hiding their end behind a scroll bar, long "
            "addresses break, and contact and escalation tables turn into stacked rows (each "
            "value with its column name) on screens narrower than about 720 px. See [The NOC at 3 "
            "a.m.](../noc.md)."))
    accessibility: bool = option(
        True,
        doc=(
            "Adds the accessibility stylesheet and script to every page: underlined links in "
            "text, contrast the theme lacks (footer, colours in commands, links in the dark "
            "scheme), a visible focus outline, tables that scroll sideways reachable with the "
            "keyboard (see [Accessibility](accessibility.md))."))
    chat_url: str | None = option(
        None, hint="e.g. https://chat.example.com/acme/channels/{name}",
        doc=(
            "A URL pattern that turns the chat channels of `teams.yaml` (`chat: \"#payments\"`) "
            "into links. `{name}` is the channel without its `#`, `{value}` the whole value; both "
            "are URL-encoded. Unset: channels stay text."))
    chat_user_url: str | None = option(
        None, hint="e.g. https://chat.example.com/acme/messages/@{name}",
        doc=(
            "The same for personal handles (`chat: \"@amara\"`); unset, `chat_url` is used for "
            "them too."))
    pager_url: str | None = option(
        None, hint="e.g. https://acme.pagerduty.com/service-directory?query={value}",
        doc=(
            "A URL pattern that turns pager values (`pager: PagerDuty service \"Payments - "
            "primary\"`) into links, e.g. a PagerDuty search with `{value}`. A pager or chat value "
            "that is itself an `https://` URL is always a link."))
    readiness: bool = option(
        True,
        doc=(
            "Evaluates the readiness policy: flags on pages, gaps in the log, the scorecard and "
            "the failing build. `false` turns all of it off (a site that only wants the "
            "documents)."))
    policy: str | None = option(
        None, path=True, hint="default: the packaged policy",
        doc=(
            "The readiness policy file (relative to `mkdocs.yml`), which extends the packaged "
            "default policy (see [Readiness policy](policy.md)). Unset: the packaged default "
            "policy."))
    baseline: str | None = option(
        None, path=True, hint="default: readiness-baseline.yaml beside the policy",
        doc=(
            "The readiness baseline file: gaps accepted as debt, each with an owner and a due "
            "date (see [Adopting with a baseline](policy.md#adopting-with-a-baseline)). Unset: "
            "`readiness-baseline.yaml` beside the `policy` file, else beside `mkdocs.yml`, used "
            "when it exists; a file named explicitly must exist."))
    enforce: bool = option(
        True,
        doc=(
            "Fails the build, even without `--strict`, when an enforced service is below the "
            "readiness level its tier requires (`mkdocs serve` only logs it; `opsready generate` "
            "exits 1)."))
    warn_gaps: str = option(
            "blocking", choices=("blocking", "all", "none"),
        doc=(
            "Which readiness gaps are log warnings: `blocking` (those that keep an enforced "
            "service below its required level, one line each), `all` or `none`. The other gaps "
            "are listed only with `mkdocs build --verbose`; the log counts them in one line."))
    scorecard: bool = option(
        True,
        doc=(
            "Publishes the readiness scorecard page, `scorecard.json` and a badge per service "
            "(and a campaign page when the policy has campaigns)."))
    history: str | None = option(
        None, path=True, hint="e.g. readiness-history.json (opsready history -o ...)",
        doc=(
            "A readiness history file written by `opsready history -o FILE` (relative to "
            "`mkdocs.yml`): the scorecard gains a trend page, `scorecard/trends.md`, with the "
            "fleet, each team and each service over time, each service's overview page a small "
            "trend of its level, and the campaign page a chart of each campaign's progress. The "
            "build only reads the file, never Git. Unset: no trend page. See [Readiness over "
            "time](readiness-over-time.md#history-and-trends)."))
    cache_dir: str | None = option(
        None, path=True, hint="default: the user cache folder (see Caches below)",
        doc=(
            "The cache folder: parsed files, readiness outcomes, rendered and converted pages, "
            "search entries, check outcomes and (by default) drawn diagrams, each keyed by the "
            "bytes of everything it was made from; a rebuild redoes only what changed. Unset (the "
            "default): a folder of the user's cache named by the catalog's path, shared with "
            "`opsready check` (see [Caches](#caches))."))
    cache_size_mb: int = option(
        1024, minimum=1, hint="bound of the cache folder",
        doc=(
            "The bound of the cache folder, in MiB: after a build that wrote entries, the entries "
            "used longest ago are deleted until the folder holds at most 80% of it. `opsready "
            "check --cache-size-mb` sets the same bound."))
    diagrams: bool | str = option(
        True, choices=(True, False, "auto"),
        doc=(
            "Draws the architecture diagrams and the fleet map with Graphviz. `false` builds "
            "without them (with a warning) where Graphviz cannot be installed. `auto` draws them "
            "when Graphviz is installed and otherwise builds without them, logged at info so "
            "`--strict` still passes (what `opsready init` writes)."))
    diagrams_cache_dir: str | None = option(
        None, path=True, hint="default: diagrams/ inside cache_dir",
        doc=(
            "Where drawn diagrams are kept between builds; only changed diagrams are drawn again. "
            "Unset: `diagrams/` inside `cache_dir`. It counts towards `cache_size_mb` either way."))
    concurrency: int = option(
        0, minimum=0,
        doc=(
            "The workers of every step, by one rule: processes parsing a large catalog, processes "
            "rendering services' pages when more than a few are not in the cache (a cold build), "
            "processes converting generated pages to HTML on a cold `mkdocs build`, diagrams "
            "drawn at once and links checked at once; `0` means one per CPU, `1` does everything "
            "in the build's own process. The output is the same whatever the value."))
    render_cache: bool = option(
        True,
        doc=(
            "Caches MkDocs' conversion of every page's Markdown to HTML (`rendered/` inside "
            "`cache_dir`), so that a rebuild converts only the pages that changed, and on a cold "
            "`mkdocs build` converts opsready's generated pages on all cores (`concurrency`). The "
            "site is the same with it on or off, warnings included (see "
            "[Performance](performance.md#keeping-builds-fast)). `false`: MkDocs converts every "
            "page itself, one at a time."))
    runbook_packs: bool | str = option(
        False, choices=(False, True, "html"),
        hint="true: HTML + PDF packs in site/packs; html: HTML only",
        doc=(
            "`true`: after `mkdocs build`, write the [runbook packs](runbook-pack.md) (one HTML "
            "file and one PDF per on-call rotation, tier and the fleet) into `site/packs/`, and "
            "link them from the NOC page; `html`: the HTML files only (no Chromium needed). Not "
            "written by `mkdocs serve`."))

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> SiteOptions:
        """Options from a mapping: each value checked (``check_option``), unknown names refused,
        missing ones at their default. Raises ``OptionError`` naming the option."""
        known = declared()
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise OptionError(f"unknown option(s): {', '.join(map(str, unknown))} (the options "
                              "are listed on the plugin options page)", str(unknown[0]))
        checked = {}
        for name, value in values.items():
            try:
                checked[name] = check_option(name, value)
            except OptionError as exc:
                raise OptionError(str(exc), name) from None
        return cls(**checked)


@dataclass(frozen=True)
class Declared:
    """One declared option as the validators and the docs read it."""

    name: str
    kind: type
    optional: bool
    default: Any
    doc: str
    path: bool
    minimum: int | None
    choices: tuple[Any, ...]
    hint: str


@cache
def declared() -> dict[str, Declared]:
    """Every option of ``SiteOptions``, in declaration order."""
    hints = typing.get_type_hints(SiteOptions, vars(sys.modules[__name__]))
    out = {}
    for f in fields(SiteOptions):
        kind, optional = _kind(hints[f.name])
        out[f.name] = Declared(f.name, kind, optional, f.default, f.metadata["doc"],
                               f.metadata["path"], f.metadata["minimum"], f.metadata["choices"],
                               f.metadata["hint"])
    return out


def _kind(hint: Any) -> tuple[type, bool]:
    args = typing.get_args(hint)
    if not args:
        return hint, False
    optional = type(None) in args
    rest = [a for a in args if a is not type(None)]
    return (rest[0] if len(rest) == 1 else object), optional


_NAMES = {bool: "true or false", int: "a whole number", str: "text"}


def _shown(value: Any) -> str:
    kinds = ((bool, "true/false"), (int, "a number"), (float, "a number"), (str, "text"),
             (list, "a list"), (dict, "a mapping"))
    kind = next((k for t, k in kinds if isinstance(value, t)), type(value).__name__)
    text = repr(value) if not isinstance(value, bool) else str(value).lower()
    return f"{text[:60]} ({kind})"


def _yaml(value: Any) -> str:
    return "null" if value is None else str(value).lower() if isinstance(value, bool) else (
        f'"{value}"' if value == "" else str(value))


def check_option(name: str, value: Any) -> Any:
    """``value`` as option ``name`` takes it (``None``: the default), or ``OptionError`` saying
    what was expected; the one validation of the plugin and of ``generate``."""
    spec = declared()[name]
    if value is None:
        return spec.default
    if spec.path and isinstance(value, os.PathLike):  # MkDocs' !relative placeholders
        value = os.fspath(value)
    if spec.choices:
        if not any(value == c and type(value) is type(c) for c in spec.choices):
            raise OptionError(f"expected one of {', '.join(map(_yaml, spec.choices))}; got "
                              f"{_shown(value)}")
        return value
    if type(value) is not spec.kind and not (spec.kind is str and isinstance(value, str)):
        raise OptionError(f"expected {_NAMES.get(spec.kind, spec.kind.__name__)}; got "
                          f"{_shown(value)}")
    if spec.minimum is not None and isinstance(value, int) and value < spec.minimum:
        raise OptionError(f"expected a whole number of at least {spec.minimum}; got {value}")
    return value


# --- the user guide's table -----------------------------------------------------------------------



OPTION_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Where things are", ("catalog_dir", "templates_dir", "prefix", "hand_written_wins",
                          "team_page_macros")),
    ("Pages and navigation", ("nav_max_services", "services_filter", "format_reference",
                              "print_styles", "noc_styles", "accessibility", "chat_url",
                              "chat_user_url", "pager_url")),
    ("Readiness", ("readiness", "policy", "baseline", "enforce", "warn_gaps", "scorecard",
                   "history")),
    ("Caches, diagrams and speed", ("cache_dir", "cache_size_mb", "diagrams",
                                    "diagrams_cache_dir", "concurrency", "render_cache")),
    ("Runbook packs", ("runbook_packs",)),
)
"""The guide's tables, one per group (one table of every option was too long a search section
for Zensical); every declared option is in exactly one group (``options_markdown`` checks)."""


def options_markdown() -> str:
    """Every option with its default (a YAML example) and what it does (a table per group)."""
    options = declared()
    grouped = [name for _, names in OPTION_GROUPS for name in names]
    if sorted(grouped) != sorted(options):
        raise ValueError("OPTION_GROUPS must name every declared option once: "
                         f"{sorted(set(options) ^ set(grouped))}")
    width = max(len(n) + len(_yaml(o.default)) for n, o in options.items()) + 10
    example = []
    for name, spec in options.items():
        line = f"      {name}: {_yaml(spec.default)}"
        example.append(f"{line:<{width}}# {spec.hint}" if spec.hint else line)
    tables: list[str] = []
    for title, names in OPTION_GROUPS:
        tables += ["", f"## Options: {title.lower()}", "", "| Option | What it does |", "|---|---|",
                   *(f"| `{name}` | {options[name].doc} |" for name in names)]
    return "\n".join(["```yaml", "plugins:", "  - opsready:", *example, "```", *tables]) + "\n"


BLOCK = GeneratedBlock("options", "opsready.output.options", lambda: options_markdown())
START, END = BLOCK.start, BLOCK.end


def replace_block(text: str) -> str:
    """``text`` with the generated options between the markers (which must be there)."""
    return BLOCK.replace(text)


@dataclass(frozen=True)
class SiteDirs:
    """The folders of one site, resolved against the folder of ``mkdocs.yml``."""

    project_dir: Path
    catalog_dir: Path
    templates_dir: Path | None
    policy_path: Path | None
    baseline_path: Path
    """The readiness baseline (``readiness-baseline.yaml`` beside the policy or mkdocs.yml
    unless the ``baseline`` option names one); used when it exists."""
    cache: Path
    """The cache folder (every namespace of ``cache.store`` lives in it)."""
    diagrams_cache: Path | None
    """The diagrams namespace's own folder (the ``diagrams_cache_dir`` option), or None."""
    paths: SitePaths = field(default_factory=SitePaths)


def resolve_dirs(options: SiteOptions, project_dir: Path, report: Report) -> SiteDirs:
    """Resolve and check the folders of ``options``; raise ``SiteError`` on a missing one."""
    base = project_dir.resolve()
    catalog_dir = (base / options.catalog_dir).resolve()
    if not catalog_dir.is_dir():
        raise SiteError(f"catalog_dir '{options.catalog_dir}' does not exist "
                        f"(looked for {catalog_dir})")
    try:
        cache = cache_folder.resolve_cache_dir(options.cache_dir, base, catalog_dir)
        diagrams_cache = (cache_folder.project_folder(base, options.diagrams_cache_dir,
                                                      "diagrams_cache_dir")
                          if options.diagrams_cache_dir else None)
    except ValueError as exc:
        raise SiteError(str(exc)) from None
    problem = cache_key()[1]
    if problem:  # builds stay correct, only slower; a key others can read is worth a warning
        report("info" if problem.startswith("cannot") else "warning", f"caches are off: {problem}")
    templates: Path | None = (base / (options.templates_dir or "templates")).resolve()
    if templates is not None and not templates.is_dir():
        if options.templates_dir:
            raise SiteError(f"templates_dir '{options.templates_dir}' does not exist "
                            f"(looked for {templates})")
        templates = None
    policy_path = (base / options.policy).resolve() if options.policy else None
    return SiteDirs(
        project_dir=base, catalog_dir=catalog_dir, templates_dir=templates,
        policy_path=policy_path,
        baseline_path=((base / options.baseline).resolve() if options.baseline
                       else default_baseline_path(policy_path, base)),
        cache=cache,
        diagrams_cache=diagrams_cache,
        paths=SitePaths(options.prefix.strip("/")))


@dataclass(frozen=True)
class MkDocsSite:
    """What ``generate`` needs from ``mkdocs.yml``: the opsready options and the docs folder."""

    config_file: Path
    options: SiteOptions
    docs_dir: Path
    use_directory_urls: bool
    has_plugin: bool
    config: ConfigFile | None = field(default=None, compare=False, repr=False)
    """The whole file as read (for the builder config that ``generate`` derives from it)."""

    def setting(self, key: str, default: Any = None) -> Any:
        """A top-level setting of ``mkdocs.yml`` as MkDocs reads it (``!ENV`` resolved)."""
        return (self.config.data if self.config is not None else {}).get(key, default)

    @property
    def readers(self) -> SiteReaders:
        """The file-reading Markdown extensions of ``mkdocs.yml`` (``ConfigFile.readers``)."""
        return self.config.readers if self.config is not None else {}


def read_mkdocs_yml(config_file: Path) -> MkDocsSite:
    """The opsready plugin entry and the docs folder of ``mkdocs.yml``, read by ``config_file``
    (MkDocs' tags, no MkDocs). Raises ``ValueError`` naming the file and line of a bad option."""
    try:
        read = read_config_file(config_file)
        found, entry = read.plugin("opsready")
        try:
            options = SiteOptions.from_mapping(entry)
        except OptionError as exc:
            where = ("plugins", "opsready", exc.option or "")
            name = "plugins.opsready" + ("" if exc.option is None or str(exc).startswith(
                "unknown") else f".{exc.option}")
            raise ConfigFileError(f"{read.line_of(*where)}{name}: {exc}") from None
        return MkDocsSite(config_file, options, read.docs_dir, read.use_directory_urls, found,
                          read)
    except ConfigFileError as exc:
        raise ValueError(str(exc)) from None


def main(argv: list[str]) -> int:
    """Rewrite the options table in each file named in ``argv``."""
    return BLOCK.rewrite(argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))

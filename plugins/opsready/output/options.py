"""The opsready options of a site, without MkDocs: defaults, validation, resolved folders.

The MkDocs plugin fills them from its typed config; ``opsready generate`` reads the
``opsready`` entry of ``mkdocs.yml``'s ``plugins:`` with a plain YAML loader. Paths are relative
to the folder of ``mkdocs.yml``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from ..cache import folder as cache_folder
from ..cache.store import cache_key
from ..policy.baseline import default_baseline_path
from ..site_paths import SitePaths

Report = Callable[[str, str], None]
"""Where the core sends what it has to say: ``report(level, text)`` with level ``error``,
``warning``, ``info`` or ``debug``; the MkDocs adapter logs it, ``generate`` prints it."""


class SiteError(Exception):
    """The site cannot be published (the reasons were reported before)."""


@dataclass(frozen=True)
class SiteOptions:
    """The options of the ``opsready`` plugin entry (see ``config.OpsReadyConfig`` for each)."""

    catalog_dir: str = "service_catalog"
    templates_dir: str | None = None
    team_page_macros: bool = False
    prefix: str = ""
    hand_written_wins: bool = True
    nav_max_services: int = 50
    services_filter: bool = True
    print_styles: bool = True
    noc_styles: bool = True
    accessibility: bool = True
    cache_dir: str | None = None
    cache_size_mb: int = 1024
    format_reference: bool = True
    diagrams: bool | str = True
    diagrams_cache_dir: str | None = None
    concurrency: int = 0
    render_cache: bool = True
    readiness: bool = True
    policy: str | None = None
    baseline: str | None = None
    enforce: bool = True
    warn_gaps: str = "blocking"
    scorecard: bool = True
    history: str | None = None
    chat_url: str | None = None
    chat_user_url: str | None = None
    pager_url: str | None = None
    runbook_packs: bool | str = False

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> SiteOptions:
        """Options from a mapping (unknown keys are refused, missing ones take their default)."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown opsready option(s): {', '.join(unknown)}")
        return cls(**{k: v for k, v in values.items() if k in known})


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
    cache = cache_folder.resolve_cache_dir(options.cache_dir, base, catalog_dir)
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
        diagrams_cache=((base / options.diagrams_cache_dir).resolve()
                        if options.diagrams_cache_dir else None),
        paths=SitePaths(options.prefix.strip("/")))


class _ConfigLoader(yaml.SafeLoader):
    """A safe loader that reads MkDocs' ``!ENV`` and ``!!python/name`` tags as plain values."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    import os

    if isinstance(node, yaml.ScalarNode):
        return os.environ.get(str(loader.construct_scalar(node)))
    names = loader.construct_sequence(node)  # type: ignore[arg-type]
    for name in names[:-1]:
        if name in os.environ:
            return os.environ[name]
    return names[-1] if len(names) > 1 else None


_ConfigLoader.add_constructor("!ENV", _env)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/",
                                    lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class MkDocsSite:
    """What ``generate`` needs from ``mkdocs.yml``: the opsready options and the docs folder."""

    config_file: Path
    options: SiteOptions
    docs_dir: Path
    use_directory_urls: bool
    has_plugin: bool
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """The whole file as read (for the builder config that ``generate`` derives from it)."""


def read_mkdocs_yml(config_file: Path) -> MkDocsSite:
    """The opsready plugin entry and the docs folder of ``mkdocs.yml`` (plain YAML; no MkDocs).

    Raises ``ValueError`` with the file name when the file or an option is not usable.
    """
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{config_file}: cannot read it: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{config_file}: not a mapping")
    entry: Any = None
    found = False
    for plugin in data.get("plugins") or []:
        if plugin == "opsready":
            found = True
        elif isinstance(plugin, dict) and "opsready" in plugin:
            found, entry = True, plugin["opsready"]
    if isinstance(data.get("plugins"), dict) and "opsready" in data["plugins"]:
        found, entry = True, data["plugins"]["opsready"]
    if entry is not None and not isinstance(entry, dict):
        raise ValueError(f"{config_file}: plugins.opsready: expected a mapping of options")
    try:
        options = SiteOptions.from_mapping(entry or {})
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{config_file}: plugins.opsready: {exc}") from None
    base = config_file.resolve().parent
    return MkDocsSite(config_file, options, (base / str(data.get("docs_dir") or "docs")).resolve(),
                      bool(data.get("use_directory_urls", True)), found, data)

"""Runbook URLs of alerts: the public contract alerting rules point at.

An alert's page is ``SitePaths(prefix).alert(service, alert)``; its URL is what MkDocs makes of
that path (``runbooks/<service>/<Alert>/`` with directory URLs, ``runbooks/<service>/<Alert>.html``
without), percent-encoded as MkDocs encodes it, under the site's base URL. Nothing else goes in:
renaming a page title or reordering the catalog never changes a URL.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import yaml

from ..catalog import Catalog
from ..catalog_files import DEFAULT_CATALOG_DIR
from ..site_paths import SitePaths, url_of


@dataclass(frozen=True)
class SiteSettings:
    """What runbook URLs depend on: the site's base URL, its URL style and the page prefix.

    ``site_url`` may be empty: then URLs are site-relative and only their path can be checked.
    ``catalog`` is the catalog folder named in ``mkdocs.yml`` (``None`` when it names none).
    """

    site_url: str = ""
    use_directory_urls: bool = True
    prefix: str = ""
    catalog: str | None = None


def runbook_path(service_id: str, alert_name: str, *, prefix: str = "",
                 use_directory_urls: bool = True) -> str:
    """The URL of an alert's runbook page relative to the site root (no leading slash)."""
    src = SitePaths(prefix).alert(service_id, alert_name)
    # MkDocs percent-encodes page URLs with the same default (only "/" kept as is).
    return quote(url_of(src, use_directory_urls=use_directory_urls))


def runbook_url(settings: SiteSettings, service_id: str, alert_name: str) -> str:
    """The absolute URL of an alert's runbook page (site-relative when no site URL is known)."""
    path = runbook_path(service_id, alert_name, prefix=settings.prefix,
                        use_directory_urls=settings.use_directory_urls)
    if not settings.site_url:
        return path
    return settings.site_url.rstrip("/") + "/" + path


def url_map(catalog: Catalog, settings: SiteSettings,
            services: Iterable[str] | None = None) -> dict[str, dict[str, str]]:
    """``{service id: {alert name: runbook URL}}`` for every alert of the catalog (or of some
    services), sorted by service and alert name."""
    wanted = set(services) if services is not None else None
    out: dict[str, dict[str, str]] = {}
    for sid, service in sorted(catalog.services.items()):
        if wanted is not None and sid not in wanted:
            continue
        alerts = {a.name: runbook_url(settings, sid, a.name)
                  for a in sorted(service.alerts, key=lambda a: a.name)}
        if alerts:
            out[sid] = alerts
    return out


def page_path(url: str) -> str:
    """The page path of a URL: percent-decoded, without ``index.html`` or a trailing slash."""
    path = unquote(urlsplit(url.strip()).path)
    if path.endswith("/index.html") or path == "index.html":
        path = path[: -len("index.html")]
    return path.rstrip("/")


def normalise_url(url: str) -> str:
    """A URL in a form where equivalent spellings compare equal.

    Percent-encoding is decoded, the scheme and host lowercased, and ``index.html`` or one
    trailing slash dropped: servers answer ``.../Alert``, ``.../Alert/`` and
    ``.../Alert/index.html`` with the same page.
    """
    parts = urlsplit(url.strip())
    path = page_path(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}" if parts.netloc else path


def same_page(found: str, expected: str) -> bool:
    """Whether URL ``found`` opens the page at ``expected``.

    With an absolute ``expected`` both must agree on scheme, host and path; with a site-relative
    ``expected`` (no site URL known) the path of ``found`` must end with it.
    """
    if urlsplit(expected).netloc:
        return normalise_url(found) == normalise_url(expected)
    tail = "/" + page_path(expected).lstrip("/")
    return ("/" + page_path(found).lstrip("/")).endswith(tail)


def is_absolute_http(url: str) -> bool:
    """True for an ``http://`` or ``https://`` URL with a host."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


# --- reading mkdocs.yml --------------------------------------------------------------------------


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as data: ``!ENV`` resolved like MkDocs does, every other tag (such as
    ``!!python/name:``) read as its plain value and never executed."""


def _env(loader: _ConfigLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, yaml.SequenceNode):
        items = [loader.construct_object(n) for n in node.value]
        names, default = items[:-1] or items, items[-1] if len(items) > 1 else None
    else:
        return None
    for name in names:
        if isinstance(name, str) and name in os.environ:
            # As MkDocs does: the variable's text is read as a YAML scalar ("false" -> False).
            try:
                return yaml.safe_load(os.environ[name])
            except yaml.YAMLError:
                return os.environ[name]
    return default


def _any_tag(loader: _ConfigLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_ConfigLoader.add_constructor("!ENV", _env)
_ConfigLoader.add_multi_constructor("!", _any_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


class SiteConfigError(Exception):
    """mkdocs.yml cannot be read."""


def read_site_settings(config_file: Path | str, *, plugin: str = "opsready") -> SiteSettings:
    """Read ``site_url``, ``use_directory_urls`` and the opsready plugin's ``prefix`` and
    ``catalog_dir`` options from a ``mkdocs.yml``, without MkDocs and without running any tag.

    ``catalog`` of the result is ``catalog_dir`` (default ``service_catalog``) relative to the
    file's folder when the plugin is configured, else ``None``.

    Raises ``SiteConfigError`` when the file cannot be read or parsed.
    """
    path = Path(config_file)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)  # noqa: S506
    except (OSError, UnicodeDecodeError) as exc:
        raise SiteConfigError(f"cannot read {path}: {exc}") from None
    except yaml.YAMLError as exc:
        raise SiteConfigError(f"{path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise SiteConfigError(f"{path} does not hold a mapping of settings")
    options: dict[str, Any] | None = None
    plugins = data.get("plugins") or []
    if isinstance(plugins, dict):  # plugins may also be a mapping
        plugins = [{k: v} for k, v in plugins.items()]
    for entry in plugins:
        if entry == plugin:
            options = {}
        elif isinstance(entry, dict) and plugin in entry:
            options = entry[plugin] if isinstance(entry[plugin], dict) else {}
    if options is None:
        options = {"catalog_dir": None}
    site_url = data.get("site_url") or ""
    catalog = options.get("catalog_dir", DEFAULT_CATALOG_DIR)
    if isinstance(catalog, str) and catalog:
        catalog = str(path.parent / catalog) if not os.path.isabs(catalog) else catalog
    else:
        catalog = None
    return SiteSettings(
        site_url=str(site_url),
        use_directory_urls=bool(data.get("use_directory_urls", True)),
        prefix=str(options.get("prefix") or ""),
        catalog=catalog,
    )


_TEMPLATE_RE = re.compile(r"\{\{-?\s*(?:\$labels|\.Labels)\.([A-Za-z_][A-Za-z0-9_]*)\s*-?\}\}")


def resolve_site_settings(config: str | None, site_url: str | None,
                          default_config: str = "mkdocs.yml") -> SiteSettings:
    """The site settings of ``config`` (or ``default_config`` when it exists), with ``site_url``
    replacing the configured one. Raises ``ValueError`` saying what is wrong."""
    settings = SiteSettings()
    path = Path(config) if config else Path(default_config)
    if config and not path.is_file():
        raise ValueError(f"config file '{config}' does not exist")
    if path.is_file():
        try:
            settings = read_site_settings(path)
        except SiteConfigError as exc:
            raise ValueError(str(exc)) from None
    if site_url is not None:
        settings = replace(settings, site_url=site_url)
    if settings.site_url and not is_absolute_http(settings.site_url):
        raise ValueError(f"site URL '{settings.site_url}' is not an absolute http(s) URL "
                         "(e.g. https://ops.example.com/)")
    return settings


def expand_static_labels(value: str, labels: dict[str, str]) -> str:
    """Expand ``{{ $labels.x }}`` and ``{{ .Labels.x }}`` where the rule itself sets ``x``.

    Whatever else is templated is only known when Prometheus evaluates the rule; it is left
    in place so that callers can tell (``"{{" in result``).
    """
    def repl(match: re.Match[str]) -> str:
        return labels.get(match.group(1), match.group(0))

    return _TEMPLATE_RE.sub(repl, value)

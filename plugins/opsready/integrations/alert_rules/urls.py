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
from urllib.parse import quote, unquote, urlsplit

from ...catalog.files import DEFAULT_CATALOG_DIR
from ...catalog.fleet import Catalog
from ...output.config_file import ConfigFileError, read_config_file
from ...output.site_paths import SitePaths, url_of


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


class SiteConfigError(Exception):
    """mkdocs.yml cannot be read."""


def read_site_settings(config_file: Path | str, *, plugin: str = "opsready") -> SiteSettings:
    """Read ``site_url``, ``use_directory_urls`` and the opsready plugin's ``prefix`` and
    ``catalog_dir`` options from a ``mkdocs.yml`` through the one reader (``config_file``: the
    values ``mkdocs build`` and ``generate`` see; no tag executed).

    ``catalog`` of the result is ``catalog_dir`` (default ``service_catalog``) relative to the
    file's folder when the plugin is configured, else ``None``.

    Raises ``SiteConfigError`` when the file cannot be read or parsed.
    """
    path = Path(config_file)
    try:
        read = read_config_file(path)
        found, options = read.plugin(plugin)
        settings = SiteSettings(site_url=read.site_url,
                                use_directory_urls=read.use_directory_urls)
    except ConfigFileError as exc:
        raise SiteConfigError(str(exc)) from None
    if not found:
        return settings
    catalog = options.get("catalog_dir") or DEFAULT_CATALOG_DIR
    catalog = os.fspath(catalog) if isinstance(catalog, os.PathLike) else catalog
    return replace(settings, prefix=str(options.get("prefix") or ""),
                   catalog=str(path.parent / catalog) if isinstance(catalog, str) else None)


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

"""The typed configuration of the opsready MkDocs plugin (``plugins: - opsready: ...``)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class OpsReadyConfig(base.Config):
    """Options of the ``opsready`` plugin; paths are relative to ``mkdocs.yml``."""

    catalog_dir = c.Type(str, default="service_catalog")
    """The catalog folder: teams.yaml, organisation.yaml and one YAML file per service."""

    templates_dir = c.Optional(c.Type(str))
    """The site's templates folder. Unset: ``templates`` when that folder exists. Templates found
    there replace the packaged ones of the same name."""

    prefix = c.Type(str, default="")
    """Folder (inside docs_dir) that every generated page goes under, e.g. ``catalog``."""

    hand_written_wins = c.Type(bool, default=True)
    """When a hand-written page has the path of a generated one, publish the hand-written page
    (True) or the generated one (False). Either way the build logs a warning naming both."""

    nav_max_services = c.Type(int, default=50)
    """Up to this many services the navigation lists every service on every page; above it,
    a page lists only its own service (the services index lists them all), which keeps the
    build time linear in the number of pages."""

    services_filter = c.Type(bool, default=True)
    """Add the small script that filters the services index by team, tier and lifecycle."""

    print_styles = c.Type(bool, default=True)
    """Add the print stylesheet and script: pages (runbooks above all) print without navigation,
    with collapsed sections open and every link's URL written out."""

    accessibility = c.Type(bool, default=True)
    """Add the accessibility stylesheet and script: contrast the theme lacks, underlined links
    in text, a visible focus outline, and tables that scroll sideways reachable by keyboard."""

    cache_dir = c.Type(str, default=".cache/opsready")
    """Where parsed catalog files are cached between builds (keep it out of Git): a rebuild
    parses only the files that changed. Shared with ``opsready check``."""

    format_reference = c.Type(bool, default=True)
    """Publish the YAML format reference page generated from the schema."""

    diagrams = c.Type(bool, default=True)
    """Draw the architecture diagrams and the fleet map (needs Graphviz). False builds without
    them, with a warning: for environments that cannot install Graphviz."""

    diagrams_cache_dir = c.Type(str, default=".cache/opsready/diagrams")
    """Where drawn diagrams are kept between builds (keep it out of Git); only changed diagrams
    are drawn again."""

    concurrency = c.Type(int, default=0)
    """Diagrams drawn at once; 0 = one per CPU."""

    readiness = c.Type(bool, default=True)
    """Evaluate the readiness policy: flags on pages, gaps in the log, the scorecard, and the
    failing build. False turns all of it off (a site that only wants the documents)."""

    policy = c.Optional(c.Type(str))
    """The readiness policy file (relative to mkdocs.yml). Unset: the packaged default policy."""

    enforce = c.Type(bool, default=True)
    """Fail the build, even without ``--strict``, when an enforced service is below the readiness
    level its tier requires (``mkdocs serve`` only logs it)."""

    warn_gaps = c.Choice(("blocking", "all", "none"), default="blocking")
    """Which readiness gaps are log warnings (what ``--strict`` fails on): ``blocking``, the gaps
    that keep an enforced service below its required level; ``all``; ``none``. The others are
    logged at info."""

    scorecard = c.Type(bool, default=True)
    """Publish the readiness scorecard page, ``scorecard.json`` and a badge per service."""

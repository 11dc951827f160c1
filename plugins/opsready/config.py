"""The typed configuration of the opsready MkDocs plugin (``plugins: - opsready: ...``)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from .catalog_files import DEFAULT_CATALOG_DIR


class OpsReadyConfig(base.Config):
    """Options of the ``opsready`` plugin; paths are relative to ``mkdocs.yml``."""

    catalog_dir = c.Type(str, default=DEFAULT_CATALOG_DIR)
    """The catalog folder: teams.yaml, organisation.yaml and one YAML file per service."""

    templates_dir = c.Optional(c.Type(str))
    """The site's templates folder. Unset: ``templates`` when that folder exists. Templates found
    there replace the packaged ones of the same name."""

    team_page_macros = c.Type(bool, default=False)
    """Evaluate template code (``{{ service_owner("x") }}``) in the pages of teams
    (``docs/services/<id>/``), in opsready's sandbox with the catalog helpers. False: those pages
    are plain Markdown and ``{{`` shows as written. mkdocs-macros never renders them either way."""

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

    noc_styles = c.Type(bool, default=True)
    """Add the NOC stylesheet and script: commands wrap instead of scrolling, contact and
    escalation tables turn into stacked rows on phones."""

    accessibility = c.Type(bool, default=True)
    """Add the accessibility stylesheet and script: contrast the theme lacks, underlined links
    in text, a visible focus outline, and tables that scroll sideways reachable by keyboard."""

    cache_dir = c.Optional(c.Type(str))
    """The cache folder: parsed files, readiness outcomes, rendered pages, converted pages,
    search entries, check outcomes and (by default) drawn diagrams, each keyed by the bytes of
    everything it was made from; a rebuild redoes only what changed. Unset: a folder of the
    user's cache (``$XDG_CACHE_HOME/opsready`` or ``~/.cache/opsready``) named by the catalog's
    path, shared with ``opsready check``. Entries are signed with a key private to the user:
    entries the user's own builds did not write (for example committed into the repository)
    are never used."""

    cache_size_mb = c.Type(int, default=1024)
    """The bound of the cache folder in MiB: after a build that wrote entries, the entries used
    longest ago are deleted until the folder holds at most 80% of it."""

    format_reference = c.Type(bool, default=True)
    """Publish the YAML format reference page generated from the schema."""

    diagrams = c.Choice((True, False, "auto"), default=True)
    """Draw the architecture diagrams and the fleet map (needs Graphviz). False builds without
    them, with a warning: for environments that cannot install Graphviz. ``auto`` draws them
    when Graphviz is installed and otherwise builds without them, logged at info (what
    ``opsready init`` writes, so a new site builds with nothing but ``pip install``)."""

    diagrams_cache_dir = c.Optional(c.Type(str))
    """Where drawn diagrams are kept between builds; only changed diagrams are drawn again.
    Unset: ``diagrams`` inside ``cache_dir`` (it counts towards ``cache_size_mb`` either way).
    Each cached SVG is used only when signed by the user's key and when it passes the same check
    as a fresh drawing (no script, self-contained)."""

    concurrency = c.Type(int, default=0)
    """Diagrams drawn at once, processes rendering services' pages on a cold build, and pages
    converted by ``mkdocs build`` at once; 0 = one per CPU, 1 = in the build's own process."""

    render_cache = c.Type(bool, default=True)
    """Cache MkDocs' conversion of each page's Markdown to HTML, keyed by everything it depends
    on: a rebuild converts only pages whose Markdown, path or build setting changed; a cold
    ``mkdocs build`` converts opsready's generated pages on every core. False: MkDocs converts
    every page itself, one at a time."""

    readiness = c.Type(bool, default=True)
    """Evaluate the readiness policy: flags on pages, gaps in the log, the scorecard, and the
    failing build. False turns all of it off (a site that only wants the documents)."""

    policy = c.Optional(c.Type(str))
    """The readiness policy file (relative to mkdocs.yml). Unset: the packaged default policy."""

    baseline = c.Optional(c.Type(str))
    """The readiness baseline file (relative to mkdocs.yml): gaps accepted as debt, each with an
    owner and a due date (``opsready baseline`` writes it). Unset: ``readiness-baseline.yaml``
    beside the policy file, else beside mkdocs.yml, when it exists."""

    enforce = c.Type(bool, default=True)
    """Fail the build, even without ``--strict``, when an enforced service is below the readiness
    level its tier requires (``mkdocs serve`` only logs it)."""

    warn_gaps = c.Choice(("blocking", "all", "none"), default="blocking")
    """Which readiness gaps are log warnings (what ``--strict`` fails on): ``blocking``, the gaps
    that keep an enforced service below its required level; ``all``; ``none``. The others are
    logged at info."""

    scorecard = c.Type(bool, default=True)
    """Publish the readiness scorecard page, ``scorecard.json`` and a badge per service (and a
    campaign page when the policy has campaigns)."""

    history = c.Optional(c.Type(str))
    """A readiness history file written by ``opsready history -o FILE`` (relative to
    mkdocs.yml): the scorecard gains a trend page drawn from it. Unset: no trend page (the
    build never walks Git)."""

    chat_url = c.Optional(c.Type(str))
    """URL pattern that turns a chat channel of teams.yaml (``#payments``) into a link, e.g.
    ``https://chat.example.com/acme/channels/{name}`` (``{name}``: the channel without ``#``;
    ``{value}``: the whole value). Unset: chat channels stay text."""

    chat_user_url = c.Optional(c.Type(str))
    """The same for personal handles (``@amara``); unset: ``chat_url`` is used for them too."""

    pager_url = c.Optional(c.Type(str))
    """URL pattern that turns a pager value into a link, e.g. a PagerDuty search
    ``https://acme.pagerduty.com/service-directory?query={value}``. Unset: pager values stay
    text (a value that is itself an ``https://`` URL is always a link)."""

    runbook_packs = c.Choice((False, True, "html"), default=False)
    """Write the runbook packs into the built site under ``packs/`` after ``mkdocs build``
    (``opsready pack``: per on-call rotation, tier and fleet): ``true`` the HTML files and their
    PDF (headless Chromium), ``html`` the HTML files only. The NOC page links them."""

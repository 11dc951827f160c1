"""The on-disk layout every namespace of the cache shares (``store`` writes it, ``prune``
bounds it): ``<cache>/<namespace>/<key[:2]>/<key>``."""

from __future__ import annotations

NAMESPACES = ("parsed", "evaluated", "pages", "rendered", "search", "checked", "diagrams",
              "history")
"""Every namespace of the cache folder (``prune`` bounds them all together)."""

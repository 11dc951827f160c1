"""The runbook pack (``opsready pack``): every runbook an on-call rotation needs, in one HTML
file and one PDF that work when the site, single sign-on and the network are down.

``select`` decides which services each pack holds, ``convert`` turns the site's pages into HTML
fragments (the site's Markdown extensions and allow-list, diagrams inline), ``document`` writes
the self-contained file, ``pdf`` prints it with headless Chromium, ``manifest`` writes and
verifies ``pack.json``, ``build`` runs it all and ``command`` is the sub-command. No MkDocs.
"""

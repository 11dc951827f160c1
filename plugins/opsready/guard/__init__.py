"""What may be published: every check and sanitiser between text a team wrote and the site.

The one home of these guarantees, independent of the builder: the MkDocs plugin, ``opsready
generate`` (for any builder) and the team-page sandbox call the same functions here, and the
builder adapters add no check of their own. Modules: ``html`` (allow-lists, URL schemes, HTML
judged as a browser parses it), ``front_matter`` (what a page's front matter may say),
``svg`` (SVG files and drawn diagrams), ``visible`` (what a reader sees of a text),
``includes`` (file-including syntax of every file-reading Markdown extension), ``team_text``
(what a team page may hold before conversion), ``bounds`` (complexity and diagram-size limits),
``paths`` (linked folders and writes outside the output). Log lines are escaped by the one
formatter, ``diagnostics.printable``. This package imports nothing else of opsready (the lowest
layer of ``tests/test_import_layers.py``), and nothing of MkDocs.
"""

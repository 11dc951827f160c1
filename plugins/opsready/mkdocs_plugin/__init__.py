"""The MkDocs adapter: the plugin (events only), its config, conversion between the core's data and
MkDocs types, page conversion and search reuse, and the mkdocs-macros module.
"""

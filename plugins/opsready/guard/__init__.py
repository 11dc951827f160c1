"""What may be published: every check that decides it, independent of the builder, called alike
by the MkDocs plugin, ``opsready generate`` and the team-page sandbox (file-including syntax,
links and symlinks, complexity bounds, ...). One module per kind of check; nothing is
re-exported here."""

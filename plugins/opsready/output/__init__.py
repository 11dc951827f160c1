"""The site as data, for any builder: options, the two build steps, the verdict, and the
writer of ``opsready generate``. Imports nothing from MkDocs."""

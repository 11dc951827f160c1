"""The one cache of opsready: where entries live, how they are signed, keyed and pruned, and the
one worker pool.

- ``folder``: the cache folder of a catalog (in the user's cache by default).
- ``store``: the only signed store (HMAC with this user's key, one on-disk layout, atomic
  writes, use marked for pruning); every namespace (``parsed``, ``evaluated``, ``pages``,
  ``rendered``, ``search``, ``checked``, ``diagrams``) goes through it.
- ``salt``: the one code salt (the whole installed package, the versions of every library that
  shapes output, Graphviz and Python) that every key starts with.
- ``reads``: recorded reads: a key is made of the bytes of every file a step read.
- ``prune``: the one bounded-size rule (least recently used entries go first).
- ``pool``: the one worker-count rule and the one process/thread pool.

Domain code (catalog, policy, pages, diagrams) never imports this package's store: the
orchestration (``output/``, the MkDocs adapter and the ``check`` command) decides what is cached.
"""

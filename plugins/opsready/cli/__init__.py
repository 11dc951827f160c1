"""The ``opsready`` command line: thin commands over the core, with exit codes CI relies on.
"""

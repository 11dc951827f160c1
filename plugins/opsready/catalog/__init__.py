"""Catalog loading: find the files of a catalog folder, read them (safe YAML, bounds, positions
once), validate them into the model and cross-reference them, with a diagnostic for every
problem.
"""

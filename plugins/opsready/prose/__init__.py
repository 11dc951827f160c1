"""Markdown and plain-text values of the catalog: scan, check, render each value on its own, and
escape values into page Markdown.
"""

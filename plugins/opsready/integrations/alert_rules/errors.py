"""Why a rules file was not edited: the input's fault (exit 1) or a refused write (exit 2)."""

from __future__ import annotations


class AnnotateError(Exception):
    """The file cannot be edited safely; nothing was written."""


class RulesInputError(AnnotateError):
    """The rules file itself is the problem (invalid, or shaped so that no edit is safe)."""


class WriteRefused(AnnotateError):
    """The write asked for is refused (the target exists, is read-only, ...): a usage error."""

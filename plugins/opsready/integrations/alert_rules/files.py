"""Set ``runbook_url`` annotations in a rules file on disk: read once, edit, verify, replace."""

from __future__ import annotations

import stat
from pathlib import Path

from .annotate import AnnotateResult, RulesInputError, UrlFor, WriteRefused, annotate_parsed
from .atomic import check_writable, real_target, replace_file
from .rules import MAX_RULE_FILE_BYTES, parse_rule_text

_BOM = "\ufeff"


def _read(path: Path, display: str) -> tuple[bytes, str]:
    """The file's bytes and text (UTF-8, line ends as they are)."""
    try:
        if path.stat().st_size > MAX_RULE_FILE_BYTES:
            raise RulesInputError(f"{display} is over the {MAX_RULE_FILE_BYTES:,}-byte limit")
        raw = path.read_bytes()
    except OSError as exc:
        raise WriteRefused(f"cannot read {display}: {exc.strerror}") from None
    try:
        return raw, raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RulesInputError(f"{display}:{line}: file is not valid UTF-8 (byte 0x"
                              f"{raw[exc.start]:02x})") from None


def annotate_file(source: Path, url_for: UrlFor, *, target: Path | None = None,
                  backup: bool = False, overwrite: bool = False) -> AnnotateResult:
    """Edit the rules of ``source`` and write the result to ``target`` (default: ``source``).

    Writing to ``source`` itself needs ``backup=True``: the original is kept as ``<name>.bak``
    beside the name given (an existing backup is never overwritten). An existing ``target``
    other than ``source`` is replaced only with ``overwrite=True``. Symbolic links are followed:
    the file they lead to is edited and stays where it is. Nothing is written when no rule
    changes. Raises ``WriteRefused`` for a refused write and ``RulesInputError`` when the file
    has errors or cannot be edited safely; in both cases nothing was written.
    """
    target = target or source
    in_place = target.resolve() == source.resolve()
    if in_place and not backup:
        raise WriteRefused(f"refusing to edit {source} in place without a backup")
    if not in_place and (target.exists() or target.is_symlink()) and not overwrite:
        raise WriteRefused(f"{target} exists; choose a new file (or allow overwriting it)")
    backup_path = source.with_name(source.name + ".bak")
    if in_place and (backup_path.exists() or backup_path.is_symlink()):
        raise WriteRefused(f"backup {backup_path} already exists; move it away first")
    real_source = real_target(source)
    write_at = real_source if in_place else real_target(target)
    existing = check_writable(write_at)  # refuse before any work, not after
    raw, text = _read(real_source, str(source))
    bom = text.startswith(_BOM)
    parsed = parse_rule_text(text[1:] if bom else text, str(source), path=source)
    result = annotate_parsed(parsed, url_for, str(source))
    if in_place and not result.changed:
        return result
    if bom:
        result.text = _BOM + result.text
    source_mode = stat.S_IMODE(real_source.stat().st_mode)
    # An overwritten file keeps its own permissions; a new one gets the rules file's.
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else source_mode
    replace_file(write_at, result.text.encode("utf-8"), mode=mode,
                 original=raw if in_place else None,
                 backup=backup_path if in_place else None)
    return result


def annotate_to_text(source: Path, url_for: UrlFor) -> AnnotateResult:
    """The edited text of ``source`` (nothing written), read and verified as ``annotate_file``
    does."""
    _raw, text = _read(source, str(source))
    bom = text.startswith(_BOM)
    result = annotate_parsed(parse_rule_text(text[1:] if bom else text, str(source),
                                             path=source), url_for, str(source))
    if bom:
        result.text = _BOM + result.text
    return result

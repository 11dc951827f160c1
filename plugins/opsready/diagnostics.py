"""One diagnostic type for every problem opsready reports, and the formats CI tools read."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning", "notice"]

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(ch: str) -> str:
    code = ord(ch)
    if ch in _NAMED:
        return _NAMED[ch]
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return f"\\x{code:02x}"
    if code in (0x2028, 0x2029) or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return f"\\u{code:04x}"
    return ch


_VISIBLE = {c: _visible(chr(c)) for c in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029,
                                          *range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def printable(text: str) -> str:
    """``text`` on one line for a log or terminal: line breaks, other control characters, line
    separators and bidirectional overrides as escapes (``\\n``, ``\\x1b``, ``\\u202e``). Messages
    quote catalog values: a line break in one would start a line of its own in a CI log, where
    ``::error ...::`` is a GitHub Actions workflow command."""
    return text.translate(_VISIBLE)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem at a place: file, 1-based line and column, dotted YAML path, message, hint."""

    file: str
    line: int
    column: int
    yaml_path: str
    message: str
    hint: str = ""
    severity: Severity = "error"
    code: str = ""

    def log_line(self) -> str:
        """``file:line:col: path: message (hint: ...)`` on one line, for a build log."""
        return printable(f"{self.file}:{self.line}:{self.column}: {self.yaml_path or '-'}: "
                         f"{self.message}" + (f" (hint: {self.hint})" if self.hint else ""))

    def text(self) -> str:
        """``file:line:col: path: message (hint)`` as compilers and editors print it."""
        where = f"{printable(self.file)}:{self.line}:{self.column}"
        path = f" {printable(self.yaml_path)}:" if self.yaml_path else ""
        code = f" [{self.code}]" if self.code else ""
        hint = f"\n    hint: {printable(self.hint)}" if self.hint else ""
        return f"{where}: {self.severity}{code}:{path} {printable(self.message)}{hint}"


def format_path(path: Sequence[str | int]) -> str:
    """Render a YAML path as ``a.b[2].c``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def sort_key(diag: Diagnostic) -> tuple[str, int, int, str]:
    """Order by file, then position, then message."""
    return (diag.file, diag.line, diag.column, diag.message)


def to_text(diags: Iterable[Diagnostic]) -> str:
    """Plain text, one diagnostic per line (hints indented below)."""
    return "\n".join(d.text() for d in diags)


def to_json(diags: Iterable[Diagnostic]) -> str:
    """A JSON array of objects with the Diagnostic fields."""
    return json.dumps([asdict(d) for d in diags], indent=2)


def _gh_escape(value: str, *, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def to_github(diags: Iterable[Diagnostic]) -> str:
    """GitHub Actions workflow commands (``::error file=...,line=...::message``)."""
    lines = []
    for d in diags:
        level = {"error": "error", "warning": "warning", "notice": "notice"}[d.severity]
        title = d.yaml_path or "opsready"
        message = d.message + (f" (hint: {d.hint})" if d.hint else "")
        lines.append(
            f"::{level} file={_gh_escape(d.file, prop=True)},line={d.line},col={d.column},"
            f"title={_gh_escape(title, prop=True)}::{_gh_escape(message)}"
        )
    return "\n".join(lines)


def _xml_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml_attr(value: str) -> str:
    """An XML attribute value with its quotes (line breaks and tabs kept as references)."""
    escaped = _xml_text(value).replace('"', "&quot;")
    return '"' + escaped.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;") + '"'


def plural(count: int, word: str) -> str:
    """``1 service``, ``2 services``."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def to_junit(diags: Sequence[Diagnostic], suite: str = "opsready") -> str:
    """JUnit XML: one failing test case per diagnostic, for CI test-report viewers."""
    cases = []
    for d in diags:
        name = _xml_attr(f"{d.file}:{d.line} {d.yaml_path}".strip())
        body = _xml_text(d.text())
        kind = "failure" if d.severity == "error" else "skipped"
        cases.append(
            f"  <testcase classname={_xml_attr(d.file)} name={name}>"
            f"<{kind} message={_xml_attr(d.message)}>{body}</{kind}></testcase>"
        )
    failures = sum(1 for d in diags if d.severity == "error")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuite name={_xml_attr(suite)} tests="{max(len(diags), 1)}" failures="{failures}">\n'
        + ("\n".join(cases) if cases else '  <testcase classname="opsready" name="catalog"/>')
        + "\n</testsuite>"
    )


Formatter = Callable[[Sequence[Diagnostic]], str]
FORMATTERS: dict[str, Formatter] = {
    "text": to_text, "json": to_json, "github": to_github, "junit": to_junit,
}

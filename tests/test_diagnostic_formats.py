"""The formats CI tools read: JUnit XML parses back to every diagnostic's text, whatever the
text holds; GitHub annotations keep one diagnostic per line."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from opsready.diagnostics import Diagnostic, to_github, to_junit

_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                max_size=30).map(lambda t: "".join(c for c in t if c.isprintable() or c in "\t\n"))


@settings(max_examples=60, deadline=None)
@given(_text, _text, _text)
def test_junit_reads_back_every_file_message_and_path(file: str, message: str, path: str) -> None:
    diags = [Diagnostic(file or "f.yaml", 3, 4, path, message or "m", severity="error"),
             Diagnostic("g.yaml", 1, 1, "", "w", severity="warning")]
    suite = ET.fromstring(to_junit(diags))
    first, second = suite.findall("testcase")
    assert first.get("classname") == (file or "f.yaml")
    failure = first.find("failure")
    assert failure is not None and failure.get("message") == (message or "m")
    assert failure.text == diags[0].text()
    assert second.find("skipped") is not None
    assert suite.get("failures") == "1"


def test_github_annotations_are_one_line_each() -> None:
    diags = [Diagnostic("a,b:c.yaml", 2, 1, "x", "two\nlines, 100%", hint="fix")]
    (line,) = to_github(diags).splitlines()
    assert line.startswith("::error file=a%2Cb%3Ac.yaml,line=2,col=1,title=x::two%0Alines")

"""Check an edited rules file before anyone sees it: same documents, same rules, same data
except the ``runbook_url`` annotations, and each of those as asked."""

from __future__ import annotations

from typing import Any

from .errors import RulesInputError
from .rules import ParsedRules
from .urls import expand_static_labels, same_page

RuleKey = tuple[int, str]
"""A rule's place in its file: (document index, YAML path)."""


def _without_runbook_urls(value: Any) -> Any:
    """A document's data with every rule's runbook_url (and annotations left empty) removed:
    what must not change when only runbook URLs are set."""
    if isinstance(value, list):
        return [_without_runbook_urls(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: _without_runbook_urls(v) for k, v in value.items()}
    if "alert" in out and "annotations" in out:
        notes = out["annotations"]
        if isinstance(notes, dict):
            notes = {k: v for k, v in notes.items() if k != "runbook_url"}
        if not notes:
            del out["annotations"]
        else:
            out["annotations"] = notes
    return out


def verify(before: ParsedRules, after: ParsedRules, expected: dict[RuleKey, str]) -> None:
    """Check the edited text: it reads without error, every document holds the same data as
    before except runbook URLs, and each edited rule has the URL asked for.

    Raises ``RulesInputError`` listing every difference.
    """
    problems = [d.text() for d in after.rules.diagnostics if d.severity == "error"]
    if not problems:
        if len(after.documents) != len(before.documents):
            problems.append(f"{len(before.documents)} YAML documents before, "
                            f"{len(after.documents)} after")
        for i, (old, new) in enumerate(zip(before.documents, after.documents, strict=False)):
            if _without_runbook_urls(old.data) != _without_runbook_urls(new.data):
                problems.append(f"document {i + 1} changed beyond its runbook_url annotations")
        if len(after.rules.rules) != len(before.rules.rules):
            problems.append(f"{len(before.rules.rules)} alerting rules before the edit, "
                            f"{len(after.rules.rules)} after")
        for rule in after.rules.rules:
            want = expected.get((rule.document, rule.yaml_path))
            got = rule.runbook_url or ""
            if want is not None and not (got == want or same_page(
                    expand_static_labels(got, dict(rule.labels)), want)):
                problems.append(f"{rule.file}:{rule.line}: {rule.alert}: runbook_url is "
                                f"{rule.runbook_url!r} after the edit, not {want!r}")
    if problems:
        raise RulesInputError("the edited rules did not read back as expected, so nothing was "
                              "written:\n  " + "\n  ".join(problems))

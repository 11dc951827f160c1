"""Recognise a Helm chart template given where a rules file was expected.

Charts such as kube-prometheus-stack ship their rules as Go templates (``{{- if .Values... }}``):
not YAML until ``helm template`` renders them. Prometheus' own annotation templates
(``{{ $labels.instance }}``, ``{{ if ... }}``) live inside YAML strings, so only a file that does
not parse is looked at, and only Helm's own constructs count.
"""

from __future__ import annotations

import re

# A line starting with an action, or an action naming the chart's objects or helpers. Each
# alternative starts with a fixed character, so the search is linear in the text's length.
_HELM = re.compile(
    r"^[ \t]*\{\{"
    r"|\{\{-?[ \t]*(?:/\*|\$?\.(?:Values|Release|Chart|Capabilities|Files|Template)\b"
    r"|(?:include|template|toYaml|tpl|define)[ \t])",
    re.M)


def helm_template_line(text: str) -> int | None:
    """The line (1-based) of the first Helm template construct of ``text``, or ``None``."""
    match = _HELM.search(text)
    return None if match is None else text.count("\n", 0, match.start()) + 1


HELM_HINT = ("render the chart first and check the result, e.g. `helm template RELEASE CHART > "
             "rendered.yaml` then `opsready alerts check rendered.yaml`")

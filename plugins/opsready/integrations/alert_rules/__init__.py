"""Prometheus alerting rules against the catalog's runbooks: reading rule files, runbook URLs,
the cross-check, and setting ``runbook_url`` annotations. Pure core: no MkDocs import."""

from __future__ import annotations

from .annotate import AnnotateError, AnnotateResult, RulesInputError, WriteRefused, annotate_text
from .crosscheck import CrossCheck, ServiceReport, cross_check, owners_of
from .files import annotate_file, annotate_to_text
from .rules import AlertRule, RuleSet, read_rule_file, read_rule_files
from .urls import (
    SiteConfigError,
    SiteSettings,
    read_site_settings,
    runbook_path,
    runbook_url,
    same_page,
    url_map,
)

__all__ = [
    "AlertRule", "AnnotateError", "AnnotateResult", "CrossCheck", "RuleSet", "RulesInputError",
    "ServiceReport", "SiteConfigError", "SiteSettings", "WriteRefused", "annotate_file",
    "annotate_text", "annotate_to_text", "cross_check",
    "owners_of", "read_rule_file", "read_rule_files", "read_site_settings", "runbook_path",
    "runbook_url", "same_page", "url_map",
]

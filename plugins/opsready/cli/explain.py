"""``opsready explain RULE``: a rule, why it matters, the levels it counts for, and an example."""

from __future__ import annotations

import argparse
import difflib
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when a rule is explained, not when the parser is built
    from ..policy.load import Policy

WHY = {
    "Architecture design": "whoever changes, debugs or reviews the service starts from how it "
    "is built and what it depends on; a dependency nobody wrote down is the outage nobody "
    "expected.",
    "Automated staging deployment": "a release that was deployed the same way to staging first "
    "fails there, not in production.",
    "Business input": "operations can only prioritise what they know matters to the business: "
    "features, KPIs and the hours the service must be up.",
    "Business input: feature descriptions": "features with acceptance criteria are what the "
    "tests and the NOC check the service against.",
    "Deployment plan": "a written deployment and rollback plan is what lets anyone release, and "
    "undo a release, at any hour.",
    "Documentation of test results": "a result with its date and evidence shows the service was "
    "tested, not only that tests exist.",
    "Identity": "every page, alert and ticket starts from what the service is, who owns it and "
    "where its code lives.",
    "Monitoring setup": "what is monitored before a release is what tells you the release broke "
    "something.",
    "NOC runbook": "at 3 a.m. the on-call engineer follows the runbook, not the author's memory: "
    "what to check, what to do, whom to wake up.",
    "Operators handbook": "operators scale, fail over and back up the service from this, "
    "without asking the team that wrote it.",
    "Ops guide": "SLOs, logs, dashboards and alerts are how operations know the service is "
    "healthy, and how fast they learn it is not.",
    "Ops input": "operations must know the load, limits and environments a service is built "
    "for before they can run it.",
    "Performance testing": "targets that were measured under load are the only ones worth "
    "promising.",
    "Process checks": "the checks of the release process are what make a release repeatable.",
    "Release debrief": "a debrief turns what went wrong in a release into what the next one does "
    "differently.",
    "Security architecture review": "who may do what, and how data and secrets are protected, "
    "must be decided before an attacker decides it.",
    "Security incident response procedures": "during a security incident there is no time to "
    "invent how to assess, contain, escalate and communicate.",
    "Security monitoring and alerting": "an intrusion nobody monitors for is found by customers "
    "or auditors, late.",
    "Security testing": "scanning and testing find the weaknesses before someone else does.",
    "Service guide": "users and integrators install, configure and call the service from this "
    "guide instead of from its authors.",
    "Sign-off and approval": "a recorded approval by operations, security and the business is "
    "what production readiness means.",
    "Testing approach": "tests in CI, with known coverage, keep each change from breaking what "
    "worked.",
    "Ticket creation": "tickets for a release make it traceable: what changed, when, and why.",
}
"""Why each deliverable matters (``sections.Section.deliverable``): the reason a rule gives
when it has no ``description`` of its own."""


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"


def unknown_rule(policy: Policy, rule_id: str) -> str:
    """The message for a rule id the policy does not have (with the closest id)."""
    close = difflib.get_close_matches(rule_id, list(policy.rules_by_id), n=1, cutoff=0.6)
    return f"no rule '{rule_id}' in the policy" + (
        f": did you mean '{close[0]}'?" if close else
        " (`opsready scorecard --format json` lists the rules)")


def explain_text(policy: Policy, rule_id: str) -> str | None:
    """The explanation of ``rule_id`` (None when the policy has no such rule)."""
    from ..model.document_sections import SECTIONS_BY_KEY
    from ..policy.examples import block_yaml, example_for_path
    from ..policy.levels import Level

    rule = policy.rules_by_id.get(rule_id)
    if rule is None:
        return None
    level = Level.parse(rule.level)
    section = SECTIONS_BY_KEY[rule.section]
    counts = [lv.label for lv in Level if lv >= level and lv.label != "none"]
    tiers = [f"tier {t} ({lv.label})" for t, lv in sorted(policy.required_levels.items())
             if lv >= level and (rule.applies.tiers is None or t in rule.applies.tiers)]
    applies = []
    if rule.applies.tiers is not None:
        applies.append("tiers " + ", ".join(str(t) for t in rule.applies.tiers))
    if rule.applies.lifecycles is not None:
        applies.append("lifecycles " + ", ".join(lc.value for lc in rule.applies.lifecycles))
    if rule.applies.flags:
        applies.append("services with " + ", ".join(rule.applies.flags) + " set")
    if rule.applies.any_flags:
        applies.append("services with any of " + ", ".join(rule.applies.any_flags) + " set")
    if rule.applies.services is not None:
        applies.append("services " + ", ".join(rule.applies.services))
    lines = [
        f"{rule.id}: {rule.title}",
        f"  level:      {rule.level} (severity {rule.severity})",
        f"  counts for: {_listed(counts)} (levels are gates: a service reaches a level only "
        "when every rule of it and of the levels below passes)",
        f"  required:   {_listed(tiers) if tiers else 'by no tier under this policy'}"
        + ("" if not tiers else " must pass it"),
        f"  applies to: {'; '.join(applies) if applies else 'every service'}",
        f"  section:    {rule.section} ({section.deliverable})",
        f"  checks:     {rule.check} {', '.join(rule.path_texts)}"
        + (" (any of them)" if rule.require == "any" and len(rule.path_texts) > 1 else ""),
        f"  not applicable: {'accepted, with a reason' if rule.na_allowed else 'not accepted'}",
    ]
    why = rule.description or WHY.get(section.deliverable, "")
    if why:
        lines += ["", "Why it matters:", f"  {' '.join(why.split())}"]
    if rule.hint:
        lines += ["", "How to meet it:", f"  {' '.join(rule.hint.split())}"]
    examples = []
    for path in rule.path_texts:
        try:
            examples.append(block_yaml(example_for_path(path)))
        except (ValueError, KeyError, AttributeError):
            continue
    if examples:
        where = ("organisation.yaml" if all(p.startswith("organisation.")
                                            for p in rule.path_texts) else "service file")
        lines += ["", f"Example ({where}; replace each TODO):"]
        lines += ["  " + ln for text in examples for ln in text.rstrip().splitlines()]
    return "\n".join(lines) + "\n"


def add_explain_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """``opsready explain RULE``."""
    explain = sub.add_parser("explain", help="explain a readiness rule: what it asks, why, "
                             "the levels it counts for, and an example")
    explain.add_argument("rule", help="the rule id, as check and the scorecard print it")
    explain.add_argument("--policy", metavar="FILE",
                         help="readiness policy file (default: the packaged default policy)")
    explain.set_defaults(func=run_explain_command)


def run_explain_command(args: argparse.Namespace) -> int:
    """Run ``opsready explain``; the exit code (0, 1 policy errors, 2 unknown rule)."""
    from ..diagnostics import FORMATTERS
    from ..policy.load import load_policy

    loaded = load_policy(args.policy)
    if loaded.policy is None:
        print(FORMATTERS["text"](loaded.diagnostics), file=sys.stderr)
        return 1
    text = explain_text(loaded.policy, args.rule)
    if text is None:
        print(f"opsready explain: error: {unknown_rule(loaded.policy, args.rule)}",
              file=sys.stderr)
        return 2
    sys.stdout.write(text)
    return 0

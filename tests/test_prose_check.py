"""Check-time refusal of prose that would not show as written, and the split-number warning:
in ``prose_scan`` directly, through ``load_catalog`` (what ``opsready check`` runs) with file,
line and YAML path, and in a real build, which refuses the same."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from conftest import BuildFailed, build_site, catalog_with, service_yaml
from opsready.catalog.load import load_catalog
from opsready.diagnostics import Diagnostic
from opsready.prose.problems import problems
from opsready.prose.scan import fenced_blocks


def messages(text: str, schemes: tuple[str, ...] = ()) -> list[tuple[int, str, str]]:
    from opsready.guard import html as sanitize

    return [(p.line, p.severity, p.message)
            for p in problems(text, sanitize.schemes(schemes))]


def test_clean_prose_has_no_problem() -> None:
    text = ("Restart with `kubectl rollout restart` and see [the dashboard](https://g.example/d)."
            "\n\n```sh\n<b>ok</b> <!-- not a comment here\n```\n\nMail <noc@example.com>.")
    assert messages(text) == []


def test_an_unclosed_fence_is_an_error_at_its_line() -> None:
    found = messages("Intro.\n\n~~~python\nprint(1)\n")
    assert found == [(2, "error", "code fence '~~~' is never closed: the rest of the text "
                                  "would show as code")]


def test_a_fence_closes_only_with_its_own_character_and_length() -> None:
    lines = ["````", "```", "~~~~", "````", "```"]
    blocks = fenced_blocks(lines)
    assert [(b.start, b.end, b.closed) for b in blocks] == [(0, 3, True), (4, 5, False)]


def test_an_unclosed_comment_is_an_error() -> None:
    assert [m[:2] for m in messages("a\n<!-- hidden\nb")] == [(1, "error")]
    assert all(m[1] == "warning" for m in messages("a <!-- closed --> b"))


@pytest.mark.parametrize("text", [
    "[x](javascript:alert(1))", "[x](java&#115;cript:alert(1))", "![i](data:image/png;base64,AA)",
    "[x][r]\n\n[r]: vbscript:msgbox(1)", "[x](file:///etc/passwd)",
])
def test_a_link_with_a_disallowed_scheme_is_an_error(text: str) -> None:
    found = messages(text)
    assert found and all(sev == "error" and "scheme" in msg for _, sev, msg in found), found


def test_site_link_schemes_are_accepted() -> None:
    assert messages("[chat](slack://channel?id=C1)") != []
    assert messages("[chat](slack://channel?id=C1)", ("slack",)) == []


def test_raw_html_is_a_warning_naming_the_tag() -> None:
    found = messages("Use <b>bold</b> here.")
    assert {(sev, msg) for _, sev, msg in found} == {
        ("warning", "raw HTML '<b>' shows as text, not as HTML"),
        ("warning", "raw HTML '</b>' shows as text, not as HTML")}


def test_too_complex_prose_is_an_error() -> None:
    found = messages("[" * 3000)
    assert found[0][1] == "error" and "too complex" in found[0][2]


# --- through the catalog ----------------------------------------------------------------------


def _load(tmp_path: Path, files: dict[str, str]) -> list[Diagnostic]:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return load_catalog(tmp_path).diagnostics


def test_catalog_diagnostics_name_file_line_and_yaml_path(tmp_path: Path) -> None:
    extra = """\
    alerts:
      - name: QueueStuck
        severity: SEV-2
        summary: The queue is stuck.
        meaning: |
          The consumer stopped.

          ```sh
          kubectl logs deploy/consumer
        impact: {file: impact.md}
    """
    files = catalog_with(checkout=service_yaml("checkout", extra=extra))
    files["impact.md"] = "Users wait.\n\n[pay](javascript:alert(1))\n"
    diags = [d for d in _load(tmp_path, files) if d.code == "prose"]
    assert [(Path(d.file).name, d.line, d.yaml_path, d.severity) for d in diags] == [
        ("checkout.yaml", 14, "alerts[0].meaning", "error"),
        ("impact.md", 3, "alerts[0].impact", "error"),
    ]
    text = (tmp_path / "checkout.yaml").read_text().splitlines()
    assert text[14 - 1].strip() == "```sh"
    assert all(d.hint for d in diags)


def test_link_schemes_of_the_organisation_are_allowed(tmp_path: Path) -> None:
    files = catalog_with(checkout=service_yaml(
        "checkout", extra="runbook:\n  on_call: '[rota](slack://channel?team=T1)'\n"))
    assert any(d.code == "prose" for d in _load(tmp_path / "a", files))
    files["organisation.yaml"] = "link_schemes: [slack]\n"
    assert not [d for d in _load(tmp_path / "b", files) if d.severity != "notice"]


def test_a_number_split_by_a_flow_list_is_a_warning(tmp_path: Path) -> None:
    extra = textwrap.dedent("""\
    testing:
      results:
        - kind: load
          date: 2026-10-01
          outcome: pass
          summary: Fine.
          risks: [Pool is the limit at about 1,500 req/s, fine]
          mitigations: ["Quoted 1,500 stays whole", 1, 500 apart, a,b]
    """)
    diags = _load(tmp_path, catalog_with(checkout=service_yaml("checkout", extra=extra)))
    split = [d for d in diags if d.code == "split-number"]
    line = (tmp_path / "checkout.yaml").read_text().splitlines()[13 - 1]
    assert [(d.line, d.column, d.yaml_path, d.severity) for d in split] == [
        (13, line.index("500 req/s") + 1, "testing.results[0].risks[1]", "warning")]
    assert "quote the item" in split[0].hint and "1,500" in split[0].message


def test_the_build_refuses_what_the_check_refuses(tmp_path: Path) -> None:
    files = catalog_with(checkout=service_yaml(
        "checkout", extra="runbook:\n  on_call: \"Rota.\\n\\n<!-- draft\"\n"))
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path, files)
    assert any("checkout.yaml:" in e and "runbook.on_call" in e and "never closed" in e
               for e in failed.value.errors), failed.value.errors


def test_required_inline_markdown_fields_are_checked_too(tmp_path: Path) -> None:
    extra = """\
    runbook:
      maintenance:
        - id: vacuum
          task: Vacuum the database.
          schedule: "Nightly, see [rota](javascript:alert(1))"
    """
    diags = _load(tmp_path, catalog_with(checkout=service_yaml("checkout", extra=extra)))
    assert [(d.yaml_path, d.severity) for d in diags if d.code == "prose"] == [
        ("runbook.maintenance[0].schedule", "error")]


@pytest.mark.parametrize("text,reason", [
    ("a\n\n" + "> " * 20 + "quoted", "nested '>' quotes"),
    ("- a\n" + " " * 60 + "- deep", "indented more than"),
    ("x\n\n" * 1001, "paragraphs"),
    ("`a` *b* " * 600, "Markdown markers"),
    ("[a](https://x) " * 200, "'[' in a paragraph"),
])
def test_each_complexity_limit_is_reported(text: str, reason: str) -> None:
    found = messages(text)
    assert any(sev == "error" and reason in msg for _, sev, msg in found), found


def test_fenced_code_does_not_count_towards_the_limits() -> None:
    assert messages("```\n" + "[" * 5000 + "\n" + " " * 80 + "x\n```") == []


def test_an_image_from_another_host_is_a_warning_with_its_place() -> None:
    """The NOC's site works offline and tells no other host who reads a runbook."""
    text = "Intro.\n\n![dashboard](https://grafana.example.com/render/x.png)\n"
    found = [p for p in problems(text) if "another host" in p.message]
    assert [(p.line, p.severity) for p in found] == [(2, "warning")]
    assert not [p for p in problems("![map](../architecture/map.svg)\n")
                if "another host" in p.message]
    assert [p for p in problems("![x](//cdn.example.com/x.png)\n") if "another host" in p.message]


def _split_warnings(tmp_path: Path, text: str) -> list[tuple[int, int, str]]:
    from opsready.catalog.yaml_loader import load_yaml
    from opsready.prose.check import split_numbers

    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    loaded, _ = load_yaml(path)
    assert loaded is not None
    return [(d.line, d.column, d.yaml_path) for d in split_numbers(loaded, "s.yaml")]


def test_a_number_in_prose_before_any_flow_list_is_not_scanned(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("scanned")

    text = "summary: 11,400 clients a day\nnote: 2,5\ntags: [a, b,c]\n"
    monkeypatch.setattr(yaml, "scan", refuse)
    assert _split_warnings(tmp_path, text) == []


def test_a_split_after_a_flow_list_opens_is_found_whatever_the_prose_before(
        tmp_path: Path) -> None:
    # The number in the prose opens the scan; the split itself has a space before its comma.
    text = "summary: 11,400 clients a day\nports: [1 ,500, 8080]\nlater: [3,141]\n"
    assert _split_warnings(tmp_path, text) == [(2, 12, "ports[1]"), (3, 11, "later[1]")]

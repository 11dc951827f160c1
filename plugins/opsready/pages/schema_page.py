"""The YAML format reference page, rendered from the JSON Schema so it cannot drift from it."""

from __future__ import annotations

from typing import Any

from ..model.json_schema import json_schema

# No front matter here: the page renderer adds the page's own (a second block would show as text).
_INTRO = """# Catalog format reference

This page is generated from the JSON Schema of the catalog (`opsready schema`) at every build:
it is always the format the validator checks. The user guide explains how to write a service;
this page lists every key.

Each YAML file of a service is a *Service*; `teams.yaml` is a *TeamsFile*; `organisation.yaml`
is an *Organisation*. Keys marked **required** must be present. Top-level keys that start with
`x-` are ignored (use them to hold YAML anchors).

Text keys come in three kinds:

- **plain text** shows exactly as written: Markdown characters such as `*` or a backtick stay
  characters;
- **inline Markdown** is one short line that may use `code`, **bold**, *italics* and links;
- **Markdown** is prose, inline or in a `.md` file beside the YAML: paragraphs, lists, tables,
  code blocks, links, headings.

In both Markdown kinds raw HTML shows as text, links may only use http, https, mailto and tel
(plus the `link_schemes` of `organisation.yaml`), and `opsready check` refuses what would not
show as written: an unclosed code fence or HTML comment, or a link with another scheme.
"""


def _anchor(name: str) -> str:
    return name.lower()


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;")


def type_text(prop: dict[str, Any], defs: dict[str, Any] | None = None) -> str:
    """A short human description of a property's type, linking to referenced objects."""
    defs = defs or {}
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        if "enum" in defs.get(name, {}):  # enums have no section of their own
            return type_text(defs[name], defs)
        return f"[{name}](#{_anchor(name)})"
    for combo in ("anyOf", "oneOf"):
        if combo in prop:
            parts = [type_text(p, defs) for p in prop[combo] if p.get("type") != "null"]
            if prop.get("x-prose") or (
                    len(parts) == 2 and "plain text" in parts and "[FileRef](#fileref)" in parts):
                return "Markdown (inline or `{file: …}`)"
            return " or ".join(dict.fromkeys(parts))
    if "enum" in prop:
        return "one of " + ", ".join(f"`{v}`" for v in prop["enum"])
    if "const" in prop:
        return f"`{prop['const']}`"
    kind = prop.get("type")
    if kind == "array":
        return f"list of {type_text(prop.get('items', {}), defs)}"
    if kind == "string":
        if prop.get("format") == "date":
            return "date (YYYY-MM-DD)"
        if prop.get("pattern", "").startswith("^[a-z0-9]+(?:-"):
            return "slug"
        if prop.get("contentMediaType") == "text/markdown":
            return "inline Markdown"
        return "plain text"
    if kind == "integer":
        low, high = prop.get("minimum"), prop.get("maximum")
        return f"integer ({low}–{high})" if low is not None and high is not None else "integer"
    return {"number": "number", "boolean": "true/false", "object": "mapping"}.get(kind or "",
                                                                                 "any")


def _referenced(prop: dict[str, Any]) -> str | None:
    """The name of the object a property holds (directly, optionally, or as list items)."""
    for candidate in (prop, prop.get("items", {}), *prop.get("anyOf", ())):
        if "$ref" in candidate:
            return str(candidate["$ref"]).rsplit("/", 1)[-1]
        if "$ref" in candidate.get("items", {}):
            return str(candidate["items"]["$ref"]).rsplit("/", 1)[-1]
    return None


def _description(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    desc = prop.get("description", "")
    if not desc and "anyOf" in prop:
        desc = next((p["description"] for p in prop["anyOf"] if "description" in p), "")
    if not desc:
        ref = _referenced(prop)
        desc = defs.get(ref, {}).get("description", "") if ref else ""
    return str(desc)


def _table(obj: dict[str, Any], defs: dict[str, Any]) -> list[str]:
    props: dict[str, Any] = obj.get("properties", {})
    required = set(obj.get("required", []))
    lines = ["| key | type | description |", "|---|---|---|"]
    for key, prop in props.items():
        desc = _description(prop, defs)
        req = " **required**" if key in required else ""
        default = prop.get("default")
        if isinstance(default, bool):
            default = str(default).lower()
        note = f" Default: `{default}`." if default not in (None, [], {}, "") else ""
        lines.append(f"| `{key}`{req} | {type_text(prop, defs)} | "
                     f"{_escape(desc)}{_escape(note)} |")
    return lines


def format_reference_markdown() -> str:
    """The whole reference page as Markdown."""
    out = [_INTRO]
    seen: set[str] = set()
    for kind, title in (("service", "Service"), ("teams", "TeamsFile"),
                        ("organisation", "Organisation")):
        schema = json_schema(kind)
        defs: dict[str, Any] = schema.get("$defs", {})
        blocks = [(title, schema)] + sorted(defs.items())
        for name, obj in blocks:
            if name in seen or obj.get("type") != "object":
                continue
            seen.add(name)
            out.append(f"## {name} {{#{_anchor(name)}}}\n")
            if obj.get("description"):
                out.append(_escape(obj["description"]) + "\n")
            out.extend(_table(obj, defs))
            out.append("")
    return "\n".join(out) + "\n"

"""The scale benchmark's figures as issue #13 reads them: ratios, linearity, the table, and
PASS/FAIL per target of the issue.

Ratios and targets use wall time (what a user waits for; on a quiet machine the fair clock
once opsready works on all cores); the CPU ratio is printed beside it.
"""

from __future__ import annotations

from typing import Any, TypeGuard

VARIANTS = ("check cold", "check warm", "yaml floor", "opsready cold", "opsready warm",
            "serve edit", "generate cold", "generate warm", "plain", "zensical",
            "generate + builder")
ISSUE_SIZES = (250, 1000)
LINEAR_PAIR = (250, 1000)
LINEAR_VARIANTS = ("opsready cold", "opsready warm", "check cold", "check warm")
# (ratio name, numerator variant, denominator variant)
RATIOS = (("cold / plain", "opsready cold", "plain"), ("warm / plain", "opsready warm", "plain"),
          ("serve edit / plain", "serve edit", "plain"),
          ("generate cold / plain", "generate cold", "plain"),
          ("generate warm / plain", "generate warm", "plain"),
          ("zensical / plain", "zensical", "plain"),
          ("generate + builder / plain", "generate + builder", "plain"),
          ("generate + builder / cold", "generate + builder", "opsready cold"),
          ("check cold / yaml floor", "check cold", "yaml floor"))


def measured(m: Any) -> TypeGuard[dict[str, Any]]:
    """A variant that ran to the end (not missing, not failed)."""
    return isinstance(m, dict) and "wall" in m


def ratios(r: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Every ratio of one size whose two variants ran: {name: {"wall": x, "cpu": y}}."""
    found = {}
    for name, top, bottom in RATIOS:
        if measured(r.get(top)) and measured(r.get(bottom)):
            found[name] = {clock: r[top][clock] / r[bottom][clock] for clock in ("wall", "cpu")}
    return found


def linearity(results: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """t(b) / t(a) per variant for each pair of consecutive sizes a < b, keyed "a->b", with the
    ratio of the sizes as "size ratio"."""
    found: dict[str, dict[str, float]] = {}
    for a, b in zip(results, results[1:], strict=False):
        pair = {"size ratio": b["services"] / a["services"]}
        for v in VARIANTS:
            if measured(a.get(v)) and measured(b.get(v)):
                pair[v] = b[v]["wall"] / a[v]["wall"]
        found[f"{a['services']}->{b['services']}"] = pair
    return found


def _cell(m: Any) -> str:
    if m is None:
        return "not installed"
    if m == {}:
        return "not run"
    if not measured(m):
        return "failed: " + str(m.get("error", "?"))[:80]
    return f"{m['wall']:.1f} s wall, {m['cpu']:.1f} s CPU, {m['rss_mb']:,.0f} MB"


def _short(m: Any) -> str:
    return f"{m['wall']:.1f} s" if measured(m) else "-"


def _ratio(found: dict[str, dict[str, float]], name: str) -> str:
    if name not in found:
        return "-"
    return f"{found[name]['wall']:.2f}x, {found[name]['cpu']:.2f}x"


def table(results: list[dict[str, Any]]) -> str:
    """The Markdown table of issue #13, with the serve and generate variants."""
    head = ("| N services (pages) | opsready cold | opsready warm | plain MkDocs | zensical | "
            "serve edit | generate cold / warm | cold / plain (wall, CPU) | "
            "warm / plain (wall, CPU) | generate cold / plain (wall, CPU) | "
            "check cold / warm / libyaml floor |")
    lines = [head, "|" + "---|" * 11]
    for r in results:
        found = ratios(r)
        lines.append(
            f"| {r['services']:,} ({r.get('pages', 0):,}) | {_cell(r.get('opsready cold', {}))} | "
            f"{_cell(r.get('opsready warm', {}))} | {_cell(r.get('plain', {}))} | "
            f"{_cell(r.get('zensical'))} | "
            f"{_short(r.get('serve edit'))} | "
            f"{_short(r.get('generate cold'))} / {_short(r.get('generate warm'))} | "
            f"{_ratio(found, 'cold / plain')} | {_ratio(found, 'warm / plain')} | "
            f"{_ratio(found, 'generate cold / plain')} | {_short(r.get('check cold'))} / "
            f"{_short(r.get('check warm'))} / {_short(r.get('yaml floor'))} |")
    return "\n".join(lines)


def _row(target: str, n: str, value: float | None, limit: float, unit: str,
         indicative: bool = False, cpu: float | None = None) -> dict[str, Any]:
    """One target's verdict on ``value`` (wall time); ``cpu`` the same figure in CPU time."""
    status = "NOT RUN" if value is None else "PASS" if value <= limit else "FAIL"
    return {"target": target, "at": n, "value": value, "limit": limit, "unit": unit,
            "status": status, "indicative": indicative and value is not None, "cpu": cpu}


def targets(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """PASS / FAIL / NOT RUN per target of issue #13. A target set at N = 250 and 1,000 is
    judged at those sizes; when neither ran, at the largest size that did, marked indicative."""
    by_size = {r["services"]: r for r in results}
    rows: list[dict[str, Any]] = []
    at_sizes = [n for n in ISSUE_SIZES if n in by_size]
    judged = at_sizes or ([max(by_size)] if by_size else [])
    indicative = not at_sizes
    for n in judged:
        found = ratios(by_size[n])
        for name, label, limit in (("cold / plain", "cold build <= 1.10x plain MkDocs", 1.10),
                                   ("warm / plain", "warm build <= 0.5x plain MkDocs", 0.5)):
            ratio = found.get(name)
            rows.append(_row(label, f"N={n}", ratio and ratio["wall"], limit, "x", indicative,
                             ratio and ratio["cpu"]))
        gen = found.get("generate cold / plain")
        rows.append(_row("generate + plain <= 1.10x plain MkDocs", f"N={n}",
                         1 + gen["wall"] if gen else None, 1.10, "x", indicative,
                         1 + gen["cpu"] if gen else None))
    top = 1000 if 1000 in by_size else max(by_size, default=None)
    big = by_size.get(top) if top is not None else None
    where, indicative = f"N={top}", top != 1000
    warm = big.get("check warm") if big else None
    rows.append(_row("check warm <= 2 s", where, warm["wall"] if measured(warm) else None,
                     2.0, "s", indicative, warm["cpu"] if measured(warm) else None))
    floor = ratios(big).get("check cold / yaml floor") if big else None
    rows.append(_row("check cold <= 1.2x the libyaml parse floor", where,
                     floor["wall"] if floor else None, 1.2, "x", indicative,
                     floor["cpu"] if floor else None))
    rss = [big[v]["rss_mb"] for v in ("opsready cold", "opsready warm", "serve edit")
           if big and measured(big.get(v))]
    rows.append(_row("peak RSS <= 1.5 GB", where, max(rss) / 1024 if rss else None, 1.5, "GB",
                     indicative))
    rows += _linear_targets(by_size)
    return rows


def _linear_targets(by_size: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """t(1,000) / t(250) <= 4.5; with other sizes, the same allowance scaled to their ratio
    (4.5 / 4 per unit of size ratio), indicative."""
    a, b = LINEAR_PAIR
    sizes = sorted(by_size)
    indicative = not (a in by_size and b in by_size)
    if indicative and len(sizes) >= 2:
        a, b = sizes[-2], sizes[-1]
    limit = 4.5 / 4 * b / a
    rows = []
    for v in LINEAR_VARIANTS:
        ra, rb = by_size.get(a, {}).get(v), by_size.get(b, {}).get(v)
        value = rb["wall"] / ra["wall"] if measured(ra) and measured(rb) else None
        rows.append(_row(f"linear: {v} t({b:,}) / t({a:,}) <= {limit:.2f}", f"N={a}->{b}",
                         value, limit, "", indicative))
    return rows


def targets_text(rows: list[dict[str, Any]]) -> str:
    """The PASS/FAIL block printed at the end of a run."""
    lines = ["Targets of issue #13 (wall time, measured in this run):"]
    for row in rows:
        value = "" if row["value"] is None else f": {row['value']:.2f}{row['unit']}"
        if row.get("cpu") is not None:
            value += f" (CPU {row['cpu']:.2f}{row['unit']})"
        mark = "*" if row["indicative"] else ""
        lines.append(f"{row['status'] + mark:8} {row['target']} at {row['at']}{value}")
    if any(row["indicative"] for row in rows):
        lines.append("* judged at a size the issue sets no target for: indicative only")
    return "\n".join(lines)

"""Where a build's time goes: ``mkdocs build`` under cProfile, as a Markdown report.

The build runs once more, unmeasured, under ``cProfile`` with the process's CPU clock (the
machine may be shared: wall time would count other people's work). Every function's own time
goes to one group, chosen by the file the function lives in (MkDocs, Python-Markdown, material,
mkdocs-macros, the opsready module); the time of built-in functions and of the standard library
goes to the groups of their callers, in proportion to what each caller spent in them. So the
groups add up to 100% of the profiled time. Worker processes are not profiled: the time the
main process waits for them is the "waiting" group (close to nothing on the CPU clock).
"""

from __future__ import annotations

import pstats
import subprocess
import sysconfig
from pathlib import Path
from typing import Any

# Runs a console script (argv[2:]) under cProfile with the CPU clock; stats into argv[1].
PROFILE = """
import cProfile, runpy, sys, time
out, script = sys.argv[1], sys.argv[2]
sys.argv = sys.argv[2:]
prof = cProfile.Profile(time.process_time)
prof.enable()
code = 0
try:
    runpy.run_path(script, run_name="__main__")
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else 1
finally:
    prof.disable()
    prof.dump_stats(out)
sys.exit(code)
"""

# (group, path fragments): the first group with a fragment in a function's file wins.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("search plugin", ("/mkdocs/contrib/search/", "/material/plugins/search/")),
    ("macros", ("/mkdocs_macros/", "/opsready/mkdocs_plugin/macros.py",
                "/opsready/pages/catalog_helpers.py",
                "/opsready/mkdocs_plugin/policy_tables.py")),
    ("diagrams", ("/opsready/diagrams/", "/graphviz/", "/diagrams/")),
    ("readiness", ("/opsready/policy/", "/opsready/scorecard/")),
    ("catalog (parse, validation)", (
        "/opsready/catalog/yaml_loader.py", "/opsready/catalog/load.py",
        "/opsready/catalog/files.py",
        "/opsready/model/", "/opsready/model/base.py", "/opsready/catalog/validate.py",
        "/opsready/cache/", "/opsready/catalog/kind_check.py", "/opsready/catalog/references.py",
        "/opsready/prose/check.py", "/opsready/prose/scan.py", "/yaml/", "/_yaml",
        "/pydantic/", "/pydantic_core/")),
    ("opsready generate_pages (templates, prose)", (
        "/opsready/pages/", "/opsready/output/", "/opsready/templates/", "/opsready/prose/to_html",
        "/opsready/guard/html.py", "/opsready/prose/escape.py",
        "/opsready/model/document_sections.py",
        "/opsready/catalog/step_refs.py", "/opsready/pages/team_pages.py", "/jinja2/sandbox.py",
        "/nh3/")),
    ("opsready (other: plugin, caches, links)", ("/opsready/",)),
    ("Python-Markdown conversion", ("/markdown/", "/pymdownx/", "/materialx/", "/pygments/")),
    ("theme/Jinja page rendering", ("/jinja2/", "/markupsafe/", "/material/")),
    ("MkDocs (config, files, nav, writing)", ("/mkdocs/",)),
)
WAITING = "waiting (worker processes, I/O)"
_WAIT_NAMES = ("acquire", "poll", "select", "waitpid", "sleep", "recv", "wait")
OTHER = "other libraries"
UNATTRIBUTED = "Python built-ins and standard library (callers unknown)"
STDLIB = sysconfig.get_paths()["stdlib"]

Func = tuple[str, int, str]


def profile_build(cmd: list[str], stats_file: Path, env: dict[str, str], python: str) -> None:
    """Run ``cmd`` (a console script and its arguments) under cProfile into ``stats_file``."""
    subprocess.run([python, "-c", PROFILE, str(stats_file), *cmd], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _is_inherited(func: Func) -> bool:
    """Built-ins and the standard library: their time belongs to whoever called them."""
    path = func[0]
    return (path == "~" or path.startswith("<") or
            (path.startswith(STDLIB) and "-packages" not in path))


def group_of(func: Func) -> str | None:
    """The group of a function by its file, or None when its callers decide."""
    if func[0] == "~" and any(name in func[2] for name in _WAIT_NAMES):
        return WAITING
    if _is_inherited(func):
        return None
    path = func[0].replace("\\", "/")
    return next((g for g, parts in GROUPS if any(p in path for p in parts)), OTHER)


def group_times(stats: dict[Func, Any]) -> dict[str, float]:
    """Own time per group, built-ins and standard library charged to their callers."""
    memo: dict[Func, dict[str, float]] = {}

    def mix(func: Func, seen: frozenset[Func]) -> dict[str, float]:
        """The groups ``func``'s time belongs to, as fractions adding up to 1."""
        if func in memo:
            return memo[func]
        group = group_of(func)
        if group is not None:
            return {group: 1.0}
        if func in seen:  # a cycle: this path says nothing, the others decide
            return {}
        callers = stats[func][4] if func in stats else {}
        total = sum(v[2] for v in callers.values())
        found: dict[str, float] = {}
        for caller, values in callers.items():
            weight = values[2] / total if total else 1 / len(callers)
            for g, share in mix(caller, seen | {func}).items():
                found[g] = found.get(g, 0.0) + weight * share
        known = sum(found.values())
        memo[func] = ({g: share / known for g, share in found.items()} if known
                      else {UNATTRIBUTED: 1.0})
        return memo[func]

    times: dict[str, float] = {}
    for func, (_cc, _nc, tt, _ct, _callers) in stats.items():
        for g, share in mix(func, frozenset()).items():
            times[g] = times.get(g, 0.0) + tt * share
    return times


# (file fragment, function name, what it is): cumulative times worth reading side by side.
ENTRY_POINTS = (
    ("/mkdocs/structure/pages.py", "render", "MkDocs: Python-Markdown conversion of each page"),
    ("/mkdocs/commands/build.py", "_build_page", "MkDocs: theme rendering and page events"),
    ("/search/plugin.py", "on_page_context", "search plugin: indexing each page"),
    ("/mkdocs_macros/plugin.py", "on_page_markdown", "mkdocs-macros on each page"),
    ("/opsready/pages/render.py", "generate_pages", "opsready: generated pages"),
    ("/opsready/prose/to_html.py", "render", "opsready: Markdown values of the YAML to HTML"),
    ("/opsready/policy/engine.py", "evaluate", "opsready: readiness"),
    ("/opsready/catalog/load.py", "load_catalog", "opsready: catalog load and validation"),
    ("/opsready/diagrams/", "render_site_diagrams", "opsready: diagrams"),
)


def _name(func: Func) -> str:
    path, line, name = func
    if path == "~":
        return name
    parts = Path(path).parts
    for anchor in ("site-packages", "plugins", "lib"):
        if anchor in parts:
            path = "/".join(parts[len(parts) - parts[::-1].index(anchor):])
            break
    return f"{path}:{line}:{name}"


def report(stats_file: Path, title: str, top: int = 20) -> str:
    """The Markdown report of one profile: groups (own time), then top functions."""
    stats: dict[Func, Any] = pstats.Stats(str(stats_file)).stats  # type: ignore[attr-defined]
    times = group_times(stats)
    total = sum(times.values()) or 1.0
    lines = [f"# {title}", "",
             "CPU time of the main process under cProfile (an extra, unmeasured run); groups by "
             "the file of each function (own time; built-ins and the standard library charged "
             "to their callers), so the shares add up to 100%. Worker processes are not "
             "profiled.", "",
             f"Profiled CPU time: {total:.1f} s", "",
             "| Group | Own time | Share |", "|---|---|---|"]
    for group, t in sorted(times.items(), key=lambda kv: -kv[1]):
        lines.append(f"| {group} | {t:.2f} s | {100 * t / total:.1f}% |")
    lines += ["", "## Entry points (cumulative time, overlapping)", "",
              "| What | Function | Calls | Cumulative | Share |", "|---|---|---|---|---|"]
    for fragment, function, what in ENTRY_POINTS:
        for func, (_cc, nc, _tt, ct, _callers) in stats.items():
            if function == func[2] and fragment in func[0].replace("\\", "/"):
                lines.append(f"| {what} | `{_name(func)}` | {nc:,} | {ct:.2f} s | "
                             f"{100 * ct / total:.1f}% |")
    other: dict[str, float] = {}
    for func, values in stats.items():
        if group_of(func) == OTHER:
            key = _name(func).rsplit(":", 2)[0]
            other[key] = other.get(key, 0.0) + values[2]
    largest = sorted(other.items(), key=lambda kv: -kv[1])[:8]
    if largest:
        lines += ["", f"Largest files of '{OTHER}' (own time): " +
                  ", ".join(f"`{f}` {t:.2f} s" for f, t in largest)]
    for label, index in (("cumulative", 3), ("own", 2)):
        lines += ["", f"## Top {top} functions by {label} time", "",
                  "| Function | Calls | Own | Cumulative |", "|---|---|---|---|"]
        ranked = sorted(stats.items(), key=lambda kv: -kv[1][index])[:top]
        for func, (_cc, nc, tt, ct, _callers) in ranked:
            name = _name(func).replace("|", "\\|")
            lines.append(f"| `{name}` | {nc:,} | {tt:.2f} s | {ct:.2f} s |")
    return "\n".join(lines) + "\n"

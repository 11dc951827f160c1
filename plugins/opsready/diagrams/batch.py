"""Draw many specs in parallel, collecting every error; drawings already known are reused.

Nothing here reads or writes a cache: the orchestration (``output/``) looks drawings up by
``spec_hash`` in its store, passes them as ``known`` and keeps what ``RenderReport.drawn`` holds.
A known drawing is published only when it passes the same check as a fresh one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from ..cache import pool
from ..guard.svg import svg_problems
from . import tools
from .spec import DiagramSpec, spec_hash, validate_spec

Progress = Callable[[int, int], None]


@dataclass
class RenderReport:
    """What `render_all` did: SVG per spec id, which were drawn or known, all errors."""

    svgs: dict[str, bytes] = field(default_factory=dict)
    rendered: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    """Spec ids whose known SVG failed the SVG check: drawn again."""
    hashes: dict[str, str] = field(default_factory=dict)
    """``spec_hash`` of each spec id."""
    drawn: dict[str, bytes] = field(default_factory=dict)
    """SVGs drawn by this call, by ``spec_hash`` (what an orchestration keeps)."""

    @property
    def ok(self) -> bool:
        """True when every spec has an SVG."""
        return not self.errors

    def raise_for_errors(self) -> None:
        """Raise DiagramErrors listing every failed spec, if any failed."""
        if self.errors:
            raise DiagramErrors(self.errors)


class DiagramErrors(RuntimeError):
    """Several diagrams failed; `errors` holds (spec id, message) for each."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = list(errors)
        lines = "\n".join(f"  {spec_id}: {message}" for spec_id, message in self.errors)
        super().__init__(f"{len(self.errors)} diagram(s) failed:\n{lines}")


def render_all(
    specs: Iterable[DiagramSpec],
    concurrency: int = 0,
    progress: Progress | None = None,
    timeout: float | None = None,
    known: Mapping[str, bytes] | None = None,
) -> RenderReport:
    """An SVG for every spec: ``known[spec_hash(spec)]`` when given and it passes the SVG check,
    else drawn.

    Missing SVGs are drawn on the worker threads of ``cache.pool`` (``concurrency``: 0 or
    less, one per CPU). Invalid specs and failed drawings land in `RenderReport.errors`, never
    raised one by one; call `raise_for_errors()` to fail a build. Raises GraphvizMissing only if
    something must be drawn and `dot` is absent. `progress(done, total)` is called from the
    calling thread.
    """
    known = known or {}
    specs = list(specs)
    report = RenderReport()
    seen: set[str] = set()
    todo: dict[str, list[DiagramSpec]] = {}  # hash -> specs drawn by that one rendering
    for spec in specs:
        if spec.id in seen:
            report.errors.append((spec.id, f"diagram {spec.id!r}: id used by two diagrams"))
            continue
        seen.add(spec.id)
        problems = validate_spec(spec)
        if problems:
            report.errors.append((spec.id, f"diagram {spec.id!r}: " + "; ".join(problems)))
            continue
        digest = report.hashes[spec.id] = spec_hash(spec)
        svg = known.get(digest)
        if digest not in todo and svg is not None and _publishable(svg):
            report.cached.append(spec.id)
            report.svgs[spec.id] = svg
        else:
            if svg is not None and digest not in todo:
                report.refused.append(spec.id)
            todo.setdefault(digest, []).append(spec)

    total = len(specs)
    done = total - sum(len(group) for group in todo.values())
    if progress is not None:
        progress(done, total)
    if todo and not tools.graphviz_available():
        raise tools.GraphvizMissing()
    # Threads suffice: the work is the `dot` subprocess, and render.build_dot isolates the
    # diagrams library's context variables per call.
    groups = list(todo.items())
    for (digest, group), outcome in zip(groups, pool.map_threads(
            lambda item: _draw(item[1][0], timeout), groups, pool.worker_count(concurrency)),
            strict=True):
        if isinstance(outcome, bytes):
            report.drawn[digest] = outcome
            for spec in group:
                report.rendered.append(spec.id)
                report.svgs[spec.id] = outcome
        else:
            report.errors.extend((spec.id, outcome) for spec in group)
        done += len(group)
        if progress is not None:
            progress(done, total)

    order: dict[str, int] = {}
    for index, spec in enumerate(specs):
        order.setdefault(spec.id, index)
    report.rendered.sort(key=order.__getitem__)
    report.errors.sort(key=lambda error: order.get(error[0], len(order)))
    return report


def _draw(spec: DiagramSpec, timeout: float | None) -> bytes | str:
    """The SVG of ``spec``, or the message saying why it could not be drawn."""
    from .render import DEFAULT_TIMEOUT, render_svg  # imports the diagrams library

    try:
        return render_svg(spec, timeout=timeout or DEFAULT_TIMEOUT)
    except Exception as exc:  # noqa: BLE001 - every failure is reported
        message = str(exc) or type(exc).__name__
        if not message.startswith("diagram "):
            message = f"diagram {spec.id!r}: {type(exc).__name__}: {message}"
        return message


def _publishable(svg: bytes) -> bool:
    """Whether a known SVG passes the check every published SVG passes."""
    try:
        return not svg_problems(svg.decode("utf-8"))
    except UnicodeDecodeError:
        return False

"""Render many specs into a content-addressed cache, in parallel, collecting every error."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..guard.svg import svg_problems
from ..user_cache import cache_key, sign, verify
from . import tools
from .spec import DiagramSpec, spec_hash, tool_versions, validate_spec

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
MAC_SUFFIX = ".mac"  # beside <hash>.svg: the HMAC that says this user's builds drew it

Progress = Callable[[int, int], None]


@dataclass
class RenderReport:
    """What `render_all` did: SVG path per spec id, which were drawn or cached, all errors."""

    outputs: dict[str, Path] = field(default_factory=dict)
    rendered: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    """Spec ids whose cached SVG was not used (not signed by this user, or failing the SVG
    check): drawn again."""

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
    cache_dir: Path,
    concurrency: int = 0,
    progress: Progress | None = None,
    timeout: float | None = None,
    key: bytes | None = None,
) -> RenderReport:
    """Make sure `cache_dir/<spec_hash>.svg` exists for every spec; draw only the missing ones.

    Missing SVGs are drawn on `concurrency` threads (0 or less: one per CPU). Invalid specs
    and failed drawings land in `RenderReport.errors`, never raised one by one; call
    `raise_for_errors()` to fail a build. Raises GraphvizMissing only if something must be
    drawn and `dot` is absent. `progress(done, total)` is called from the calling thread.
    Also writes `cache_dir/manifest.json` (spec id -> file) for the specs that succeeded.

    A cached SVG is used only when its HMAC (``<hash>.mac``, made with ``key``, default: this
    user's cache key) matches and it passes the same check as a fresh drawing (no script, no
    external reference); otherwise it is drawn again and listed in ``RenderReport.refused``.
    """
    key = key if key is not None else cache_key()[0]
    specs = list(specs)
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    report = RenderReport()
    hashes: dict[str, str] = {}
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
        digest = hashes[spec.id] = spec_hash(spec)
        if digest not in todo and is_trusted(cache_dir / f"{digest}.svg", key):
            report.cached.append(spec.id)
            report.outputs[spec.id] = cache_dir / f"{digest}.svg"
        else:
            if (cache_dir / f"{digest}.svg").exists() and digest not in todo:
                report.refused.append(spec.id)
            todo.setdefault(digest, []).append(spec)

    total = len(specs)
    done = total - sum(len(group) for group in todo.values())
    if progress is not None:
        progress(done, total)
    if todo and not tools.graphviz_available():
        raise tools.GraphvizMissing()
    if todo:
        workers = concurrency if concurrency > 0 else (os.cpu_count() or 1)
        # Threads suffice: the work is the `dot` subprocess, and render.build_dot isolates
        # the diagrams library's context variables per call.
        with ThreadPoolExecutor(max_workers=min(workers, len(todo))) as pool:
            futures: dict[Future[Path], list[DiagramSpec]] = {
                pool.submit(_draw, group[0], cache_dir / f"{digest}.svg", timeout, key): group
                for digest, group in todo.items()
            }
            for future in as_completed(futures):
                group = futures[future]
                try:
                    path = future.result()
                except Exception as exc:  # noqa: BLE001 - every failure is reported
                    message = str(exc) or type(exc).__name__
                    if not message.startswith("diagram "):
                        message = f"diagram {group[0].id!r}: {type(exc).__name__}: {message}"
                    report.errors.extend((spec.id, message) for spec in group)
                else:
                    for spec in group:
                        report.rendered.append(spec.id)
                        report.outputs[spec.id] = path
                done += len(group)
                if progress is not None:
                    progress(done, total)

    order: dict[str, int] = {}
    for index, spec in enumerate(specs):
        order.setdefault(spec.id, index)
    report.rendered.sort(key=order.__getitem__)
    report.errors.sort(key=lambda error: order.get(error[0], len(order)))
    _write_manifest(cache_dir, specs, report, hashes)
    return report


def _draw(spec: DiagramSpec, path: Path, timeout: float | None, key: bytes | None) -> Path:
    from .render import DEFAULT_TIMEOUT, render_svg  # imports the diagrams library

    svg = render_svg(spec, timeout=timeout or DEFAULT_TIMEOUT)
    mac = path.with_suffix(MAC_SUFFIX)
    mac.unlink(missing_ok=True)  # never an old signature beside a new drawing
    write_atomic(path, svg)
    if key is not None:
        write_atomic(mac, sign(key, path.stem.encode(), svg).encode("ascii"))
    return path


def is_trusted(path: Path, key: bytes | None) -> bool:
    """Whether the cached SVG at ``path`` was drawn by this user's builds (its HMAC matches)
    and passes the check every published SVG passes."""
    if key is None:
        return False
    try:
        svg = path.read_bytes()
        mac = path.with_suffix(MAC_SUFFIX).read_text(encoding="ascii").strip()
    except (OSError, ValueError):
        return False
    if not verify(key, mac, path.stem.encode(), svg):
        return False
    try:
        return not svg_problems(svg.decode("utf-8"))
    except UnicodeDecodeError:
        return False


def _write_manifest(
    cache_dir: Path, specs: Sequence[DiagramSpec], report: RenderReport, hashes: dict[str, str]
) -> None:
    entries = {
        spec.id: {"hash": hashes[spec.id], "file": f"{hashes[spec.id]}.svg", "title": spec.title}
        for spec in specs
        if spec.id in report.outputs
    }
    manifest = {"version": MANIFEST_VERSION, "tools": tool_versions(), "diagrams": entries}
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    write_atomic(cache_dir / MANIFEST, text.encode("utf-8"))


def read_manifest(cache_dir: Path) -> dict[str, dict[str, str]]:
    """Return the manifest's `spec id -> {hash, file, title}`; {} when absent or unreadable."""
    try:
        data = json.loads((Path(cache_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return {}
    entries = data.get("diagrams")
    return entries if isinstance(entries, dict) else {}


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a part."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, 0o644)  # mkstemp makes 0600; the site copies and serves these files
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def prune_cache(cache_dir: Path, keep: Iterable[str]) -> list[Path]:
    """Delete cached SVGs whose hash is not in `keep` (e.g. `report.outputs` stems); return them."""
    wanted = set(keep)
    removed = []
    for path in Path(cache_dir).glob("*.svg"):
        if path.stem not in wanted:
            path.unlink(missing_ok=True)
            path.with_suffix(MAC_SUFFIX).unlink(missing_ok=True)
            removed.append(path)
    return removed


def prune_unused(cache_dir: Path, used: Iterable[Path], max_age_days: float = 30,
                 now: float | None = None) -> list[Path]:
    """Mark ``used`` SVGs as used now (access time), and delete the SVGs nobody used for
    ``max_age_days``.

    Age-based rather than "not in this build": a cache shared by several sites or branches
    keeps what the others still use, and a diagram that comes back within a month is not
    drawn again.
    """
    now = time.time() if now is None else now
    for path in used:
        # The access time marks the use; the modification time keeps saying when it was drawn.
        with contextlib.suppress(OSError):
            os.utime(path, (now, path.stat().st_mtime))
    removed = []
    for path in Path(cache_dir).glob("*.svg"):
        try:
            info = path.stat()
        except OSError:
            continue
        stale = now - max(info.st_atime, info.st_mtime) > max_age_days * 86400
        if stale:
            path.unlink(missing_ok=True)
            path.with_suffix(MAC_SUFFIX).unlink(missing_ok=True)
            removed.append(path)
    return removed


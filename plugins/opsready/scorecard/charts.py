"""A tiny SVG line-chart writer for the readiness trends: static, inert, accessible.

Every chart is one ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` (the text
alternative; the page puts a data table beside it), drawn in ``currentColor`` so it follows
the page's light or dark scheme, with series told apart by dash pattern and marker shape (never
by colour alone) and named at the end of their line. No script, no style element, no external
reference: it passes ``guard.svg``. Text is at least ``MIN_FONT_PX``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

MIN_FONT_PX = 11
FONT_PX = 12
DASHES = ("", "6 3", "2 3", "8 3 2 3")
MARKERS = ("circle", "square", "triangle", "diamond")


@dataclass(frozen=True)
class Series:
    """One line: a name and a value per point (``None``: no value there)."""

    name: str
    values: Sequence[float | None]


def _nice_max(top: float) -> int:
    """The smallest ``4 * step`` at or above ``top`` with a round step: whole tick values."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000):
        if top <= step * 4:
            return step * 4
    return int(-(-top // 4000) * 4000)


def _marker(kind: str, x: float, y: float, r: float) -> str:
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"/>'
    if kind == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}"/>'
    if kind == "triangle":
        return (f'<path d="M{x:.1f} {y - r - 0.5:.1f} L{x + r:.1f} {y + r:.1f} '
                f'L{x - r:.1f} {y + r:.1f} Z"/>')
    return (f'<path d="M{x:.1f} {y - r - 0.5:.1f} L{x + r + 0.5:.1f} {y:.1f} '
            f'L{x:.1f} {y + r + 0.5:.1f} L{x - r - 0.5:.1f} {y:.1f} Z"/>')


def line_chart(chart_id: str, title: str, desc: str, labels: Sequence[str],
               series: Sequence[Series], *,
               width: int = 640, height: int = 220, small: bool = False,
               ymax: float | None = None, names: Sequence[str] | None = None) -> str:
    """An SVG line chart: ``labels`` along the x axis (dates), one line per series.
    ``chart_id`` (a slug, unique on the page) names the title and description elements.
    ``small``: a sparkline (no axes text but the last value), for a table cell. ``names``:
    words for the values 0, 1, 2... (levels), used for the last value's label."""
    uid = f"opsready-chart-{chart_id}"
    n = len(labels)
    left, right, top, bottom = (4, 56, 6, 6) if small else (44, 96, 14, 40)
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s.values if v is not None]
    top_value = ymax if ymax is not None else _nice_max(max(values, default=0))

    def x_at(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y_at(v: float) -> float:
        return top + plot_h - plot_h * v / top_value

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="opsready-chart" role="img" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
           f'aria-labelledby="{uid}-t {uid}-d" font-family="sans-serif" '
           f'font-size="{FONT_PX}" fill="currentColor" stroke="none">',
           f'<title id="{uid}-t">{escape(title)}</title>',
           f'<desc id="{uid}-d">{escape(desc)}</desc>']
    # Axes and grid: thin, half-transparent currentColor.
    out.append(f'<g stroke="currentColor" stroke-opacity="0.35" stroke-width="1">'
               f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" '
               f'y2="{top + plot_h}"/>')
    if not small:
        for k in range(5):
            y = y_at(top_value * k / 4)
            out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
                       'stroke-dasharray="1 3"/>')
    out.append("</g>")
    if not small:
        for k in range(5):
            v = top_value * k / 4
            out.append(f'<text x="{left - 6}" y="{y_at(v) + 4:.1f}" text-anchor="end">'
                       f'{v:g}</text>')
        shown = sorted({0, n - 1, *range(0, n, max(1, (n + 5) // 6))}) if n else []
        last_x = -1e9
        for i in shown:
            x = x_at(i)
            if i not in (0, n - 1) and (x - last_x < 70 or x_at(n - 1) - x < 70):
                continue
            anchor = "start" if i == 0 and n > 1 else "end" if i == n - 1 and n > 1 else "middle"
            out.append(f'<text x="{x:.1f}" y="{top + plot_h + 18}" text-anchor="{anchor}">'
                       f'{escape(labels[i])}</text>')
            last_x = x
    end_labels: list[tuple[float, str]] = []
    for k, s in enumerate(series):
        dash = DASHES[k % len(DASHES)]
        points = [(x_at(i), y_at(v)) for i, v in enumerate(s.values) if v is not None]
        if not points:
            continue
        path = " ".join(f"{'M' if j == 0 else 'L'}{x:.1f} {y:.1f}"
                        for j, (x, y) in enumerate(points))
        out.append(f'<path d="{path}" fill="none" stroke="currentColor" '
                   f'stroke-width="{1.5 if small else 2}"'
                   + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
        r = 2.0 if small else 3.0
        if small or len(points) <= 60:
            marks = points if not small else points[-1:]
            out.append("<g>" + "".join(_marker(MARKERS[k % len(MARKERS)], x, y, r)
                                       for x, y in marks) + "</g>")
        last = next(v for v in reversed(s.values) if v is not None)
        value = names[int(last)] if names and 0 <= int(last) < len(names) else f"{last:g}"
        end_labels.append((points[-1][1], f"{s.name} {value}" if not small else value))
    # Line-end labels, pushed apart so they never overlap.
    placed: list[float] = []
    for y, text in sorted(end_labels):
        y = max(y + 4, (placed[-1] + FONT_PX + 1) if placed else y + 4)
        placed.append(y)
        out.append(f'<text x="{left + plot_w + 6}" y="{y:.1f}">{escape(text)}</text>')
    out.append("</svg>")
    return "".join(out)


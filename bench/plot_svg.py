"""A small line plot as a self-contained SVG (no plotting library): one line per series.

Used by the benchmarks to put their figures into the docs; the SVG carries a title and a
description for screen readers, and the docs page gives the same numbers as a table.
"""

from __future__ import annotations

from html import escape

WIDTH, HEIGHT = 640, 360
LEFT, RIGHT, TOP, BOTTOM = 60, 170, 30, 45
# Distinct for the common kinds of colour blindness (Okabe-Ito), each line also dashed its way.
COLOURS = ("#0072B2", "#56B4E9", "#D55E00", "#E69F00", "#009E73", "#CC79A7", "#000000")
DASHES = ("", "6 3", "", "6 3", "2 2", "8 3 2 3", "1 3")


def style(i: int) -> tuple[str, str]:
    """Colour and dash pattern of the ``i``-th series: no two of the first 14 alike."""
    return COLOURS[i % len(COLOURS)], DASHES[(i + i // len(COLOURS)) % len(DASHES)]


def _ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top``."""
    raw = top / count if top > 0 else 1
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 0.1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [step * k for k in range(int(top / step) + 2) if step * (k - 1) < top]


def line_plot(series: dict[str, list[tuple[float, float]]], title: str, x_label: str,
              y_label: str) -> str:
    """An SVG plot of every series (name -> [(x, y), ...]) on linear axes from 0."""
    points = [p for values in series.values() for p in values]
    x_ticks = _ticks(max(x for x, _ in points))
    y_ticks = _ticks(max(y for _, y in points))
    x_max, y_max = x_ticks[-1], y_ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def sx(x: float) -> float:
        return LEFT + plot_w * x / x_max

    def sy(y: float) -> float:
        return TOP + plot_h * (1 - y / y_max)

    desc = "; ".join(f"{name}: " + ", ".join(f"{x:g} -> {y:.1f}" for x, y in values)
                     for name, values in series.items())
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'width="{WIDTH}" height="{HEIGHT}" role="img" font-family="sans-serif" '
           'font-size="12">',
           f"<title>{escape(title)}</title>", f"<desc>{escape(desc)}</desc>",
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
           f'<text x="{LEFT}" y="18" font-size="14">{escape(title)}</text>']
    for t in x_ticks:
        out.append(f'<line x1="{sx(t):.1f}" y1="{TOP}" x2="{sx(t):.1f}" y2="{TOP + plot_h}" '
                   'stroke="#dddddd"/>')
        out.append(f'<text x="{sx(t):.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">'
                   f"{t:g}</text>")
    for t in y_ticks:
        out.append(f'<line x1="{LEFT}" y1="{sy(t):.1f}" x2="{LEFT + plot_w}" y2="{sy(t):.1f}" '
                   'stroke="#dddddd"/>')
        out.append(f'<text x="{LEFT - 6}" y="{sy(t) + 4:.1f}" text-anchor="end">{t:g}</text>')
    out.append(f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 8}" text-anchor="middle">'
               f"{escape(x_label)}</text>")
    out.append(f'<text transform="translate(14 {TOP + plot_h / 2}) rotate(-90)" '
               f'text-anchor="middle">{escape(y_label)}</text>')
    for i, (name, values) in enumerate(series.items()):
        colour, dash = style(i)
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in sorted(values))
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                   f'stroke-width="2"{dashed}/>')
        for x, y in values:
            out.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3" fill="{colour}"/>')
        ly = TOP + 10 + 18 * i
        out.append(f'<line x1="{WIDTH - RIGHT + 12}" y1="{ly}" x2="{WIDTH - RIGHT + 36}" '
                   f'y2="{ly}" stroke="{colour}" stroke-width="2"{dashed}/>')
        out.append(f'<text x="{WIDTH - RIGHT + 42}" y="{ly + 4}">{escape(name)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"

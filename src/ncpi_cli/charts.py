"""Charts as plain SVG markup, and bars of block characters for the terminal.

No plotting library: the charts are a handful of rectangles, so generating them keeps the
report self-contained and start-up light. Grades are told apart by lightness (light = good,
dark = inadequate, readable in greyscale and by colour-blind readers), by a hatch on the
worst grade, and by the counts written on the bars; every chart has a title and a text
description, and the report prints the same figures as a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from . import domain

#: one blue hue, light to dark: ordered like the grades, distinct in greyscale
FILL = {"good": "#deebf7", "adequate": "#9ecae1", "requires_improvement": "#4292c6",
        "inadequate": "#08306b"}
INK = {"good": "#000000", "adequate": "#000000", "requires_improvement": "#ffffff",
       "inadequate": "#ffffff"}
#: terminal glyphs, light to dark, so bars read without colour
GLYPH = {"good": "░", "adequate": "▒", "requires_improvement": "▓", "inadequate": "█"}
STYLE = {"good": "cyan", "adequate": "bright_blue", "requires_improvement": "blue",
         "inadequate": "magenta"}

#: shared definitions, placed once per document in a hidden SVG
DEFS = ('<svg width="0" height="0" aria-hidden="true" style="position:absolute"><defs>'
        '<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" '
        'stroke-width="1.5" stroke-opacity="0.55"/></pattern></defs></svg>')


def split_cells(counts: Sequence[int], width: int) -> list[int]:
    """Whole cells per count, summing to `width` (largest remainder), 0 for a zero count."""
    total = sum(counts)
    if total == 0:
        return [0] * len(counts)
    exact = [c * width / total for c in counts]
    cells = [int(x) for x in exact]
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - cells[i]), i))
    for i in order[: width - sum(cells)]:
        cells[i] += 1
    return cells


def text_bar(counts: dict[str, int], scale: Sequence[str], width: int = 20) -> list[tuple]:
    """(text, style) pieces of a terminal bar; styles are used only where colour is."""
    cells = split_cells([counts.get(g, 0) for g in scale], width)
    return [(GLYPH[g] * n, STYLE[g]) for g, n in zip(scale, cells) if n]


def round_ticks(n: int, most: int = 6) -> list[int]:
    """Axis ticks at a round step (1, 2, 5, 10, 20, 25, 50, ...) from 0 to at most n."""
    step = 1
    for scale in (1, 10, 100, 1000, 10_000, 100_000):
        step = next((s * scale for s in (1, 2, 2.5, 5) if n / (s * scale) <= most
                     and float(s * scale).is_integer()), 0)
        if step:
            break
    step = int(step) or max(n, 1)
    return list(range(0, n + 1, step))


def _rect(x: float, y: float, w: float, h: float, grade: str) -> str:
    rect = (f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
            f'fill="{FILL[grade]}" stroke="#ffffff" stroke-width="1"/>')
    if grade == "inadequate":
        rect += (f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
                 f'fill="url(#hatch)"/>')
    return rect


def legend(scale: Sequence[str], y: float = 14) -> str:
    parts, x = [], 0.0
    for grade in scale:
        label = domain.GRADE_LABELS[grade]
        parts.append(_rect(x, y - 11, 14, 14, grade))
        parts.append(f'<text x="{x + 19:.1f}" y="{y:.1f}" class="legend">{escape(label)}</text>')
        x += 26 + 7.2 * len(label)
    return "".join(parts)


def _head(ident: str, width: int, height: int, title: str, description: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" '
            f'aria-labelledby="{ident}-t {ident}-d"><title id="{ident}-t">{escape(title)}'
            f'</title><desc id="{ident}-d">{escape(description)}</desc>')


def stacked_bars(ident: str, title: str, description: str,
                 rows: Sequence[tuple[str, dict[str, int]]], scale: Sequence[str],
                 label_width: int = 190, bar_width: int = 380) -> str:
    """Horizontal 100% stacked bars, one per row, with each count written on its segment."""
    row_h, gap, top = 24, 10, 36
    height = top + len(rows) * (row_h + gap) + 24
    width = label_width + bar_width + 70
    out = [_head(ident, width, height, title, description), legend(scale)]
    for tick in (0, 25, 50, 75, 100):
        x = label_width + bar_width * tick / 100
        out.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" '
                   f'y2="{height - 20}" class="grid"/>')
        out.append(f'<text x="{x:.1f}" y="{height - 6}" class="tick">{tick}%</text>')
    for i, (label, counts) in enumerate(rows):
        y = top + i * (row_h + gap)
        total = sum(counts.get(g, 0) for g in scale)
        out.append(f'<text x="{label_width - 8}" y="{y + 16}" class="label">'
                   f'{escape(label)}</text>')
        x = float(label_width)
        for grade in scale:
            count = counts.get(grade, 0)
            if not count:
                continue
            w = bar_width * count / total
            out.append(_rect(x, y, w, row_h, grade))
            if w >= 16:
                out.append(f'<text x="{x + w / 2:.1f}" y="{y + 16}" class="count" '
                           f'fill="{INK[grade]}">{count}</text>')
            x += w
        out.append(f'<text x="{label_width + bar_width + 8}" y="{y + 16}" class="total">'
                   f'n = {total}</text>')
    out.append("</svg>")
    return "".join(out)


def ranges(ident: str, title: str, description: str,
           rows: Sequence[tuple[str, int | float, int | float, int | float | None]],
           n: int, label_width: int = 250, axis_width: int = 330) -> str:
    """Intervals on a 0..n axis: (label, low, high, point). A published pairing is a range
    (low to high, no point); a case-level figure is a point with its 95% interval."""
    row_h, top = 30, 14
    height = top + len(rows) * row_h + 30
    width = label_width + axis_width + 190
    out = [_head(ident, width, height, title, description)]

    def at(value: float) -> float:
        return label_width + (axis_width * value / n if n else 0)

    for tick in round_ticks(n):
        out.append(f'<line x1="{at(tick):.1f}" y1="{top - 6}" x2="{at(tick):.1f}" '
                   f'y2="{height - 22}" class="grid"/>')
        out.append(f'<text x="{at(tick):.1f}" y="{height - 8}" class="tick">{tick}</text>')
    for i, (label, low, high, point) in enumerate(rows):
        y = top + i * row_h + 8
        out.append(f'<text x="{label_width - 10}" y="{y + 5}" class="label">'
                   f'{escape(label)}</text>')
        out.append(f'<line x1="{at(low):.1f}" y1="{y}" x2="{at(high):.1f}" y2="{y}" '
                   f'class="range"/>')
        for end in (low, high):
            out.append(f'<line x1="{at(end):.1f}" y1="{y - 7}" x2="{at(end):.1f}" '
                       f'y2="{y + 7}" class="range"/>')
        if point is not None:
            out.append(f'<circle cx="{at(point):.1f}" cy="{y}" r="5" class="point"/>')
            text = f"{point:g} (95% CI {low:g}–{high:g})"
        else:
            text = f"{low:g}–{high:g}"
        out.append(f'<text x="{at(n) + 8:.1f}" y="{y + 5}" class="total">{text}</text>')
    out.append("</svg>")
    return "".join(out)


def funnel(ident: str, title: str, description: str,
           points: Sequence[tuple[str, int, float]],
           curves: Sequence[tuple[int, float, float, float, float]],
           pooled: float, adjusted: Sequence[tuple[int, float, float, float, float]] = (),
           width: int = 640, height: int = 400) -> str:
    """A funnel plot: each point (label, n, %) against the pooled % and its control limits
    for every n (curves: n, low95, high95, low998, high998, in %); the adjusted limits, if
    given, dashed. Points are numbered; the report's table gives each number's figures."""
    left, right, top, bottom = 52, 20, 16, 44
    most = max([n for _, n, _ in points] + [c[0] for c in curves] + [1])
    x_max = max(round_ticks(int(most * 1.05) + 1)[-1], int(most * 1.05) + 1)
    shares = [p for _, _, p in points] + [v for c in curves for v in c[1:]]
    y_max = min(100.0, max(10.0, (max(shares) // 10 + 1) * 10))

    def at(n: float, share: float) -> tuple[float, float]:
        return (left + (width - left - right) * n / x_max,
                top + (height - top - bottom) * (1 - share / y_max))

    out = [_head(ident, width, height, title, description)]
    for tick in round_ticks(x_max):
        x, _ = at(tick, 0)
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - bottom}" '
                   f'class="grid"/><text x="{x:.1f}" y="{height - bottom + 16}" '
                   f'class="tick">{tick}</text>')
    for tick in range(0, int(y_max) + 1, 10 if y_max > 40 else 5):
        _, y = at(0, tick)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
                   f'class="grid"/><text x="{left - 6}" y="{y + 4:.1f}" class="label">'
                   f'{tick}%</text>')
    out.append(f'<text x="{(left + width - right) / 2:.1f}" y="{height - 8}" class="tick">'
               f'cases graded (n)</text>')

    def path(series: Sequence[tuple[int, float]], style: str) -> str:
        spots = " ".join(f"{x:.1f},{y:.1f}" for x, y in (at(n, v) for n, v in series))
        return f'<polyline points="{spots}" fill="none" {style}/>'

    solid = 'stroke="#08306b" stroke-width="1.5"'
    faint = 'stroke="#4292c6" stroke-width="1.5"'
    dashed = 'stroke="#b2182b" stroke-width="1.2" stroke-dasharray="5 4"'
    for index, style in ((1, faint), (2, faint), (3, solid), (4, solid)):
        out.append(path([(c[0], c[index]) for c in curves], style))
    for index in (1, 2, 3, 4):
        if adjusted:
            out.append(path([(c[0], c[index]) for c in adjusted], dashed))
    x0, y0 = at(0, pooled)
    x1, _ = at(x_max, pooled)
    out.append(f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y0:.1f}" '
               f'stroke="#333" stroke-width="1"/>')
    spots = [at(n, share) for _, n, share in points]
    numbers = [str(number) for number in range(1, len(points) + 1)]
    for (label, n, share), (x, y), number, (lx, ly) in zip(points, spots, numbers,
                                                         place_labels(spots, numbers)):
        out.append(f'<g><title>{escape(label)}: {share:g}% of {n}</title>'
                   f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" class="point"/>'
                   f'<text x="{lx:.1f}" y="{ly:.1f}" class="total">{number}</text></g>')
    out.append("</svg>")
    return "".join(out)


#: a label's size (a digit of the `total` text is about 7 px wide, 11 px high)
DIGIT, LINE = 7.0, 11.0
#: where a label may go relative to its point (left edge, baseline), nearest first
NEAR = ((6, -5), (6, 14), (-6, -5), (-6, 14), (6, -16), (-6, -16), (6, 25), (-6, 25),
        (18, 4), (-18, 4), (6, -27), (6, 36))


def place_labels(spots: Sequence[tuple[float, float]],
                 texts: Sequence[str]) -> list[tuple[float, float]]:
    """Where each point's label goes (left edge, baseline): the nearest of a few places
    beside its point where it covers no point and no label placed before it; where every
    place is taken, the first (each point also has a tooltip and a row in the table)."""
    def box(x: float, y: float, text: str, dx: float, dy: float) -> tuple[float, ...]:
        w = DIGIT * len(text)
        left = x + dx if dx > 0 else x + dx - w
        return left, y + dy - LINE, left + w, y + dy

    def overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    dots = [(x - 4, y - 4, x + 4, y + 4) for x, y in spots]
    taken: list[tuple[float, ...]] = []
    placed = []
    for (x, y), text in zip(spots, texts):
        options = [box(x, y, text, dx, dy) for dx, dy in NEAR]
        chosen = next((b for b in options if not any(overlaps(b, o) for o in taken + dots)),
                      options[0])
        taken.append(chosen)
        placed.append((chosen[0], chosen[3]))
    return placed


def dumbbell(ident: str, title: str, description: str,
             rows: Sequence[tuple[str, float, float]], label_width: int = 260,
             axis_width: int = 340) -> str:
    """Before and after on a 0-100% axis, one row each (label, initial %, later %): a hollow
    dot for the inspection, a filled one for what followed, joined by a line."""
    row_h, top = 26, 14
    height = top + len(rows) * row_h + 30
    width = label_width + axis_width + 40
    out = [_head(ident, width, height, title, description)]

    def at(share: float) -> float:
        return label_width + axis_width * share / 100

    for tick in (0, 25, 50, 75, 100):
        out.append(f'<line x1="{at(tick):.1f}" y1="{top - 6}" x2="{at(tick):.1f}" '
                   f'y2="{height - 22}" class="grid"/><text x="{at(tick):.1f}" '
                   f'y="{height - 8}" class="tick">{tick}%</text>')
    for i, (label, before, after) in enumerate(rows):
        y = top + i * row_h + 6
        out.append(f'<text x="{label_width - 10}" y="{y + 4}" class="label">{escape(label)}'
                   f'</text><line x1="{at(before):.1f}" y1="{y}" x2="{at(after):.1f}" '
                   f'y2="{y}" class="range"/><circle cx="{at(before):.1f}" cy="{y}" r="5" '
                   f'class="point"/><circle cx="{at(after):.1f}" cy="{y}" r="5" '
                   f'fill="#08306b"/>')
    out.append("</svg>")
    return "".join(out)

"""The inject timeline as inline SVG: one row per inject, one mark per thing that happened."""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape

from drilltui.report.model import InjectTimeline, Report
from drilltui.scenario import format_drill_time

WIDTH = 960
LEFT = 150  # room for the inject ids
RIGHT = 44  # room for the last tick label
TOP = 16
ROW = 28
AXIS = 44  # tick labels and the axis title under the rows
LEGEND = 34
STEPS = (60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400)

# Each kind has its own shape, so the chart reads without colour (and in print);
# the colours are the Okabe-Ito palette, told apart by most colour-blind readers.
KINDS = (
    ("release", "Released", "#0072B2"),
    ("ack", "Acknowledged", "#009E73"),
    ("escalation", "Escalated", "#E69F00"),
    ("expiry", "Deadline missed", "#D55E00"),
    ("resolve", "Resolved", "#7E3F8F"),
)
COLOUR = {k: c for k, _, c in KINDS}


def _hhmm(seconds: float) -> str:
    return format_drill_time(seconds)[:-3]  # T+HH:MM


def _shape(kind: str, x: float, y: float) -> str:
    c = COLOUR[kind]
    if kind == "release":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5.5" fill="{c}"/>'
    if kind == "ack":
        return f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="{c}"/>'
    if kind == "escalation":
        return f'<polygon points="{x:.1f},{y - 7:.1f} {x + 6.5:.1f},{y + 5:.1f} {x - 6.5:.1f},{y + 5:.1f}" fill="{c}"/>'
    if kind == "expiry":
        # Drawn above the row line: a deadline escalation happens at the same moment.
        y -= 9
        return (f'<path d="M{x - 4:.1f},{y - 4:.1f} L{x + 4:.1f},{y + 4:.1f} M{x - 4:.1f},{y + 4:.1f} '
                f'L{x + 4:.1f},{y - 4:.1f}" stroke="{c}" stroke-width="2.5" fill="none"/>')
    return f'<polygon points="{x:.1f},{y - 6.5:.1f} {x + 6.5:.1f},{y:.1f} {x:.1f},{y + 6.5:.1f} {x - 6.5:.1f},{y:.1f}" fill="{c}"/>'


def _mark(kind: str, x: float, y: float, title: str) -> str:
    return f'<g class="mark mark-{kind}" data-mark="{kind}"><title>{escape(title)}</title>{_shape(kind, x, y)}</g>'


def marks(t: InjectTimeline, title: Callable[[str], str] = str) -> list[tuple[str, float, str]]:
    """Every mark of one inject's row as (kind, drill time, tooltip); `title` names a role."""
    out: list[tuple[str, float, str]] = []
    if t.release is None:
        return out
    r = t.release
    out.append(("release", r.at.drill_time, f"{t.id} released {r.at.clock} ({r.via}) to {title(r.to_role)}"))
    for ex in t.expirations:
        out.append(("expiry", ex.at.drill_time, f"{t.id}: {title(ex.role)} missed its deadline {ex.deadline.clock}"))
    for up in t.escalations:
        out.append(("escalation", up.at.drill_time,
                    f"{t.id} escalated {up.at.clock} from {title(up.from_role)} to {title(up.to_role)} (level {up.level}, {up.reason})"))
    for a in t.acknowledgements:
        out.append(("ack", a.at.drill_time, f"{t.id} acknowledged {a.at.clock} by {a.by} ({title(a.role)})"))
    if t.resolution is not None:
        s = t.resolution
        out.append(("resolve", s.at.drill_time, f"{t.id} resolved {s.at.clock} by {s.by} ({title(s.role)})"))
    return out


DODGE = (0.0, 10.0, -10.0, 5.0, -5.0)  # vertical offsets for marks that would land on one another


def dodged(row: list[tuple[str, float, str]], x_of: Callable[[float], float]) -> list[tuple[str, float, float, str]]:
    """Each mark as (kind, x, vertical offset, tooltip): marks closer than a mark's width share a slot and stack."""
    out = []
    taken: dict[tuple[bool, int], int] = {}  # (in the deadline band, slot) -> marks already there
    for kind, at, title in row:
        x = x_of(at)
        band = (kind == "expiry", round(x / 11))
        n = max(taken.get((band[0], band[1] + d), 0) for d in (-1, 0, 1))
        taken[band] = n + 1
        out.append((kind, x, 0.0 if kind == "expiry" else DODGE[n % len(DODGE)], title))
    return out


def _scale(report: Report) -> tuple[float, int]:
    """The axis end (a whole number of ticks) and the tick step, both in seconds."""
    latest = max([report.overview.drill_seconds, *(m[1] for t in report.injects for m in marks(t))], default=0.0)
    latest = max(latest, 60.0)
    step = next((s for s in STEPS if latest / s <= 10), STEPS[-1])
    return math.ceil(latest / step) * step, step


def timeline_svg(report: Report) -> str:
    """The chart as an `<svg>` element, every text escaped, with a legend and T+HH:MM axis."""
    end, step = _scale(report)
    rows = report.injects
    plot_w = WIDTH - LEFT - RIGHT
    axis_y = TOP + ROW * max(len(rows), 1)
    height = axis_y + AXIS + LEGEND

    def x_of(t: float) -> float:
        return LEFT + plot_w * t / end

    # Inline SVG in HTML needs no xmlns, which keeps the file free of any URL.
    out = [
        (f'<svg class="timeline" viewBox="0 0 {WIDTH} {height}" '
         f'width="100%" role="img" aria-labelledby="chart-title chart-desc">'),
        '<title id="chart-title">Timeline of injects</title>',
        ('<desc id="chart-desc">One row per inject along drill time: a circle where it was released, a square '
         'where it was acknowledged, a triangle where it was escalated, a cross where a deadline was missed and '
         'a diamond where it was resolved. The inject table carries the same figures.</desc>'),
    ]
    for k in range(int(end // step) + 1):
        x = x_of(k * step)
        out.append(f'<line class="grid" x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{axis_y}"/>')
        out.append(f'<text class="tick" x="{x:.1f}" y="{axis_y + 16}" text-anchor="middle">{_hhmm(k * step)}</text>')
    out.append(f'<line class="axis" x1="{LEFT}" y1="{axis_y}" x2="{WIDTH - RIGHT}" y2="{axis_y}"/>')
    out.append(f'<text class="axis-title" x="{LEFT + plot_w / 2:.1f}" y="{axis_y + 34}" text-anchor="middle">'
               'Drill time (T+HH:MM)</text>')
    for i, t in enumerate(rows):
        y = TOP + ROW * i + ROW / 2
        out.append(f'<g class="row" data-inject="{escape(t.id)}">')
        out.append(f'<text class="label" x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end"><title>{escape(t.title)}</title>'
                   f'{escape(t.id)}</text>')
        if t.release is None:
            out.append(f'<text class="not-reached" x="{LEFT + 6}" y="{y + 4:.1f}">not reached</text>')
        else:
            stop = t.resolution.at.drill_time if t.resolution else report.overview.drill_seconds
            out.append(f'<line class="life" x1="{x_of(t.release.at.drill_time):.1f}" y1="{y:.1f}" '
                       f'x2="{x_of(max(stop, t.release.at.drill_time)):.1f}" y2="{y:.1f}"/>')
            for kind, x, dy, title in dodged(marks(t, report.role_title), x_of):
                out.append(_mark(kind, x, y + dy, title))
        out.append("</g>")
    ly = axis_y + AXIS + LEGEND / 2
    out.append('<g class="legend">')
    lx = float(LEFT)
    for kind, label, _ in KINDS:
        out.append(f'<g data-legend="{kind}">{_shape(kind, lx + 6, ly + (9 if kind == "expiry" else 0))}'
                   f'<text x="{lx + 16:.1f}" y="{ly + 4:.1f}">{escape(label)}</text></g>')
        lx += 30 + 8 * len(label)
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)

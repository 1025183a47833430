"""The report's pictures as inline SVG: expectations per objective, time to acknowledge per role, activity over time.

Each picture is colour-blind safe (the Okabe-Ito palette, and a shape or a
pattern for every series, so it also reads in grey print), carries a text
alternative (`<title>` and `<desc>`), and has its numbers in a table beside it.
"""

from __future__ import annotations

import statistics
from html import escape

from drilltui.report.model import Report
from drilltui.scenario import format_drill_time, format_duration

WIDTH = 640
LEFT = 150
RIGHT = 30
ROW = 26

# Status of an expectation -> (label, colour, SVG pattern id or "" for solid).
STATUSES = (
    ("met", "Met", "#009E73", ""),
    ("partial", "Partly met", "#F0E442", "hatch"),
    ("not_met", "Not met", "#D55E00", "cross"),
    ("missed", "Missed", "#CC79A7", "dots"),
    ("open", "Open", "#FFFFFF", "open"),
)


def _svg(kind: str, height: int, title: str, desc: str, body: list[str]) -> str:
    head = (f'<svg class="chart chart-{kind}" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
            f'aria-labelledby="{kind}-title {kind}-desc">')
    return "\n".join([head, f'<title id="{kind}-title">{escape(title)}</title>',
                      f'<desc id="{kind}-desc">{escape(desc)}</desc>', *body, "</svg>"])


def _patterns() -> str:
    return ('<defs>'
            '<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            '<rect width="6" height="6" fill="#F0E442"/><line x1="0" y1="0" x2="0" y2="6" stroke="#222" stroke-width="1.5"/>'
            '</pattern>'
            '<pattern id="cross" width="8" height="8" patternUnits="userSpaceOnUse">'
            '<rect width="8" height="8" fill="#D55E00"/><path d="M0,0 L8,8 M8,0 L0,8" stroke="#fff" stroke-width="1.2"/>'
            '</pattern>'
            '<pattern id="dots" width="6" height="6" patternUnits="userSpaceOnUse">'
            '<rect width="6" height="6" fill="#CC79A7"/><circle cx="3" cy="3" r="1.3" fill="#222"/></pattern>'
            '</defs>')


def _fill(status: str) -> str:
    _, _, colour, pattern = next(s for s in STATUSES if s[0] == status)
    return f"url(#{pattern})" if pattern and pattern != "open" else colour


def expectations_svg(r: Report) -> str:
    """One stacked bar per objective: its expectations met, partly met, not met, missed and open."""
    rows = []
    for o in r.objectives:
        xs = [r.expectation(x) for x in o.expectations]
        rows.append((o.id, [sum(1 for x in xs if x and x.status == s) for s, *_ in STATUSES]))
    most = max([sum(c) for _, c in rows] + [1])
    plot = WIDTH - LEFT - RIGHT - 40
    height = 20 + ROW * max(len(rows), 1) + 40
    body = [_patterns()]
    for i, (oid, counts) in enumerate(rows):
        y = 14 + ROW * i
        body.append(f'<text x="{LEFT - 8}" y="{y + 14}" text-anchor="end">{escape(oid)}</text>')
        x = float(LEFT)
        for (status, label, _, _), n in zip(STATUSES, counts):
            if not n:
                continue
            w = plot * n / most
            body.append(f'<rect class="bar bar-{status}" x="{x:.1f}" y="{y}" width="{w:.1f}" height="18" '
                        f'fill="{_fill(status)}" stroke="#222" stroke-width="1"><title>{escape(oid)}: {n} '
                        f'{escape(label.lower())}</title></rect>')
            x += w
        body.append(f'<text x="{x + 6:.1f}" y="{y + 14}">{sum(counts)}</text>')
    ly = height - 18
    lx = float(LEFT)
    for status, label, _, _ in STATUSES:
        body.append(f'<rect x="{lx:.1f}" y="{ly - 10}" width="14" height="12" fill="{_fill(status)}" stroke="#222"/>'
                    f'<text x="{lx + 19:.1f}" y="{ly}">{escape(label)}</text>')
        lx += 30 + 8 * len(label)
    total = ", ".join(f"{oid}: {c[0]} of {sum(c)} met" for oid, c in rows)
    return _svg("expectations", height, "Expectations per objective",
                f"A stacked bar per objective of its expectations met, partly met, not met, missed and open. {total}. "
                "The table beside carries the same numbers.", body)


def ack_rows(r: Report) -> list[tuple[str, list[tuple[float, float | None]], float]]:
    """Per role that acknowledged something: (title, [(seconds to acknowledge, the deadline it had)], median)."""
    marks: dict[str, list[tuple[float, float | None]]] = {}
    for t in r.injects:
        for a in t.acknowledgements:
            deadline = None
            if t.release is not None and a.received == t.release.at and t.release.deadline is not None:
                deadline = t.release.deadline.drill_time - a.received.drill_time
            for x in t.escalations:
                if x.at == a.received and x.deadline is not None:
                    deadline = x.deadline.drill_time - a.received.drill_time
            marks.setdefault(a.holder, []).append((a.since_received_seconds, deadline))
    out: list[tuple[str, list[tuple[float, float | None]], float]] = []
    for role in [p.role for p in r.overview.participants] + [x for x in marks if r.role_title(x) == x]:
        if role in marks:
            seconds = [m for m, _ in marks[role]]
            out.append((r.role_title(role), marks.pop(role), float(round(statistics.median(seconds), 6))))
    return out


def ack_svg(r: Report) -> str:
    """One row per role: a mark for each item's time to acknowledge, the deadline drawn as a dashed line."""
    rows = ack_rows(r)
    longest = max([m for _, ms, _ in rows for m, _ in ms] + [d for _, ms, _ in rows for _, d in ms if d] + [60.0])
    end = longest * 1.1
    plot = WIDTH - LEFT - RIGHT
    height = 16 + ROW * max(len(rows), 1) + 56

    def x_of(s: float) -> float:
        return LEFT + plot * s / end

    body = []
    axis_y = 16 + ROW * max(len(rows), 1)
    for k in range(5):
        s = end * k / 4
        body.append(f'<line x1="{x_of(s):.1f}" y1="10" x2="{x_of(s):.1f}" y2="{axis_y}" stroke="#e4e7ea"/>'
                    f'<text x="{x_of(s):.1f}" y="{axis_y + 16}" text-anchor="middle">{format_duration(round(s))}</text>')
    for i, (title, marks, _median) in enumerate(rows):
        y = 16 + ROW * i + ROW / 2
        body.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{escape(title[:22])}</text>')
        for line in dict.fromkeys(d for _, d in marks if d is not None):
            body.append(f'<line class="deadline" x1="{x_of(line):.1f}" y1="{y - 10:.1f}" x2="{x_of(line):.1f}" y2="{y + 10:.1f}" '
                        f'stroke="#D55E00" stroke-width="2" stroke-dasharray="4 2"><title>deadline '
                        f'{format_duration(round(line))}</title></line>')
        seen: dict[int, int] = {}
        for m, d in sorted(marks, key=lambda md: (md[0], md[1] is None, md[1] or 0.0)):
            late = d is not None and m > d
            slot = round(x_of(m) / 6)
            dy = 7 * seen.get(slot, 0) * (-1 if seen.get(slot, 0) % 2 else 1)  # marks at one time stack, never hide
            seen[slot] = seen.get(slot, 0) + 1
            shape = (f'<rect x="{x_of(m) - 4.5:.1f}" y="{y + dy - 4.5:.1f}" width="9" height="9" fill="#D55E00"/>' if late
                     else f'<circle cx="{x_of(m):.1f}" cy="{y + dy:.1f}" r="4.5" fill="#0072B2"/>')
            body.append(f'<g class="ack-mark"><title>{escape(title)}: acknowledged after {format_duration(round(m))}'
                        f'{" (late)" if late else ""}</title>{shape}</g>')
    ly = height - 14
    body.append(f'<circle cx="{LEFT + 5}" cy="{ly - 4}" r="4.5" fill="#0072B2"/><text x="{LEFT + 14}" y="{ly}">in time</text>'
                f'<rect x="{LEFT + 80}" y="{ly - 8.5}" width="9" height="9" fill="#D55E00"/>'
                f'<text x="{LEFT + 94}" y="{ly}">late</text>'
                f'<line x1="{LEFT + 140}" y1="{ly - 10}" x2="{LEFT + 140}" y2="{ly + 2}" stroke="#D55E00" stroke-width="2" '
                f'stroke-dasharray="4 2"/><text x="{LEFT + 148}" y="{ly}">deadline</text>')
    text = "; ".join(f"{t}: median {format_duration(round(md or 0))} over {len(ms)}" for t, ms, md in rows) or "none"
    return _svg("ack", height, "Time to acknowledge per role",
                f"For each role, a mark per item at the time it took to acknowledge it (a circle in time, a square "
                f"late) and its deadline as a dashed line. {text}. The table beside carries the same numbers.", body)


def activity_points(r: Report) -> list[tuple[float, int, int]]:
    """(drill time, open items, escalations so far) at every moment either changes."""
    changes: dict[float, list[int]] = {}
    for t in r.injects:
        if t.release is not None:
            changes.setdefault(t.release.at.drill_time, [0, 0])[0] += 1
        if t.resolution is not None:
            changes.setdefault(t.resolution.at.drill_time, [0, 0])[0] -= 1
        for x in t.escalations:
            changes.setdefault(x.at.drill_time, [0, 0])[1] += 1
    out, open_, ups = [], 0, 0
    for at in sorted(changes):
        open_ += changes[at][0]
        ups += changes[at][1]
        out.append((at, open_, ups))
    return out


def activity_svg(r: Report) -> str:
    """Open items (a solid step line with circles) and escalations so far (a dashed one with triangles) over drill time."""
    points = activity_points(r)
    end = max([r.overview.drill_seconds, 60.0] + [t for t, _, _ in points])
    top = max([n for _, n, _ in points] + [e for _, _, e in points] + [1])
    plot_w, plot_h, y0 = WIDTH - LEFT - RIGHT, 150, 170
    height = y0 + 56

    def xy(t: float, v: float) -> tuple[float, float]:
        return LEFT + plot_w * t / end, y0 - plot_h * v / top

    body = []
    for k in range(top + 1) if top <= 8 else range(0, top + 1, max(1, top // 6)):
        _, y = xy(0, k)
        body.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#e4e7ea"/>'
                    f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{k}</text>')
    for k in range(5):
        x, _ = xy(end * k / 4, 0)
        body.append(f'<text x="{x:.1f}" y="{y0 + 16}" text-anchor="middle">{format_drill_time(end * k / 4)[:-3]}</text>')
    for index, colour, dash, name in ((1, "#0072B2", "", "Open items"), (2, "#E69F00", ' stroke-dasharray="6 3"', "Escalations so far")):
        path: list[str] = []
        last: float = 0
        for p in points:
            x, y_prev = xy(p[0], last)
            _, y = xy(p[0], p[index])
            path += [f"{x:.1f},{y_prev:.1f}", f"{x:.1f},{y:.1f}"]
            last = p[index]
        xe, ye = xy(end, last)
        path.append(f"{xe:.1f},{ye:.1f}")
        body.append(f'<polyline class="series" points="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}>'
                    f'<title>{name}</title></polyline>')
        for p in points:
            x, y = xy(p[0], p[index])
            mark = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>' if index == 1 else
                    f'<polygon points="{x:.1f},{y - 5:.1f} {x + 4.5:.1f},{y + 3.5:.1f} {x - 4.5:.1f},{y + 3.5:.1f}" fill="{colour}"/>')
            body.append(f'<g><title>{format_drill_time(p[0])}: {name.lower()} {p[index]}</title>{mark}</g>')
    ly = height - 14
    body.append(f'<line x1="{LEFT}" y1="{ly - 4}" x2="{LEFT + 24}" y2="{ly - 4}" stroke="#0072B2" stroke-width="2.5"/>'
                f'<text x="{LEFT + 30}" y="{ly}">Open items</text>'
                f'<line x1="{LEFT + 130}" y1="{ly - 4}" x2="{LEFT + 154}" y2="{ly - 4}" stroke="#E69F00" stroke-width="2.5" '
                f'stroke-dasharray="6 3"/><text x="{LEFT + 160}" y="{ly}">Escalations so far</text>')
    peak = max((n for _, n, _ in points), default=0)
    final = points[-1][2] if points else 0
    return _svg("activity", height, "Open items and escalations over drill time",
                f"A step line of the items open at each drill time (peak {peak}) and a dashed step line of the "
                f"escalations so far ({final} in all). The table beside carries the same numbers.", body)


CHARTS = {"expectations": expectations_svg, "ack": ack_svg, "activity": activity_svg}
